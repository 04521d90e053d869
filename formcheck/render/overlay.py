"""The live overlay: what the person sees in the window, drawn with OpenCV.

Drawing only reads results (a `PoseFrame`, the `LiveState`, the last `Rep` and
the loop's status figures); it decides nothing. The canvas is always `CANVAS_HEIGHT` pixels
high, whatever the camera delivers, so that text keeps one size (readable from about two
metres on a laptop screen) and `layout` can say where each element is drawn (the window
tests look there).

The panels must not hide what the rules judge. They stand in one column: in a side bar right
of an image narrower than 16:9 (portrait, square, 4:3), or on the free side of a wide image,
away from the judged joints and the person (`choose_column`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from formcheck.core.landmarks import SKELETON_EDGES
from formcheck.core.track import PoseFrame
from formcheck.render.labels import format_value, rule_lines, score_text, thinly_judged

if TYPE_CHECKING:
    from formcheck.analysis.results import Rep
    from formcheck.render.live_state import Gauge, LiveState

CANVAS_HEIGHT = 720

# BGR colours. The rule lights use the traffic-light convention people already know.
GREEN = (60, 200, 60)
RED = (40, 40, 230)
GREY = (150, 150, 150)
WHITE = (245, 245, 245)
DIM = (205, 205, 205)
YELLOW = (0, 215, 255)
ORANGE = (0, 140, 255)
AMBER = (0, 191, 255)
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
MAX_LIGHTS = 7
RULE_ROW = 44
"""Height of one rule's two lines in the rule panel."""
LIGHTS_TITLE = 34
SIDEBAR_WIDTH = 460
WIDE_WIDTH = 1280
"""Canvases at least this wide (16:9 and wider) have room beside the person; narrower ones get a side bar."""
JOINT_MARGIN = 24
"""Pixels kept clear around the judged joints (the dots are drawn 11 px wide)."""


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

    def overlap(self, other: Box) -> int:
        """Area in pixels that this box shares with `other` (0 when they do not meet)."""
        w = min(self.x + self.w, other.x + other.w) - max(self.x, other.x)
        h = min(self.y + self.h, other.y + other.h) - max(self.y, other.y)
        return max(w, 0) * max(h, 0)


@dataclass(frozen=True)
class Layout:
    """Where each overlay element goes on a canvas of `width` x `height` pixels.

    The counter, gauge, status line and rule panel stand in one column, `SIDEBAR_WIDTH` wide:
    a dark side bar right of an image narrower than 16:9, or the free side of a wide image.

    Attributes:
        image: where the camera image lies on the canvas (all of it, or left of the side bar).
        sidebar: the side bar, or None on a wide image.
        column: the column of panels (the side bar, or the left or right edge of the image).
        counter: reps per side, the set, working side and timers (top of the column).
        gauge: the bar of the primary signal against its thresholds (right of the counter).
        status: FPS, latency and dropped frames (under the counter).
        lights: the room for the rule panel (under the status line); `lights_box` fits it to a rep.
        message: the prompt or live cue, up to two lines (top of the image, beside the column).
        keys: the key help line (bottom strip).
    """

    width: int
    height: int
    image: Box
    sidebar: Box | None
    column: Box
    counter: Box
    gauge: Box
    status: Box
    lights: Box
    message: Box
    keys: Box


def canvas_width(image_width: int) -> int:
    """Width of the canvas for an image scaled to `image_width` pixels wide (at CANVAS_HEIGHT)."""
    return image_width if image_width >= WIDE_WIDTH else image_width + SIDEBAR_WIDTH


