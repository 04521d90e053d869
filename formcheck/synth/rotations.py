"""Rotation matrices about the coordinate axes, and the pelvis orientation of a `BodyPose`."""

from __future__ import annotations

import numpy as np


def axis_rotation(axis: int, degrees: np.ndarray) -> np.ndarray:
    """(..., 3, 3) right-handed rotations by ``degrees`` (...,) about axis 0 (x), 1 (y) or 2 (z)."""
    radians = np.radians(np.asarray(degrees, dtype=np.float64))
    cos, sin = np.cos(radians), np.sin(radians)
    first, second = [(1, 2), (2, 0), (0, 1)][axis]
    rotation = np.zeros((*radians.shape, 3, 3))
    rotation[..., axis, axis] = 1.0
    rotation[..., first, first] = cos
    rotation[..., second, second] = cos
    rotation[..., first, second] = -sin
    rotation[..., second, first] = sin
    return rotation


def pelvis_matrix(yaw_pitch_roll: np.ndarray) -> np.ndarray:
    """(..., 3, 3) pelvis orientation from (..., 3) yaw, pitch, roll in degrees (body_pose order)."""
    yaw, pitch, roll = np.moveaxis(np.asarray(yaw_pitch_roll, dtype=np.float64), -1, 0)
    return axis_rotation(1, yaw) @ axis_rotation(0, pitch) @ axis_rotation(2, roll)
