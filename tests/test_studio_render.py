"""The studio's rendered body: the joint mapping on anny's bones, and a rendered clip seen by the
real MediaPipe model. Needs the studio extra (skips without it) and renders: all slow."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from formcheck.core.landmarks import MIRROR_ORDER
from formcheck.core.landmarks import Landmark as L
from formcheck.studio.description import ClipDescription
from formcheck.synth.body_pose import BodyPose
from tests.conftest import require_studio_extra

require_studio_extra()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def body():
    from formcheck.studio.body import AnnyBody

    return AnnyBody()


def _angle(u: np.ndarray, v: np.ndarray) -> float:
    return float(np.degrees(np.arccos(u @ v / np.linalg.norm(u) / np.linalg.norm(v))))


def _posed(body, **angles: float):
    pose = BodyPose.standing(np.zeros(1))
    for name, value in angles.items():
        pose.joint_angles[name][:] = value
    frames = next(body.pose_frames(pose, batch_size=1))
    return {name: frames.bone_heads[0, i] for i, name in enumerate(body.bone_labels)}, frames


def test_zero_angles_stand_upright_with_the_hips_on_the_root(body):
    heads, frames = _posed(body)
    thigh = heads["lowerleg01.L"] - heads["upperleg01.L"]
    arm = heads["lowerarm01.R"] - heads["upperarm01.R"]
    assert _angle(thigh, np.array([0.0, -1.0, 0.0])) < 1.0
    assert _angle(arm, np.array([0.0, -1.0, 0.0])) < 1.0
    np.testing.assert_allclose(
        (heads["upperleg01.L"] + heads["upperleg01.R"]) / 2, [0.0, 0.95, 0.0], atol=1e-6
    )
    # Scaled to the motions' skeleton: standing hip height 0.93 m above the soles.
    assert 0.95 - frames.vertices[0, :, 1].min() == pytest.approx(0.93, abs=0.01)


@pytest.mark.parametrize(
    ("joint", "parent", "child", "grandchild", "expected_direction"),
    [
        ("left_knee_flexion", "upperleg01.L", "lowerleg01.L", "foot.L", (0.0, 0.0, -1.0)),
        ("right_elbow_flexion", "upperarm01.R", "lowerarm01.R", "wrist.R", (0.0, 0.0, 1.0)),
    ],
)
def test_a_90_degree_bend_puts_the_segments_at_right_angles_the_right_way(
    body, joint, parent, child, grandchild, expected_direction
):
    heads, _ = _posed(body, **{joint: 90.0})
    upper, lower = heads[child] - heads[parent], heads[grandchild] - heads[child]
    assert _angle(upper, lower) == pytest.approx(90.0, abs=1.0)
    # Knees bend backwards, elbows forwards (the body faces +z).
    assert _angle(lower, np.array(expected_direction)) < 5.0


@pytest.mark.parametrize(
    ("angles", "bone", "end", "expected_direction"),
    [
        ({"right_hip_flexion": 90.0}, "upperleg01.R", "lowerleg01.R", (0.0, 0.0, 1.0)),
        ({"left_hip_abduction": 30.0}, "upperleg01.L", "lowerleg01.L", (0.5, -0.866, 0.0)),
        ({"left_shoulder_abduction": 90.0}, "upperarm01.L", "lowerarm01.L", (1.0, 0.0, 0.0)),
        ({"right_shoulder_flexion": 90.0}, "upperarm01.R", "lowerarm01.R", (0.0, 0.0, 1.0)),
        (
            {"left_hip_flexion": 90.0, "left_knee_flexion": 90.0, "left_hip_external_rotation": 30.0},
            "lowerleg01.L",
            "foot.L",
            (-0.5, -0.866, 0.0),
        ),
    ],
)
def test_joint_angles_turn_the_segments_as_body_pose_defines(body, angles, bone, end, expected_direction):
    heads, _ = _posed(body, **angles)
    assert _angle(heads[end] - heads[bone], np.array(expected_direction)) < 3.0


def test_spine_flexion_tips_the_upper_trunk_forward_by_its_angle(body):
    upright, _ = _posed(body)
    bent, _ = _posed(body, spine_flexion=45.0)
    # The bend is spread down the spine: its top segment carries all of it.
    before, after = upright["neck01"] - upright["spine01"], bent["neck01"] - bent["spine01"]
    assert _angle(before, after) == pytest.approx(45.0, abs=2.0)
    assert after[2] > before[2] + 0.05  # forwards, towards +z


def _detect(video):
    from formcheck.pose.detector import PoseDetector
    from formcheck.pose.model import load_model

    capture = cv2.VideoCapture(str(video))
    fps = capture.get(cv2.CAP_PROP_FPS)
    detected = []
    with PoseDetector(load_model()) as detector:
        index = 0
        while True:
            ok, image = capture.read()
            if not ok:
                break
            detected.append(detector.detect(image, index / fps, index))
            index += 1
    capture.release()
    return detected


@pytest.mark.parametrize(("exercise", "view"), [("hip_hinge", "side"), ("band_walk", "front")])
def test_mediapipe_finds_the_rendered_joints_where_the_ground_truth_says(tmp_path, exercise, view):
    from formcheck.io.track_files import load_npz
    from formcheck.studio.clip import render_clip

    description = ClipDescription(exercise=exercise, reps=1, view=view, fps=10.0)
    result = render_clip(description, tmp_path / "clip.mp4")
    truth = load_npz(result.truth_track)
    document = json.loads(result.truth_json.read_text())
    assert document["complete"] and document["frames"] == len(truth) == result.frames_total
    assert len(document["reps"]) == 1 and document["reps"][0]["faults"] == {}
    detected = _detect(result.video)
    assert len(detected) == len(truth)
    joints = [
        L[f"{side}_{name}"] for side in ("LEFT", "RIGHT") for name in ("SHOULDER", "HIP", "KNEE", "ANKLE")
    ]
    errors = []
    for frame, true_xy in zip(detected, truth.image_xy, strict=True):
        assert frame.has_person
        # Seen side-on MediaPipe may swap the legs: judge each frame in its better labelling.
        labellings = (frame.image_xy, frame.image_xy[list(MIRROR_ORDER)])
        # Image-height units, so a 640x480 picture's 0.02 is about 10 pixels.
        offsets = [(xy[joints] - true_xy[joints]) * np.array([640 / 480, 1.0]) for xy in labellings]
        errors.append(min((np.linalg.norm(offset, axis=1) for offset in offsets), key=np.mean))
    errors = np.array(errors)
    assert np.median(errors) < 0.03
    assert np.percentile(errors, 90) < 0.08


def test_a_camera_at_an_azimuth_films_the_side_it_names_and_the_truth_records_it(tmp_path):
    from formcheck.io.track_files import load_npz
    from formcheck.studio.clip import render_clip

    # -30 degrees: the person turned a little to their left, the right side towards the camera.
    description = ClipDescription(exercise="squat", side="both", reps=1, azimuth=-30.0, fps=10.0)
    result = render_clip(description, tmp_path / "clip.mp4")
    document = json.loads(result.truth_json.read_text())
    assert (document["azimuth_deg"], document["view"], document["description"]["azimuth"]) == (
        -30.0,
        "oblique",
        -30.0,
    )
    position, target = (np.array(document["camera"][key]) for key in ("position_m", "target_m"))
    floor = (position - target)[[0, 2]]
    assert np.degrees(np.arctan2(floor[0], floor[1])) == pytest.approx(-30.0, abs=0.01)
    truth = load_npz(result.truth_track)
    # The right hip is nearer the camera than the left (z: smaller is nearer) and the face is seen.
    assert (truth.z[:, L.RIGHT_HIP] < truth.z[:, L.LEFT_HIP]).all()
    assert (truth.z[:, L.NOSE] < truth.z[:, L.RIGHT_EAR]).all()
    # The model sees the rendered person where the truth puts them, in the truth's labelling.
    detected = _detect(result.video)
    joints = [L[f"{side}_{name}"] for side in ("LEFT", "RIGHT") for name in ("SHOULDER", "HIP", "KNEE")]
    offsets = [
        (frame.image_xy[joints] - xy[joints]) for frame, xy in zip(detected, truth.image_xy, strict=True)
    ]
    errors = np.linalg.norm(np.array(offsets) * np.array([640 / 480, 1.0]), axis=2)
    assert np.median(errors) < 0.03


def test_an_interrupted_render_keeps_a_playable_partial_clip_and_its_truth(tmp_path):
    from formcheck.studio.clip import render_clip

    def stop_after_five(done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    video = tmp_path / "partial.mp4"
    with pytest.raises(KeyboardInterrupt):
        render_clip(ClipDescription(exercise="squat", reps=1, fps=10.0), video, stop_after_five)
    capture = cv2.VideoCapture(str(video))
    frames = 0
    while capture.read()[0]:
        frames += 1
    assert frames == 5
    document = json.loads((tmp_path / "partial.truth.json").read_text())
    assert document["complete"] is False and document["frames"] == 5
