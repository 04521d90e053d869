"""The labelling window's picture: the frame with its skeleton, the rules of the current rep, the
timeline of reps and the keys; drawn from a `Labelling`, deciding nothing.

The video is shown `CANVAS_HEIGHT` pixels high (as live shows it), the rule panel to its right,
and below both a band with the timeline strip and the key help; `label_layout` says where each
part goes (the window test looks there).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.core.track import PoseFrame
from formcheck.labelling.state import KEY_HELP, Labelling, Mark, RepLabel

# The live overlay's text and panel helpers, so both windows read alike (overlay.py is the
# live window's; these three are private there only because nothing else drew text before).
from formcheck.render.overlay import (
    CANVAS_HEIGHT,
    CYAN,
    GREEN,
    GREY,
    ORANGE,
    PANEL,
    RED,
    WHITE,
    YELLOW,
    Box,
    _fit,
    _shade,
    _text,
    draw_skeleton,
    landmark_pixels,
    scaled_image,
    wrap_to_width,
)

PANEL_WIDTH = 540
BAND_HEIGHT = 110
RULE_ROW = 62
MARK_COLOURS = {Mark.FAULT: RED, Mark.CLEAN: GREEN, Mark.UNLABELLED: GREY}
ENGINE_REP = (150, 120, 20)
ADDED_REP = ORANGE
DROPPED_REP = (90, 90, 90)


@dataclass(frozen=True)
class LabelLayout:
    """Where each part of the labelling window goes, in canvas pixels.

    Attributes:
        width, height: the whole canvas.
        video: the clip's frame (``CANVAS_HEIGHT`` high, its aspect kept).
        panel: the current rep and its rules (right of the video).
        timeline: the strip of reps over the clip's duration (below both).
        keys: the key help line (bottom).
        rule_rows: top-left (x, y) of each rule's row in the panel, rule 1 first.
    """

    width: int
    height: int
    video: Box
    panel: Box
    timeline: Box
    keys: Box
    rule_rows: tuple[tuple[int, int], ...]


def label_layout(video_width: int, rules: int) -> LabelLayout:
    """The boxes for a video shown ``video_width`` x ``CANVAS_HEIGHT`` and ``rules`` rules."""
    width, height = video_width + PANEL_WIDTH, CANVAS_HEIGHT + BAND_HEIGHT
    panel = Box(video_width, 0, PANEL_WIDTH, CANVAS_HEIGHT)
    timeline = Box(10, CANVAS_HEIGHT + 10, width - 20, 48)
    keys = Box(0, height - 44, width, 44)
    rows = tuple((panel.x + 16, 170 + RULE_ROW * i) for i in range(rules))
    return LabelLayout(width, height, Box(0, 0, video_width, CANVAS_HEIGHT), panel, timeline, keys, rows)


def _number(value: float) -> str:
    return f"{value:.3g}" if np.isfinite(value) else "--"


def _engine_line(rep: RepLabel, rule: int) -> str:
    if rep.engine is None:
        return "added rep: no engine value"
    result = rep.engine[rule]
    verdict = str(result.status).replace("_", " ")
    if result.reason:
        verdict += f" ({result.reason})"
    unit = f" {result.unit}" if result.unit else ""
    return f"{_number(result.value)}{unit}, {result.limit} {_number(result.threshold)}; engine: {verdict}"


def _rep_title(state: Labelling, index: int) -> str:
    rep = state.reps[index]
    title = f"rep {index + 1}/{len(state.reps)} {rep.side}  {rep.start_s:.2f}-{rep.end_s:.2f} s"
    if rep.engine is None:
        title += "  (added)"
    if not rep.complete:
        title += "  partial"
    return title


def draw_panel(canvas: np.ndarray, layout: LabelLayout, state: Labelling, exercise: str, clip: str) -> None:
    """Clip, playhead, the current rep and each rule's number, id, label and engine value."""
    box = layout.panel
    x, width = box.x + 16, box.w - 32
    _text(canvas, _fit(f"{exercise.replace('_', ' ')}: {clip}", width, 0.7), (x, 34), 0.7, CYAN)
    playing = "playing" if state.playing else "paused"
    where = f"{playing}   t {state.times[state.frame]:.2f} s   frame {state.frame + 1}/{len(state.times)}"
    _text(canvas, _fit(where, width, 0.6, 1), (x, 66), 0.6, WHITE, 1)
    if state.dirty:
        _text(canvas, "unsaved changes", (x, 94), 0.6, ORANGE, 1)
    if state.current is None:
        _text(canvas, "no reps found: a marks a rep's start, a again its end", (x, 134), 0.55, GREY, 1)
    else:
        rep = state.reps[state.current]
        colour = GREY if rep.dropped else WHITE
        _text(canvas, _fit(_rep_title(state, state.current), width, 0.7), (x, 134), 0.7, colour)
        for rule, (row_x, row_y) in enumerate(layout.rule_rows):
            mark = rep.marks[rule]
            colour = GREY if rep.dropped else MARK_COLOURS[mark]
            cv2.rectangle(canvas, (row_x, row_y + 4), (row_x + 26, row_y + 30), colour, -1)
            _text(canvas, str(rule + 1), (row_x + 6, row_y + 25), 0.65, (0, 0, 0), 2)
            label = state.rule_ids[rule].replace("_", " ")
            _text(canvas, _fit(label, width - 190, 0.65), (row_x + 38, row_y + 25), 0.65, WHITE)
            _text(canvas, mark.upper(), (box.x + box.w - 170, row_y + 25), 0.65, colour)
            detail = _fit(_engine_line(rep, rule), width - 40, 0.5, 1)
            _text(canvas, detail, (row_x + 38, row_y + 50), 0.5, GREY, 1)
        if rep.dropped:
            _text(canvas, "NOT A REP (x to restore)", (x, box.h - 78), 0.8, RED)
    if state.message:
        lines = wrap_to_width(state.message, width, 0.6, 1, max_lines=2)
        for i, line in enumerate(lines):
            _text(canvas, line, (x, box.h - 40 + 26 * i), 0.6, YELLOW, 1)


