"""Supine hip internal rotation: lying on the back, knees bent, a ball between the knees and a band
round the ankles; both hips turn inwards so the feet move apart while the knees stay together.

Filmed from above, the camera high beyond the feet and looking down at the body: the view is
front-on (the shoulder and hip lines lie across the picture). Reps are counted on the
separation of the heels, in shin lengths; every rep is bilateral (``both``).

Whether the knees stay together is judged only when the camera looks down steeply enough
(`STEEP_CAMERA_MIN`). From low at the feet the shins point at the lens and hide the thighs, so
where along the shin the knee sits is ambiguous in the picture: on the studio's rendered bodies
MediaPipe then puts the knees halfway down the splayed shins and they seem to part by 0.7-0.9
shin lengths in clean reps (0.02 truly), while from nearly overhead it finds them.

Not judged: whether the low back arches. Arching tips the pelvis about the hip joints while the
trunk stays on the floor and the thighs stay where they are, so none of the pose model's 33
landmarks moves (there is no landmark on the lumbar spine or the pelvis' tilt) — from any view.
A rule on it would guess; the exercise description asks the person to keep the back flat instead.
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.exercise import Exercise, RepWindow, Rule

LEGS = ("left_knee", "right_knee", "left_ankle", "right_ankle")
STEEP_CAMERA_MIN = 1.1
"""Smallest `trunk_over_shoulder_width` (median over the rep) at which the knees are judged: a
camera looking down at ~50 deg or more (about 0.85 from 1.8 m up at 2.4 m, 1.35 nearly overhead)."""


def signals(body: Body, side: str | None) -> dict:
    del side  # both hips turn together
    return {
        "heel_separation": sig.separation(body, "heel"),
        "knee_separation": sig.separation(body, "knee"),
        "shin_spread": sig.shin_spread(body, body.sideness()),
        "trunk_over_shoulder_width": sig.trunk_over_shoulder_width(body),
    }


def knees_parting(window: RepWindow) -> float:
    """Widening of the knee gap from the rep's start; NaN (not judged) from a camera too low to
    place the knees."""
    if not np.nanmedian(window.signals["trunk_over_shoulder_width"]) >= STEEP_CAMERA_MIN:
        return float("nan")
    return window.largest_rise("knee_separation")


EXERCISE = Exercise(
    name="hip_internal_rotation",
    title="Hip internal rotation (supine, band round the ankles, ball between the knees)",
    description=(
        "Lie on your back, knees bent, the camera high beyond your feet looking down at you; "
        "turn the feet apart, knees together, low back flat."
    ),
    views=("front",),
    view_prompt="Lie on your back with the camera high beyond your feet, looking down at you",
    primary="heel_separation",
    primary_unit="shin lengths",
    direction=1,
    target_rule=None,
    key_landmarks=(*LEGS, "left_heel", "right_heel"),
    signals=signals,
    rep_side=lambda window, values: "both",
    rules=(
        Rule(
            id="knees_apart",
            description=(
                "the knees stay together on the ball while the feet move apart "
                "(judged with the camera looking down steeply)"
            ),
            cue="Squeeze the ball; keep your knees together",
            unit="shin lengths",
            limit="max",
            views=("front",),
            landmarks=(*LEGS, "left_shoulder", "right_shoulder", "left_hip", "right_hip"),
            measure=knees_parting,
            weight=2.0,
        ),
        Rule(
            id="rotation_range",
            description="each hip turns in far enough (half the opening between the shins)",
            cue="Turn your feet further apart",
            unit="deg",
            limit="min",
            views=("front", "oblique"),
            landmarks=LEGS,
            measure=lambda w: w.largest_rise("shin_spread") / 2,
        ),
    ),
)
