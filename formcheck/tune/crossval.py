"""Honest estimates: tune on one part of the examples, judge the part it did not see.

Two ways to make the folds, each a list of `Fold` (index arrays into the n examples):
- `leave_one_group_out`: one fold per group (a clip), so reps of one clip are never split between
  tuning and judging;
- `blocked_folds`: for frame tables, where neighbouring frames are near copies of each other, each
  recording is cut into k contiguous blocks; fold j judges block j of every recording and tunes on
  the rest, less ``gap`` frames on each side of every test block.

`cross_validate` tunes in each fold (`formcheck.tune.search.best_threshold`) and judges the held-out
part with the tuned threshold and with the default; pooled figures come from the summed counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.core.landmarks import MIRROR_ORDER, NUM_LANDMARKS
from formcheck.tune.metrics import Confusion
from formcheck.tune.search import Search, best_threshold, flags

# A step between consecutive frames of one recording moves landmarks by ~0.001-0.01 image units; a
# cut to another recording moves most of them by a tenth of the image or more.
JUMP = 0.1


@dataclass(frozen=True)
class Fold:
    """Indices (sorted, int) into the n examples: ``train`` to tune on, ``test`` to judge."""

    train: np.ndarray
    test: np.ndarray


def leave_one_group_out(groups: np.ndarray) -> list[Fold]:
    """One fold per distinct value of ``groups`` (n,), which holds that group out."""
    groups = np.asarray(groups)
    return [
        Fold(train=np.flatnonzero(groups != g), test=np.flatnonzero(groups == g)) for g in np.unique(groups)
    ]


def recordings_by_jumps(image_xy: np.ndarray, jump: float = JUMP) -> np.ndarray:
    """(n,) int recording number per row of a frame table with no recording column.

    ``image_xy`` (n, 33, 2) normalised image coordinates of consecutive rows (NaN where a landmark is
    absent). A new recording starts where the median displacement, over the landmarks seen on both
    rows, exceeds ``jump``. Each landmark is taken as the midpoint of itself and its left/right twin,
    because the pose model swaps the legs' names now and then, which moves every sided landmark at
    once; the median, so that one landmark the model loses cannot cut a recording while a new scene
    moves nearly all of them. Rows with no landmark seen continue the current recording.
    """
    image_xy = np.asarray(image_xy, dtype=np.float64)
    if image_xy.ndim != 3 or image_xy.shape[1:] != (NUM_LANDMARKS, 2):
        raise ValueError(f"image_xy {image_xy.shape}: expected (n, {NUM_LANDMARKS}, 2)")
    centred = (image_xy + image_xy[:, MIRROR_ORDER]) / 2
    step = np.linalg.norm(np.diff(centred, axis=0), axis=2)  # (n - 1, 33), NaN where either is unseen
    seen = np.isfinite(step).any(axis=1)
    moved = np.zeros(len(step))
    moved[seen] = np.nanmedian(step[seen], axis=1)
    return np.concatenate([[0], np.cumsum(moved > jump)])


def blocked_folds(recordings: np.ndarray, k: int, gap: int) -> list[Fold]:
    """``k`` folds of contiguous blocks within each recording, ``gap`` frames dropped around tests.

    ``recordings`` (n,) recording id per frame, frames of one recording in time order (a recording
    may not be interleaved with another). Fold j judges the j-th of k near-equal blocks of every
    recording; it tunes on every other frame except those within ``gap`` frames of a test frame of
    the same recording. A recording shorter than k frames gives some folds no block of it.
    """
    recordings = np.asarray(recordings)
    if k < 2:
        raise ValueError(f"k = {k}: blocked cross-validation needs at least 2 blocks")
    if gap < 0:
        raise ValueError(f"gap = {gap}: expected 0 or more frames")
    runs = _runs(recordings)
    block = np.zeros(len(recordings), dtype=np.int64)
    position = np.zeros(len(recordings), dtype=np.int64)  # frame number within its recording
    for r in runs:
        position[r] = np.arange(len(r))
        block[r] = np.arange(len(r)) * k // len(r)
    folds = []
    for j in range(k):
        test = block == j
        near = np.zeros(len(recordings), dtype=bool)
        for r in runs:
            tested = position[r][test[r]]
            if len(tested):
                # Blocks are contiguous: the frames within gap of the block are those within gap of its ends.
                near[r] = (position[r] >= tested.min() - gap) & (position[r] <= tested.max() + gap)
        folds.append(Fold(train=np.flatnonzero(~near & ~test), test=np.flatnonzero(test)))
    return folds


def _runs(recordings: np.ndarray) -> list[np.ndarray]:
    """Index arrays of each recording, checking that each is one contiguous run."""
    starts = np.flatnonzero(np.concatenate([[True], recordings[1:] != recordings[:-1]]))
    ends = np.concatenate([starts[1:], [len(recordings)]])
    if len(np.unique(recordings[starts])) != len(starts):
        raise ValueError("recordings interleave: the frames of each recording must be consecutive rows")
    return [np.arange(s, e) for s, e in zip(starts, ends, strict=True)]


@dataclass(frozen=True)
class FoldResult:
    """One fold: the search on its training part, and counts on its test part.

    Attributes:
        search: the tuning outcome on the training examples.
        tuned, default: confusion counts of the held-out examples at the tuned and default thresholds.
    """

    search: Search
    tuned: Confusion
    default: Confusion


@dataclass(frozen=True)
class CrossValidation:
    """Per-fold results and the counts pooled over all test parts (each example tested once
    when the folds partition the examples)."""

    folds: list[FoldResult]
    tuned: Confusion
    default: Confusion


def cross_validate(
    values: np.ndarray,
    faulty: np.ndarray,
    limit: str,
    default: float,
    folds: list[Fold],
    objective: str = "f1",
) -> CrossValidation:
    """Tune in each fold on ``train`` and judge ``test``; ``values`` (n,), ``faulty`` (n,) bool.

    Examples whose value is not finite (not measured) are left out of tuning and judging alike. A
    fold whose training part has too few labels keeps the default, as the tool itself would.
    """
    values, faulty = np.asarray(values, dtype=np.float64), np.asarray(faulty, dtype=bool)
    measured = np.isfinite(values)
    results = []
    for fold in folds:
        train = fold.train[measured[fold.train]]
        test = fold.test[measured[fold.test]]
        search = best_threshold(values[train], faulty[train], limit, default, objective)
        results.append(
            FoldResult(
                search=search,
                tuned=Confusion.of(flags(values[test], search.threshold, limit), faulty[test]),
                default=Confusion.of(flags(values[test], default, limit), faulty[test]),
            )
        )
    zero = Confusion(0, 0, 0, 0)
    return CrossValidation(
        folds=results,
        tuned=sum((r.tuned for r in results), zero),
        default=sum((r.default for r in results), zero),
    )
