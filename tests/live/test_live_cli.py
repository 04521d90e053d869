"""`formcheck live` end to end: the real program, model, clip, window (Xvfb), keys and signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import mss
import numpy as np
import pytest

from formcheck.core.track import PoseTrack
from formcheck.live.session_log import read_session_log
from formcheck.pose.detector import PoseDetector
from formcheck.pose.model import load_model
from formcheck.render.overlay import (
    AMBER,
    GREEN,
    SIDEBAR_WIDTH,
    STATUS_COLOURS,
    WHITE,
    YELLOW,
    Box,
    landmark_pixels,
    layout,
    light_centres,
    lights_box,
)
from tests.conftest import REPO, shared_file

FORMCHECK = str(Path(sys.executable).with_name("formcheck"))
# One deadlift (a hip hinge seen from the side), 109 frames at 30 fps, 600x600: the engine
# finds one complete rep with passed and failed rules in it.
HINGE_CLIP = "clips/hinge/posereader_deadlift_nico_unblocked.mp4"
LONG_CLIP = "clips/lunge/ambaks_lunge_alternating.mp4"


def _start(args: list[str], *, display: str | None = None) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if key != "DISPLAY"}
    if display:
        env["DISPLAY"] = display
    return subprocess.Popen(
        [FORMCHECK, "live", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _log_records(log_dir: Path) -> list[dict]:
    logs = list(log_dir.glob("*.jsonl"))
    return read_session_log(logs[0]) if logs else []


def _wait_for(predicate, process: subprocess.Popen, timeout: float = 120.0) -> None:
    """Poll until `predicate()` holds; fail if the program exits or the time runs out first."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if process.poll() is not None:
            pytest.fail(f"formcheck live exited early ({process.returncode}): {process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("formcheck live did not get there in time")
        time.sleep(0.1)


def _screenshot(display: str) -> np.ndarray:
    """(H, W, 3) BGR of the whole X screen."""
    os.environ["DISPLAY"] = display
    try:
        with mss.MSS() as screen:
            return np.array(screen.grab(screen.monitors[0]))[:, :, :3].copy()
    finally:
        del os.environ["DISPLAY"]


def _wait_for_screen(display: str, predicate, process: subprocess.Popen) -> np.ndarray:
    """Grab the screen until `predicate(shot)` holds and return that shot; one X connection
    throughout (opening one per grab, ten a second, sometimes fails on a loaded machine)."""
    os.environ["DISPLAY"] = display
    try:
        with mss.MSS() as screen:
            shots = [np.zeros((1, 1, 3), np.uint8)]

            def grab_and_check() -> bool:
                shots[0] = np.array(screen.grab(screen.monitors[0]))[:, :, :3].copy()
                return bool(predicate(shots[0]))

            _wait_for(grab_and_check, process)
            return shots[0]
    finally:
        del os.environ["DISPLAY"]


def _near(image: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return (np.abs(image.astype(int) - np.array(colour)) <= tolerance).all(axis=-1)


def _count(image: np.ndarray, box: Box, colour: tuple[int, int, int]) -> int:
    return int(_near(image[box.slices], colour).sum())


def _offline_poses(path: Path) -> PoseTrack:
    """The clip's pose track, every frame in order on the video clock, as `analyze` runs it."""
    capture = cv2.VideoCapture(str(path))
    fps = capture.get(cv2.CAP_PROP_FPS)
    frames = []
    with PoseDetector(load_model()) as detector:
        while True:
            ok, image = capture.read()
            if not ok:
                break
            frames.append(detector.detect(image, len(frames) / fps, len(frames)))
    return PoseTrack.from_frames(frames, fps=fps, source=str(path), model="pose_landmarker_full")


def test_no_camera_is_one_line_naming_the_index_and_the_alternatives(tmp_path):
    process = _start(["--exercise", "hip_hinge", "--camera", "7", "--log", str(tmp_path)])
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "index 7" in lines[0] and "--camera N" in lines[0] and "--source FILE" in lines[0]
    assert not list(tmp_path.iterdir()), "no session is started without a camera"


@pytest.mark.slow
def test_fallback_source_plays_when_there_is_no_camera(tmp_path):
    clip = shared_file(HINGE_CLIP)
    process = _start(
        [
            "-e",
            "hip_hinge",
            "--camera",
            "7",
            "--fallback-source",
            str(clip),
            "--no-window",
            "--no-drop",
            "--log",
            str(tmp_path),
        ]
    )
    _, stderr = process.communicate(timeout=180)
    assert process.returncode == 0, stderr
    assert "no camera found at index 7" in stderr and f"playing {clip} instead" in stderr
    report = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert report["source"] == str(clip) and report["summary"]["reps_total"] == 1


@pytest.mark.slow
def test_live_log_matches_analyze_on_the_same_clip(tmp_path):
    """--no-drop processes every frame on the video clock, so live must equal extract + analyze."""
    clip = shared_file(HINGE_CLIP)
    live_dir, offline_dir = tmp_path / "live", tmp_path / "offline"
    process = _start(
        ["-e", "hip_hinge", "--source", str(clip), "--no-drop", "--no-window", "--log", str(live_dir)]
    )
    _, stderr = process.communicate(timeout=180)
    assert process.returncode == 0, stderr
    records = _log_records(live_dir)
    logged = [{k: v for k, v in r.items() if k != "type"} for r in records if r["type"] == "rep"]
    report = json.loads(next(live_dir.glob("*.json")).read_text())

    subprocess.run([FORMCHECK, "extract", str(clip), "-o", str(offline_dir)], check=True, capture_output=True)
    track = offline_dir / f"{clip.stem}.npz"
    subprocess.run(
        [FORMCHECK, "analyze", str(track), "-e", "hip_hinge", "--out", str(offline_dir)],
        check=True,
        capture_output=True,
    )
    expected = json.loads((offline_dir / f"{clip.stem}.json").read_text())

    assert len(expected["reps"]) >= 1
    assert logged == expected["reps"]
    assert report["reps"] == expected["reps"]
    assert report["summary"] == expected["summary"]
    frame_count = int(cv2.VideoCapture(str(clip)).get(cv2.CAP_PROP_FRAME_COUNT))
    assert report["frames"] == expected["frames"] == frame_count, "--no-drop drops nothing"


@pytest.mark.slow
def test_window_shows_the_overlay_of_the_last_rep(tmp_path, x_display, xdotool):
    clip = shared_file(HINGE_CLIP)
    process = _start(
        [
            "-e",
            "hip_hinge",
            "--source",
            str(clip),
            "--no-drop",
            "--start-screen",
            "0",
            "--linger",
            "60",
            "--log",
            str(tmp_path),
        ],
        display=x_display,
    )
    _wait_for(lambda: any(r.get("event") == "end" for r in _log_records(tmp_path)), process)
    time.sleep(0.5)  # the "Finished" frame is drawn right after the end event
    shot = _screenshot(x_display)
    cv2.imwrite(str(tmp_path / "live_window.png"), shot)
    subprocess.run([xdotool, "mousemove", "300", "300", "key", "q"], env={"DISPLAY": x_display}, check=True)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    report = json.loads(next(tmp_path.glob("*.json")).read_text())
    rep = report["reps"][-1]

    # The 600x600 clip is shown 720x720 at the top-left corner of the screen, the side bar
    # beside it, nothing beyond.
    width = 720 + SIDEBAR_WIDTH
    canvas, outside = shot[:720, :width], shot[:, width + 10 :]
    assert canvas[:, :720].mean() > 40 and outside.max() == 0
    boxes = layout(width, 720, image_width=720)

    # One light per rule of the last rep, in the colour of its verdict (amber where the verdict is
    # borderline: within the metric's measured error), in the side bar.
    rules = rep["rules"]
    statuses = {rule["status"] for rule in rules}
    assert {"passed", "failed"} <= statuses, "this clip's rep has both passed and failed rules"
    panel = lights_box(boxes.lights, len(rules))
    for rule, (x, y) in zip(rules, light_centres(panel, len(rules)), strict=True):
        patch = canvas[y - 4 : y + 5, x - 4 : x + 5]
        colour = AMBER if rule["borderline"] else STATUS_COLOURS[rule["status"]]
        assert _near(patch, colour, 25).all(), (rule, patch.mean(axis=(0, 1)))

    # The gauge: its start (white) and end (green) threshold lines across the bar.
    assert _count(canvas, boxes.gauge, GREEN) > 60
    assert _count(canvas, boxes.gauge, WHITE) > 60
    # The rep counter, the status figures and the key help are text on dark panels.
    assert _count(canvas, boxes.counter, WHITE) > 400
    assert _count(canvas, boxes.status, WHITE) > 150
    assert _count(canvas, boxes.keys, WHITE) > 400
    # The "Finished" banner in yellow in the key strip, off the person.
    assert _count(canvas, boxes.keys, YELLOW) > 600

    # The skeleton lies on the person: white or yellow pixels at the last frame's landmarks
    # (found again here by the model), wherever no panel covers them.
    last = list(_offline_poses(clip))[-1]
    points = landmark_pixels(last, 720, 720, mirror=False, min_visibility=0.5)
    panels = [boxes.message, boxes.keys]
    checked = 0
    for x, y in points[np.isfinite(points).all(axis=1)]:
        if any(b.x - 12 <= x < b.x + b.w + 12 and b.y - 12 <= y < b.y + b.h + 12 for b in panels):
            continue
        if not (12 <= x < 708 and 12 <= y < 708):
            continue
        patch = canvas[int(y) - 6 : int(y) + 7, int(x) - 6 : int(x) + 7]
        assert (_near(patch, WHITE, 30) | _near(patch, YELLOW, 30)).any(), (x, y)
        checked += 1
    assert checked >= 6


@pytest.mark.slow
def test_keys_in_the_real_window_control_the_session(tmp_path, x_display, xdotool):
    # A 32 s clip played in real time, so that it is still playing when the keys arrive;
    # the start screen waits for a key.
    clip = shared_file(LONG_CLIP)
    process = _start(
        [
            "-e",
            "hip_hinge",
            "--source",
            str(clip),
            "--start-screen",
            "60",
            "--linger",
            "60",
            "--log",
            str(tmp_path),
        ],
        display=x_display,
    )
    # The safety note panel in the middle of the 1280x720 canvas, with its yellow "Press any key"
    # line (waited for: on a loaded machine the first frame may take a few seconds to show).
    _wait_for_screen(
        x_display, lambda shot: _near(shot[360 - 190 : 360 + 190, 160:1120], YELLOW).sum() > 500, process
    )

    def press(*keys: str) -> None:
        for key in keys:
            subprocess.run(
                [xdotool, "mousemove", "300", "300", "key", key], env={"DISPLAY": x_display}, check=True
            )
            time.sleep(0.25)

    press("x", "n", "s", "space", "space", "r", "Escape")
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    events = [
        (r["event"], r.get("side"), r.get("reason")) for r in _log_records(tmp_path) if r["type"] == "event"
    ]
    assert events == [
        ("next_set", None, None),
        ("side", "left", None),
        ("pause", None, None),
        ("resume", None, None),
        ("reset", None, None),
        ("end", None, "quit_key"),
    ]
    assert _screenshot(x_display).max() == 0, "the window closes on quit"


def _run_until_first_rep(tmp_path: Path) -> subprocess.Popen:
    # The bundled hinge: its first rep ends at ~4.5 s of 10, so in real time the process is
    # still playing when that rep's line appears (the deadlift clip's one rep, its pull from the
    # floor, ends with the clip).
    clip = REPO / "samples" / "studio" / "hip_hinge_clean.mp4"
    process = _start(["-e", "hip_hinge", "--source", str(clip), "--no-window", "--log", str(tmp_path)])
    _wait_for(lambda: any(r["type"] == "rep" for r in _log_records(tmp_path)), process)
    return process


@pytest.mark.slow
def test_the_log_survives_kill_9(tmp_path):
    process = _run_until_first_rep(tmp_path)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    records = _log_records(tmp_path)
    assert records[0]["type"] == "header" and records[0]["exercise"] == "hip_hinge"
    reps = [r for r in records if r["type"] == "rep"]
    # Whether that first rep is complete depends on the frames a loaded machine drops in real
    # time; what matters here is that the line written before the kill is whole.
    assert reps and reps[0]["index"] == 1 and reps[0]["rules"]
    assert not list(tmp_path.glob("*.json")), "no report: the process had no chance to write one"


@pytest.mark.slow
def test_sigterm_stops_cleanly_with_the_report(tmp_path):
    process = _run_until_first_rep(tmp_path)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143, stderr
    records = _log_records(tmp_path)
    assert records[-1]["event"] == "end" and records[-1]["reason"] == "signal"
    report = json.loads(next(tmp_path.glob("*.json")).read_text())
    logged = [{k: v for k, v in r.items() if k != "type"} for r in records if r["type"] == "rep"]
    assert report["reps"] == logged and report["summary"]["reps_total"] >= 1


@pytest.mark.slow
def test_by_default_the_log_goes_to_the_user_data_folder_and_its_place_is_printed(tmp_path):
    # Run from a checkout-like folder: nothing may be left in it (it used to get formcheck-sessions/).
    work = tmp_path / "checkout"
    work.mkdir()
    clip = REPO / "samples" / "studio" / "hip_hinge_clean.mp4"
    env = {key: value for key, value in os.environ.items() if key != "DISPLAY"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    done = subprocess.run(
        [FORMCHECK, "live", "-e", "hip_hinge", "--source", str(clip), "--no-window", "--no-drop"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert list(work.iterdir()) == []
    sessions = tmp_path / "data" / "formcheck" / "sessions"
    logs, reports = list(sessions.glob("*.jsonl")), list(sessions.glob("*.json"))
    assert len(logs) == 1 and len(reports) == 1
    assert f"session log {logs[0]}; report {reports[0]}" in done.stderr
