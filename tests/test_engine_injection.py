"""The engine takes an exercise and its thresholds as values, and re-judges without re-measuring."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.scoring import rejudge
from formcheck.analysis.session import ExerciseSession, measure_track
from formcheck.analysis.vocabulary import Limit, Status
from formcheck.errors import FormcheckError
from formcheck.exercises import configured, get_exercise
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track

PACKAGE = Path(__file__).resolve().parents[1] / "formcheck"
# Names are looked up only in the command line and the studio: everything else gets values.
GIVEN_VALUES = [
    module
    for folder in ("analysis", "render", "live", "tune", "labelling")
    for module in (PACKAGE / folder).glob("*.py")
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("module", sorted(GIVEN_VALUES), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_only_the_cli_and_studio_import_the_catalogue_or_the_loader(module):
    outward = {name for name in _imports(module) if name.startswith(("formcheck.exercises", "formcheck.cli"))}
    assert not outward, f"{module.name} imports {outward}"


def _split_squat(reps=3, faults=None):
    pose, _ = motion("split_squat", reps=reps, side="left", faults=faults or {}, seed=4)
    return pose_track(pose, camera_for("side"), noise_px=1.0, seed=4)


def test_thresholds_of_another_exercise_are_refused():
    exercise, _ = configured("split_squat")
    _, squat_thresholds = configured("squat")
    with pytest.raises(FormcheckError, match="thresholds are for squat, not split_squat"):
        ExerciseSession(exercise, squat_thresholds)


def test_a_rep_rejudged_under_new_thresholds_equals_a_fresh_analysis():
    track = _split_squat(faults={"knee_over_toes": 0.15})
    exercise, defaults = configured("split_squat")
    report, _ = analyze_track(track, exercise, defaults)
    value = report.reps[0].rules[0].value
    assert report.reps[0].rules[0].id == "knee_over_toes" and report.reps[0].rules[0].status == Status.FAILED
    lenient = defaults.replace(thresholds={"knee_over_toes": value + 0.05})
    fresh, _ = analyze_track(track, exercise, lenient)
    again = [rejudge(exercise, rep, lenient.rule_thresholds()) for rep in report.reps]
    assert [rep.to_dict() for rep in again] == [rep.to_dict() for rep in fresh.reps]
    assert again[0].rules[0].status == Status.PASSED and again[0].score > report.reps[0].score


def test_candidate_thresholds_broadcast_over_measured_values():
    rule = get_exercise("split_squat").rule("knee_over_toes")
    assert rule.limit is Limit.MAX
    values = np.array([0.0, 0.1, 0.2])
    table = rule.fails(values, np.array([[0.05], [0.15]]))
    np.testing.assert_array_equal(table, [[False, True, True], [False, False, True]])


def test_counting_reruns_on_cached_measures():
    track = _split_squat(reps=3)
    exercise, defaults = configured("split_squat")
    measures = measure_track(track, exercise, defaults)
    cached, _ = analyze_track(track, exercise, defaults, measures=measures)
    fresh, _ = analyze_track(track, exercise, defaults)
    assert cached.to_dict() == fresh.to_dict() and cached.summary()["reps_total"] == 3
    # A complete level the reps never reach: the same measures now give partial reps only.
    too_deep = defaults.replace(values={"end": 170.0})
    recounted, _ = analyze_track(track, exercise, too_deep, measures=measures)
    assert recounted.summary()["reps_total"] == 0 and recounted.summary()["reps_partial"] == 3


def test_replace_refuses_keys_the_exercise_does_not_have():
    _, defaults = configured("squat")
    with pytest.raises(KeyError, match="no rule 'pelvis_still'"):
        defaults.replace(thresholds={"pelvis_still": 1.0})
    with pytest.raises(KeyError, match="no counting key 'depth'"):
        defaults.replace(values={"depth": 1.0})


def test_a_rule_limit_is_typed():
    rule = get_exercise("hip_hinge").rule("hinge_depth")
    assert rule.limit is Limit.MIN and rule.limit == "min"
    with pytest.raises(ValueError, match="limit must be 'max' or 'min'"):
        replace(rule, limit="most")
