"""Squat, bodyweight or goblet: the bilateral base of the split squat.

Filmed side-on (depth, knee over toes, heels, trunk) or front-on (knee tracking). Reps are
counted on the mean bend of both knees; every rep is bilateral (``both``).
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.exercise import Exercise, Rule
from formcheck.analysis.vocabulary import LEG_SIDES
from formcheck.exercises.common import FOOT

KNEES_BENT_DEG = 45.0
"""Knee tracking is read only on frames bent at least this far: standing in a wide stance the
knees sit inside the ankles by nature (0.12 shin lengths on the studio body, 0.06-0.18 on the
three real front-on squats), and the knees cave under load, on the way down and up."""


def signals(body: Body, side: str | None) -> dict:
    del side  # both legs work alike; rules take the worse of the two
    sideness = body.sideness()

    def worse(fn):
        return np.fmax(fn("left"), fn("right"))

    knees = [sig.knee_flexion(body, s, sideness) for s in LEG_SIDES]
    knee_flexion = np.nanmean(np.stack(knees), axis=0)
    return {
        "knee_flexion": knee_flexion,
        "trunk_lean": sig.trunk_lean(body, sideness),
        "knee_past_toes": worse(lambda s: sig.knee_past_toes(body, s)),
        "knees_inside_ankles": np.where(
            knee_flexion >= KNEES_BENT_DEG, sig.knees_inside_ankles(body), np.nan
        ),
        "heel_lift": worse(lambda s: sig.heel_lift(body, s)),
    }


EXERCISE = Exercise(
    name="squat",
    title="Squat (bodyweight or goblet)",
    description="Side-on for depth and knee travel, front-on for knee tracking.",
    views=("side", "front"),
    view_prompt="Turn side-on (or face the camera)",
    primary="knee_flexion",
    primary_unit="deg",
    direction=1,
    target_rule="depth",
    key_landmarks=("hip", "knee", "ankle"),
    signals=signals,
    rep_side=lambda window, values: "both",
    rules=(
        Rule(
            id="depth",
            description="the knees bend far enough at the bottom (thighs toward parallel)",
            cue="Sit a little deeper",
            unit="deg",
            limit="min",
            # Front-on the knee bends towards the lens and only MediaPipe's depth guess sees it:
            # on studio renders it read 15-20 deg short of the true bend, so depth asks to turn.
            views=("side", "oblique"),
            landmarks=("hip", "knee", "ankle"),
            measure=lambda w: w.largest("knee_flexion"),
        ),
        Rule(
            id="knee_over_toes",
            description="the knees do not travel far past the toes (side view)",
            cue="Sit back; keep your knees over your feet",
            unit="shin lengths",
            limit="max",
            views=("side",),
            landmarks=FOOT,
            frame_signal="knee_past_toes",
            weight=2.0,
        ),
        Rule(
            id="knee_tracking",
            description="the knees track over the feet, not caving inside the ankles (front view)",
            cue="Push your knees out over your toes",
            unit="shin lengths",
            limit="max",
            views=("front",),
            landmarks=("left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"),
            frame_signal="knees_inside_ankles",
            weight=2.0,
        ),
        Rule(
            id="heels_down",
            description="the heels stay on the floor (do not rise from where they stood)",
            cue="Keep your heels down",
            unit="shin lengths",
            limit="max",
            views=("side",),
            landmarks=("knee", "ankle", "heel", "foot_index"),
            # From the rep's start: a real heel landmark sits above the sole, so even a flat
            # foot reads ~0.08 "above the toes"; standing tall, the heels are down.
            measure=lambda w: w.largest_rise("heel_lift"),
        ),
        Rule(
            id="trunk_angle",
            description="the trunk does not fold too far forward",
            cue="Chest up",
            unit="deg",
            limit="max",
            views=("side",),
            landmarks=("shoulder", "hip"),
            frame_signal="trunk_lean",
        ),
    ),
)
