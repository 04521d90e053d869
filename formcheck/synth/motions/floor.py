"""Geometry shared by the floor and plank motions: sagittal angles, a two-link leg, lying poses.

Sagittal angles are measured in the world's y-z plane from straight down, towards +z:
0 points at the floor, 90 along +z, 180 straight up. For a pelvis pitched by ``p``
(`formcheck.synth.body_pose`), its "down" (towards the knees) lies at ``-p``; hip and
shoulder flexion add to that angle, knee flexion takes away from it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.motions import Schedule
from formcheck.synth.rotations import axis_rotation

HIP_ABOVE_FLOOR_LYING = 0.10
"""Height of the hip joints above the floor when lying on the back (the buttocks' depth), metres."""
SHOULDER_ABOVE_FLOOR_LYING = 0.08


def direction(angle_deg: np.ndarray) -> np.ndarray:
    """(..., 2) unit (y, z) vectors at sagittal angles (...,) degrees."""
    radians = np.radians(angle_deg)
    return np.stack([-np.cos(radians), np.sin(radians)], axis=-1)


def angle_of(vector_yz: np.ndarray) -> np.ndarray:
    """(...,) sagittal angle in degrees of (..., 2) (y, z) vectors."""
    return np.degrees(np.arctan2(vector_yz[..., 1], -vector_yz[..., 0]))


def two_link(start: np.ndarray, end: np.ndarray, upper: float, lower: float) -> tuple[np.ndarray, np.ndarray]:
    """Sagittal angles of the two segments joining ``start`` to ``end`` ((N, 2) y, z), middle joint
    bent towards larger angles (a knee in front of the hip-ankle line).

    Returns (upper angle, lower angle), each (N,) degrees; the distance is clipped to reachable.
    """
    offset = end - start
    distance = np.clip(np.linalg.norm(offset, axis=-1), abs(upper - lower) + 1e-6, upper + lower - 1e-6)
    line = angle_of(offset)
    at_start = np.degrees(np.arccos((upper**2 + distance**2 - lower**2) / (2 * upper * distance)))
    at_end = np.degrees(np.arccos((lower**2 + distance**2 - upper**2) / (2 * lower * distance)))
    return line + at_start, line - at_end


def set_sagittal_leg(angles: dict, side: str, pelvis_pitch, thigh, shank, foot) -> None:
    """Hip, knee and ankle angles of one leg from its segments' sagittal angles (degrees)."""
    angles[f"{side}_hip_flexion"] = thigh + pelvis_pitch
    angles[f"{side}_knee_flexion"] = thigh - shank
    angles[f"{side}_ankle_dorsiflexion"] = foot - shank - 90.0


def sub_schedule(plan: Schedule, reps: np.ndarray) -> Schedule:
    """The same plan keeping only the reps selected by the bool mask ``reps`` (R,): one leg's reps."""
    return replace(
        plan,
        start=plan.start[reps],
        down_s=plan.down_s[reps],
        hold_s=plan.hold_s[reps],
        up_s=plan.up_s[reps],
        depth=plan.depth[reps],
    )


def yaw_pitch_roll(rotation: np.ndarray, near_pitch: np.ndarray) -> np.ndarray:
    """(N, 3) yaw, pitch, roll in degrees of (N, 3, 3) pelvis rotations (body_pose order).

    Every rotation has two such triples; this picks the one whose pitch is nearer
    ``near_pitch`` (N,), so that a body lying past vertical (pitch below -90) keeps a
    continuous description.
    """
    pitch = np.degrees(np.arcsin(np.clip(-rotation[:, 1, 2], -1.0, 1.0)))
    yaw = np.degrees(np.arctan2(rotation[:, 0, 2], rotation[:, 2, 2]))
    roll = np.degrees(np.arctan2(rotation[:, 1, 0], rotation[:, 1, 1]))
    other_pitch = np.where(pitch >= 0, 180.0, -180.0) - pitch
    use_other = np.abs(other_pitch - near_pitch) < np.abs(pitch - near_pitch)
    wrap = lambda angle: (angle + 180.0) % 360.0 - 180.0  # noqa: E731
    return np.stack(
        [
            np.where(use_other, wrap(yaw + 180.0), yaw),
            np.where(use_other, other_pitch, pitch),
            np.where(use_other, wrap(roll + 180.0), roll),
        ],
        axis=1,
    )


def pelvis_rotation(pitch: np.ndarray, long_axis_turn: np.ndarray) -> np.ndarray:
    """(N, 3) yaw, pitch, roll of a pelvis pitched by ``pitch`` (N,) and then turned about its own
    long axis (hips to head) by ``long_axis_turn`` (N,) degrees, positive lowering its right side."""
    turned = axis_rotation(0, pitch) @ axis_rotation(1, -long_axis_turn)
    return yaw_pitch_roll(turned, pitch)


def lying_pose(t: np.ndarray) -> tuple[BodyPose, dict[str, np.ndarray]]:
    """A body lying on its back along z (head towards -z), and a copy of its joint angles to edit."""
    pose = BodyPose.standing(t)
    n = len(t)
    root = np.tile([0.0, HIP_ABOVE_FLOOR_LYING, 0.0], (n, 1))
    pose = replace(pose, root_position=root, root_rotation=np.tile([0.0, -90.0, 0.0], (n, 1)))
    return pose, {name: values.copy() for name, values in pose.joint_angles.items()}
