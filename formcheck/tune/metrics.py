"""Agreement between predicted and labelled faults: confusion counts and the figures built on them.

"Positive" is a fault throughout: a true positive is a labelled fault the rule flags. Counts may be
scalars or arrays of any one shape (e.g. (C,) for C candidate thresholds); every figure is computed
elementwise, so a whole grid of candidates is scored at once.

Degenerate cases, defined rather than raised:
- no example at all: every figure is NaN;
- no labelled fault: recall is NaN; no labelled clean example: specificity is NaN;
- balanced accuracy is the mean of recall and specificity over the classes present (one class
  present: that class's rate);
- nothing flagged: precision is NaN (no alarm was raised to be right or wrong about);
- F1 = 2 TP / (2 TP + FP + FN), which is 1 when there is no labelled fault and none is flagged
  (perfect agreement) and 0 when faults exist and none is caught.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FIGURES = ("accuracy", "balanced_accuracy", "precision", "recall", "f1")


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.maximum(denominator, 1), np.nan)


@dataclass(frozen=True)
class Confusion:
    """Confusion counts; each field an int or an int array, all of one shape.

    Attributes:
        tp: labelled faults flagged. fp: clean examples flagged (false alarms).
        tn: clean examples passed. fn: labelled faults passed (misses).
    """

    tp: np.ndarray
    fp: np.ndarray
    tn: np.ndarray
    fn: np.ndarray

    @classmethod
    def of(cls, predicted: np.ndarray, labelled: np.ndarray) -> Confusion:
        """Counts over the last axis of ``predicted`` (..., n) bool against ``labelled`` (n,) bool."""
        predicted, labelled = np.asarray(predicted, dtype=bool), np.asarray(labelled, dtype=bool)
        if predicted.shape[-1:] != labelled.shape:
            raise ValueError(f"predicted {predicted.shape} and labelled {labelled.shape}: last axes differ")
        tp = np.sum(predicted & labelled, axis=-1)
        fp = np.sum(predicted & ~labelled, axis=-1)
        return cls(tp=tp, fp=fp, tn=np.sum(~labelled) - fp, fn=np.sum(labelled) - tp)

    def __add__(self, other: Confusion) -> Confusion:
        return Confusion(self.tp + other.tp, self.fp + other.fp, self.tn + other.tn, self.fn + other.fn)

    @property
    def n(self) -> np.ndarray:
        return self.tp + self.fp + self.tn + self.fn

    @property
    def accuracy(self) -> np.ndarray:
        return _ratio(self.tp + self.tn, self.n)

    @property
    def recall(self) -> np.ndarray:
        """Share of labelled faults flagged (sensitivity)."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def specificity(self) -> np.ndarray:
        """Share of clean examples passed."""
        return _ratio(self.tn, self.tn + self.fp)

    @property
    def balanced_accuracy(self) -> np.ndarray:
        rates = np.stack(np.broadcast_arrays(self.recall, self.specificity))
        present = np.isfinite(rates)
        with np.errstate(invalid="ignore"):
            return np.where(present.any(axis=0), np.nansum(rates, axis=0) / present.sum(axis=0), np.nan)

    @property
    def precision(self) -> np.ndarray:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def f1(self) -> np.ndarray:
        # No labelled fault and none flagged: the rule agreed with every label.
        agreed = np.where(self.n > 0, 1.0, np.nan)
        denominator = 2 * self.tp + self.fp + self.fn
        return np.where(denominator > 0, _ratio(2 * self.tp, denominator), agreed)

    def figures(self) -> dict[str, float]:
        """The `FIGURES` of scalar counts as plain floats (NaN where undefined)."""
        return {name: float(getattr(self, name)) for name in FIGURES}