def layout(
    width: int, height: int = CANVAS_HEIGHT, *, image_width: int | None = None, column: str = "right"
) -> Layout:
    """The element boxes for a canvas this size holding an image `image_width` wide (default: all
    of it); on a wide image the panels' column stands at the `column` (``left``/``right``) edge."""
    image_width = width if image_width is None else image_width
    keys = Box(0, height - 44, width, 44)
    image = Box(0, 0, image_width, height)
    sidebar = Box(image_width, 0, width - image_width, keys.y) if image_width < width else None
    if sidebar is not None:
        bar = sidebar
    else:
        bar = Box(width - SIDEBAR_WIDTH if column == "right" else 0, 0, SIDEBAR_WIDTH, keys.y)
    x = bar.x + 10
    counter = Box(x, 10, 320, 230)
    gauge = Box(x + counter.w + 10, 10, bar.w - counter.w - 30, counter.h)
    status = Box(x, counter.y + counter.h + 10, bar.w - 20, 44)
    lights = Box(x, status.y + status.h + 10, bar.w - 20, LIGHTS_TITLE + RULE_ROW * MAX_LIGHTS)
    if sidebar is None and column == "left":
        message = Box(bar.x + bar.w + 10, 10, max(100, width - bar.w - 20), 112)
    else:
        message = Box(10, 10, max(100, min(image_width, bar.x) - 20), 112)
    return Layout(width, height, image, sidebar, bar, counter, gauge, status, lights, message, keys)


def choose_column(width: int, image_width: int, person: Box | None, judged: Box | None) -> str:
    """The edge of a wide image for the panels' column: the right, unless it covers more of the
    judged joints, or of the person, than the left would."""
    if image_width < width:
        return "right"

    def covered(side: str) -> tuple[int, int]:
        column = layout(width, image_width=image_width, column=side).column
        return tuple(column.overlap(box) if box is not None else 0 for box in (judged, person))

    return min(("right", "left"), key=covered)


def lights_box(room: Box, rules: int) -> Box:
    """The rule panel for `rules` rules: the top of `room` (`Layout.lights`), as high as its rows."""
    return Box(room.x, room.y, room.w, LIGHTS_TITLE + RULE_ROW * min(rules, MAX_LIGHTS))


def light_centres(panel: Box, rules: int) -> tuple[tuple[int, int], ...]:
    """The centre (x, y) of each rule light in a rule panel, top to bottom."""
    top = panel.y + LIGHTS_TITLE
    return tuple((panel.x + 22, top + RULE_ROW * i + 14) for i in range(min(rules, MAX_LIGHTS)))


def joints_box(points: np.ndarray, indices: tuple[int, ...] | None = None) -> Box | None:
    """The box around the visible landmarks `indices` (default: all) of (33, 2) canvas `points`,
    with a margin; None when none is visible."""
    chosen = points if indices is None else points[list(indices)] if indices else np.empty((0, 2))
    chosen = chosen[np.isfinite(chosen).all(axis=1)]
    if len(chosen) == 0:
        return None
    (x0, y0), (x1, y1) = chosen.min(axis=0) - JOINT_MARGIN, chosen.max(axis=0) + JOINT_MARGIN
    return Box(int(x0), int(y0), int(x1 - x0) + 1, int(y1 - y0) + 1)


@dataclass(frozen=True)
class LoopStatus:
    """Figures about the loop itself, measured by the caller.

    Attributes:
        fps: frames processed per second, recent average.
        latency_ms: capture to display of the previous frame, milliseconds.
        dropped: frames the capture replaced before they were processed, so far.
        note: which stage holds the loop back, and what to do, when it cannot keep up (or None).
    """

    fps: float = 0.0
    latency_ms: float = 0.0
    dropped: int = 0
    note: str | None = None


@dataclass(frozen=True)
class OverlayInput:
    """Everything one frame of the overlay shows.

    Attributes:
        exercise: exercise id, shown in the counter panel.
        pose: landmarks of this frame, or None (not yet detected, or paused).
        state: the engine's state after this frame, or None before the first update.
        last_rep: the most recent rep, for the rule lights; None before the first.
        status: loop figures (FPS, latency, dropped frames), or None where there is no live loop
            (an annotated video): the status line is left out.
        mirror: flip the image and the drawing left-right (camera: moves like a mirror).
        banner: a word in large letters in the bottom strip, such as "PAUSED", or None.
        start_screen: show the safety note panel over everything.
        start_seconds_left: seconds until the start screen closes by itself.
        footer: the line in the bottom strip: the key help live; the clip's time in a video.
    """

    exercise: str
    pose: PoseFrame | None
    state: LiveState | None
    last_rep: Rep | None
    status: LoopStatus | None
    mirror: bool = False
    banner: str | None = None
    start_screen: bool = False
    start_seconds_left: float = 0.0
    footer: str = KEYS_HELP


