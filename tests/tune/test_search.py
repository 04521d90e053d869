"""Threshold search: finds a separating threshold, mirrors for `min`, keeps the default without evidence."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.tune.metrics import Confusion
from formcheck.tune.search import OBJECTIVES, best_threshold, candidates, confusion_at, flags

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=32)


@st.composite
def separable(draw):
    """Clean values all below faulty ones, with a gap: (values, faulty)."""
    clean = draw(st.lists(finite, min_size=1, max_size=30))
    gap = draw(st.floats(0.01, 5))
    faulty = [max(clean) + gap + abs(v) for v in draw(st.lists(finite, min_size=1, max_size=30))]
    values = np.array(clean + faulty)
    labels = np.r_[np.zeros(len(clean), bool), np.ones(len(faulty), bool)]
    order = draw(st.permutations(range(len(values))))
    return values[list(order)], labels[list(order)]


@settings(max_examples=60, deadline=None)
@given(separable(), st.sampled_from(OBJECTIVES), finite)
def test_separable_data_is_separated_perfectly(data, objective, default):
    values, faulty = data
    found = best_threshold(values, faulty, "max", float(default), objective)
    assert found.too_few is None and found.score == pytest.approx(1.0)
    assert values[~faulty].max() <= found.threshold < values[faulty].min()
    assert np.array_equal(flags(values, found.threshold, "max"), faulty)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(finite, st.booleans()), min_size=2, max_size=40),
    st.sampled_from(OBJECTIVES),
    finite,
)
def test_min_limit_mirrors_max(examples, objective, default):
    values = np.array([v for v, _ in examples], dtype=np.float64)
    faulty = np.array([f for _, f in examples])
    as_max = best_threshold(values, faulty, "max", float(default), objective)
    as_min = best_threshold(-values, faulty, "min", -float(default), objective)
    assert as_min.score == pytest.approx(as_max.score)
    assert as_min.threshold == pytest.approx(-as_max.threshold)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, st.booleans()), min_size=1, max_size=40), st.sampled_from(("max", "min")))
def test_grid_counts_match_judging_each_threshold(examples, limit):
    values = np.array([v for v, _ in examples], dtype=np.float64)
    faulty = np.array([f for _, f in examples])
    grid = candidates(values, 0.0)
    counts = confusion_at(values, faulty, limit, grid)
    for c, threshold in enumerate(grid):
        one = Confusion.of(flags(values, threshold, limit), faulty)
        assert (counts.tp[c], counts.fp[c], counts.tn[c], counts.fn[c]) == (one.tp, one.fp, one.tn, one.fn)


def test_a_tie_keeps_the_default():
    # Any threshold in [1, 3) separates; the default 2 is among them and stays exactly.
    values, faulty = np.array([0.0, 1.0, 3.0, 4.0]), np.array([False, False, True, True])
    found = best_threshold(values, faulty, "max", 2.0)
    assert found.threshold == 2.0 and not found.moved


def test_a_tie_moves_to_the_candidate_nearest_the_default():
    # Default 10 flags nothing; the best thresholds lie in [1, 3): the nearest candidate is 2, not 0.5.
    values, faulty = np.array([0.0, 1.0, 3.0, 4.0]), np.array([False, False, True, True])
    found = best_threshold(values, faulty, "max", 10.0, "accuracy")
    assert found.threshold == 2.0 and found.default_score == 0.5 and found.score == 1.0


def test_a_threshold_can_move_outside_the_measured_range():
    # Every example is clean except the smallest: for `max`, flagging it would flag all; the best
    # is to flag nothing with a threshold at or above every value — the candidate just past the end.
    values, faulty = np.array([0.0, 1.0, 2.0]), np.array([True, False, False])
    found = best_threshold(values, faulty, "max", 0.5, "accuracy")
    assert 2.0 < found.threshold < 2.1 and found.default_score == 0.0
    assert found.score == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("faulty", "reason"), [([False, False], "no faulty example"), ([True, True], "no clean example")]
)
def test_too_few_labels_is_a_result(faulty, reason):
    found = best_threshold(np.array([0.1, 0.2]), np.array(faulty), "max", 0.15)
    assert found.too_few == reason and found.threshold == 0.15 and not found.moved


def test_unmeasured_values_are_left_out():
    values = np.array([np.nan, 0.0, 1.0, np.inf])
    found = best_threshold(values, np.array([False, False, True, True]), "max", 5.0)
    assert (found.n_faulty, found.n_clean) == (1, 1) and 0.0 <= found.threshold < 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [(dict(limit="above"), "limit"), (dict(objective="auc"), "objective")],
)
def test_bad_arguments_name_the_choices(kwargs, message):
    args = dict(values=np.array([0.0]), faulty=np.array([True]), limit="max", default=0.0) | kwargs
    with pytest.raises(ValueError, match=message):
        best_threshold(**args)


def test_thousands_of_candidates_are_cheap():
    rng = np.random.default_rng(0)
    values = rng.normal(size=20_000)
    faulty = values + rng.normal(scale=0.5, size=values.size) > 0.3
    counts = confusion_at(values, faulty, "max", np.linspace(-3, 3, 5_000))
    assert counts.tp.shape == (5_000,)
    found = best_threshold(values, faulty, "max", 0.0, "accuracy")
    assert 0.1 < found.threshold < 0.5
