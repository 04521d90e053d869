"""The live overlay: what the person sees in the window, drawn with OpenCV.

Drawing only reads results (a `PoseFrame`, the engine's `LiveState`, the last rep's
verdicts and the loop's status figures); it decides nothing. The canvas is always
`CANVAS_HEIGHT` pixels high, whatever the camera delivers, so that text keeps one size
(readable from about two metres on a laptop screen) and `layout` can say where each
element is drawn (the window tests look there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from formcheck.core.landmarks import SKELETON_EDGES
from formcheck.core.track import PoseFrame

if TYPE_CHECKING:
    from formcheck.analysis.session import Gauge, LiveState

CANVAS_HEIGHT = 720

# BGR colours. The rule lights use the traffic-light convention people already know.
GREEN = (60, 200, 60)
RED = (40, 40, 230)
GREY = (150, 150, 150)
WHITE = (245, 245, 245)
YELLOW = (0, 215, 255)
ORANGE = (0, 140, 255)
CYAN = (230, 200, 0)
PANEL = (30, 30, 30)
STATUS_COLOURS = {"passed": GREEN, "failed": RED, "not_judged": GREY}

FONT = cv2.FONT_HERSHEY_SIMPLEX
KEYS_HELP = "q quit   space pause   r reset   s side   n next set"
SAFETY_LINES = (
    "Stop if an exercise causes pain.",
    "formcheck is not a replacement for an",
    "individual assessment by a physiotherapist.",
)
MIN_VISIBILITY = 0.5
MAX_LIGHTS = 7


@dataclass(frozen=True)
class Box:
    """A rectangle in canvas pixels: top-left (x, y), width w, height h."""

    x: int
    y: int
    w: int
    h: int

    @property
    def slices(self) -> tuple[slice, slice]:
        """(rows, columns) to index a canvas array with."""
        return slice(self.y, self.y + self.h), slice(self.x, self.x + self.w)


@dataclass(frozen=True)
class Layout:
    """Where each overlay element goes on a canvas of `width` x `height` pixels.

    Attributes:
        counter: reps per side, the set, working side and timers (top left).
        status: FPS, latency and dropped frames (top right).
        gauge: the bar of the primary signal against its thresholds (left edge).
        lights: one row per rule of the last rep (bottom right).
        message: the prompt or live cue, up to two lines (top, right of the counter).
        keys: the key help line (bottom strip).
        light_rows: the centre (x, y) of each rule light, top to bottom.
    """

    width: int
    height: int
    counter: Box
    status: Box
    gauge: Box
    lights: Box
    message: Box
    keys: Box
    light_rows: tuple[tuple[int, int], ...]


def layout(width: int, height: int = CANVAS_HEIGHT) -> Layout:
    """The element boxes for a canvas of this size (height is normally CANVAS_HEIGHT)."""
    keys = Box(0, height - 44, width, 44)
    lights_h = 24 + 40 * MAX_LIGHTS
    counter = Box(10, 10, 330, 230)
    status = Box(width - 300, 10, 290, 44)
    gauge = Box(10, counter.y + counter.h + 20, 110, keys.y - counter.y - counter.h - 40)
    lights_w = min(600, width - (gauge.x + gauge.w) - 20)
    lights = Box(width - lights_w - 10, keys.y - lights_h - 10, lights_w, lights_h)
    rows = tuple((lights.x + 24, lights.y + 40 + 40 * i) for i in range(MAX_LIGHTS))
    message_x = counter.x + counter.w + 20
    message = Box(message_x, 64, max(100, width - message_x - 10), 112)
    return Layout(width, height, counter, status, gauge, lights, message, keys, rows)


@dataclass(frozen=True)
class LoopStatus:
    """Figures about the loop itself, measured by the caller.

    Attributes:
        fps: frames processed per second, recent average.
        latency_ms: capture to display of the previous frame, milliseconds.
        dropped: frames the capture replaced before they were processed, so far.
    """

    fps: float = 0.0
    latency_ms: float = 0.0
    dropped: int = 0


@dataclass(frozen=True)
class OverlayInput:
    """Everything one frame of the overlay shows.

    Attributes:
        exercise: exercise id, shown in the counter panel.
        pose: landmarks of this frame, or None (not yet detected, or paused).
        state: the engine's state after this frame, or None before the first update.
        last_rep: `Rep.to_dict()` of the most recent rep, for the rule lights; None before the first.
        status: loop figures (FPS, latency, dropped frames).
        mirror: flip the image and the drawing left-right (camera: moves like a mirror).
        banner: a large centred word such as "PAUSED", or None.
        start_screen: show the safety note panel over everything.
        start_seconds_left: seconds until the start screen closes by itself.
    """

    exercise: str
    pose: PoseFrame | None
    state: LiveState | None
    last_rep: dict[str, Any] | None
    status: LoopStatus
    mirror: bool = False
    banner: str | None = None
    start_screen: bool = False
    start_seconds_left: float = 0.0


def to_canvas(image: np.ndarray, *, mirror: bool) -> np.ndarray:
    """The camera image scaled to CANVAS_HEIGHT (aspect kept), mirrored if asked; a new array."""
    height, width = image.shape[:2]
    scale = CANVAS_HEIGHT / height
    canvas = cv2.resize(image, (round(width * scale), CANVAS_HEIGHT), interpolation=cv2.INTER_LINEAR)
    return cv2.flip(canvas, 1) if mirror else canvas


def _shade(canvas: np.ndarray, box: Box, alpha: float = 0.65) -> None:
    region = canvas[box.slices]
    region[:] = cv2.addWeighted(region, 1 - alpha, np.full_like(region, PANEL), alpha, 0)


def _text(
    canvas: np.ndarray,
    text: str,
    origin: tuple[int, int],
    scale: float,
    colour: tuple[int, int, int] = WHITE,
    thickness: int = 2,
) -> None:
    # A dark drop shadow keeps light text readable on any background. (A thicker dark copy
    # underneath would not line up: OpenCV 5's font advances grow with thickness.)
    shadow = (origin[0] + 2, origin[1] + 2)
    cv2.putText(canvas, text, shadow, FONT, scale, (0, 0, 0), thickness, cv2.LINE_AA)
    cv2.putText(canvas, text, origin, FONT, scale, colour, thickness, cv2.LINE_AA)


def _fit(text: str, width: int, scale: float, thickness: int = 2) -> str:
    """`text` cut with an ellipsis so that it fits `width` pixels at `scale`."""
    while text and cv2.getTextSize(text, FONT, scale, thickness)[0][0] > width:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text.replace("…", "..")


def landmark_pixels(pose: PoseFrame, width: int, height: int, *, mirror: bool) -> np.ndarray:
    """(33, 2) float canvas pixel positions; NaN where a landmark is missing or not visible."""
    xy = pose.image_xy.astype(np.float64).copy()
    hidden = ~(np.nan_to_num(pose.visibility, nan=0.0) >= MIN_VISIBILITY)
    xy[hidden] = np.nan
    if mirror:
        xy[:, 0] = 1.0 - xy[:, 0]
    return xy * np.array([width, height])


def draw_skeleton(
    canvas: np.ndarray, pose: PoseFrame, key_landmarks: tuple[int, ...], *, mirror: bool
) -> None:
    """Bones in white, joints the rules use as large yellow dots, other joints small."""
    height, width = canvas.shape[:2]
    points = landmark_pixels(pose, width, height, mirror=mirror)
    finite = np.isfinite(points).all(axis=1)
    key = set(key_landmarks)
    for a, b in SKELETON_EDGES:
        if finite[a] and finite[b]:
            colour = YELLOW if a in key and b in key else WHITE
            pa = tuple(int(v) for v in points[a])
            pb = tuple(int(v) for v in points[b])
            cv2.line(canvas, pa, pb, colour, 4, cv2.LINE_AA)
    for index in np.flatnonzero(finite):
        centre = tuple(int(v) for v in points[index])
        if index in key:
            cv2.circle(canvas, centre, 11, (0, 0, 0), -1, cv2.LINE_AA)
            cv2.circle(canvas, centre, 9, YELLOW, -1, cv2.LINE_AA)
        else:
            cv2.circle(canvas, centre, 5, WHITE, -1, cv2.LINE_AA)


def _format_time(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def draw_counter(canvas: np.ndarray, box: Box, exercise: str, state: LiveState | None) -> None:
    """Exercise, reps per side (big), set, working side, hold and rest timers."""
    _shade(canvas, box)
    x, y = box.x + 14, box.y
    _text(canvas, _fit(exercise.replace("_", " "), box.w - 28, 0.8), (x, y + 32), 0.8, CYAN)
    if state is None:
        _text(canvas, "waiting for you...", (x, y + 90), 0.8)
        return
    per_side = state.reps_per_side
    if set(per_side) <= {"both"}:
        count = per_side.get("both", 0)
        counts = f"{count} rep" if count == 1 else f"{count} reps"
    else:
        counts = f"L {per_side.get('left', 0)}   R {per_side.get('right', 0)}"
    _text(canvas, counts, (x, y + 92), 1.6, WHITE, 4)
    side = state.working_side or "auto"
    _text(canvas, f"Set {state.set_index}   side: {side}", (x, y + 138), 0.8)
    timers = []
    if state.hold_s is not None:
        timers.append(f"hold {state.hold_s:.1f} s")
    if state.rest_s is not None:
        timers.append(f"rest {_format_time(state.rest_s)}")
    if state.set_target_s is not None and state.set_elapsed_s is not None:
        timers.append(f"set {_format_time(state.set_elapsed_s)} / {_format_time(state.set_target_s)}")
    if timers:
        _text(canvas, "   ".join(timers), (x, y + 180), 0.8, YELLOW)
    _text(canvas, f"phase: {state.phase}", (x, y + 216), 0.6, GREY, 1)


def gauge_fraction(gauge: Gauge, value: float) -> float:
    """Where `value` sits on the gauge bar, 0 (bottom) to 1 (top)."""
    marks = [gauge.start_threshold, gauge.end_threshold]
    if gauge.target is not None:
        marks.append(gauge.target)
    low, high = min(marks), max(marks)
    margin = 0.25 * (high - low) if high > low else 1.0
    low, high = low - margin, high + margin
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def draw_gauge(canvas: np.ndarray, box: Box, gauge: Gauge) -> None:
    """A vertical bar: filled to the current value, with the start/end thresholds and target marked."""
    _shade(canvas, box)
    bar = Box(box.x + 30, box.y + 40, 40, box.h - 80)
    cv2.rectangle(canvas, (bar.x, bar.y), (bar.x + bar.w, bar.y + bar.h), GREY, 2)

    def y_of(value: float) -> int:
        return round(bar.y + bar.h * (1.0 - gauge_fraction(gauge, value)))

    if np.isfinite(gauge.value):
        top = y_of(gauge.value)
        cv2.rectangle(canvas, (bar.x + 3, top), (bar.x + bar.w - 3, bar.y + bar.h - 3), CYAN, -1)
    for value, colour in ((gauge.start_threshold, WHITE), (gauge.end_threshold, GREEN)):
        cv2.line(canvas, (bar.x - 12, y_of(value)), (bar.x + bar.w + 12, y_of(value)), colour, 3)
    if gauge.target is not None:
        cv2.drawMarker(canvas, (bar.x + bar.w + 16, y_of(gauge.target)), GREEN, cv2.MARKER_TRIANGLE_UP, 14, 3)
    _text(
        canvas, _fit(gauge.name.replace("_", " "), box.w - 8, 0.5, 1), (box.x + 6, box.y + 24), 0.5, WHITE, 1
    )
    value = f"{gauge.value:.0f}{gauge.unit}" if np.isfinite(gauge.value) else "--"
    _text(canvas, value, (box.x + 10, box.y + box.h - 14), 0.8)


def _rule_detail(rule: dict[str, Any]) -> str:
    if rule.get("status") == "not_judged":
        return str(rule.get("reason") or rule.get("cue") or "not judged")
    if rule.get("status") == "failed" and rule.get("cue"):
        return str(rule["cue"])
    value, threshold = rule.get("value"), rule.get("threshold")
    if isinstance(value, int | float) and isinstance(threshold, int | float):
        return f"{value:.0f} (limit {threshold:.0f})"
    return "ok"


def draw_lights(canvas: np.ndarray, layout_: Layout, rep: dict[str, Any]) -> None:
    """One light per rule of the last rep: green passed, red failed, grey not judged, with why."""
    box = layout_.lights
    rules = list(rep.get("rules", ()))[:MAX_LIGHTS]
    # Rows fill the box from the bottom, so the panel hugs the key strip whatever the rule count.
    unused_rows = MAX_LIGHTS - len(rules)
    used = Box(box.x, box.y + 40 * unused_rows, box.w, box.h - 40 * unused_rows)
    _shade(canvas, used)
    title = f"rep {rep.get('index', '?')} {rep.get('side') or ''}".strip()
    if not rep.get("complete"):
        title += f" - partial: {rep.get('reason') or 'incomplete'}"
    elif rep.get("score") is not None:
        title += f" - score {rep['score']:.0f}"
    _text(canvas, _fit(title, box.w - 20, 0.6, 1), (box.x + 10, used.y + 20), 0.6, WHITE, 1)
    for rule, centre in zip(rules, layout_.light_rows[unused_rows:], strict=True):
        cv2.circle(canvas, centre, 14, (0, 0, 0), -1, cv2.LINE_AA)
        cv2.circle(canvas, centre, 12, STATUS_COLOURS.get(rule.get("status"), GREY), -1, cv2.LINE_AA)
        label = f"{str(rule.get('id', '?')).replace('_', ' ')}: {_rule_detail(rule)}"
        _text(canvas, _fit(label, box.w - 60, 0.6, 1), (centre[0] + 26, centre[1] + 7), 0.6, WHITE, 1)


def wrap_to_width(text: str, width: int, scale: float, thickness: int, max_lines: int) -> list[str]:
    """`text` broken at spaces into at most `max_lines` lines of at most `width` pixels (the last cut)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and cv2.getTextSize(candidate, FONT, scale, thickness)[0][0] <= width:
            lines[-1] = candidate
        elif len(lines) < max_lines:
            lines.append(word)
        else:
            lines[-1] = candidate
    return [_fit(line, width, scale, thickness) for line in lines]