def scaled_image(image: np.ndarray, *, mirror: bool) -> np.ndarray:
    """The camera image scaled to CANVAS_HEIGHT (aspect kept), mirrored if asked; a new array."""
    height, width = image.shape[:2]
    scale = CANVAS_HEIGHT / height
    scaled = cv2.resize(image, (round(width * scale), CANVAS_HEIGHT), interpolation=cv2.INTER_LINEAR)
    return cv2.flip(scaled, 1) if mirror else scaled


def to_canvas(image: np.ndarray, *, mirror: bool) -> np.ndarray:
    """`scaled_image` on the left of a canvas `canvas_width` wide (black beyond it, for the side
    bar); a new array."""
    scaled = scaled_image(image, mirror=mirror)
    canvas = np.zeros((CANVAS_HEIGHT, canvas_width(scaled.shape[1]), 3), np.uint8)
    canvas[:, : scaled.shape[1]] = scaled
    return canvas


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


def landmark_pixels(
    pose: PoseFrame, width: int, height: int, *, mirror: bool, min_visibility: float
) -> np.ndarray:
    """(33, 2) float pixel positions on an image `width` x `height`; NaN where a landmark is
    missing or less visible than `min_visibility` (the exercise's, as the engine uses it)."""
    xy = pose.image_xy.astype(np.float64).copy()
    hidden = ~(np.nan_to_num(pose.visibility, nan=0.0) >= min_visibility)
    xy[hidden] = np.nan
    if mirror:
        xy[:, 0] = 1.0 - xy[:, 0]
    return xy * np.array([width, height])


def draw_skeleton(canvas: np.ndarray, points: np.ndarray, key_landmarks: tuple[int, ...]) -> None:
    """Bones in white, joints the rules use as large yellow dots, other joints small; `points`
    are `landmark_pixels` on the canvas."""
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
    frame = state.frame
    per_side = frame.reps_per_side
    if set(per_side) <= {"both"}:
        count = per_side.get("both", 0)
        counts = f"{count} rep" if count == 1 else f"{count} reps"
    else:
        counts = f"L {per_side.get('left', 0)}   R {per_side.get('right', 0)}"
    _text(canvas, counts, (x, y + 92), 1.6, WHITE, 4)
    side = frame.working_side or "auto"
    _text(canvas, f"Set {frame.set_index}   side: {side}", (x, y + 138), 0.8)
    timers = []
    if frame.hold_s is not None:
        timers.append(f"hold {frame.hold_s:.1f} s")
    if frame.rest_s is not None:
        timers.append(f"rest {_format_time(frame.rest_s)}")
    if frame.set_target_s is not None and frame.set_elapsed_s is not None:
        timers.append(f"set {_format_time(frame.set_elapsed_s)} / {_format_time(frame.set_target_s)}")
    if timers:
        _text(canvas, "   ".join(timers), (x, y + 180), 0.8, YELLOW)
    _text(canvas, f"phase: {frame.phase}", (x, y + 216), 0.6, GREY, 1)


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
    value = format_value(gauge.value, gauge.unit) if np.isfinite(gauge.value) else "--"
    _text(canvas, _fit(value, box.w - 12, 0.6), (box.x + 6, box.y + box.h - 14), 0.6)


@dataclass(frozen=True)
class TextLine:
    """One line of text as drawn: the string (already cut to fit), its baseline origin, scale, thickness."""

    text: str
    origin: tuple[int, int]
    scale: float
    thickness: int


def lights_text(panel: Box, rep: Rep) -> tuple[TextLine, ...]:
    """The rule panel's lines: the title (score and how many rules it rests on), then two per rule:
    what was measured against the limit, or the cue of a failed rule, or why it was not judged."""
    title = f"rep {rep.index} {rep.side if rep.side != 'both' else ''}".strip() + ": " + score_text(rep)
    lines = [TextLine(_fit(title, panel.w - 20, 0.6, 2), (panel.x + 10, panel.y + 24), 0.6, 2)]
    rules = rep.rules[:MAX_LIGHTS]
    for rule, (x, y) in zip(rules, light_centres(panel, len(rules)), strict=True):
        headline, detail = rule_lines(rule, rep.view, rule.views, rep.view_angle_deg)
        width = panel.w - 54
        lines.append(TextLine(_fit(headline, width, 0.55, 1), (x + 22, y + 4), 0.55, 1))
        lines.append(TextLine(_fit(detail, width, 0.5, 1), (x + 22, y + 24), 0.5, 1))
    return tuple(lines)