def draw_timeline(canvas: np.ndarray, box: Box, state: Labelling) -> None:
    """Each rep as a bar over the clip's duration: the current one outlined, dropped ones crossed out."""
    _shade(canvas, box, 0.8)
    start, duration = float(state.times[0]), float(state.times[-1] - state.times[0]) or 1.0

    def x_of(t: float) -> int:
        return round(box.x + box.w * (t - start) / duration)

    top, bottom = box.y + 8, box.y + box.h - 8
    for i, rep in enumerate(state.reps):
        left, right = x_of(rep.start_s), max(x_of(rep.end_s), x_of(rep.start_s) + 3)
        fill = DROPPED_REP if rep.dropped else (ENGINE_REP if rep.engine is not None else ADDED_REP)
        cv2.rectangle(canvas, (left, top), (right, bottom), fill, -1)
        if i == state.current:
            cv2.rectangle(canvas, (left - 3, top - 5), (right + 3, bottom + 5), WHITE, 3)
        if rep.dropped:
            cv2.line(canvas, (left, top), (right, bottom), RED, 3, cv2.LINE_AA)
            cv2.line(canvas, (left, bottom), (right, top), RED, 3, cv2.LINE_AA)
        _text(canvas, str(i + 1), (left + 6, bottom - 8), 0.6, WHITE, 1)
    if state.pending_start is not None:
        pending = x_of(float(state.times[state.pending_start]))
        cv2.line(canvas, (pending, box.y), (pending, box.y + box.h), ADDED_REP, 3)
    playhead = x_of(float(state.times[state.frame]))
    cv2.line(canvas, (playhead, box.y - 4), (playhead, box.y + box.h + 4), YELLOW, 3)


def render_labelling(
    image: np.ndarray,
    pose: PoseFrame | None,
    state: Labelling,
    *,
    exercise: str,
    clip: str,
    key_landmarks: tuple[int, ...],
    min_visibility: float,
) -> np.ndarray:
    """The window's canvas for the playhead's frame: `image` (H, W, 3) BGR and its pose drawn on.

    Returns a new (CANVAS_HEIGHT + BAND_HEIGHT, W' + PANEL_WIDTH, 3) uint8 array.
    """
    video = scaled_image(image, mirror=False)
    if pose is not None and pose.has_person:
        points = landmark_pixels(
            pose, video.shape[1], video.shape[0], mirror=False, min_visibility=min_visibility
        )
        draw_skeleton(video, points, key_landmarks)
    layout = label_layout(video.shape[1], len(state.rule_ids))
    canvas = np.full((layout.height, layout.width, 3), PANEL, dtype=np.uint8)
    canvas[layout.video.slices] = video
    draw_panel(canvas, layout, state, exercise, clip)
    draw_timeline(canvas, layout.timeline, state)
    _text(canvas, _fit(KEY_HELP, layout.keys.w - 20, 0.6, 1), (10, layout.keys.y + 28), 0.6, WHITE, 1)
    return canvas
