"""Folds that keep tuning and judging apart: groups never split, a gap around every test block."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.core.landmarks import MIRROR_ORDER, NUM_LANDMARKS, Landmark
from formcheck.tune.crossval import blocked_folds, cross_validate, leave_one_group_out, recordings_by_jumps


@st.composite
def recordings(draw):
    lengths = draw(st.lists(st.integers(1, 60), min_size=1, max_size=5))
    return np.repeat(np.arange(len(lengths)), lengths)


@settings(max_examples=80, deadline=None)
@given(recordings(), st.integers(2, 6), st.integers(0, 15))
def test_blocked_folds_keep_a_gap_and_test_every_frame_once(recording, k, gap):
    folds = blocked_folds(recording, k, gap)
    assert len(folds) == k
    tested = np.concatenate([f.test for f in folds])
    assert np.array_equal(np.sort(tested), np.arange(len(recording)))
    for fold in folds:
        assert not np.intersect1d(fold.train, fold.test).size
        for i in fold.test:
            same = recording[fold.train] == recording[i]
            # no training frame of the same recording within `gap` frames of a test frame
            assert np.all(np.abs(fold.train[same] - i) > gap)
        # test frames of one recording form one contiguous block
        for r in np.unique(recording[fold.test]):
            block = fold.test[recording[fold.test] == r]
            assert np.array_equal(block, np.arange(block[0], block[-1] + 1))


def test_blocked_folds_train_on_everything_beyond_the_gap():
    folds = blocked_folds(np.zeros(20, int), k=4, gap=2)
    assert folds[1].test.tolist() == [5, 6, 7, 8, 9]
    assert folds[1].train.tolist() == [0, 1, 2, *range(12, 20)]


def test_interleaved_recordings_are_refused():
    with pytest.raises(ValueError, match="interleave"):
        blocked_folds(np.array([0, 0, 1, 1, 0]), 2, 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=50))
def test_groups_are_never_split(groups):
    groups = np.array(groups)
    folds = leave_one_group_out(groups)
    assert len(folds) == len(np.unique(groups))
    for fold in folds:
        assert len(np.unique(groups[fold.test])) == 1
        assert not np.isin(groups[fold.train], groups[fold.test]).any()
        assert len(fold.train) + len(fold.test) == len(groups)


def _walk(n, start, rng):
    """(n, 33, 2) a person drifting slowly from ``start``."""
    base = np.asarray(start) + rng.uniform(-0.2, 0.2, size=(NUM_LANDMARKS, 2))
    return base + np.cumsum(rng.normal(scale=0.002, size=(n, NUM_LANDMARKS, 2)), axis=0)


def test_recordings_split_at_jumps_but_not_at_leg_swaps_or_lost_landmarks():
    rng = np.random.default_rng(1)
    xy = np.concatenate([_walk(50, (0.3, 0.5), rng), _walk(40, (0.7, 0.4), rng), _walk(30, (0.4, 0.6), rng)])
    # Legs side-on stand a third of the image apart: a swap of their names moves every sided point.
    xy[:, Landmark.LEFT_KNEE] += [0.3, 0.0]
    xy[:, Landmark.RIGHT_KNEE] -= [0.3, 0.0]
    xy[10:20] = xy[10:20][:, MIRROR_ORDER]
    xy[25, Landmark.NOSE] += 0.5  # one landmark mistaken for a frame
    xy[30:33, :20] = np.nan  # a table holding only some landmarks for a while
    xy[60] = np.nan  # no person
    recording = recordings_by_jumps(xy)
    assert np.flatnonzero(np.diff(recording)).tolist() == [49, 89]


def test_recordings_by_jumps_checks_the_shape():
    with pytest.raises(ValueError, match="expected"):
        recordings_by_jumps(np.zeros((5, 13, 2)))


def test_cross_validation_tunes_on_training_and_judges_held_out():
    # Clean rows below 0.5, faulty above; the default 2.0 passes every fault.
    rng = np.random.default_rng(2)
    faulty = rng.random(200) < 0.5
    values = np.where(faulty, rng.uniform(0.6, 1.0, 200), rng.uniform(0.0, 0.4, 200))
    result = cross_validate(values, faulty, "max", 2.0, blocked_folds(np.zeros(200, int), 5, 3), "accuracy")
    assert len(result.folds) == 5
    assert all(0.4 <= f.search.threshold < 0.6 for f in result.folds)
    assert result.tuned.accuracy == 1.0 and result.tuned.n == 200
    assert result.default.recall == 0.0 and result.default.specificity == 1.0


def test_a_fold_trained_on_one_class_keeps_the_default():
    # Every clean example in clip 0: holding it out leaves no clean example to tune on, and back.
    values = np.array([0.0, 0.1, 0.9, 1.0, 0.95, 0.92])
    faulty = np.array([False, False, True, True, True, True])
    result = cross_validate(values, faulty, "max", 0.05, leave_one_group_out(np.array([0, 0, 1, 1, 1, 1])))
    assert [f.search.too_few for f in result.folds] == ["no clean example", "no faulty example"]
    assert all(f.search.threshold == 0.05 for f in result.folds)
    assert result.tuned == result.default and result.tuned.fp == 1
