"""Clamshell: lying on the side opposite ``side`` (``side`` is the top, working leg), hips bent 45,
knees 90, heels together. The top knee opens by hip abduction with external rotation sized to keep
the heels together; a hold at the top; a controlled close. Filmed by `camera` from in front."""

from __future__ import annotations

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.camera import Camera
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.skeleton import Segments

VIEW = "front"
FAULTS = {
    "pelvis_still": "degrees the pelvis rolls back at the top",
    "heels_together": "share (0-1) of the heel-keeping hip rotation left out (the foot lifts)",
    "knee_opening": "degrees short of the clean 55-degree turn of the leg about the hip-heel line",
    "top_hold": "hold at the top in seconds (clean: 1.0)",
    "slow_return": "closing time in seconds (clean: 1.3)",
}
OPENING = 55.0
LYING_HIP_HEIGHT = 0.15


def motion(reps=5, side="right", faults=None, seed=0, tempo=1.0):
    if side not in ("left", "right"):
        raise ValueError(f"a clamshell works one leg: side must be left or right, got {side!r}")
    faults = check_faults(faults, FAULTS)
    plan = schedule(
        reps,
        seed,
        tempo,
        down_s=1.2,
        hold_s=faults.get("top_hold", 1.0),
        up_s=faults.get("slow_return", 1.3),
    )
    t = times(plan.duration_s)
    p = plan.progress(t)
    n = len(t)
    angles = {name: np.zeros(n) for name in BodyPose.standing(t[:1]).joint_angles}
    top = side
    for leg in ("left", "right"):
        angles[f"{leg}_hip_flexion"] = np.full(n, 45.0)
        angles[f"{leg}_knee_flexion"] = np.full(n, 90.0)
        angles[f"{leg}_shoulder_flexion"] = np.full(n, 80.0)
        angles[f"{leg}_elbow_flexion"] = np.full(n, 60.0)
    opening = (OPENING - faults.get("knee_opening", 0.0)) * p
    flexion, abduction, rotation = _clam_hinge(opening)
    bottom = "left" if top == "right" else "right"
    angles[f"{bottom}_hip_abduction"] = np.full(n, -heels_meeting_adduction())
    angles[f"{top}_hip_flexion"] = flexion
    angles[f"{top}_hip_abduction"] = abduction
    angles[f"{top}_hip_external_rotation"] = rotation * (1.0 - faults.get("heels_together", 0.0))
    # Lying on the left side is roll -90 (on the right, +90); rolling back is pitch negative.
    roll = -90.0 if top == "right" else 90.0
    pitch = -faults.get("pelvis_still", 0.0) * p
    rotation = np.stack([np.zeros(n), pitch, np.full(n, roll)], axis=1)
    root = np.tile([0.0, LYING_HIP_HEIGHT, 0.0], (n, 1))
    pose = BodyPose(t=t, root_position=root, root_rotation=rotation, joint_angles=angles)
    return pose, plan.truths(side, faults)


def _axis_rotation(axis: np.ndarray, degrees: np.ndarray) -> np.ndarray:
    """(N, 3, 3) rotations by ``degrees`` about the unit ``axis`` (Rodrigues)."""
    a = np.radians(degrees)[:, None, None]
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(a) * k + (1 - np.cos(a)) * (k @ k)


def _rest_leg(adduction_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Left thigh rotation at rest (hip 45, adducted) and the heel's offset from the hip, pelvis frame."""
    seg = Segments()
    f, a = np.radians(45.0), np.radians(-adduction_deg)
    rx = np.array([[1, 0, 0], [0, np.cos(-f), -np.sin(-f)], [0, np.sin(-f), np.cos(-f)]])
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    knee_bend = np.array([[1, 0, 0], [0, 0, -1], [0, 1, 0]])  # Rx(90)
    shank = knee_bend @ np.array([0, -seg.shin - seg.ankle_height, -seg.heel_back])
    return rx @ rz, rx @ rz @ (np.array([0, -seg.thigh, 0]) + shank)


def heels_meeting_adduction() -> float:
    """Hip adduction (deg) of each leg that brings the heels together at rest (2.5 cm off the midline)."""
    candidates = np.linspace(0.0, 30.0, 601)
    offsets = [abs(_rest_leg(a)[1][0] + Segments().hip_half_width - 0.025) for a in candidates]
    return float(candidates[int(np.argmin(offsets))])


def _clam_hinge(opening: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Left-leg hip flexion, abduction, external rotation (deg) that turn the resting leg (hip 45,
    knee 90, heels together) as one piece about the hip -> heel line by ``opening`` degrees: the
    clam's hinge, so the heel does not move. (Mirror abduction and rotation for the right leg.)"""
    rx, heel = _rest_leg(heels_meeting_adduction())
    axis = heel / np.linalg.norm(heel)
    # Of the two directions about the axis, the one that moves the left knee outward (+x).
    knee = rx @ np.array([0, -Segments().thigh, 0])
    turn = 1.0 if (_axis_rotation(axis, np.array([5.0]))[0] @ knee)[0] > 0 else -1.0
    r = _axis_rotation(axis, turn * opening) @ rx
    # Undo thigh = Rx(-flexion) Rz(abduction) Ry(rotation).
    abduction = np.degrees(np.arcsin(np.clip(-r[:, 0, 1], -1, 1)))
    flexion = np.degrees(np.arctan2(-r[:, 2, 1], r[:, 1, 1]))
    rotation = np.degrees(np.arctan2(r[:, 0, 2], r[:, 0, 0]))
    return flexion, abduction, rotation


def camera(distance: float = 2.6) -> Camera:
    """In front of the lying body, a little above it, looking slightly down."""
    return Camera(
        position=np.array([0.0, 0.7, distance]), target=np.array([0.0, 0.2, 0.0]), vertical_fov_deg=55.0
    )
