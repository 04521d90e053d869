"""Every rule fires on its injected fault and stays quiet on clean reps, seen from the view it needs.

The kinematic generator makes the motions (formcheck.synth.motions), the stick skeleton and a
pinhole camera turn them into pose tracks with 1 px of landmark noise, and the real engine
judges them — the same path as `formcheck analyze`.
"""

from __future__ import annotations

import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.exercises import configured
from formcheck.synth.motions import exercise_camera, motion, motion_module
from formcheck.synth.skeleton import Segments, pose_track

REPS = 3

# exercise, working side, camera view, rule id, fault size (units in each motion's FAULTS)
FAULTS = [
    ("hip_hinge", "left", "side", "hinge_depth", 30.0),
    ("hip_hinge", "both", "side", "hinge_depth", 30.0),
    ("hip_hinge", "right", "side", "knee_quiet", 50.0),
    ("hip_hinge", "both", "side", "knee_quiet", 50.0),
    ("hip_hinge", "left", "side", "hips_back", 0.9),
    ("hip_hinge", "both", "side", "hips_back", 0.9),
    ("hip_hinge", "left", "side", "knee_over_toes", 0.15),
    ("hip_hinge", "left", "side", "head_in_line", 45.0),
    ("hip_hinge", "right", "side", "balance", 0.5),
    ("hip_hinge", "left", "side", "controlled_tempo", 0.4),
    ("clamshell", "right", "front", "pelvis_still", 20.0),
    ("clamshell", "left", "front", "pelvis_still", 20.0),
    ("clamshell", "right", "front", "heels_together", 0.6),
    ("clamshell", "left", "front", "knee_opening", 25.0),
    ("clamshell", "right", "front", "top_hold", 0.0),
    ("clamshell", "left", "front", "slow_return", 0.3),
    ("split_squat", "left", "side", "knee_over_toes", 0.15),
    ("split_squat", "right", "side", "knee_over_toes", 0.15),
    ("split_squat", "left", "side", "depth", 30.0),
    ("split_squat", "right", "side", "trunk_upright", 30.0),
    ("split_squat", "left", "front", "knee_tracking", 15.0),
    ("squat", "both", "side", "depth", 35.0),
    ("squat", "both", "side", "knee_over_toes", 0.15),
    ("squat", "both", "front", "knee_tracking", 15.0),
    ("squat", "both", "side", "heels_down", 0.25),
    ("squat", "both", "side", "trunk_angle", 30.0),
    ("band_walk", "left", "front", "narrow_stance", 0.25),
    ("band_walk", "right", "front", "narrow_stance", 0.25),
    ("band_walk", "left", "front", "knee_valgus", 15.0),
    ("band_walk", "right", "front", "knee_valgus", 15.0),
    ("band_walk", "left", "front", "half_squat", 35.0),
    ("band_walk", "right", "front", "half_squat", 35.0),
    ("band_walk", "left", "front", "trunk_sway", 15.0),
    ("band_walk", "right", "front", "trunk_sway", 15.0),
    ("glute_bridge", "left", "side", "hip_extension", 18.0),
    ("glute_bridge", "right", "side", "hip_extension", 18.0),
    ("glute_bridge", "left", "front", "pelvis_drop", 15.0),
    ("glute_bridge", "right", "front", "pelvis_drop", 15.0),
    ("glute_bridge", "left", "side", "hold", 0.0),
    ("glute_bridge", "right", "side", "hold", 0.0),
    ("glute_bridge", "left", "side", "back_arch", 20.0),
    ("glute_bridge", "right", "side", "back_arch", 20.0),
    ("hip_flexor_march", "left", "side", "march_height", 20.0),
    ("hip_flexor_march", "right", "side", "march_height", 20.0),
    ("hip_flexor_march", "left", "front", "pelvis_rock", 15.0),
    ("hip_flexor_march", "right", "front", "pelvis_rock", 15.0),
    ("hip_flexor_march", "left", "side", "other_leg_lifts", 20.0),
    ("hip_flexor_march", "right", "side", "other_leg_lifts", 20.0),
    ("mountain_climber", "both", "side", "hips_pike", 12.0),
    ("mountain_climber", "left", "side", "hips_pike", 12.0),
    ("mountain_climber", "both", "side", "hips_sag", 12.0),
    ("mountain_climber", "right", "side", "hips_sag", 12.0),
    ("mountain_climber", "both", "side", "knee_drive", 40.0),
    ("mountain_climber", "left", "side", "knee_drive", 40.0),
    ("mountain_climber", "right", "side", "knee_drive", 40.0),
    ("hip_internal_rotation", "both", "front", "knees_apart", 12.0),
    ("hip_internal_rotation", "both", "front", "rotation_range", 12.0),
]
CLEAN = sorted({(exercise, side, view) for exercise, side, view, _, _ in FAULTS})


