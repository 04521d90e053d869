from __future__ import annotations

import numpy as np
import pytest

from formcheck.core.landmarks import NUM_LANDMARKS, Landmark
from formcheck.core.track import PoseFrame, PoseTrack
from formcheck.io.track_files import TrackFileError, load_csv, load_npz, load_track, save_csv, save_npz
from tests.conftest import shared_file


def _random_track(n: int = 5, seed: int = 0) -> PoseTrack:
    rng = np.random.default_rng(seed)
    frames = [
        PoseFrame(
            t=i / 30,
            index=i,
            image_xy=rng.random((NUM_LANDMARKS, 2)),
            z=rng.random(NUM_LANDMARKS),
            visibility=rng.random(NUM_LANDMARKS),
            presence=rng.random(NUM_LANDMARKS),
            world=rng.random((NUM_LANDMARKS, 3)),
            image_size=(640, 480),
        )
        for i in range(n)
    ]
    frames.append(PoseFrame.empty(t=n / 30, index=n, image_size=(640, 480)))
    return PoseTrack.from_frames(frames, fps=30.0, source="test.mp4", model="full")


def test_npz_round_trip_keeps_every_array_and_the_missing_frame(tmp_path):
    track = _random_track()
    save_npz(track, tmp_path / "a.npz")
    loaded = load_npz(tmp_path / "a.npz")
    for name in ("t", "index", "image_xy", "z", "visibility", "presence", "world"):
        np.testing.assert_allclose(getattr(loaded, name), getattr(track, name), rtol=1e-6, equal_nan=True)
    assert (loaded.fps, loaded.source, loaded.model, loaded.image_size) == (
        30.0,
        "test.mp4",
        "full",
        (640, 480),
    )
    assert loaded.person_found.tolist() == [True] * 5 + [False]


def test_csv_round_trip_is_a_sequence_with_image_landmarks(tmp_path):
    track = _random_track()
    save_csv(track, tmp_path / "a.csv")
    loaded = load_track(tmp_path / "a.csv")
    assert loaded.is_sequence
    np.testing.assert_allclose(loaded.t, track.t)
    np.testing.assert_allclose(loaded.image_xy, track.image_xy, equal_nan=True)
    np.testing.assert_allclose(loaded.visibility, track.visibility, equal_nan=True)


def test_csv_without_time_is_a_set_of_independent_poses_with_labels(tmp_path):
    path = tmp_path / "poses.csv"
    path.write_text(
        "label,left_knee_x,left_knee_y,left_knee_z,left_knee_v\nC,0.5,0.6,0.1,0.9\nL,0.4,0.7,,0.8\n"
    )
    track = load_csv(path)
    assert not track.is_sequence
    assert track.labels.tolist() == ["C", "L"]
    assert track.image_xy[0, Landmark.LEFT_KNEE].tolist() == [0.5, 0.6]
    assert np.isnan(track.z[1, Landmark.LEFT_KNEE])
    assert np.isnan(track.image_xy[0, Landmark.NOSE]).all()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("label,knee_angle\nC,3\n", "unknown column(s) knee_angle"),
        ("nose_x,nose_y\n0.1,abc\n", "non-number"),
        ("label\nC\n", "no landmark columns"),
    ],
)
def test_malformed_csv_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(TrackFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_csv(path)


def test_not_a_track_file_is_a_clear_error(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(TrackFileError, match="not a formcheck pose track"):
        load_track(tmp_path / "junk.npz")
    with pytest.raises(TrackFileError, match=r"\.npz or \.csv"):
        load_track(tmp_path / "junk.txt")


def test_shared_lunge_table_loads_as_labelled_poses():
    track = load_csv(shared_file("datasets/lunge_knee_over_toe_train.csv"))
    assert not track.is_sequence
    assert set(track.labels.tolist()) == {"C", "L"}
    assert len(track) == 2801
    assert np.isfinite(track.image_xy[:, Landmark.LEFT_KNEE]).all()
    assert np.isnan(track.image_xy[:, Landmark.LEFT_EYE]).all()
