"""What the overlay and the rep table say about a rep: values with units, scores with their basis."""

from __future__ import annotations

import math

import pytest

from formcheck.analysis.results import Rep, Report, RuleResult
from formcheck.cli.analyze import _rep_table
from formcheck.render.labels import format_value, rule_lines, score_text, thinly_judged

NAN = math.nan


def _rule(rule_id: str, status: str, value: float = NAN, threshold: float = 0.5, unit: str = "ratio", **kw):
    return RuleResult(rule_id, status, value, threshold, unit, kw.pop("cue", "Keep still"), **kw)


def _rep(*rules: RuleResult, score: float | None = 100.0, complete: bool = True, view: str = "side") -> Rep:
    return Rep(
        "hip_hinge",
        1,
        "left",
        complete,
        "" if complete else "stopped mid-rep",
        0.5,
        1.0,
        2.0,
        1,
        view,
        {},
        rules,
        score,
    )


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.343, "ratio", "0.34 ratio"),
        (0.039, "shin lengths", "0.04 shin lengths"),
        (-0.648, "thigh lengths", "-0.65 thigh lengths"),
        (1.067, "s", "1.1 s"),
        (69.271, "deg", "69 deg"),
        (-0.001, "shin lengths", "0.00 shin lengths"),
    ],
)
def test_values_keep_their_unit_and_the_decimals_it_deserves(value, unit, text):
    assert format_value(value, unit) == text


def test_passed_and_failed_rules_say_what_was_measured_against_the_limit():
    passed = _rule("knee_quiet", "passed", 0.343, 0.5)
    failed = _rule(
        "knee_over_toes", "failed", 0.128, 0.0, "shin lengths", cue="Keep your knee behind your toes"
    )
    tempo = _rule("controlled_tempo", "passed", 1.067, 0.8, "s", limit="min")
    assert rule_lines(passed, "side", ("side",)) == ("knee quiet", "0.34 ratio (max 0.50)")
    assert rule_lines(tempo, "side", ("side",)) == ("controlled tempo", "1.1 s (min 0.8)")
    assert rule_lines(failed, "side", ("side",)) == (
        "Keep your knee behind your toes",
        "knee over toes: 0.13 shin lengths (max 0.00)",
    )


def test_a_rule_not_judged_in_this_view_says_how_to_turn():
    wrong_view = _rule("hips_back", "not_judged", reason="wrong camera view: oblique, needs side")
    hidden = _rule("balance", "not_judged", reason="landmarks not visible")
    assert rule_lines(wrong_view, "oblique", ("side",)) == ("hips back", "oblique view: turn side-on")
    assert rule_lines(wrong_view, "side", ("front",))[1] == "side view: face the camera"
    assert rule_lines(hidden, "side", ("side",))[1] == "not judged: landmarks not visible"


def test_the_score_says_how_many_rules_it_rests_on():
    few = _rep(
        _rule("a", "passed", 0.1), *[_rule(x, "not_judged", reason="wrong camera view") for x in "bcde"]
    )
    half = _rep(_rule("a", "passed", 0.1), _rule("b", "failed", 0.9), _rule("c", "not_judged"), score=50.0)
    assert score_text(few) == "score 100 - only 1 of 5 rules judged" and thinly_judged(few)
    assert score_text(half) == "score 50 - 2 of 3 rules judged" and not thinly_judged(half)
    assert score_text(_rep(_rule("a", "passed", 0.1), complete=False)) == "partial: stopped mid-rep"


def test_the_rep_table_marks_a_rep_judged_on_too_few_rules():
    few = _rep(_rule("a", "passed", 0.1), *[_rule(x, "not_judged") for x in "bcde"], view="oblique")
    full = _rep(_rule("a", "passed", 0.1), _rule("b", "passed", 0.1))
    table = _rep_table(Report("hip_hinge", "clip.npz", 30.0, 90, (few, full))).splitlines()
    assert "judged" in table[1]
    assert table[2].split()[5] == "1/5" and table[2].endswith("good (few rules judged: oblique view)")
    assert table[3].split()[5] == "2/2" and table[3].endswith("good")
