"""Sagittal leg geometry shared by standing motions: shin and thigh leans to joint angles."""

from __future__ import annotations

import numpy as np

from formcheck.synth.skeleton import Segments


def set_leg(angles: dict, side: str, *, pelvis_pitch, thigh_lean, shin_lean) -> None:
    """Joint angles of one leg from segment leans in world degrees (forward-positive from vertical).

    ``thigh_lean``: knee ahead of hip; ``shin_lean``: knee ahead of ankle. The foot stays flat.
    """
    angles[f"{side}_hip_flexion"] = pelvis_pitch + thigh_lean
    angles[f"{side}_knee_flexion"] = thigh_lean + shin_lean
    angles[f"{side}_ankle_dorsiflexion"] = np.asarray(shin_lean, dtype=np.float64) * np.ones_like(
        pelvis_pitch
    )


def shin_lean_for_knee_past_toes(past: float, segments: Segments | None = None) -> float:
    """Shin lean (deg) that puts the knee ``past`` shin lengths ahead of the toes (foot flat)."""
    seg = segments or Segments()
    return float(np.degrees(np.arcsin(np.clip(seg.toe_forward / seg.shin + past, -1, 1))))