def draw_message(canvas: np.ndarray, box: Box, text: str, colour: tuple[int, int, int]) -> None:
    """A prompt or cue in large letters on a dark band, on two lines when it does not fit on one."""
    lines = wrap_to_width(text, box.w - 24, 1.1, 3, max_lines=2)
    band = Box(box.x, box.y, box.w, 20 + 46 * len(lines))
    _shade(canvas, band, 0.75)
    for i, line in enumerate(lines):
        _text(canvas, line, (box.x + 12, box.y + 48 + 46 * i), 1.1, colour, 3)


def draw_status(canvas: np.ndarray, box: Box, status: LoopStatus) -> None:
    _shade(canvas, box)
    text = f"{status.fps:4.1f} fps  {status.latency_ms:3.0f} ms  drop {status.dropped}"
    _text(canvas, _fit(text, box.w - 16, 0.65, 2), (box.x + 8, box.y + 30), 0.65)


def draw_keys(canvas: np.ndarray, box: Box) -> None:
    _shade(canvas, box, 0.8)
    _text(canvas, _fit(KEYS_HELP, box.w - 20, 0.75), (box.x + 10, box.y + 31), 0.75)


def draw_banner(canvas: np.ndarray, text: str) -> None:
    height, width = canvas.shape[:2]
    size = cv2.getTextSize(text, FONT, 2.0, 5)[0]
    # Above the middle, clear of the rule lights at the bottom.
    origin = ((width - size[0]) // 2, int(0.36 * height) + size[1] // 2)
    _shade(canvas, Box(origin[0] - 20, origin[1] - size[1] - 20, size[0] + 40, size[1] + 40), 0.7)
    _text(canvas, text, origin, 2.0, YELLOW, 5)


def draw_start_screen(canvas: np.ndarray, exercise: str, seconds_left: float) -> None:
    """The safety note, shown when the session starts."""
    height, width = canvas.shape[:2]
    box = Box(width // 2 - min(480, width // 2 - 10), height // 2 - 190, min(960, width - 20), 380)
    _shade(canvas, box, 0.85)
    x = box.x + 30
    _text(canvas, f"formcheck live: {exercise.replace('_', ' ')}", (x, box.y + 60), 1.2, CYAN, 3)
    for i, line in enumerate(SAFETY_LINES):
        _text(canvas, _fit(line, box.w - 60, 1.0), (x, box.y + 130 + 48 * i), 1.0, WHITE, 2)
    prompt = f"Press any key to start ({seconds_left:.0f} s)"
    _text(canvas, _fit(prompt, box.w - 60, 0.9), (x, box.y + box.h - 40), 0.9, YELLOW, 2)


def render_overlay(image: np.ndarray, overlay: OverlayInput) -> np.ndarray:
    """The display canvas for one frame: `image` (H, W, 3) BGR scaled, mirrored and drawn on.

    Returns a new (CANVAS_HEIGHT, W', 3) uint8 array; `image` is not modified.
    """
    canvas = to_canvas(image, mirror=overlay.mirror)
    layout_ = layout(canvas.shape[1], canvas.shape[0])
    state = overlay.state
    if overlay.pose is not None and overlay.pose.has_person:
        key_landmarks = state.key_landmarks if state is not None else ()
        draw_skeleton(canvas, overlay.pose, key_landmarks, mirror=overlay.mirror)
    draw_counter(canvas, layout_.counter, overlay.exercise, state)
    draw_status(canvas, layout_.status, overlay.status)
    if state is not None:
        draw_gauge(canvas, layout_.gauge, state.gauge)
        if state.prompt:
            draw_message(canvas, layout_.message, state.prompt, ORANGE)
        elif state.cue:
            draw_message(canvas, layout_.message, state.cue, YELLOW)
    if overlay.last_rep is not None:
        draw_lights(canvas, layout_, overlay.last_rep)
    draw_keys(canvas, layout_.keys)
    if overlay.banner:
        draw_banner(canvas, overlay.banner)
    if overlay.start_screen:
        draw_start_screen(canvas, overlay.exercise, overlay.start_seconds_left)
    return canvas
