"""The overlay drawn from engine results: lights, gauge, prompt, mirror, start screen."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcheck.analysis.reps import VISIBLE
from formcheck.analysis.results import Rep, RuleResult
from formcheck.analysis.session import FrameState
from formcheck.core.landmarks import NUM_LANDMARKS, Landmark
from formcheck.core.track import PoseFrame
from formcheck.render.live_state import Gauge, LiveState
from formcheck.render.overlay import (
    AMBER,
    CANVAS_HEIGHT,
    GREY,
    ORANGE,
    SIDEBAR_WIDTH,
    STATUS_COLOURS,
    WHITE,
    YELLOW,
    LoopStatus,
    OverlayInput,
    choose_column,
    gauge_fraction,
    joints_box,
    landmark_pixels,
    layout,
    light_centres,
    lights_box,
    lights_text,
    render_overlay,
    wrap_to_width,
)

GAUGE = Gauge(
    name="trunk_lean", value=30.0, unit="deg", start_threshold=20.0, end_threshold=40.0, target=45.0
)


def _state(**changes) -> LiveState:
    frame = {
        "t": 1.0,
        "signals": {"trunk_lean": 30.0},
        "phase": "down",
        "rest_level": 0.0,
        "seen": VISIBLE,
        "working_side": "left",
        "view": "side",
        "failing": (),
        "reps_per_side": {"left": 2, "right": 1},
        "set_index": 2,
        "hold_s": None,
        "rest_s": None,
        "completed": (),
        "key_landmarks": (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    }
    live = {"gauge": GAUGE, "prompt": None, "cue": None, "min_visibility": 0.5}
    live.update(changes)
    return LiveState(frame=FrameState(**frame), **live)


def _pose(xy: dict[Landmark, tuple[float, float]]) -> PoseFrame:
    image_xy = np.full((NUM_LANDMARKS, 2), np.nan)
    visibility = np.zeros(NUM_LANDMARKS)
    for landmark, point in xy.items():
        image_xy[landmark] = point
        visibility[landmark] = 0.9
    return PoseFrame(
        t=1.0,
        index=30,
        image_xy=image_xy,
        z=np.zeros(NUM_LANDMARKS),
        visibility=visibility,
        presence=visibility.copy(),
        world=np.zeros((NUM_LANDMARKS, 3)),
        image_size=(640, 480),
    )


POSE = _pose(
    {Landmark.LEFT_HIP: (0.55, 0.5), Landmark.LEFT_KNEE: (0.6, 0.7), Landmark.LEFT_ANKLE: (0.58, 0.9)}
)
REP = Rep(
    exercise="hip_hinge",
    index=3,
    side="left",
    complete=True,
    reason="",
    start_s=0.5,
    peak_s=1.0,
    end_s=2.0,
    set_index=2,
    view="side",
    metrics={},
    rules=(
        RuleResult("hinge_depth", "passed", 50.0, 45.0, "deg", "Hinge deeper", limit="min"),
        RuleResult("knee_over_toes", "failed", 0.4, 0.2, "shin lengths", "Knee back"),
        RuleResult("head_in_line", "not_judged", float("nan"), 35.0, "deg", "Head up", "wrong camera view"),
    ),
    score=67.0,
)


def _panel():
    """Where the rule panel of REP is drawn beside a 640x480 image (shown 960 x 720)."""
    return lights_box(layout(960 + SIDEBAR_WIDTH, image_width=960).lights, len(REP.rules))


def _draw(**changes) -> np.ndarray:
    fields = {
        "exercise": "hip_hinge",
        "pose": POSE,
        "state": _state(),
        "last_rep": REP,
        "status": LoopStatus(fps=29.5, latency_ms=48.0, dropped=3),
    }
    image = np.full((480, 640, 3), 90, np.uint8)
    return render_overlay(image, OverlayInput(**{**fields, **changes}))


def _near(pixel: np.ndarray, colour: tuple[int, int, int], tolerance: int = 20) -> bool:
    return bool((np.abs(pixel.astype(int) - np.array(colour)) <= tolerance).all())


def test_a_4_3_image_is_scaled_to_the_fixed_height_with_a_side_bar_beside_it():
    canvas = _draw()
    assert canvas.shape == (CANVAS_HEIGHT, 960 + SIDEBAR_WIDTH, 3) and canvas.dtype == np.uint8
    wide = render_overlay(
        np.full((720, 1280, 3), 90, np.uint8), OverlayInput("squat", None, None, None, LoopStatus())
    )
    assert wide.shape == (CANVAS_HEIGHT, 1280, 3), "16:9 has room beside the person: no side bar"


def test_one_light_per_rule_in_the_colour_of_its_verdict():
    canvas = _draw()
    panel = _panel()
    assert panel.x >= 960, "in the side bar, off the image"
    for rule, (x, y) in zip(REP.rules, light_centres(panel, 3), strict=True):
        assert _near(canvas[y, x], STATUS_COLOURS[rule.status]), rule.id
    assert STATUS_COLOURS["not_judged"] == GREY


def test_a_borderline_verdict_is_an_amber_light_ringed_in_its_verdicts_colour_and_says_so():
    close_fail = RuleResult("knee_over_toes", "failed", 0.22, 0.2, "shin lengths", "Knee back", error=0.05)
    close_pass = RuleResult(
        "hinge_depth", "passed", 46.0, 45.0, "deg", "Hinge deeper", limit="min", error=2.0
    )
    rep = replace(REP, rules=(close_pass, close_fail, REP.rules[2]))
    canvas = _draw(last_rep=rep)
    panel = _panel()
    for rule, (x, y) in zip(rep.rules[:2], light_centres(panel, 3)[:2], strict=True):
        assert _near(canvas[y, x], AMBER), rule.id
        assert _near(canvas[y, x + 11], STATUS_COLOURS[rule.status], 40), f"{rule.id}: ring"
    assert not _near(canvas[y, x], STATUS_COLOURS["failed"]), "not the red of a clear fault"
    headlines = [line.text for line in lights_text(panel, rep)[1::2]]
    assert headlines[:2] == ["borderline: hinge depth", "borderline: Knee back"]
    clear = lights_text(panel, REP)[1:]
    assert "borderline" not in " ".join(line.text for line in clear)


def test_no_lights_before_the_first_rep():
    canvas = _draw(last_rep=None)
    for x, y in light_centres(_panel(), 3):
        assert not any(_near(canvas[y, x], colour) for colour in STATUS_COLOURS.values())


def test_on_a_wide_image_the_panels_go_to_the_side_away_from_the_person():
    right = _pose(
        {Landmark.LEFT_HIP: (0.75, 0.55), Landmark.LEFT_KNEE: (0.8, 0.8), Landmark.NOSE: (0.7, 0.2)}
    )
    left = _pose({Landmark.LEFT_HIP: (0.25, 0.55), Landmark.LEFT_KNEE: (0.2, 0.8), Landmark.NOSE: (0.3, 0.2)})
    for pose, side in ((right, "left"), (left, "right")):
        points = landmark_pixels(pose, 1280, 720, mirror=False, min_visibility=0.5)
        judged, person = joints_box(points, _state().frame.key_landmarks), joints_box(points)
        assert choose_column(1280, 1280, person, judged) == side
        boxes = layout(1280, image_width=1280, column=side)
        for panel in (boxes.counter, boxes.gauge, boxes.status, lights_box(boxes.lights, 7)):
            assert panel.overlap(person) == 0, (side, panel, person)
        canvas = render_overlay(
            np.full((720, 1280, 3), 90, np.uint8),
            OverlayInput("hip_hinge", pose, _state(), REP, LoopStatus()),
        )
        x, y = light_centres(lights_box(boxes.lights, 3), 3)[1]
        assert _near(canvas[y, x], STATUS_COLOURS["failed"]), f"the rule panel is drawn on the {side}"
    assert choose_column(1280, 1280, None, None) == "right", "the right when nobody is seen"


def test_hidden_landmarks_follow_the_exercise_visibility_setting():
    pose = _pose({Landmark.LEFT_KNEE: (0.6, 0.7)})  # visibility 0.9
    assert (
        np.isfinite(landmark_pixels(pose, 960, 720, mirror=False, min_visibility=0.8)).all(axis=1).sum() == 1
    )
    assert not np.isfinite(landmark_pixels(pose, 960, 720, mirror=False, min_visibility=0.95)).any()


def test_key_joints_are_highlighted_and_mirroring_moves_them():
    plain = _draw()
    mirrored = _draw(mirror=True)
    x, y = landmark_pixels(POSE, 960, 720, mirror=False, min_visibility=0.5)[Landmark.LEFT_KNEE]
    mx, my = landmark_pixels(POSE, 960, 720, mirror=True, min_visibility=0.5)[Landmark.LEFT_KNEE]
    assert mx == pytest.approx(960 - x) and my == y
    assert _near(plain[int(y), int(x)], YELLOW) and _near(mirrored[int(my), int(mx)], YELLOW)
    assert not _near(mirrored[int(y), int(x)], YELLOW)
    ankle_x, ankle_y = landmark_pixels(POSE, 960, 720, mirror=False, min_visibility=0.5)[Landmark.LEFT_ANKLE]
    assert _near(plain[int(ankle_y), int(ankle_x)], WHITE), "joints no rule uses are drawn white"


def test_a_wrong_view_shows_the_prompt_in_orange_instead_of_the_cue():
    box = layout(960 + SIDEBAR_WIDTH, image_width=960).message
    prompted = _draw(state=_state(prompt="Turn side-on to the camera", cue="Keep your back flat"))
    cued = _draw(state=_state(cue="Keep your back flat"))
    quiet = _draw()

    def count(canvas: np.ndarray, colour: tuple[int, int, int]) -> int:
        region = canvas[box.slices].astype(int)
        return int((np.abs(region - np.array(colour)) <= 20).all(axis=-1).sum())

    assert count(prompted, ORANGE) > 300 and count(prompted, YELLOW) < 50
    assert count(cued, YELLOW) > 300
    assert count(quiet, YELLOW) == 0 and count(quiet, ORANGE) == 0


def test_gauge_places_values_between_its_thresholds():
    assert gauge_fraction(GAUGE, 20.0) < gauge_fraction(GAUGE, 40.0) < gauge_fraction(GAUGE, 45.0)
    assert gauge_fraction(GAUGE, -1000.0) == 0.0 and gauge_fraction(GAUGE, 1000.0) == 1.0
    falling = Gauge("knee_angle", 120.0, "deg", start_threshold=160.0, end_threshold=100.0, target=None)
    assert 0.0 < gauge_fraction(falling, 120.0) < 1.0


def test_start_screen_covers_the_view_and_the_pause_banner_sits_in_the_key_strip():
    plain = _draw()
    start = _draw(start_screen=True, start_seconds_left=4.0)
    paused = _draw(banner="PAUSED")
    middle = (slice(300, 420), slice(300, 660))
    banner = layout(960 + SIDEBAR_WIDTH, image_width=960).keys.slices
    assert np.abs(start[middle].astype(int) - plain[middle]).mean() > 20
    assert (np.abs(paused[banner].astype(int) - np.array(YELLOW)) <= 20).all(axis=-1).sum() > 600


def test_drawing_does_not_change_the_camera_image():
    image = np.full((480, 640, 3), 90, np.uint8)
    render_overlay(image, OverlayInput("squat", POSE, _state(), REP, LoopStatus(), mirror=True))
    assert (image == 90).all()


def test_nothing_seen_yet_still_draws():
    canvas = _draw(pose=PoseFrame.empty(0.0, 0, (640, 480)), state=None, last_rep=None)
    assert canvas.shape == (720, 960 + SIDEBAR_WIDTH, 3)


def test_long_text_wraps_onto_two_lines_within_the_width():
    lines = wrap_to_width("Step back so your whole body is in view of the camera", 300, 1.1, 3, max_lines=2)
    assert len(lines) == 2 and lines[0].startswith("Step back")
    assert wrap_to_width("Turn side-on", 900, 1.1, 3, max_lines=2) == ["Turn side-on"]
