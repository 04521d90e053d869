"""PoseDetector on real frames with the real bundled model."""

from __future__ import annotations

import json
import zipfile

import cv2
import numpy as np
import pytest

from formcheck.core.landmarks import NUM_LANDMARKS, Landmark
from formcheck.errors import FormcheckError
from formcheck.io.sources import VideoSource
from formcheck.pose.detector import PoseDetector
from formcheck.pose.model import load_model
from tests.conftest import REPO, shared_file

REFERENCE = json.loads((REPO / "tests" / "data" / "reference_landmarks.json").read_text())


def read_frame(path, index):
    capture = cv2.VideoCapture(str(path))
    capture.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, image = capture.read()
    capture.release()
    assert ok, f"cannot read frame {index} of {path}"
    return image


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_the_bundled_model_gives_the_landmarks_of_legacy_mediapipe(model):
    # The reference came from mp.solutions.pose (mediapipe 0.10.21, full model, still image):
    # see models/make_reference_landmarks.py.  A fresh detector's first frame is a still image.
    image = read_frame(shared_file(REFERENCE["clip"]), REFERENCE["frame_index"])
    with PoseDetector(model) as detector:
        frame = detector.detect(image, t=0.0, index=REFERENCE["frame_index"])
    expected = np.array(REFERENCE["landmarks"])
    got = np.column_stack([frame.image_xy, frame.z, frame.visibility])
    assert got.shape == expected.shape == (NUM_LANDMARKS, 4)
    np.testing.assert_allclose(got, expected, atol=0.01)


def test_a_frame_with_a_person_has_every_field(model):
    image = read_frame(shared_file(REFERENCE["clip"]), REFERENCE["frame_index"])
    with PoseDetector(model) as detector:
        frame = detector.detect(image, t=0.25, index=7)
    assert (frame.t, frame.index, frame.image_size) == (0.25, 7, (1280, 720))
    for values in (frame.image_xy, frame.z, frame.visibility, frame.presence, frame.world):
        assert np.isfinite(values).all()
    assert ((frame.visibility >= 0) & (frame.visibility <= 1)).all()
    # World landmarks are metres around the hips: a standing adult's nose is 0.4 to 0.9 m above them.
    hips = frame.world[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP]].mean(axis=0)
    assert np.linalg.norm(hips) < 0.1
    assert 0.4 < hips[1] - frame.world[Landmark.NOSE, 1] < 0.9


def test_an_image_without_anyone_gives_an_empty_frame(model):
    with PoseDetector(model) as detector:
        frame = detector.detect(np.full((240, 320, 3), 90, np.uint8), t=0.0, index=0)
    assert not frame.has_person
    assert frame.image_size == (320, 240)
    assert np.isnan(frame.world).all()


def torso_centres(model, clip: str, *, num_poses: int = 1, frames: int | None = None) -> np.ndarray:
    """(n, 3) frame index and torso centre (x, y) of the followed person in the first ``frames``
    frames of the shared ``clip`` (all by default); NaN centres where nobody was followed."""
    rows = []
    with PoseDetector(model, num_poses=num_poses) as detector, VideoSource(shared_file(clip)) as source:
        for frame in source:
            if frame.index == frames:
                break
            pose = detector.detect(frame.image, frame.t, frame.index)
            rows.append((frame.index, *pose.image_xy[[11, 12, 23, 24]].mean(axis=0)))
    return np.array(rows)


def test_repeated_timestamps_are_accepted(model):
    image = np.zeros((120, 160, 3), np.uint8)
    with PoseDetector(model) as detector:
        for index in range(3):
            assert not detector.detect(image, t=1.0, index=index).has_person


def test_the_most_prominent_person_is_followed_when_two_are_filmed(model):
    # Two people in a lab: one nearer the camera (lower right), one further (upper middle).
    # MediaPipe lists them in either order from frame to frame; the track must stay on the near one.
    rows = torso_centres(model, "clips/multi_person/pose2sim_two_people_cam01.mp4", num_poses=3, frames=30)
    centres = rows[np.isfinite(rows[:, 1]), 1:]
    assert len(centres) >= 25
    assert (centres[:, 0] > 0.6).all() and (centres[:, 1] > 0.5).all()


@pytest.mark.slow
def test_a_bystander_walking_past_while_the_person_is_hidden_does_not_become_the_person(model):
    # A man does jumping jacks on a box (torso at about x 0.36-0.5, y 0.2), drops behind it at
    # about frame 166 and runs off to the right from about 205; meanwhile a woman walks across
    # the grass to the left (y 0.65, x 0.2 down to 0). MediaPipe sees one of them at a time; the
    # track must keep to the man through the whole clip and hold nobody while only she is seen.
    rows = torso_centres(model, "clips/multi_person/sports2d_two_people_backlit.mp4")
    centres = rows[np.isfinite(rows[:, 1])]
    index, x, y = centres.T
    on_the_box, running_off = y < 0.35, (index > 200) & (x > 0.6)
    assert (on_the_box | running_off).all(), centres[~(on_the_box | running_off)]
    assert on_the_box.sum() > 150 and running_off.sum() > 15


def test_the_model_logs_nothing_on_the_terminal(model, capfd):
    image = read_frame(shared_file(REFERENCE["clip"]), REFERENCE["frame_index"])
    with PoseDetector(model) as detector:
        detector.detect(np.zeros((120, 160, 3), np.uint8), t=0.0, index=0)
        for index in range(1, 4):
            detector.detect(image, t=index / 30, index=index)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_a_bundle_with_broken_networks_is_a_formcheck_error(tmp_path):
    broken = tmp_path / "broken.task"
    with zipfile.ZipFile(broken, "w") as bundle:
        bundle.writestr("pose_detector.tflite", b"junk")
        bundle.writestr("pose_landmarks_detector.tflite", b"junk")
    with pytest.raises(FormcheckError, match="could not be loaded as a pose model"):
        PoseDetector(load_model(broken))


def test_a_wrong_image_type_is_a_programming_error(model):
    with PoseDetector(model) as detector, pytest.raises(ValueError, match="uint8 BGR"):
        detector.detect(np.zeros((10, 10), np.float32), t=0.0, index=0)


def test_the_default_detector_stays_on_the_one_person_filmed(model):
    # A rendered figure swinging a kettlebell: asking MediaPipe for 2 people made the track
    # hop between the body and a false second detection (frames 21-25); the default must not.
    centres = torso_centres(model, "clips/synthetic/render_kettleSwing.mp4", frames=32)[:, 1:]
    steps = np.linalg.norm(np.diff(centres, axis=0), axis=1)
    assert np.isfinite(steps).all()
    assert steps.max() < 0.1


def test_mediapipe_comes_without_pyplot_and_pyplot_still_works_after_it():
    """formcheck.pose.mediapipe_tasks keeps MediaPipe from importing matplotlib.pyplot and
    sounddevice at start-up (0.75 s of every command), without breaking either for whoever uses them."""
    import subprocess
    import sys

    script = """
import sys
import formcheck.pose.detector
print(sorted(m for m in ("matplotlib", "matplotlib.pyplot", "sounddevice") if m in sys.modules))
from mediapipe.tasks.python.vision import drawing_utils
print(drawing_utils.plt.figure.__module__)
import matplotlib.pyplot as plt
print(type(plt).__name__, plt.figure.__module__, sys.modules["matplotlib"].pyplot is plt)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "matplotlib.pyplot", "module matplotlib.pyplot True"]
