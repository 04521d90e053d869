"""The floor exercises (mountain climber, supine hip internal rotation): the views the engine sees
for plank and lying poses, rules that need another view, and what the landmarks cannot show.

Stick-skeleton motions through a pinhole camera with 1 px of noise, judged by the real engine;
and (slow) the rendered studio samples through the real pose model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis.body import VIEWS, Body
from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.reps import REASON_BEGAN_UNSEEN
from formcheck.analysis.signals import hips_off_line
from formcheck.core.landmarks import Landmark
from formcheck.exercises import EXERCISES, configured
from formcheck.pose.tracking import track_from_video
from formcheck.synth.camera import Camera
from formcheck.synth.motions import motion
from formcheck.synth.motions.hip_internal_rotation import camera as high_camera
from formcheck.synth.skeleton import camera_for, pose_track, world_landmarks

OVERHEAD = Camera(position=np.array([0.0, 2.6, 0.3]), target=np.array([0.0, 0.0, 0.0]), vertical_fov_deg=55.0)
# At the feet, 1.8 m up and 2.4 m away, as the studio samples: looking down ~33 deg.
LOW_AT_THE_FEET = Camera(
    position=np.array([0.0, 1.8, 2.4]), target=np.array([0.0, 0.2, 0.0]), vertical_fov_deg=55.0
)


def _track(exercise, camera, faults=None, side="both"):
    pose, truth = motion(exercise, reps=2, side=side, faults=faults, seed=3)
    return pose_track(pose, camera, noise_px=1.0, seed=3), truth


def _views(track):
    body = Body.from_arrays(track.image_xy, track.z, track.world, track.visibility, track.image_size)
    return {VIEWS[code] for code in body.view_codes()}


@pytest.mark.parametrize(
    ("exercise", "camera", "view"),
    [
        ("mountain_climber", camera_for("side", looking_from="left"), "side"),
        ("mountain_climber", camera_for("side", looking_from="right"), "side"),
        ("hip_internal_rotation", LOW_AT_THE_FEET, "front"),
        ("hip_internal_rotation", high_camera(), "front"),
        ("hip_internal_rotation", OVERHEAD, "front"),
    ],
    ids=[
        "plank-from-left",
        "plank-from-right",
        "supine-low-at-the-feet",
        "supine-from-high",
        "supine-overhead",
    ],
)
def test_floor_poses_get_the_view_their_rules_need(exercise, camera, view):
    track, _ = _track(exercise, camera)
    assert _views(track) == {view}


def test_supine_rotation_seen_from_above_is_counted_and_judged_like_from_the_feet():
    track, truth = _track("hip_internal_rotation", OVERHEAD)
    report, _ = analyze_track(track, *configured("hip_internal_rotation"))
    assert [(rep.complete, rep.side, rep.score) for rep in report.reps] == [(True, "both", 100.0)] * len(
        truth
    )


def test_knees_are_not_judged_from_low_at_the_feet_but_the_rotation_is():
    # From low at the feet the shins point at the lens and hide the thighs: where the knees are
    # is ambiguous, so their parting is not judged even when it happens.
    track, truth = _track("hip_internal_rotation", LOW_AT_THE_FEET, faults={"knees_apart": 12.0})
    report, _ = analyze_track(track, *configured("hip_internal_rotation"))
    assert [rep.complete for rep in report.reps] == [True] * len(truth)
    for rep in report.reps:
        statuses = {rule.id: rule.status for rule in rep.rules}
        assert statuses == {"knees_apart": "not_judged", "rotation_range": "passed"}


def test_plank_filmed_from_the_front_is_counted_but_not_judged_and_asks_to_turn():
    track, truth = _track("mountain_climber", camera_for("front"), faults={"hips_sag": 12.0})
    report, _ = analyze_track(track, *configured("mountain_climber"))
    assert len(report.reps) == len(truth)
    for rep in report.reps:
        assert {rule.status for rule in rep.rules} == {"not_judged"}
        assert all(rule.reason.startswith("wrong camera view") for rule in rep.rules)
        assert rep.score is None


def test_back_arch_moves_no_landmark_which_is_why_hip_internal_rotation_has_no_back_arch_rule():
    clean, _ = motion("hip_internal_rotation", reps=2, side="both", seed=3)
    arched, _ = motion("hip_internal_rotation", reps=2, side="both", faults={"back_arch": 15.0}, seed=3)
    assert np.abs(world_landmarks(arched) - world_landmarks(clean)).max() < 1e-9
    assert "back_arch" not in {rule.id for rule in EXERCISES["hip_internal_rotation"].rules}


@pytest.mark.parametrize("facing", [1.0, -1.0])
@pytest.mark.parametrize("hip_y", [0.45, 0.55, 0.5])
def test_hips_off_line_is_positive_above_the_shoulder_ankle_line_whichever_way_the_body_faces(facing, hip_y):
    # A level plank on a square image (y down): shoulders, knees and ankles on the line y = 0.5.
    xy = np.full((1, 33, 2), np.nan)
    for name, x, y in (
        ("SHOULDER", 0.4, 0.5),
        ("HIP", 0.0, hip_y),
        ("KNEE", -0.2, 0.5),
        ("ANKLE", -0.4, 0.5),
    ):
        for side in ("LEFT", "RIGHT"):
            xy[0, Landmark[f"{side}_{name}"]] = (0.5 + facing * x, y)
    body = Body.from_arrays(xy, np.zeros((1, 33)), np.full((1, 33, 3), np.nan), np.ones((1, 33)), (100, 100))
    above, thigh = 0.5 - hip_y, np.hypot(0.2, hip_y - 0.5)
    assert hips_off_line(body, "left")[0] == pytest.approx(above / thigh, abs=1e-9)


SAMPLES = Path(__file__).parent.parent / "samples" / "studio"


def _sample(name: str, exercise: str):
    """The engine's report on a rendered studio sample through the real pose model, and its truth."""
    track, _ = track_from_video(SAMPLES / f"{name}.mp4")
    report, _ = analyze_track(track, *configured(exercise))
    return report, json.loads((SAMPLES / f"{name}.truth.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("name", ["clean", "hips_pike", "hips_sag"])
def test_mountain_climber_studio_samples_counted_per_leg_and_judged_as_rendered(name):
    report, truth = _sample(f"mountain_climber_{name}", "mountain_climber")
    assert [(rep.complete, rep.side) for rep in report.reps] == [(True, rep["side"]) for rep in truth["reps"]]
    for rep, true_rep in zip(report.reps, truth["reps"], strict=True):
        assert {r.id for r in rep.rules if r.status == "failed"} == set(true_rep["faults"])


@pytest.mark.slow
def test_hip_internal_rotation_studio_sample_a_rep_the_model_saw_only_halfway_is_not_counted():
    # MediaPipe finds nobody in the lying body at rest (the first ~1.5 s); it picks the person up
    # once the feet move apart and then tracks them. The first rep is therefore partial
    # ("began out of view") rather than judged from its middle; the second is counted.
    report, truth = _sample("hip_internal_rotation_clean", "hip_internal_rotation")
    assert len(truth["reps"]) == 2
    assert [(rep.complete, rep.reason) for rep in report.reps] == [(False, REASON_BEGAN_UNSEEN), (True, "")]
    statuses = {rule.id: rule.status for rule in report.reps[1].rules}
    # Filmed from 1.8 m up at the feet: too low to place the knees (see the test above).
    assert statuses == {"knees_apart": "not_judged", "rotation_range": "passed"}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["clean", "knees_apart"])
def test_hip_internal_rotation_filmed_from_high_up_counts_every_rep_and_judges_the_knees(name):
    report, truth = _sample(f"hip_internal_rotation_high_{name}", "hip_internal_rotation")
    assert [(rep.complete, rep.side) for rep in report.reps] == [(True, "both")] * len(truth["reps"])
    knees = [next(r for r in rep.rules if r.id == "knees_apart") for rep in report.reps]
    rotation = [next(r for r in rep.rules if r.id == "rotation_range") for rep in report.reps]
    assert all(r.status == "passed" for r in rotation)
    if name == "knees_apart":
        assert all(r.status == "failed" for r in knees)
    else:
        # At 640x480 MediaPipe's knees still part by ~0.2 shin lengths in clean reps (0.006 truly),
        # level with the threshold: judged, and well below the 0.8 of the faulty clip.
        assert all(r.status != "not_judged" and r.value < 0.3 for r in knees)
