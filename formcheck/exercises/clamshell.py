"""Clamshell: side-lying, hips bent ~45 deg, knees ~90, heels together, band above the knees.

Filmed with the camera in front of the body (the person lies facing it). The top knee opens
by hip external rotation and abduction while the heels stay together and the pelvis stays
stacked; reps are counted on the opening between the knees, hinged at the feet, up from the
person's own resting opening (thick thighs hold the knees apart). The working leg is the top one.
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.exercise import Exercise, RepWindow, Rule
from formcheck.core.landmarks import Landmark as L

BOTH_LEGS = ("left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle")


def signals(body: Body, side: str | None) -> dict:
    del side  # the top leg is the working one; there is nothing to pick per frame
    sideness = body.sideness()
    return {
        "knee_opening": sig.clam_opening(body, sideness),
        "pelvis_roll": sig.pelvis_roll(body),
        "feet_gap": sig.feet_gap(body),
        # Image y points down: positive when the left hip is the upper one.
        "left_hip_higher": body.img(L.RIGHT_HIP)[:, 1] - body.img(L.LEFT_HIP)[:, 1],
    }


def top_leg(window: RepWindow, values) -> str:
    del values
    higher = float(np.nanmean(window.signals["left_hip_higher"]))
    if not np.isfinite(higher):
        return "both"
    return "left" if higher > 0 else "right"


EXERCISE = Exercise(
    name="clamshell",
    title="Clamshell (side-lying, banded)",
    description="Lie on your side facing the camera, knees bent, heels together; open the top knee.",
    views=("front",),
    view_prompt="Lie on your side facing the camera",
    primary="knee_opening",
    primary_unit="deg",
    direction=1,
    target_rule="knee_opening",
    key_landmarks=BOTH_LEGS,
    signals=signals,
    rep_side=top_leg,
    counted_from_rest=True,
    target_from_rest=True,
    rules=(
        Rule(
            id="pelvis_still",
            description="the top hip does not roll back as the knee opens (pelvis stays stacked)",
            cue="Keep your hips stacked; only the knee moves",
            unit="deg",
            limit="max",
            views=("front",),
            landmarks=("left_hip", "right_hip"),
            measure=lambda w: w.largest_rise("pelvis_roll"),
            weight=2.0,
        ),
        Rule(
            id="heels_together",
            description="the heels stay together while the knee opens (the feet do not part)",
            cue="Keep your heels together",
            unit="shin lengths",
            limit="max",
            views=("front", "oblique"),
            landmarks=BOTH_LEGS,
            measure=lambda w: w.largest_rise("feet_gap"),
        ),
        Rule(
            id="knee_opening",
            description="the top knee opens far enough (from where it rested)",
            cue="Open your knee a little further",
            unit="deg",
            limit="min",
            views=("front", "oblique"),
            landmarks=BOTH_LEGS,
            measure=lambda w: w.change("knee_opening"),
        ),
        Rule(
            id="top_hold",
            description="a pause with the knee open at the top",
            cue="Pause at the top",
            unit="s",
            limit="min",
            views=("front", "oblique", "side"),
            landmarks=BOTH_LEGS,
            measure=lambda w: w.hold_s(),
        ),
        Rule(
            id="slow_return",
            description="the knee closes under control, not snapping back with the band",
            cue="Close slowly against the band",
            unit="s",
            limit="min",
            views=("front", "oblique", "side"),
            landmarks=BOTH_LEGS,
            measure=lambda w: w.returning_s(),
        ),
    ),
)
