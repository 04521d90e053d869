"""Supine hip flexor march: lying on the back, knees bent and feet flat; one leg at a time lifts
until the hip is bent about 90 degrees, then lowers, the legs taking turns.

Filmed side-on. Each lift is a rep of its own leg: per frame the moving leg is the one whose
hip bends more (the resting foot stays on the floor), and reps are counted on that hip's bend,
so alternating legs give alternating ``left``/``right`` reps. A lift is counted from the
hip's resting bend, which depends on how close the feet are to the buttocks. The pelvis
staying still can only be seen with the camera at the feet (front view), as for the glute
bridge.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.exercise import Exercise, RepWindow, Rule
from formcheck.analysis.vocabulary import LEG_SIDES

LINE = ("shoulder", "hip", "knee")
BOTH_LEGS = ("left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_knee", "right_knee")


def signals(body: Body, side: str | None) -> dict:
    sideness = body.sideness()
    bend = {s: sig.hip_bend(body, s, sideness) for s in LEG_SIDES}
    left = bend["left"] >= bend["right"] if side is None else np.full(len(body), side == "left")
    return {
        "moving_hip_bend": sig.pick_side(bend["left"], bend["right"], left),
        "resting_hip_bend": sig.pick_side(bend["right"], bend["left"], left),
        "left_hip_bend": bend["left"],
        "right_hip_bend": bend["right"],
        "pelvis_tilt": sig.pelvis_tilt(body),
    }


def lifted_leg(window: RepWindow, values: Mapping[str, float]) -> str:
    """The leg whose hip bends more at the top of the lift."""
    del values
    gap = window.at_peak("left_hip_bend") - window.at_peak("right_hip_bend")
    if not np.isfinite(gap):
        return "both"
    return "left" if gap > 0 else "right"


def resting_leg_rise_at_top(window: RepWindow) -> float:
    """How much the resting hip has bent since the rep's start while the moving knee is up
    (median over the frames at the top), degrees.

    Judged at the top, where holding the other foot down is hardest; on the way up and down
    the lifting leg passes in front of the resting one side-on and hides it for a few frames.
    """
    at_top = window.signals["resting_hip_bend"][window.at_top()]
    if not np.isfinite(at_top).any():
        return float("nan")
    return float(np.nanmedian(at_top) - window.at_start("resting_hip_bend"))


EXERCISE = Exercise(
    name="hip_flexor_march",
    title="Supine hip flexor march (legs alternate, counted per leg)",
    description="Lie side-on to the camera, knees bent, feet flat; lift one knee at a time.",
    # Side-on for every rule but the pelvis one, which needs the camera at the feet.
    views=("side", "front"),
    view_prompt="Lie side-on to the camera (or film from your feet to check the pelvis)",
    primary="moving_hip_bend",
    primary_unit="deg",
    direction=1,
    target_rule="march_height",
    key_landmarks=BOTH_LEGS,
    signals=signals,
    rep_side=lifted_leg,
    # Where the hips rest depends on how close the feet are to the buttocks.
    counted_from_rest=True,
    rules=(
        Rule(
            id="march_height",
            description="the knee comes up until the hip is bent about 90 degrees",
            cue="Bring your knee up over your hip",
            unit="deg",
            limit="min",
            views=("side", "oblique"),
            landmarks=LINE,
            measure=lambda w: w.largest("moving_hip_bend"),
            weight=2.0,
        ),
        Rule(
            id="pelvis_rock",
            description="the pelvis does not rock towards the lifting side (camera at the feet)",
            cue="Keep your pelvis still; brace your tummy",
            unit="deg",
            limit="max",
            views=("front",),
            landmarks=("left_hip", "right_hip"),
            measure=lambda w: w.largest_change("pelvis_tilt"),
            weight=2.0,
        ),
        Rule(
            id="other_leg_lifts",
            description="the other leg stays down, its foot on the floor",
            cue="Keep the other foot on the floor",
            unit="deg",
            limit="max",
            views=("side", "front", "oblique"),
            landmarks=BOTH_LEGS,
            measure=resting_leg_rise_at_top,
        ),
    ),
)
