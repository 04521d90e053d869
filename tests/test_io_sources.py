"""Frame sources on real clips and on files made here: good ones, damaged ones, missing ones."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from formcheck.errors import FormcheckError
from formcheck.io.sources import ImageFolderSource, VideoSource, open_file_source
from tests.conftest import shared_file


def write_video(path, frames, *, fourcc="MJPG", fps=25.0, size=(160, 120)):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
    assert writer.isOpened()
    for value in range(frames):
        writer.write(np.full((size[1], size[0], 3), value * 4 % 256, np.uint8))
    writer.release()
    return path


@pytest.mark.parametrize(
    ("relative", "fps", "count", "size"),
    [
        ("clips/squat/kaiakol_half_squat_side.mp4", 30.0, 29, (720, 1280, 3)),
        ("clips/clamshell/side_lying_clamshell.gif", 10 / 3, 14, (540, 540, 3)),
    ],
    ids=["mp4", "gif"],
)
def test_a_video_yields_every_frame_at_index_over_fps(relative, fps, count, size):
    path = shared_file(relative)
    with open_file_source(path) as source:
        frames = list(source)
    assert isinstance(source, VideoSource)
    assert (source.name, source.fps, source.frame_count) == (str(path), pytest.approx(fps), count)
    assert [f.index for f in frames] == list(range(count))
    assert [f.t for f in frames] == pytest.approx([i / fps for i in range(count)])
    assert all(f.image.shape == size and f.image.dtype == np.uint8 for f in frames)


def test_video_frames_are_bgr_and_match_a_plain_opencv_read():
    path = shared_file("clips/squat/kaiakol_half_squat_side.mp4")
    capture = cv2.VideoCapture(str(path))
    expected = [capture.read()[1] for _ in range(29)]
    with VideoSource(path) as source:
        for frame, reference in zip(source, expected, strict=True):
            np.testing.assert_array_equal(frame.image, reference)


def test_an_image_folder_is_read_in_natural_order_at_the_assumed_fps(tmp_path):
    for number in (10, 2, 1):
        cv2.imwrite(str(tmp_path / f"frame{number}.png"), np.full((48, 64, 3), number, np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    with open_file_source(tmp_path, image_fps=4.0) as source:
        frames = list(source)
    assert isinstance(source, ImageFolderSource)
    assert source.frame_count == 3
    assert [int(f.image[0, 0, 0]) for f in frames] == [1, 2, 10]
    assert [f.t for f in frames] == [0.0, 0.25, 0.5]


def test_an_unreadable_image_in_a_folder_names_the_file(tmp_path):
    cv2.imwrite(str(tmp_path / "a.png"), np.zeros((8, 8, 3), np.uint8))
    (tmp_path / "b.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(FormcheckError, match=r"b\.jpg cannot be read as an image"):
        list(ImageFolderSource(tmp_path))


def test_a_damaged_video_yields_the_frames_before_the_damage(tmp_path):
    whole = write_video(tmp_path / "whole.avi", 60).read_bytes()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(whole[: len(whole) // 2])
    with VideoSource(cut) as source:
        frames = list(source)
    assert source.frame_count == 60
    assert 10 < len(frames) < 60


def _empty_file(tmp_path):
    (tmp_path / "empty.mp4").write_bytes(b"")
    return tmp_path / "empty.mp4"


def _noise_file(tmp_path):
    (tmp_path / "noise.mp4").write_bytes(np.random.default_rng(0).bytes(50_000))
    return tmp_path / "noise.mp4"


def _truncated_mp4(tmp_path):
    # mp4v files keep their index (moov) at the end: cut it off and nothing can be decoded.
    whole = write_video(tmp_path / "whole.mp4", 30, fourcc="mp4v").read_bytes()
    (tmp_path / "cut.mp4").write_bytes(whole[: len(whole) // 2])
    return tmp_path / "cut.mp4"


def _zero_frame_video(tmp_path):
    return write_video(tmp_path / "zero.avi", 0)


def _empty_folder(tmp_path):
    (tmp_path / "frames").mkdir()
    (tmp_path / "frames" / "readme.txt").write_text("no images here")
    return tmp_path / "frames"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "absent.mp4", "does not exist; check the path"),
        (_empty_file, "cannot be read as a video"),
        (_noise_file, "cannot be read as a video"),
        (_truncated_mp4, "cannot be read as a video"),
        (_zero_frame_video, "holds no frame that can be decoded"),
        (_empty_folder, "holds no images"),
    ],
    ids=["missing", "empty file", "corrupt", "truncated mp4", "0 frames", "folder without images"],
)
def test_a_bad_file_fails_on_opening_with_a_one_line_message(tmp_path, make, message):
    with pytest.raises(FormcheckError, match=message) as raised:
        open_file_source(make(tmp_path))
    assert "\n" not in str(raised.value)
    assert ";" in str(raised.value), "the message should say what to do after what is wrong"


def test_opening_a_bad_file_prints_nothing(tmp_path, capfd):
    with pytest.raises(FormcheckError):
        open_file_source(_truncated_mp4(tmp_path))
    assert capfd.readouterr().err == ""


def test_breaking_off_early_stops_the_decoding_thread():
    path = shared_file("clips/squat/kaiakol_half_squat_side.mp4")
    with VideoSource(path) as source:
        frames = iter(source)
        next(frames)
        frames.close()
    assert not any(thread.name.startswith("decode ") for thread in threading.enumerate())


def test_closing_the_source_mid_iteration_stops_the_decoding_thread():
    # As when an error or Ctrl-C leaves the loop: the iterator itself is never closed.
    path = shared_file("clips/squat/kaiakol_half_squat_side.mp4")
    source = VideoSource(path)
    frames = iter(source)
    next(frames)
    source.close()
    assert not any(thread.name.startswith("decode ") for thread in threading.enumerate())
