"""Threshold defaults and overrides: every bad config is a clear error that lists valid names."""

from __future__ import annotations

import pytest

from formcheck.analysis.body import VIEWS
from formcheck.analysis.pipeline import analyze_track
from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES, configured
from formcheck.exercises.measured import metric_errors, view_envelopes
from formcheck.exercises.thresholds import Thresholds
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track


def test_every_exercise_has_defaults_for_its_counting_and_every_rule():
    defaults = Thresholds.defaults()
    assert set(defaults.exercises) == set(EXERCISES)
    for exercise in EXERCISES.values():
        values = defaults.for_exercise(exercise.name)
        assert {"start", "end", "min_dwell_s", "min_range", "max_gap_s", "min_visibility"} <= set(
            values.values
        )
        assert set(values.rules) == {rule.id for rule in exercise.rules}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plank]\nstart = 1.0\n", "unknown exercise.*plank.*valid exercises: .*clamshell, .*hip_hinge"),
        ("[squat.kneee]\nthreshold = 1.0\n", r"\[squat.kneee\] is not a rule of squat; valid rules: depth"),
        ("[squat.depth]\nlimit = 1.0\n", "unknown key 'limit' in \\[squat.depth\\]; valid keys: threshold"),
        ("[squat]\nstrat = 1.0\n", "unknown key 'strat' in \\[squat\\]; valid keys: end"),
        ('[squat.depth]\nthreshold = "deep"\n', "squat.depth.threshold must be a float"),
        ("[squat]\nmin_dwell_s = true\n", "squat.min_dwell_s must be a float"),
        ("[squat\nstart = 1\n", "not valid TOML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "my.toml"
    path.write_text(text)
    with pytest.raises(FormcheckError, match=message):
        Thresholds.load(path)


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(FormcheckError, match="cannot read the config"):
        Thresholds.load(tmp_path / "absent.toml")


def test_an_override_changes_the_verdict(tmp_path):
    pose, _ = motion("split_squat", reps=2, side="left", faults={"knee_over_toes": 0.15}, seed=1)
    track = pose_track(pose, camera_for("side"), noise_px=1.0)
    path = tmp_path / "lenient.toml"
    path.write_text("[split_squat.knee_over_toes]\nthreshold = 0.6  # integers are accepted for floats too\n")
    default_report, _ = analyze_track(track, *configured("split_squat"))
    lenient_report, _ = analyze_track(track, *configured("split_squat", Thresholds.load(path)))
    assert default_report.summary()["faults"]["knee_over_toes"] == 2
    assert lenient_report.summary()["faults"]["knee_over_toes"] == 0
    assert lenient_report.to_dict()["thresholds"]["knee_over_toes"]["threshold"] == 0.6


def test_the_shipped_error_table_names_real_rules_and_views_and_reaches_the_engine():
    for name, exercise in EXERCISES.items():
        for rule_id, views in metric_errors(name).items():
            exercise.rule(rule_id)  # a KeyError names a rule the table should not have
            assert set(views) <= set(VIEWS) - {"unknown"} and all(e >= 0 for e in views.values())
    # The headline rules are measured from the view they are judged from.
    assert metric_errors("hip_hinge")["knee_over_toes"]["side"] > 0
    assert metric_errors("clamshell")["pelvis_still"]["front"] > 0
    _, thresholds = configured("hip_hinge")
    assert thresholds.metric_errors["hinge_depth"] == metric_errors("hip_hinge")["hinge_depth"]
    assert thresholds.replace(thresholds={"hinge_depth": 40.0}).metric_errors == thresholds.metric_errors


def test_the_shipped_view_envelopes_name_real_rules_within_half_way_and_reach_the_engine():
    for name, exercise in EXERCISES.items():
        for rule_id, degrees in view_envelopes(name).items():
            exercise.rule(rule_id)
            assert 0 <= degrees <= 45, (name, rule_id, degrees)
    assert view_envelopes("squat")["knee_over_toes"] >= 30, "the squat's headline side-on rule holds at 30°"
    _, thresholds = configured("squat")
    assert thresholds.view_envelopes == view_envelopes("squat")
