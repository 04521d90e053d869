"""The overlay as a newcomer sees it in the real window (Xvfb): the bundled samples and a portrait video.

What is checked on the screenshots: the rule panel clear of the judged joints (and those joints
drawn, uncovered), every value with its unit, the score with how many rules it rests on, and
the start card holding a video until it closes, shown over the video's first frame.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.analysis.results import Rep, RuleResult
from formcheck.analysis.session import ExerciseSession
from formcheck.exercises import configured
from formcheck.render.live_state import live_state
from formcheck.render.overlay import (
    AMBER,
    CANVAS_HEIGHT,
    FONT,
    STATUS_COLOURS,
    YELLOW,
    canvas_width,
    joints_box,
    landmark_pixels,
    layout,
    light_centres,
    lights_box,
    lights_text,
)
from tests.live.test_live_cli import (
    _log_records,
    _near,
    _offline_poses,
    _screenshot,
    _start,
    _wait_for,
    _wait_for_screen,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "studio"
SAMPLE = SAMPLES / "hip_hinge_knee_over_toes.mp4"


def _rep(data: dict, exercise: str) -> Rep:
    """A report's rep back as the typed `Rep` the overlay draws."""
    rules = tuple(
        RuleResult(
            r["id"],
            r["status"],
            np.nan if r["value"] is None else r["value"],
            r["threshold"],
            r["unit"],
            r["cue"],
            r["reason"] or "",
            r["limit"],
            error=r["error"],
        )
        for r in data["rules"]
    )
    return Rep(
        exercise, data["index"], data["side"], data["complete"], data["reason"] or "", data["start_s"],
        data["peak_s"], data["end_s"], data["set"], data["view"], data["metrics"], rules, data["score"],
    )  # fmt: skip


def _text_agreement(
    canvas: np.ndarray, text: str, origin: tuple[int, int], scale: float, thickness: int
) -> float:
    """Share of `text`'s stroke pixels, drawn as the overlay draws it, that are light on `canvas`.

    Near 1 where that very string is shown there; well below where another string (other
    digits, no unit) is."""
    mask = np.zeros(canvas.shape[:2], np.uint8)
    cv2.putText(mask, text, origin, FONT, scale, 255, thickness, cv2.LINE_AA)
    strokes = mask > 200
    light = canvas.astype(int).mean(axis=-1) > 150
    return float((strokes & light).sum() / max(strokes.sum(), 1))


def _play_to_the_end(clip: Path, log_dir: Path, display: str, xdotool: str) -> tuple[np.ndarray, dict]:
    process = _start(
        ["-e", "hip_hinge", "--source", str(clip), "--no-drop", "--start-screen", "0", "--linger", "60",
         "--log", str(log_dir)],
        display=display,
    )  # fmt: skip
    _wait_for(lambda: any(r.get("event") == "end" for r in _log_records(log_dir)), process)
    time.sleep(0.5)  # the "Finished" frame is drawn right after the end event
    shot = _screenshot(display)
    subprocess.run([xdotool, "mousemove", "300", "300", "key", "q"], env={"DISPLAY": display}, check=True)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    return shot, json.loads(next(log_dir.glob("*.json")).read_text())


