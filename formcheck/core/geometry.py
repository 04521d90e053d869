"""Vectorised geometry on landmark arrays: angles and distances over any leading shape.

Every function takes points as arrays of shape (..., D) with D = 2 (image plane) or 3 (world)
and returns (...,) — so one call computes a signal for a whole track of N frames. NaN in,
NaN out: a missing landmark gives a missing value, never 0.
"""

from __future__ import annotations

import numpy as np


def distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance between points (..., D) -> (...,)."""
    return np.linalg.norm(np.asarray(a) - np.asarray(b), axis=-1)


def angle_between(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Unsigned angle between vectors (..., D) in degrees, 0..180."""
    u = np.asarray(u, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    # atan2 of |u x v| and u.v stays accurate near 0 and 180 degrees, where arccos does not.
    dot = np.sum(u * v, axis=-1)
    if u.shape[-1] == 2:
        cross = np.abs(u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0])
    else:
        cross = np.linalg.norm(np.cross(u, v), axis=-1)
    return np.degrees(np.arctan2(cross, dot))


def angle_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle ABC at vertex ``b`` in degrees (180 = straight line), points (..., D)."""
    return angle_between(np.asarray(a) - b, np.asarray(c) - b)


def flexion_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Bend at ``b`` in degrees: 0 when A, B, C are in a straight line (180 - angle ABC)."""
    return 180.0 - angle_at(a, b, c)


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (np.asarray(a) + np.asarray(b)) / 2.0


def project_onto(vector: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Signed length of ``vector`` along ``direction`` (..., D); ``direction`` need not be unit."""
    norm = np.linalg.norm(direction, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sum(vector * direction, axis=-1) / np.where(norm > 0, norm, np.nan)


def unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` (..., D) scaled to length 1; NaN where it has no length."""
    norm = np.linalg.norm(vector, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return vector / np.where(norm > 0, norm, np.nan)
