"""Lateral band walk (monster walk): a half squat with a band round the knees or ankles, stepping
sideways — the leading foot steps out against the band, the trailing foot follows.

Filmed front-on. One rep is one step: the stance widening and closing again, counted on the gap
between the ankles in hip widths, measured from the person's own stance between steps (a wide
and a narrow walker both count). A step belongs to the leading leg, the one that moved out first
(``left`` = travelling to the person's left), so the left/right comparison shows the steps each
way. Work is done in timed sets (``set_duration_s``, ``sets``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.exercise import Exercise, RepWindow, Rule
from formcheck.analysis.vocabulary import LEG_SIDES
from formcheck.core.landmarks import Landmark as L

LEGS = ("left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle")


def signals(body: Body, side: str | None) -> dict:
    del side  # both legs work in every step; the leading one is found per rep
    hip_width = np.abs(body.img(L.LEFT_HIP)[:, 0] - body.img(L.RIGHT_HIP)[:, 0])
    left_x, right_x = body.img(L.LEFT_ANKLE)[:, 0], body.img(L.RIGHT_ANKLE)[:, 0]
    sideness = body.sideness()
    knees = [sig.knee_flexion(body, s, sideness) for s in LEG_SIDES]
    shoulders = body.midpoint_of(body.image, (L.LEFT_SHOULDER, L.RIGHT_SHOULDER))
    hips = body.midpoint_of(body.image, (L.LEFT_HIP, L.RIGHT_HIP))
    trunk = shoulders[:, :2] - hips[:, :2]
    return {
        "stance_width": np.abs(left_x - right_x) / hip_width,
        # Where each ankle is across the image (image heights), to see which foot moved first.
        "left_ankle_x": left_x,
        "right_ankle_x": right_x,
        "knee_valgus": np.fmax(sig.knee_valgus(body, "left"), sig.knee_valgus(body, "right")),
        "knee_flexion": np.nanmean(np.stack(knees), axis=0),
        # Sideways lean of the trunk on the image (front-on, a forward lean does not show here).
        "trunk_tilt": np.degrees(np.arctan2(trunk[:, 0], -trunk[:, 1])),
    }


def leading_leg(window: RepWindow, values: Mapping[str, float]) -> str:
    """The leg whose ankle travelled further from the step's start to its widest point: the one
    that stepped out first, which is the direction of travel."""
    del values
    travel = {s: abs(window.change(f"{s}_ankle_x")) for s in LEG_SIDES}
    if not all(np.isfinite(v) for v in travel.values()):
        return "both"
    return "left" if travel["left"] >= travel["right"] else "right"


EXERCISE = Exercise(
    name="band_walk",
    title="Lateral band walk (monster walk)",
    description="Face the camera in a half squat, band round the knees or ankles; step sideways.",
    views=("front",),
    view_prompt="Face the camera",
    primary="stance_width",
    primary_unit="hip widths",
    direction=1,
    target_rule=None,
    key_landmarks=("left_hip", "right_hip", "left_ankle", "right_ankle"),
    signals=signals,
    rep_side=leading_leg,
    counted_from_rest=True,
    rules=(
        Rule(
            id="narrow_stance",
            description="the feet stay apart between steps, keeping the band tense",
            cue="Keep your feet wide; don't let the band go slack",
            unit="hip widths",
            limit="min",
            views=("front",),
            landmarks=("left_hip", "right_hip", "left_ankle", "right_ankle"),
            measure=lambda w: w.smallest("stance_width"),
        ),
        Rule(
            id="knee_valgus",
            description="the knees stay over the feet, not caving in against the band",
            cue="Push your knees out against the band",
            unit="shin lengths",
            limit="max",
            views=("front",),
            landmarks=LEGS,
            frame_signal="knee_valgus",
            weight=2.0,
        ),
        Rule(
            id="half_squat",
            description="the half-squat posture is held through the step (knees stay bent)",
            cue="Stay low: keep your knees bent",
            unit="deg",
            limit="min",
            views=("front",),
            landmarks=LEGS,
            measure=lambda w: w.smallest("knee_flexion"),
        ),
        Rule(
            id="trunk_sway",
            description="the trunk stays upright, not swaying side to side with the steps",
            cue="Keep your chest still; move only your legs",
            unit="deg",
            limit="max",
            views=("front",),
            landmarks=("left_shoulder", "right_shoulder", "left_hip", "right_hip"),
            measure=lambda w: w.largest_change("trunk_tilt"),
        ),
    ),
)
