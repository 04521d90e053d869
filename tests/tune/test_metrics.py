"""Confusion counts and figures, including the defined degenerate cases."""

import numpy as np
import pytest

from formcheck.tune.metrics import Confusion

T, F = True, False


@pytest.mark.parametrize(
    ("predicted", "labelled", "expected"),
    [
        # 2 TP, 1 FP, 1 TN, 1 FN
        ([T, T, T, F, F], [T, T, F, F, T], dict(accuracy=0.6, precision=2 / 3, recall=2 / 3, f1=2 / 3)),
        # all right
        ([T, F], [T, F], dict(accuracy=1.0, balanced_accuracy=1.0, precision=1.0, recall=1.0, f1=1.0)),
        # no labelled fault, none flagged: recall undefined, F1 agreement 1
        ([F, F], [F, F], dict(accuracy=1.0, balanced_accuracy=1.0, precision=np.nan, recall=np.nan, f1=1.0)),
        # faults exist, none flagged
        ([F, F], [T, F], dict(accuracy=0.5, balanced_accuracy=0.5, precision=np.nan, recall=0.0, f1=0.0)),
        # only faults, all flagged: balanced accuracy is the one class's rate
        ([T, T, F], [T, T, T], dict(accuracy=2 / 3, balanced_accuracy=2 / 3, precision=1.0, f1=0.8)),
        # nothing at all
        ([], [], dict(accuracy=np.nan, balanced_accuracy=np.nan, recall=np.nan, f1=np.nan)),
    ],
)
def test_figures(predicted, labelled, expected):
    figures = Confusion.of(np.array(predicted, dtype=bool), np.array(labelled, dtype=bool)).figures()
    for name, value in expected.items():
        assert figures[name] == pytest.approx(value, nan_ok=True), name


def test_balanced_accuracy_weighs_the_classes_alike():
    # 98 faults all flagged, 2 clean both flagged: accuracy 0.98, balanced 0.5
    labelled = np.r_[np.ones(98, bool), np.zeros(2, bool)]
    counts = Confusion.of(np.ones(100, bool), labelled)
    assert (counts.tp, counts.fp, counts.tn, counts.fn) == (98, 2, 0, 0)
    assert counts.accuracy == pytest.approx(0.98)
    assert counts.balanced_accuracy == pytest.approx(0.5)


def test_counts_broadcast_over_candidates_and_add():
    labelled = np.array([T, F, T])
    grid = Confusion.of(np.array([[T, T, T], [F, F, F]]), labelled)
    assert grid.tp.tolist() == [2, 0] and grid.fp.tolist() == [1, 0]
    pooled = Confusion.of(np.array([T]), np.array([T])) + Confusion.of(np.array([T]), np.array([F]))
    assert (pooled.tp, pooled.fp, pooled.n) == (1, 1, 2)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="last axes differ"):
        Confusion.of(np.zeros(3, bool), np.zeros(2, bool))
