"""The engine's arithmetic on hand-built inputs: rule verdicts, the rep score, the visibility
gate, the One Euro filter and the left/right score gap.

Each test builds the smallest input that shows one rule of the arithmetic and states the
expected number, so a change to the sums (a score that ignores weights, a gate that lets
hidden rules through, a filter that drags a returning signal, a missing gap) fails here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.analysis.body import VIEW_CODE
from formcheck.analysis.exercise import Exercise, RepWindow, Rule
from formcheck.analysis.results import Rep, Report, RuleResult
from formcheck.analysis.scoring import judge_rep, rejudge, score
from formcheck.analysis.smoothing import OneEuroFilter
from formcheck.analysis.vocabulary import Status
from formcheck.exercises import EXERCISES

SIDE = VIEW_CODE["side"]
FRONT = VIEW_CODE["front"]


def _rule(rule_id: str, *, weight: float = 1.0, limit: str = "max", views=("side",), **kind) -> Rule:
    kind = kind or {"frame_signal": rule_id}
    return Rule(rule_id, "", f"fix {rule_id}", "deg", limit, views, (), weight=weight, **kind)


def _exercise(*rules: Rule) -> Exercise:
    return Exercise(
        name="test",
        title="",
        description="",
        views=("side",),
        view_prompt="",
        primary="depth",
        primary_unit="deg",
        direction=1,
        target_rule=None,
        key_landmarks=(),
        signals=lambda body, side: {},
        rep_side=lambda window, values: "left",
        rules=rules,
    )


def _window(**signals: list[float]) -> RepWindow:
    n = len(next(iter(signals.values())))
    return RepWindow(
        t=np.arange(n) / 10.0,
        signals={name: np.array(values, float) for name, values in signals.items()},
        peak=n // 2,
        side="left",
        direction=1,
        primary="depth",
    )


def _result(rule_id: str, status: str) -> RuleResult:
    value = math.nan if status == Status.NOT_JUDGED else 1.0
    return RuleResult(rule_id, status, value, 1.0, "deg", "", "", "max")


# judge_rep ---------------------------------------------------------------------------------


def test_a_per_frame_rule_is_judged_on_its_largest_value_over_the_rep():
    exercise = _exercise(_rule("lean"))
    window = _window(lean=[1.0, 4.0, 9.0, 2.0])
    views, visible = np.full(4, SIDE), np.ones((4, 1), bool)
    (failed,) = judge_rep(exercise, {"lean": 8.0}, window, views, visible)
    (passed,) = judge_rep(exercise, {"lean": 9.0}, window, views, visible)
    assert (failed.status, failed.value, failed.threshold) == (Status.FAILED, 9.0, 8.0)
    assert (passed.status, passed.value) == (Status.PASSED, 9.0), "a value equal to a max limit passes"


def test_frames_where_the_landmarks_are_hidden_or_the_view_is_wrong_are_not_measured():
    exercise = _exercise(_rule("lean"))
    window = _window(lean=[1.0, 50.0, 2.0, 60.0, 3.0])
    visible = np.array([[True], [False], [True], [True], [True]])
    views = np.array([SIDE, SIDE, SIDE, FRONT, SIDE])
    (result,) = judge_rep(exercise, {"lean": 10.0}, window, views, visible)
    assert (result.status, result.value) == (Status.PASSED, 3.0)


def test_a_whole_rep_rule_uses_its_measure_and_a_min_limit_fails_below_it():
    exercise = _exercise(_rule("depth", limit="min", measure=lambda window: window.at_peak("depth")))
    window = _window(depth=[0.0, 40.0, 80.0, 40.0])
    views, visible = np.full(4, SIDE), np.ones((4, 1), bool)
    (shallow,) = judge_rep(exercise, {"depth": 90.0}, window, views, visible)
    (deep,) = judge_rep(exercise, {"depth": 80.0}, window, views, visible)
    assert (shallow.status, shallow.value) == (Status.FAILED, 80.0)
    assert deep.status == Status.PASSED


def test_a_rule_is_not_judged_from_a_view_it_cannot_see():
    exercise = _exercise(_rule("lean", views=("front",)))
    window = _window(lean=[1.0, 2.0, 3.0])
    (result,) = judge_rep(exercise, {"lean": 10.0}, window, np.full(3, SIDE), np.ones((3, 1), bool))
    assert result.status == Status.NOT_JUDGED and "needs front" in result.reason and math.isnan(result.value)


# margin and borderline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "value", "threshold", "margin"),
    [
        ("max", 0.12, 0.2, 0.08),
        ("max", 0.25, 0.2, -0.05),
        ("min", 50.0, 45.0, 5.0),
        ("min", 40.0, 45.0, -5.0),
    ],
    ids=["max passed", "max failed", "min passed", "min failed"],
)
def test_the_margin_is_positive_on_the_passing_side_for_either_limit(limit, value, threshold, margin):
    status = Status.FAILED if (value > threshold if limit == "max" else value < threshold) else Status.PASSED
    result = RuleResult("r", status, value, threshold, "u", "", limit=limit)
    assert result.margin == pytest.approx(margin)
    assert (result.margin > 0) == (status == Status.PASSED)


@pytest.mark.parametrize(
    ("value", "error", "borderline"),
    [
        (9.0, 1.5, True),
        (11.0, 1.5, True),
        (10.0 + 1.5, 1.5, True),
        (12.0, 1.5, False),
        (7.0, 1.5, False),
        (9.9, None, False),
    ],
    ids=["pass within", "fail within", "at the edge", "clear fail", "clear pass", "error unknown"],
)
def test_a_verdict_is_borderline_when_its_margin_is_within_the_measured_error(value, error, borderline):
    exercise = _exercise(_rule("lean"))
    window = _window(lean=[0.0, value, 0.0])
    errors = {} if error is None else {"lean": {"side": error}}
    (result,) = judge_rep(exercise, {"lean": 10.0}, window, np.full(3, SIDE), np.ones((3, 1), bool), errors)
    assert result.error == error and result.borderline is borderline
    record = result.to_dict()
    assert record["borderline"] is borderline and record["margin"] == pytest.approx(10.0 - value)


def test_the_error_is_the_one_measured_from_the_reps_view():
    exercise = _exercise(_rule("lean", views=("side", "front")))
    window = _window(lean=[0.0, 11.0, 0.0])
    errors = {"lean": {"side": 0.5, "front": 3.0}}
    visible = np.ones((3, 1), bool)
    (side,) = judge_rep(exercise, {"lean": 10.0}, window, np.full(3, SIDE), visible, errors)
    (front,) = judge_rep(exercise, {"lean": 10.0}, window, np.full(3, FRONT), visible, errors)
    assert (side.error, side.borderline) == (0.5, False)
    assert (front.error, front.borderline) == (3.0, True)


def test_rejudging_under_another_threshold_moves_the_margin_and_the_borderline_with_it():
    exercise = _exercise(_rule("lean"))
    window = _window(lean=[0.0, 11.0, 0.0])
    (result,) = judge_rep(exercise, {"lean": 10.0}, window, np.full(3, SIDE), np.ones((3, 1), bool),
                          {"lean": {"side": 2.0}})  # fmt: skip
    rep = Rep(
        "test", 1, "left", True, "", 0.0, 0.1, 0.2, 1, "side", {}, (result,), score(exercise, (result,))
    )
    assert result.borderline and rep.score == pytest.approx(50.0)
    (lenient,) = rejudge(exercise, rep, {"lean": 20.0}).rules
    assert (lenient.status, lenient.margin, lenient.borderline) == (Status.PASSED, 9.0, False)


def test_a_rule_not_judged_is_never_borderline():
    result = RuleResult("r", Status.NOT_JUDGED, math.nan, 1.0, "u", "", error=10.0)
    assert not result.borderline and result.to_dict()["margin"] is None


# the visibility gate -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visible_frames", "status"),
    [(10, Status.PASSED), (5, Status.PASSED), (4, Status.NOT_JUDGED), (0, Status.NOT_JUDGED)],
    ids=["all", "exactly half", "just under half", "none"],
)
def test_a_rule_is_judged_only_when_its_landmarks_are_seen_on_half_the_rep(visible_frames, status):
    # scoring.MIN_VISIBLE_SHARE = 0.5: at least half of the rep's frames.
    exercise = _exercise(_rule("lean"))
    window = _window(lean=[1.0] * 10)
    visible = (np.arange(10) < visible_frames)[:, None]
    (result,) = judge_rep(exercise, {"lean": 10.0}, window, np.full(10, SIDE), visible)
    assert result.status == status


# score -------------------------------------------------------------------------------------

HEADLINE, MINOR = _rule("headline", weight=2.0), _rule("minor")
TWO_RULES = _exercise(HEADLINE, MINOR)


@pytest.mark.parametrize(
    ("headline", "minor", "expected"),
    [
        (Status.PASSED, Status.PASSED, 100.0),
        (Status.FAILED, Status.FAILED, 0.0),
        (Status.PASSED, Status.FAILED, 200 / 3),
        (Status.FAILED, Status.PASSED, 100 / 3),
        (Status.NOT_JUDGED, Status.FAILED, 0.0),
        (Status.NOT_JUDGED, Status.PASSED, 100.0),
        (Status.NOT_JUDGED, Status.NOT_JUDGED, None),
    ],
)
def test_the_score_is_the_weighted_share_of_judged_rules_that_passed(headline, minor, expected):
    results = (_result("headline", headline), _result("minor", minor))
    assert score(TWO_RULES, results) == (None if expected is None else pytest.approx(expected))


def test_a_borderline_fault_costs_half_a_clear_one():
    clear = (_result("headline", Status.PASSED), RuleResult("minor", Status.FAILED, 1.5, 1.0, "deg", ""))
    close = (clear[0], RuleResult("minor", Status.FAILED, 1.5, 1.0, "deg", "", error=0.6))
    assert score(TWO_RULES, clear) == pytest.approx(200 / 3)
    assert score(TWO_RULES, close) == pytest.approx(100 * (3 - 0.5) / 3)


def test_every_exercise_weighs_its_headline_rules_double():
    for exercise in EXERCISES.values():
        weights = {rule.weight for rule in exercise.rules}
        assert weights <= {1.0, 2.0} and 2.0 in weights, exercise.name
    squat = EXERCISES["squat"]
    headline = next(rule.id for rule in squat.rules if rule.weight == 2.0)
    minor = next(rule.id for rule in squat.rules if rule.weight == 1.0)
    results = (_result(headline, Status.FAILED), _result(minor, Status.PASSED))
    assert score(squat, results) == pytest.approx(100 / 3)


# One Euro filter ---------------------------------------------------------------------------


def _filter(**options) -> OneEuroFilter:
    return OneEuroFilter(1, min_cutoff_hz=1.0, beta=0.0, **options)


def test_a_constant_signal_passes_unchanged_and_nan_stays_nan():
    t = np.arange(10) / 30.0
    x = np.full((10, 1), 5.0)
    x[4] = np.nan
    out = _filter().filter(t, x)
    assert np.isnan(out[4, 0]) and np.allclose(np.delete(out[:, 0], 4), 5.0)


def test_a_step_is_followed_by_the_exponential_smoothing_of_the_cutoff():
    # beta = 0: a fixed 1 Hz cutoff; each sample moves a/(1+a) of the way, a = 2 pi f dt.
    dt = 1 / 30
    t = np.arange(4) * dt
    out = _filter().filter(t, np.array([[0.0], [1.0], [1.0], [1.0]]))[:, 0]
    alpha = (2 * math.pi * dt) / (1 + 2 * math.pi * dt)
    expected = [0.0, alpha, alpha + alpha * (1 - alpha), 1 - (1 - alpha) ** 3]
    assert out == pytest.approx(expected)


def test_a_signal_back_after_a_long_gap_restarts_where_it_is():
    # The person walks out of view at 0 and back in at 10, a second later: no drag from 0.
    t = np.array([0.0, 1 / 30, 0.5, 1.0, 1.0 + 1 / 30])
    x = np.array([[0.0], [0.0], [np.nan], [10.0], [10.0]])
    out = _filter(reset_after_s=0.5).filter(t, x)[:, 0]
    assert out[3] == 10.0 and out[4] == 10.0


def test_a_short_gap_keeps_the_smoothing():
    t = np.array([0.0, 0.1, 0.2])
    x = np.array([[0.0], [np.nan], [10.0]])
    out = _filter(reset_after_s=0.5).filter(t, x)[:, 0]
    assert 0.0 < out[2] < 10.0


def test_the_state_carries_over_between_calls_as_over_one_call():
    t, x = np.arange(6) / 30.0, np.array([[0.0], [3.0], [1.0], [4.0], [1.0], [5.0]])
    whole = _filter().filter(t, x)
    split = _filter()
    assert np.allclose(np.concatenate([split.filter(t[:3], x[:3]), split.filter(t[3:], x[3:])]), whole)


# score_gap ---------------------------------------------------------------------------------


def _rep(index: int, side: str, rep_score: float | None, *, complete: bool = True) -> Rep:
    return Rep(
        "test", index, side, complete, "" if complete else "cut", 0.0, 0.5, 1.0, 1, "side", {}, (), rep_score
    )


def _gap(*reps: Rep) -> dict:
    return Report("test", "clip.mp4", 30.0, 100, reps).left_vs_right()


def test_the_score_gap_is_left_minus_right_over_complete_reps():
    sides = _gap(
        _rep(1, "left", 100.0),
        _rep(2, "right", 50.0),
        _rep(3, "left", 80.0),
        _rep(4, "right", 0.0, complete=False),
    )
    assert sides["left"] == {"reps": 2, "mean_score": 90.0}
    assert sides["right"] == {"reps": 1, "mean_score": 50.0}
    assert sides["score_gap"] == 40.0


def test_the_score_gap_is_none_with_one_side_only_and_absent_for_two_sided_work():
    assert _gap(_rep(1, "left", 100.0))["score_gap"] is None
    assert _gap(_rep(1, "both", 100.0)) == {}


# view envelopes ----------------------------------------------------------------------------

OBLIQUE = VIEW_CODE["oblique"]


@pytest.mark.parametrize(
    ("azimuth", "envelope", "judged"),
    [(60.0, 30.0, True), (60.0, 20.0, False), (60.0, None, False), (-65.0, 30.0, True), (40.0, 30.0, False)],
    ids=["within", "beyond", "no envelope", "other side within", "further round"],
)
def test_a_side_on_rule_is_judged_obliquely_only_within_its_measured_envelope(azimuth, envelope, judged):
    exercise = _exercise(_rule("lean"))
    window = _window(lean=[0.0, 12.0, 0.0])
    envelopes = {} if envelope is None else {"lean": envelope}
    (result,) = judge_rep(exercise, {"lean": 10.0}, window, np.full(3, OBLIQUE), np.ones((3, 1), bool),
                          azimuths=np.full(3, azimuth), envelopes=envelopes)  # fmt: skip
    if judged:
        assert (result.status, result.value) == (Status.FAILED, 12.0)
    else:
        assert result.status == Status.NOT_JUDGED and "turn about" in result.reason, result.reason


def test_a_front_on_rule_is_judged_from_behind_and_a_side_on_rule_is_not():
    front_rule, side_rule = _rule("valgus", views=("front",)), _rule("lean", views=("side",))
    exercise = _exercise(front_rule, side_rule)
    window = _window(valgus=[0.0, 12.0, 0.0], lean=[0.0, 12.0, 0.0])
    back = np.full(3, VIEW_CODE["back"])
    results = judge_rep(exercise, {"valgus": 10.0, "lean": 10.0}, window, back, np.ones((3, 2), bool),
                        azimuths=np.full(3, 180.0))  # fmt: skip
    assert [r.status for r in results] == [Status.FAILED, Status.NOT_JUDGED]
    assert "back, needs side" in results[1].reason
