"""`formcheck label` end to end: the real program, model, bundled clip, window (Xvfb), keys and file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import cv2
import mss
import numpy as np
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.vocabulary import Status
from formcheck.exercises import configured
from formcheck.io.labels import check_labels, load_labels
from formcheck.labelling.view import label_layout
from formcheck.render.overlay import RED, YELLOW

REPO = Path(__file__).resolve().parents[2]
CLIP = REPO / "samples" / "studio" / "hip_hinge_knee_over_toes.mp4"
FORMCHECK = str(Path(sys.executable).with_name("formcheck"))
FPS = 15.0  # the clip's frame rate: a frame step is 1/15 s
SPEC, THRESHOLDS = configured("hip_hinge")


def _run(args: list[str], display: str | None) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if key != "DISPLAY"}
    if display:
        env["DISPLAY"] = display
    return subprocess.Popen(
        [FORMCHECK, "label", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_without_a_display_it_is_one_line_and_exit_1(tmp_path):
    process = _run([str(CLIP), "-e", "hip_hinge", "--out", str(tmp_path / "x.labels.json")], display=None)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.strip().splitlines() == [
        "formcheck: error: label needs a display for its window (DISPLAY not set or not "
        "reachable); run it in a desktop session"
    ]
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("clip", "says"),
    [
        ("missing.mp4", "missing.mp4: no such file; give the video to label"),
        ("track.npz", "label shows the video, so give the clip itself, not a pose track"),
    ],
)
def test_a_wrong_clip_is_one_line_naming_it(tmp_path, clip, says):
    process = _run([str(tmp_path / clip), "-e", "hip_hinge"], display=None)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert len(stderr.strip().splitlines()) == 1 and says in stderr, stderr


def _screenshot(display: str) -> np.ndarray:
    os.environ["DISPLAY"] = display
    try:
        with mss.MSS() as screen:
            return np.array(screen.grab(screen.monitors[0]))[:, :, :3].copy()
    finally:
        del os.environ["DISPLAY"]


def _near(image: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return (np.abs(image.astype(int) - np.array(colour)) <= tolerance).all(axis=-1)


@pytest.mark.slow
def test_label_a_clip_in_the_real_window(tmp_path, x_display, xdotool):
    out = tmp_path / "hinge.labels.json"
    process = _run([str(CLIP), "-e", "hip_hinge", "--out", str(out)], display=x_display)
    env = {"DISPLAY": x_display}
    # The window appears once the pose is extracted (the model runs on the 10 s clip).
    found = subprocess.run(
        ["timeout", "180", xdotool, "search", "--sync", "--onlyvisible", "--name", "formcheck label"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert found.returncode == 0, process.stderr.read() if process.poll() is not None else found.stderr
    time.sleep(1.0)

    def press(*keys: str) -> None:
        for key in keys:
            subprocess.run([xdotool, "mousemove", "300", "300", "key", key], env=env, check=True)
            time.sleep(0.15)

    # At the first frame: a rep the engine missed, frames 0-6; then rep 1 (the engine's first):
    # knee_over_toes, which it failed, is clean; then rep 2 (its second) is not a rep.
    knee_over_toes = str([rule.id for rule in SPEC.rules].index("knee_over_toes") + 1)
    press("a", *["period"] * 6, "a", "n", knee_over_toes, "n", "x", "q")
    time.sleep(0.8)
    assert process.poll() is None, "the first q with unsaved changes asks instead of quitting"
    shot = _screenshot(x_display)
    cv2.imwrite(str(tmp_path / "label_window.png"), shot)
    press("w", "q")
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert stderr.strip().splitlines()[-1] == f"formcheck: 2 reps labelled in {out}"

    # The engine's verdicts on the same clip (its pose now comes from the test's cache).
    from formcheck.pose.cache import cached_track

    track, hit = cached_track(CLIP)
    assert hit, "label stored the extraction in the pose cache"
    report, _ = analyze_track(track, SPEC, THRESHOLDS)
    assert len(report.reps) == 2, "the engine finds both reps of this clip"
    first, second = report.reps
    failed = [r.id for r in first.rules if r.status == Status.FAILED]
    passed = [r.id for r in first.rules if r.status == Status.PASSED]
    assert "knee_over_toes" in failed

    data = json.loads(out.read_text())
    assert (data["format"], data["version"], data["exercise"], data["fps"]) == (
        "formcheck-labels",
        1,
        "hip_hinge",
        FPS,
    )
    # The clip is named relative to the label file, so tuning finds it from there.
    assert (out.parent / data["clip"]).resolve() == CLIP.resolve()
    check_labels(
        load_labels(out),
        exercise="hip_hinge",
        rule_ids=tuple(r.id for r in SPEC.rules),
        duration_s=float(track.t[-1]),
    )
    added, rep1 = data["reps"]
    assert added == {
        "side": first.side,
        "start_s": 0.0,
        "end_s": round(6 / FPS, 3),
        "complete": True,
        "faults": [],
        "clean": [],
    }
    assert (rep1["start_s"], rep1["end_s"]) == (round(first.start_s, 3), round(first.end_s, 3))
    assert set(rep1["faults"]) == {rule for rule in failed if rule != "knee_over_toes"}
    assert set(rep1["clean"]) == {*passed, "knee_over_toes"}
    assert not any(rep["start_s"] == round(second.start_s, 3) for rep in data["reps"]), "rep 2 is dropped"

    # The screenshot while asking: the 640x480 clip shown 960x720, the panel beside it, the
    # timeline below with rep 2 crossed out in red, and the question in yellow in the panel.
    boxes = label_layout(960, len(first.rules))
    assert shot[: boxes.height, : boxes.width].mean() > 40 and shot[:, boxes.width + 10 :].max() == 0
    timeline = boxes.timeline

    def x_of(t: float) -> int:
        return round(timeline.x + timeline.w * t / float(track.t[-1]))

    rep2_strip = shot[timeline.y : timeline.y + timeline.h, x_of(second.start_s) : x_of(second.end_s)]
    assert _near(rep2_strip, RED).sum() > 200
    rep1_strip = shot[timeline.y : timeline.y + timeline.h, x_of(first.start_s) + 10 : x_of(first.end_s) - 10]
    assert _near(rep1_strip, RED).sum() == 0
    message = shot[boxes.panel.h - 70 : boxes.panel.h, boxes.panel.x : boxes.panel.x + boxes.panel.w]
    assert _near(message, YELLOW).sum() > 300
    assert _screenshot(x_display).max() == 0, "the window closes on quit"