def _report(exercise, side, view, faults, seed=7):
    pose, truth = motion(exercise, reps=REPS, side=side, faults=faults, seed=seed)
    camera = exercise_camera(exercise, view, side)
    report, _ = analyze_track(pose_track(pose, camera, noise_px=1.0, seed=seed), *configured(exercise))
    return report, truth


def _statuses(report, rule_id):
    return [next(r.status for r in rep.rules if r.id == rule_id) for rep in report.reps]


@pytest.mark.parametrize(("exercise", "side", "view"), CLEAN, ids=["-".join(c) for c in CLEAN])
def test_clean_reps_are_counted_on_the_right_side_and_every_judged_rule_passes(exercise, side, view):
    report, truth = _report(exercise, side, view, {})
    # Alternating exercises (side "both" of a mountain climber) count each leg's reps as its own.
    assert [(rep.complete, rep.side) for rep in report.reps] == [(True, true_rep.side) for true_rep in truth]
    for rep, true_rep in zip(report.reps, truth, strict=True):
        # The truth's peak is the middle of the hold; in a long hold the deepest frame can be
        # anywhere in it (landmark noise decides), so compare the middle of the time at the top.
        top_middle = (rep.start_s + rep.metrics["lowering_s"] + rep.end_s - rep.metrics["returning_s"]) / 2
        assert abs(rep.start_s - true_rep.start_s) < 0.5 and abs(top_middle - true_rep.peak_s) < 0.6
        failed = [r.id for r in rep.rules if r.status == "failed"]
        assert failed == [], f"clean rep {rep.index} failed {failed}"
        assert rep.score == 100.0
    # Rules that need another view say so instead of guessing.
    for rep in report.reps:
        for rule in rep.rules:
            if rule.status == "not_judged":
                assert rule.reason.startswith("wrong camera view")


@pytest.mark.parametrize(
    ("exercise", "side", "view", "rule_id", "size"),
    FAULTS,
    ids=[f"{f[0]}-{f[3]}-{f[1]}-{f[2]}" for f in FAULTS],
)
def test_injected_fault_fails_its_rule_on_every_rep(exercise, side, view, rule_id, size):
    assert rule_id in motion_module(exercise).FAULTS
    report, truth = _report(exercise, side, view, {rule_id: size})
    assert [rep.side for rep in report.reps] == [true_rep.side for true_rep in truth]
    assert _statuses(report, rule_id) == ["failed"] * len(truth)
    assert report.summary()["faults"][rule_id] == sum(rep.complete for rep in report.reps)


def test_every_rule_of_every_exercise_has_a_fault_test():
    from formcheck.exercises import EXERCISES

    tested = {(exercise, rule_id) for exercise, _, _, rule_id, _ in FAULTS}
    for name, exercise in EXERCISES.items():
        assert {(name, rule.id) for rule in exercise.rules} <= tested


def test_knee_over_toes_measures_the_injected_distance():
    # Injected in shin lengths, measured in foot lengths (heel to toe of the flat foot).
    seg = Segments()
    in_feet = seg.shin / (seg.heel_back + seg.toe_forward)
    report, _ = _report("split_squat", "left", "side", {"knee_over_toes": 0.15})
    values = [next(r.value for r in rep.rules if r.id == "knee_over_toes") for rep in report.reps]
    assert all(abs(v - 0.15 * in_feet) < 0.05 * in_feet for v in values), values


def test_pelvis_roll_measures_the_injected_angle():
    report, _ = _report("clamshell", "right", "front", {"pelvis_still": 20.0})
    values = [next(r.value for r in rep.rules if r.id == "pelvis_still") for rep in report.reps]
    assert all(abs(v - 20.0) < 3.0 for v in values), values


def test_wrong_view_is_not_judged_and_asks_to_turn():
    report, _ = _report("split_squat", "left", "front", {"knee_over_toes": 0.15})
    assert _statuses(report, "knee_over_toes") == ["not_judged"] * REPS


def test_band_walk_back_and_forth_gives_each_step_to_its_leading_leg():
    report, _ = _report("band_walk", "both", "front", {})
    assert [(rep.complete, rep.side) for rep in report.reps] == [
        (True, "left"),
        (True, "right"),
        (True, "left"),
    ]
    assert report.summary()["left_vs_right"]["left"]["reps"] == 2
    assert report.summary()["left_vs_right"]["right"]["reps"] == 1