def _portrait(tmp_path: Path) -> Path:
    """The sample cut to a 270x480 portrait video around the person (as a phone films it)."""
    capture = cv2.VideoCapture(str(SAMPLE))
    fps = capture.get(cv2.CAP_PROP_FPS)
    path = tmp_path / "portrait.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (270, 480))
    while True:
        ok, image = capture.read()
        if not ok:
            break
        writer.write(np.ascontiguousarray(image[:, 230:500]))
    writer.release()
    return path


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_the_rule_panel_is_clear_of_the_judged_joints_and_says_values_with_units(
    shape, tmp_path, x_display, xdotool
):
    clip = SAMPLE if shape == "landscape" else _portrait(tmp_path)
    shot, report = _play_to_the_end(clip, tmp_path / "log", x_display, xdotool)
    cv2.imwrite(str(tmp_path / f"overlay_{shape}.png"), shot)
    height, width = cv2.VideoCapture(str(clip)).read()[1].shape[:2]
    image_width = round(width * CANVAS_HEIGHT / height)
    canvas = shot[:CANVAS_HEIGHT, : canvas_width(image_width)]
    rep = _rep(report["reps"][-1], "hip_hinge")
    assert {rule.status for rule in rep.rules} >= {"passed", "failed"}

    # The judged joints of the last frame, found again by the model, and where the panel went.
    poses = _offline_poses(clip)
    session = ExerciseSession(*configured("hip_hinge"))
    state = live_state(session, [session.update(pose) for pose in poses][-1])
    points = landmark_pixels(poses.frame(len(poses) - 1), image_width, CANVAS_HEIGHT, mirror=False,
                             min_visibility=state.min_visibility)  # fmt: skip
    joints = joints_box(points, state.frame.key_landmarks)
    boxes = layout(canvas.shape[1], image_width=image_width)
    panel = lights_box(boxes.lights, len(rep.rules))
    assert joints is not None and panel.overlap(joints) == 0, (panel, joints)
    assert boxes.sidebar is not None and panel.x >= image_width, "a 4:3 or portrait image gets a side bar"

    # The judged joints are drawn, yellow, and nothing covers them.
    seen = [p for p in points[list(state.frame.key_landmarks)] if np.isfinite(p).all() and 12 <= p[1] < 640]
    assert len(seen) >= 4
    for x, y in seen:
        assert _near(canvas[int(y) - 6 : int(y) + 7, int(x) - 6 : int(x) + 7], YELLOW, 40).any(), (x, y)

    # The panel shows one light per rule in its verdict's colour (amber where the verdict is
    # borderline) and the very lines expected: the score with the judged count, every measured
    # value with its unit.
    for rule, (x, y) in zip(rep.rules, light_centres(panel, len(rep.rules)), strict=True):
        colour = AMBER if rule.borderline else STATUS_COLOURS[rule.status]
        assert _near(canvas[y - 3 : y + 4, x - 3 : x + 4], colour, 30).all(), rule.id
    lines = lights_text(panel, rep)
    assert lines[0].text.endswith(f"score {rep.score:.0f} - 7 of 7 rules judged"), lines[0].text
    for rule, detail in zip(rep.rules, lines[2::2], strict=True):
        assert f" {rule.unit} (" in detail.text, detail.text
    for line in lines:
        assert _text_agreement(canvas, line.text, line.origin, line.scale, line.thickness) > 0.8, line.text
    # What the overlay showed before: values rounded to whole numbers, no unit.
    knee_quiet = next(line for line in lines[2::2] if "ratio" in line.text)
    rounded = knee_quiet.text.split(" ratio")[0].split(".")[0] + " (limit 0)"
    assert _text_agreement(canvas, rounded, knee_quiet.origin, knee_quiet.scale, 1) < 0.6


@pytest.mark.slow
def test_the_start_card_shows_the_first_frame_and_holds_the_video_until_a_key(tmp_path, x_display, xdotool):
    log_dir = tmp_path / "log"
    process = _start(
        # --no-drop: every frame is processed, so the rep count does not hang on the machine's load.
        ["-e", "hip_hinge", "--source", str(SAMPLE), "--no-drop", "--start-screen", "60", "--linger", "0",
         "--log", str(log_dir)],
        display=x_display,
    )  # fmt: skip
    width = canvas_width(960)
    card = (slice(360 - 190, 360 + 190), slice(width // 2 - 480, width // 2 + 480))
    first = _wait_for_screen(x_display, lambda shot: _near(shot[card], YELLOW).sum() > 500, process)
    first = first[:CANVAS_HEIGHT, :width]
    time.sleep(4.0)  # the sample's first rep runs from 1.3 s to 3.9 s of the video
    later = _screenshot(x_display)[:CANVAS_HEIGHT, :width]
    assert _near(later[card], YELLOW).sum() > 500, "the start card is still up"
    below = first[600:670, :960]
    assert below.mean() > 60, "the video's first frame lies under the card, not a black window"
    around_card = (
        np.concatenate([first[:170, :960], first[550:670, :960]]),
        np.concatenate([later[:170, :960], later[550:670, :960]]),
    )
    assert np.abs(around_card[1].astype(int) - around_card[0]).max() < 30, "the video waits behind the card"

    subprocess.run([xdotool, "mousemove", "300", "300", "key", "x"], env={"DISPLAY": x_display}, check=True)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    report = json.loads(next(log_dir.glob("*.json")).read_text())
    assert report["summary"]["reps_total"] == 2, "both reps of the sample played after the card"
