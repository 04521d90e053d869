"""Pieces several exercises share: picking the working leg and attributing a rep to a side."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.exercise import RepWindow
from formcheck.analysis.vocabulary import LEG_SIDES

LEG = ("hip", "knee", "ankle")
"""The landmarks of one leg (bare names: either side), for rules that judge the leg's angles."""
FOOT = (*LEG, "heel", "foot_index")
"""A leg and its foot, for rules that judge the knee against the toes."""


def front_leg_is_left(
    body: Body, side: str | None, sideness: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per frame, whether the left leg is the front (working) one, and both hips' flexion.

    In a staggered stance the front hip is the more flexed one: the rear thigh points back.
    A fixed ``side`` overrides the detection.
    """
    flexion = {s: sig.hip_flexion(body, s, sideness) for s in LEG_SIDES}
    left = flexion["left"] >= flexion["right"] if side is None else np.full(len(body), side == "left")
    return left, flexion


def side_by_larger_at_peak(stem: str) -> Callable[[RepWindow, Mapping[str, float]], str]:
    """A ``rep_side``: ``left``/``right`` for the side whose ``left_<stem>`` / ``right_<stem>`` signal
    is larger at the rep's peak; ``both`` when they differ by less than ``bilateral_max_deg``."""

    def side(window: RepWindow, values: Mapping[str, float]) -> str:
        gap = window.at_peak(f"left_{stem}") - window.at_peak(f"right_{stem}")
        if not np.isfinite(gap) or abs(gap) < float(values["bilateral_max_deg"]):
            return "both"
        return "left" if gap > 0 else "right"

    return side


side_by_hip_flexion = side_by_larger_at_peak("hip_flexion")
"""The leg whose hip bends more at the rep's peak (the front leg of a split stance); ``both`` when
the hips bend alike (a bilateral exercise)."""
