"""`formcheck extract` end to end, through the real command, the real model and real clips."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.cli import main
from formcheck.io.track_files import load_csv, load_npz
from tests.conftest import shared_file

FORMCHECK = Path(sys.executable).with_name("formcheck")
HALF_SQUAT = "clips/squat/kaiakol_half_squat_side.mp4"


def nobody_video(path: Path) -> Path:
    """A short video of noise: there is nobody in it."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, (320, 240))
    rng = np.random.default_rng(1)
    for _ in range(12):
        writer.write(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8))
    writer.release()
    return path


def test_extract_writes_a_track_with_a_person_in_nearly_every_frame(tmp_path, capfd):
    clip = shared_file(HALF_SQUAT)
    assert main(["extract", str(clip), "-o", str(tmp_path / "out"), "--csv"]) == 0
    track = load_npz(tmp_path / "out" / "kaiakol_half_squat_side.npz")
    assert len(track) == 29
    assert track.person_found.mean() >= 0.95
    assert (track.fps, track.source, track.model) == (30.0, str(clip), "pose_landmarker_full")
    assert track.image_size == (1280, 720)
    np.testing.assert_allclose(track.t, np.arange(29) / 30)
    table = load_csv(tmp_path / "out" / "kaiakol_half_squat_side.csv")
    np.testing.assert_allclose(table.image_xy, track.image_xy, atol=1e-6, equal_nan=True)
    out, err = capfd.readouterr()
    assert err == ""
    assert out.count("\n") == 1
    assert "29 frames, person in 100% of them" in out
    assert "frames/s" in out


def test_extract_reads_a_folder_of_images(tmp_path, capfd):
    capture = cv2.VideoCapture(str(shared_file(HALF_SQUAT)))
    (tmp_path / "squat_frames").mkdir()
    for index in range(6):
        ok, image = capture.read()
        assert ok
        cv2.imwrite(str(tmp_path / "squat_frames" / f"{index:03d}.jpg"), image)
    code = main(["extract", str(tmp_path / "squat_frames"), "-o", str(tmp_path), "--image-fps", "12"])
    assert code == 0
    track = load_npz(tmp_path / "squat_frames.npz")
    assert len(track) == 6 and track.person_found.all()
    np.testing.assert_allclose(track.t, np.arange(6) / 12)


def _corrupt(tmp: Path) -> list[str]:
    (tmp / "corrupt.mp4").write_bytes(np.random.default_rng(0).bytes(30_000))
    return [str(tmp / "corrupt.mp4")]


def _empty_folder(tmp: Path) -> list[str]:
    (tmp / "frames").mkdir()
    return [str(tmp / "frames")]


def _bad_model(tmp: Path) -> list[str]:
    (tmp / "model.task").write_text("not a model")
    return [str(nobody_video(tmp / "v.avi")), "--model", str(tmp / "model.task")]


def _same_names(tmp: Path) -> list[str]:
    for folder in ("a", "b"):
        (tmp / folder).mkdir()
        nobody_video(tmp / folder / "clip.avi")
    return [str(tmp / "a" / "clip.avi"), str(tmp / "b" / "clip.avi")]


BAD_INPUTS = {
    "missing file": (lambda tmp: [str(tmp / "absent.mp4")], "does not exist", 1),
    "unreadable video": (_corrupt, "cannot be read as a video", 1),
    "empty folder": (_empty_folder, "holds no images", 1),
    "nobody in the video": (lambda tmp: [str(nobody_video(tmp / "noise.avi"))], "nobody was found", 1),
    "invalid model file": (_bad_model, "is not a MediaPipe .task bundle", 1),
    "two inputs with one name": (_same_names, "would all be written to clip.npz", 1),
    "unknown option": (lambda tmp: [str(tmp), "--fast"], "No such option", 2),
}


@pytest.mark.parametrize(("make", "message", "exit_code"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_a_bad_input_is_one_line_and_a_non_zero_exit(tmp_path, capfd, make, message, exit_code):
    out_dir = tmp_path / "out"
    assert main(["extract", *make(tmp_path), "-o", str(out_dir)]) == exit_code
    out, err = capfd.readouterr()
    assert err.startswith("formcheck: error: ")
    assert err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in out + err
    assert not out_dir.exists() or not list(out_dir.glob("*.npz"))


def test_a_bad_input_does_not_stop_the_others(tmp_path, capfd):
    clip = shared_file(HALF_SQUAT)
    args = ["extract", str(tmp_path / "absent.mp4"), str(nobody_video(tmp_path / "noise.avi")), str(clip)]
    assert main([*args, "-o", str(tmp_path / "out")]) == 1
    out, err = capfd.readouterr()
    assert [name.name for name in (tmp_path / "out").iterdir()] == ["kaiakol_half_squat_side.npz"]
    assert err.count("formcheck: error: ") == 2
    assert "kaiakol_half_squat_side.mp4: 29 frames" in out


def test_the_console_script_reports_a_bad_input_without_a_traceback(tmp_path):
    result = subprocess.run(
        [str(FORMCHECK), "extract", str(tmp_path / "absent.mp4"), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"formcheck: error: {tmp_path / 'absent.mp4'} does not exist; check the path\n"


def test_ctrl_c_keeps_the_tracks_already_finished(tmp_path):
    short = shared_file(HALF_SQUAT)
    long = shared_file("clips/lunge/ambaks_lunge_alternating.mp4")
    out_dir = tmp_path / "out"
    finished = out_dir / "kaiakol_half_squat_side.npz"
    run = subprocess.Popen(
        [str(FORMCHECK), "extract", str(short), str(long), "-o", str(out_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not finished.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert finished.exists(), "the first track was never written"
        time.sleep(1.0)  # well into the second input
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=60)
    finally:
        run.kill()
    assert run.returncode == 130
    assert "kept the 1 finished track(s)" in err
    assert "Traceback" not in err
    assert len(load_npz(finished)) == 29
    assert sorted(path.name for path in out_dir.iterdir()) == ["kaiakol_half_squat_side.npz"]
