"""`PoseTrack` refuses what later stages would trip over, and slices into tracks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcheck.core.landmarks import NUM_LANDMARKS
from formcheck.core.track import PoseTrack
from formcheck.io.track_files import TrackFileError, load_csv, save_csv


def _track(n: int = 6) -> PoseTrack:
    rng = np.random.default_rng(1)
    return PoseTrack(
        t=np.arange(n) / 30.0,
        index=np.arange(n),
        image_xy=rng.random((n, NUM_LANDMARKS, 2)),
        z=rng.random((n, NUM_LANDMARKS)),
        visibility=rng.random((n, NUM_LANDMARKS)),
        presence=rng.random((n, NUM_LANDMARKS)),
        world=rng.random((n, NUM_LANDMARKS, 3)),
        image_size=(640, 480),
        fps=30.0,
        source="clip.mp4",
        labels=np.array(list("LLCCLC")),
    )


@pytest.mark.parametrize(
    ("t", "message"),
    [
        (np.array([0.0, 0.1, 0.1, 0.3, 0.4, 0.5]), "frame 2 has t=0.1"),
        (np.array([0.0, 0.2, 0.1, 0.3, 0.4, 0.5]), "frame 2 has t=0.1"),
        (np.array([0.0, 0.1, np.nan, 0.3, 0.4, 0.5]), "finite and increase"),
    ],
)
def test_times_must_increase(t, message):
    with pytest.raises(ValueError, match=message):
        replace(_track(), t=t)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("index", np.arange(6.0), "index must hold integers, got dtype float64"),
        ("t", np.arange(6), "t must hold floats"),
        ("visibility", np.ones((6, NUM_LANDMARKS), dtype=np.int64), "visibility must hold floats"),
    ],
)
def test_dtypes_are_checked(field, value, message):
    with pytest.raises(ValueError, match=message):
        replace(_track(), **{field: value})


def test_a_slice_is_a_track_of_those_frames():
    track = _track()
    part = track[2:5]
    assert isinstance(part, PoseTrack) and len(part) == 3
    np.testing.assert_array_equal(part.t, track.t[2:5])
    np.testing.assert_array_equal(part.world, track.world[2:5])
    assert list(part.labels) == ["C", "C", "L"]
    assert (part.fps, part.source, part.image_size) == (30.0, "clip.mp4", (640, 480))
    assert part.frame(0).index == 2


def test_one_frame_is_not_a_slice():
    with pytest.raises(TypeError, match=r"track\.frame\(i\)"):
        _track()[1]


def test_a_table_whose_times_go_back_is_a_file_error(tmp_path):
    track = _track()
    path = tmp_path / "poses.csv"
    save_csv(replace(track, labels=None), path)
    lines = path.read_text().splitlines()
    lines[3], lines[4] = lines[4], lines[3]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(TrackFileError, match=r"poses\.csv: t must be finite and increase"):
        load_csv(path)
