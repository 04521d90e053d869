"""Single-leg glute bridge: lying on the back, one foot planted with the knee bent, the other leg
held out straight; the hips lift until shoulders, hips and knee form a line, hold, and lower.

Filmed side-on. Reps are counted on the shoulder-hip-knee angle at the working hip (about 135
lying down, 180 with the three in a line at full extension). The working leg is the planted one —
the leg whose knee is bent; the free leg is straight. With both knees bent alike (a two-leg
bridge) the rep is bilateral (``both``). The pelvis staying level can only be seen with the
camera at the feet (front view); side-on MediaPipe guesses the hip line's depth and drifted by
half a 15-degree drop on clean studio renders, so that rule says "wrong camera view" there.
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.exercise import Exercise, RepWindow, Rule
from formcheck.analysis.vocabulary import LEG_SIDES
from formcheck.exercises.common import side_by_larger_at_peak

LINE = ("shoulder", "hip", "knee")
BOTH_HIPS = ("left_hip", "right_hip")


def signals(body: Body, side: str | None) -> dict:
    sideness = body.sideness()
    knee = {s: sig.knee_flexion(body, s, sideness) for s in LEG_SIDES}
    # The planted leg is the bent one: the free leg is held out straight.
    left = knee["left"] >= knee["right"] if side is None else np.full(len(body), side == "left")
    above = sig.pick_side(
        sig.hip_above_line(body, "left", sideness), sig.hip_above_line(body, "right", sideness), left
    )
    return {
        "hip_line_angle": 180.0 + above,
        "hip_above_line": above,
        "left_knee_flexion": knee["left"],
        "right_knee_flexion": knee["right"],
        "pelvis_tilt": sig.pelvis_tilt(body),
    }


planted_leg = side_by_larger_at_peak("knee_flexion")
"""The leg whose knee is bent at the top (the free leg is straight); ``both`` when both knees bend
within ``bilateral_max_deg`` of each other (a two-leg bridge)."""


def free_side_drop(window: RepWindow) -> float:
    """Largest drop of the pelvis on the free side from where it lay at the rep's start, degrees;
    in a two-leg bridge, the largest tilt either way."""
    change = window.signals["pelvis_tilt"] - window.at_start("pelvis_tilt")
    if not np.isfinite(change).any():
        return float("nan")
    if window.side == "both":
        return float(np.nanmax(np.abs(change)))
    # pelvis_tilt is + with the right hip lower: the free side is the right one when the left works.
    towards_free = change if window.side == "left" else -change
    return float(max(np.nanmax(towards_free), 0.0))


EXERCISE = Exercise(
    name="glute_bridge",
    title="Single-leg glute bridge (two-leg bridges count as both)",
    description="Lie side-on to the camera, one foot planted, the other leg straight; lift the hips.",
    # Side-on for every rule but the pelvis one, which needs the camera at the feet.
    views=("side", "front"),
    view_prompt="Lie side-on to the camera (or film from your feet to check the pelvis)",
    primary="hip_line_angle",
    primary_unit="deg",
    direction=1,
    target_rule="hip_extension",
    key_landmarks=("shoulder", "hip", "knee", "ankle"),
    signals=signals,
    rep_side=planted_leg,
    rules=(
        Rule(
            id="hip_extension",
            description="the hips lift until shoulders, hips and knee form a straight line",
            cue="Squeeze your glutes and lift your hips higher",
            unit="deg",
            limit="min",
            views=("side", "oblique"),
            landmarks=LINE,
            measure=lambda w: w.largest("hip_line_angle"),
            weight=2.0,
        ),
        Rule(
            id="pelvis_drop",
            description="the pelvis stays level: the free side does not drop (camera at the feet)",
            cue="Keep your hips level",
            unit="deg",
            limit="max",
            views=("front",),
            landmarks=BOTH_HIPS,
            measure=free_side_drop,
            weight=2.0,
        ),
        Rule(
            id="hold",
            description="a pause with the hips up at the top",
            cue="Hold at the top for a moment",
            unit="s",
            limit="min",
            views=("side", "front", "oblique"),
            landmarks=LINE,
            measure=lambda w: w.hold_s(),
        ),
        Rule(
            id="back_arch",
            description="the lower back does not arch: the hips do not rise above the shoulder-knee line",
            cue="Keep your ribs down; lift with your glutes, not your back",
            unit="deg",
            limit="max",
            views=("side", "oblique"),
            landmarks=LINE,
            frame_signal="hip_above_line",
        ),
    ),
)
