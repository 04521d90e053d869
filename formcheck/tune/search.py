"""The threshold of one rule that best agrees with labelled examples.

A rule flags a fault when its measured value passes a threshold: above it for a ``max`` limit,
below it for a ``min`` limit (`formcheck.analysis.exercise.Rule.fails`). Every threshold between two
neighbouring measured values makes the same verdicts, so the candidates are the midpoints between
the sorted distinct values, one just outside each end (flag all, flag none) and the current
default. Each candidate is scored from cumulative label counts over the sorted values, so C
candidates over n examples cost O((n + C) log n), not O(n C).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.tune.metrics import Confusion

LIMITS = ("max", "min")
OBJECTIVES = ("f1", "accuracy", "balanced_accuracy")


def flags(values: np.ndarray, threshold: float, limit: str) -> np.ndarray:
    """(n,) bool: the examples a rule with this ``limit`` flags as faulty at ``threshold``."""
    with np.errstate(invalid="ignore"):
        return values > threshold if limit == "max" else values < threshold


def confusion_at(values: np.ndarray, faulty: np.ndarray, limit: str, thresholds: np.ndarray) -> Confusion:
    """Confusion counts, each (C,), of the rule at each of C ``thresholds``.

    ``values`` (n,) finite measured values, ``faulty`` (n,) bool labels.
    """
    _check(values, faulty, limit)
    if not np.isfinite(values).all():
        raise ValueError("values must be finite; leave out the examples that were not measured")
    order = np.argsort(values, kind="stable")
    ordered, ordered_faulty = values[order], faulty[order]
    # faults_below[i]: labelled faults among the i smallest values.
    faults_below = np.concatenate([[0], np.cumsum(ordered_faulty)])
    thresholds = np.asarray(thresholds, dtype=np.float64)
    if limit == "max":
        cut = np.searchsorted(ordered, thresholds, side="right")  # values <= t pass
        flagged = len(values) - cut
        tp = faults_below[-1] - faults_below[cut]
    else:
        cut = np.searchsorted(ordered, thresholds, side="left")  # values < t are flagged
        flagged = cut
        tp = faults_below[cut]
    n_faulty = int(faults_below[-1])
    fp = flagged - tp
    return Confusion(tp=tp, fp=fp, tn=(len(values) - n_faulty) - fp, fn=n_faulty - tp)


def candidates(values: np.ndarray, default: float) -> np.ndarray:
    """(C,) sorted candidate thresholds: midpoints of the distinct values, both ends, the default."""
    distinct = np.unique(values)
    margin = max(float(np.ptp(distinct)) * 1e-3, 1e-9) if len(distinct) else 1.0
    ends = [distinct[0] - margin, distinct[-1] + margin] if len(distinct) else []
    middles = (distinct[:-1] + distinct[1:]) / 2
    return np.unique(np.concatenate([middles, ends, [default]]))


@dataclass(frozen=True)
class Search:
    """The outcome of tuning one rule.

    Attributes:
        threshold: the tuned threshold; the default itself when `too_few` is set.
        default: the threshold it started from.
        objective: the figure maximised (one of `OBJECTIVES`).
        score, default_score: that figure at the tuned threshold and at the default.
        n_faulty, n_clean: labelled examples used (finite values only).
        too_few: None, or why no tuning was possible (e.g. "no clean example").
    """

    threshold: float
    default: float
    objective: str
    score: float
    default_score: float
    n_faulty: int
    n_clean: int
    too_few: str | None = None

    @property
    def moved(self) -> bool:
        return self.threshold != self.default


def best_threshold(
    values: np.ndarray, faulty: np.ndarray, limit: str, default: float, objective: str = "f1"
) -> Search:
    """The threshold maximising ``objective`` over ``values`` (n,) and ``faulty`` (n,) bool.

    Non-finite values (not measured) are left out. Ties go to the candidate nearest ``default`` and
    the default wins any tie it is part of, so a threshold never moves without evidence. With no
    faulty or no clean example the result keeps the default and says so in ``too_few``.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective {objective!r}; expected one of {', '.join(OBJECTIVES)}")
    values, faulty = np.asarray(values, dtype=np.float64), np.asarray(faulty, dtype=bool)
    _check(values, faulty, limit)
    measured = np.isfinite(values)
    values, faulty = values[measured], faulty[measured]
    n_faulty, n_clean = int(faulty.sum()), int((~faulty).sum())
    default_score = float(getattr(confusion_at(values, faulty, limit, np.array([default])), objective)[0])
    too_few = "no faulty example" if n_faulty == 0 else "no clean example" if n_clean == 0 else None
    if too_few:
        return Search(default, default, objective, default_score, default_score, n_faulty, n_clean, too_few)
    grid = candidates(values, default)
    scores = np.nan_to_num(getattr(confusion_at(values, faulty, limit, grid), objective), nan=-np.inf)
    best = scores.max()
    # Scores are ratios of small integers: equal ones are equal up to rounding.
    tied = grid[scores >= best - 1e-12]
    threshold = float(tied[np.argmin(np.abs(tied - default))])
    return Search(threshold, default, objective, float(best), default_score, n_faulty, n_clean)


def _check(values: np.ndarray, faulty: np.ndarray, limit: str) -> None:
    if limit not in LIMITS:
        raise ValueError(f"limit {limit!r}; expected one of {', '.join(LIMITS)}")
    if values.shape != faulty.shape or values.ndim != 1:
        raise ValueError(f"values {values.shape} and faulty {faulty.shape}: expected two (n,) arrays")
