"""Banded mountain climber: a high plank on the hands, a band round the feet; one knee at a time
drives towards the chest and returns, the plank line from shoulders to ankles staying straight.

Filmed side-on. Each drive is a rep of the driving leg: per frame the driving leg is the one
whose hip bends more (`front_leg_is_left`), the other one is the supporting leg. Reps are
counted on how much further the driving hip bends than the supporting one, so that alternating
legs always pass back through zero (even when one knee comes in as the other goes back) and a
pike, which bends both hips alike, cannot count as a drive. The plank line is judged on the
supporting leg: the hips' distance above or below its shoulder-ankle line.
"""

from __future__ import annotations

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.exercise import Exercise, Rule
from formcheck.exercises.common import front_leg_is_left, side_by_hip_flexion

PLANK_LINE = ("shoulder", "hip", "ankle")


def signals(body: Body, side: str | None) -> dict:
    sideness = body.sideness()
    left_drives, hip_flexion = front_leg_is_left(body, side, sideness)
    drive = sig.pick_side(hip_flexion["left"], hip_flexion["right"], left_drives)
    support = sig.pick_side(hip_flexion["right"], hip_flexion["left"], left_drives)
    hips_off_line = sig.pick_side(
        sig.hips_off_line(body, "right"), sig.hips_off_line(body, "left"), left_drives
    )
    return {
        "hip_flexion_gap": drive - support,
        "drive_hip_flexion": drive,
        "left_hip_flexion": hip_flexion["left"],
        "right_hip_flexion": hip_flexion["right"],
        "hips_above_line": hips_off_line,
        "hips_below_line": -hips_off_line,
    }


EXERCISE = Exercise(
    name="mountain_climber",
    title="Mountain climber (banded)",
    description="Side-on to the camera in a high plank; drive one knee at a time towards your chest.",
    views=("side",),
    view_prompt="Turn side-on to the camera",
    primary="hip_flexion_gap",
    primary_unit="deg",
    direction=1,
    # In a straight plank the supporting hip is near 0, so the gap reads as the drive's hip bend.
    target_rule="knee_drive",
    key_landmarks=("shoulder", "hip", "knee", "ankle"),
    signals=signals,
    rep_side=side_by_hip_flexion,
    rules=(
        Rule(
            id="hips_pike",
            description="the hips stay on the shoulder-ankle line, not piking up",
            cue="Lower your hips into one straight line",
            unit="thigh lengths",
            limit="max",
            views=("side",),
            landmarks=PLANK_LINE,
            frame_signal="hips_above_line",
            weight=2.0,
        ),
        Rule(
            id="hips_sag",
            description="the hips stay on the shoulder-ankle line, not sagging towards the floor",
            cue="Lift your hips and brace your stomach",
            unit="thigh lengths",
            limit="max",
            views=("side",),
            landmarks=PLANK_LINE,
            frame_signal="hips_below_line",
            weight=2.0,
        ),
        Rule(
            id="knee_drive",
            description="the driving knee comes up towards the chest (hip bend of the driving leg)",
            cue="Drive your knee further towards your chest",
            unit="deg",
            limit="min",
            views=("side", "oblique"),
            landmarks=("shoulder", "hip", "knee"),
            measure=lambda w: w.largest("drive_hip_flexion"),
        ),
    ),
)