def draw_lights(canvas: np.ndarray, panel: Box, rep: Rep) -> None:
    """The last rep's rule panel: green light passed, red failed, grey not judged, amber ringed in
    green or red a borderline pass or fail (within the metric's error), with `lights_text`; the
    title in orange when fewer than half the rules were judged."""
    _shade(canvas, panel, 0.8)
    rules = rep.rules[:MAX_LIGHTS]
    for rule, centre in zip(rules, light_centres(panel, len(rules)), strict=True):
        colour = STATUS_COLOURS.get(rule.status, GREY)
        cv2.circle(canvas, centre, 12, colour if rule.borderline else (0, 0, 0), -1, cv2.LINE_AA)
        cv2.circle(
            canvas,
            centre,
            8 if rule.borderline else 10,
            AMBER if rule.borderline else colour,
            -1,
            cv2.LINE_AA,
        )
    title, *rows = lights_text(panel, rep)
    colour = ORANGE if rep.complete and thinly_judged(rep) else WHITE
    _text(canvas, title.text, title.origin, title.scale, colour, title.thickness)
    for i, line in enumerate(rows):
        _text(canvas, line.text, line.origin, line.scale, WHITE if i % 2 == 0 else DIM, line.thickness)


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


def draw_keys(canvas: np.ndarray, box: Box, banner: str | None = None, footer: str = KEYS_HELP) -> None:
    """The key help line (or another `footer`); a banner ("PAUSED", "Finished") in large yellow
    letters before it.

    The banner sits in this strip rather than across the image, where it would hide the
    person the rules judge."""
    _shade(canvas, box, 0.8)
    x = box.x + 10
    if banner:
        _text(canvas, banner, (x, box.y + 36), 1.2, YELLOW, 3)
        x += cv2.getTextSize(banner, FONT, 1.2, 3)[0][0] + 30
    _text(canvas, _fit(footer, box.x + box.w - x - 10, 0.75), (x, box.y + 31), 0.75)


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

    Returns a new (CANVAS_HEIGHT, W', 3) uint8 array (W' includes the side bar, if any);
    `image` is not modified.
    """
    canvas = to_canvas(image, mirror=overlay.mirror)
    width = canvas.shape[1]
    image_width = round(image.shape[1] * CANVAS_HEIGHT / image.shape[0])
    state = overlay.state
    points = judged = person = None
    if overlay.pose is not None and overlay.pose.has_person and state is not None:
        pose, seen = overlay.pose, state.min_visibility
        points = landmark_pixels(pose, image_width, CANVAS_HEIGHT, mirror=overlay.mirror, min_visibility=seen)
        judged, person = joints_box(points, state.frame.key_landmarks), joints_box(points)
    layout_ = layout(width, image_width=image_width, column=choose_column(width, image_width, person, judged))
    if layout_.sidebar is not None:
        _shade(canvas, layout_.sidebar, 1.0)
    if points is not None:
        draw_skeleton(canvas, points, state.frame.key_landmarks)
    draw_counter(canvas, layout_.counter, overlay.exercise, state)
    if overlay.status is not None:
        draw_status(canvas, layout_.status, overlay.status)
    if state is not None:
        draw_gauge(canvas, layout_.gauge, state.gauge)
        if state.prompt:
            draw_message(canvas, layout_.message, state.prompt, ORANGE)
        elif state.cue:
            draw_message(canvas, layout_.message, state.cue, YELLOW)
    note = overlay.status.note if overlay.status is not None else None
    if note and not (state is not None and (state.prompt or state.cue)):
        draw_message(canvas, layout_.message, note, ORANGE)
    if overlay.last_rep is not None:
        panel = lights_box(layout_.lights, len(overlay.last_rep.rules))
        draw_lights(canvas, panel, overlay.last_rep)
    draw_keys(canvas, layout_.keys, overlay.banner, overlay.footer)
    if overlay.start_screen:
        draw_start_screen(canvas, overlay.exercise, overlay.start_seconds_left)
    return canvas
