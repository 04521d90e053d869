"""Supine hip internal rotation: lying on the back, knees bent, a ball between the knees and a band
round the ankles; both hips turn inwards so the feet move apart while the knees stay together.

Filmed from the feet (a camera on the floor or raised, looking along the body) or from above:
both see the body front-on (the shoulder and hip lines lie across the picture). Reps are
counted on the separation of the heels, in shin lengths; every rep is bilateral (``both``).

Not judged: whether the low back arches. Arching tips the pelvis about the hip joints while the
trunk stays on the floor and the thighs stay where they are, so none of the pose model's 33
landmarks moves (there is no landmark on the lumbar spine or the pelvis' tilt) — from any view.
A rule on it would guess; the exercise description asks the person to keep the back flat instead.
"""

from __future__ import annotations

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.exercises.base import Exercise, Rule

LEGS = ("left_knee", "right_knee", "left_ankle", "right_ankle")


def signals(body: Body, side: str | None) -> dict:
    del side  # both hips turn together
    return {
        "heel_separation": sig.separation(body, "heel"),
        "knee_separation": sig.separation(body, "knee"),
        "shin_spread": sig.shin_spread(body, body.sideness()),
    }


EXERCISE = Exercise(
    name="hip_internal_rotation",
    title="Hip internal rotation (supine, band round the ankles, ball between the knees)",
    description=(
        "Lie on your back, knees bent, camera at your feet or above you; "
        "turn the feet apart, knees together, low back flat."
    ),
    views=("front",),
    view_prompt="Lie on your back with the camera at your feet or above you",
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
            description="the knees stay together on the ball while the feet move apart",
            cue="Squeeze the ball; keep your knees together",
            unit="shin lengths",
            limit="max",
            views=("front",),
            landmarks=LEGS,
            measure=lambda w: w.largest_rise("knee_separation"),
            weight=2.0,
        ),
        Rule(
            id="rotation_range",
            description="each hip turns in far enough (half the opening between the shins)",
            cue="Turn your feet further apart",
            unit="deg",
            limit="min",
            views=("front", "other"),
            landmarks=LEGS,
            measure=lambda w: w.largest_rise("shin_spread") / 2,
        ),
    ),
)
