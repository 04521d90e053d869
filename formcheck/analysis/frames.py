"""Per-frame measurement: from landmark arrays to an exercise's signals, views and visibility.

One vectorised pass over a batch of N frames — a whole saved track at once, or a single live
frame (N = 1). Nothing here is stateful; smoothing and rep counting come after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.body import VIEW_CODE, Body, judged_as
from formcheck.analysis.exercise import Exercise, Rule
from formcheck.analysis.reps import LANDMARKS_HIDDEN, NO_PERSON, VISIBLE
from formcheck.analysis.turning import degrees_off
from formcheck.analysis.vocabulary import LEG_SIDES, Status
from formcheck.core.landmarks import Landmark


@dataclass(frozen=True)
class FrameMeasures:
    """An exercise's view of N frames.

    Attributes:
        names: K signal names, in column order.
        signals: (N, K) raw (unsmoothed) signals; NaN where not measurable.
        views: (N,) int8 codes into `formcheck.analysis.body.VIEWS`.
        azimuths: (N,) the camera's signed azimuth around the body, degrees (`Body.azimuth`).
        visibility: (N,) int8 code per frame: VISIBLE, LANDMARKS_HIDDEN (person found, key
            landmarks not) or NO_PERSON.
        rule_visible: (N, R) bool, the landmarks of rule r are visible on frame n.
    """

    names: tuple[str, ...]
    signals: np.ndarray
    views: np.ndarray
    azimuths: np.ndarray
    visibility: np.ndarray
    rule_visible: np.ndarray

    def __len__(self) -> int:
        return len(self.views)


def landmark_indices(names: tuple[str, ...], side: str | None) -> tuple[int, ...]:
    """Landmark indices for names such as ``knee`` (on ``side``, or both sides when None) or ``nose``."""
    indices: list[int] = []
    for name in names:
        if name.upper() in Landmark.__members__:
            indices.append(Landmark[name.upper()])
        else:
            for s in (side,) if side else LEG_SIDES:
                indices.append(Landmark[f"{s.upper()}_{name.upper()}"])
    return tuple(indices)


def landmarks_visible(visibility: np.ndarray, names: tuple[str, ...], threshold: float) -> np.ndarray:
    """(N,) bool: every named landmark visible; bare names must all be visible on one same side."""
    with np.errstate(invalid="ignore"):
        seen = visibility >= threshold
    unsided = [Landmark[n.upper()] for n in names if n.upper() in Landmark.__members__]
    sided = [n for n in names if n.upper() not in Landmark.__members__]
    ok = seen[:, unsided].all(axis=1) if unsided else np.ones(len(visibility), dtype=bool)
    if sided:
        either = np.zeros(len(visibility), dtype=bool)
        for side in LEG_SIDES:
            either |= seen[:, [Landmark[f"{side.upper()}_{n.upper()}"] for n in sided]].all(axis=1)
        ok &= either
    return ok


def measure_frames(
    exercise: Exercise,
    *,
    image_xy: np.ndarray,
    z: np.ndarray,
    world: np.ndarray,
    visibility: np.ndarray,
    image_size: tuple[int, int],
    side: str | None,
    min_visibility: float,
) -> FrameMeasures:
    """Signals, views and visibility of N frames given as `PoseTrack`-shaped arrays."""
    body = Body.from_arrays(image_xy, z, world, visibility, image_size)
    with np.errstate(invalid="ignore", divide="ignore"):
        signals = exercise.signals(body, side)
    names = tuple(signals)
    person = np.isfinite(image_xy).any(axis=(1, 2))
    key_visible = landmarks_visible(visibility, exercise.key_landmarks, min_visibility)
    codes = np.where(person, np.where(key_visible, VISIBLE, LANDMARKS_HIDDEN), NO_PERSON).astype(np.int8)
    rule_visible = (
        np.stack(
            [landmarks_visible(visibility, rule.landmarks, min_visibility) for rule in exercise.rules], axis=1
        )
        if exercise.rules
        else np.zeros((len(codes), 0), dtype=bool)
    )
    return FrameMeasures(
        names=names,
        signals=np.stack([signals[name] for name in names], axis=1).astype(np.float64),
        views=body.view_codes(),
        azimuths=body.azimuth(),
        visibility=codes,
        rule_visible=rule_visible,
    )


def rule_judgeable(
    rule: Rule, views: np.ndarray, azimuths: np.ndarray, envelope: float | None = None
) -> np.ndarray:
    """(N,) bool: the frame's view lets ``rule`` be judged: one of the views it names, or an
    azimuth within ``envelope`` degrees of them (`ExerciseThresholds.view_envelopes`)."""
    allowed = np.isin(views, [code for name, code in VIEW_CODE.items() if judged_as(name) in rule.views])
    if envelope is None:
        return allowed
    with np.errstate(invalid="ignore"):
        return allowed | (degrees_off(azimuths, rule.views) <= envelope)


def frame_verdicts(
    exercise: Exercise,
    thresholds: Mapping[str, float],
    names: tuple[str, ...],
    signals: np.ndarray,
    views: np.ndarray,
    rule_visible: np.ndarray,
    azimuths: np.ndarray,
    envelopes: Mapping[str, float] | None = None,
) -> dict[str, np.ndarray]:
    """Per-frame status of each single-frame rule: (N,) `Status` values as strings (``passed``,
    ``failed``, ``not_judged`` where the view, the landmarks or the value do not allow judging).

    ``thresholds`` maps rule id -> threshold; ``signals`` (N, K) in the order of ``names``;
    ``azimuths`` (N,) and ``envelopes`` as in `rule_judgeable`.
    """
    column = {name: k for k, name in enumerate(names)}
    verdicts = {}
    for r, rule in enumerate(exercise.rules):
        if rule.frame_signal is None:
            continue
        value = signals[:, column[rule.frame_signal]]
        envelope = (envelopes or {}).get(rule.id)
        judgeable = rule_judgeable(rule, views, azimuths, envelope) & rule_visible[:, r] & np.isfinite(value)
        with np.errstate(invalid="ignore"):
            status = np.where(rule.fails(value, thresholds[rule.id]), Status.FAILED, Status.PASSED)
        verdicts[rule.id] = np.where(judgeable, status, Status.NOT_JUDGED)
    return verdicts
