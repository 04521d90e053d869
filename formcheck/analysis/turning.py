"""The camera's azimuth around the body, and how a person should turn to reach a view a rule needs.

Azimuths follow design.md §8: 0 = the person faces the camera, +90 = their left side faces it,
-90 their right, 180 their back. A person turning to their right (clockwise seen from above)
raises the azimuth: facing the camera and turning a quarter right brings their left side to it.
"""

from __future__ import annotations

import numpy as np

VIEW_TARGETS_DEG: dict[str, tuple[float, ...]] = {
    "front": (0.0, 180.0),  # the back is judged as the front (a mirror view of the same plane)
    "side": (90.0, -90.0),
    "oblique": (45.0, -45.0, 135.0, -135.0),
}
"""The azimuths at the middle of each view's band (`formcheck.analysis.body` sets the bands)."""

SMALLEST_TURN_DEG = 10.0
"""Turns smaller than this are not asked for: the view's band is wider than that."""


def wrap_deg(angle: float | np.ndarray) -> float | np.ndarray:
    """Degrees wrapped to (-180, 180]."""
    return 180.0 - (180.0 - np.asarray(angle, dtype=np.float64)) % 360.0


def circular_mean_deg(angles: np.ndarray) -> tuple[float, float]:
    """(mean, spread) of azimuths in degrees, ignoring NaN: the direction of the mean unit vector
    and its circular standard deviation (how steadily the view was known). (NaN, NaN) if none."""
    radians = np.radians(angles[np.isfinite(angles)])
    if len(radians) == 0:
        return float("nan"), float("nan")
    c, s = np.cos(radians).mean(), np.sin(radians).mean()
    length = min(float(np.hypot(c, s)), 1.0)
    spread = float(np.degrees(np.sqrt(-2.0 * np.log(length)))) if length > 0 else 180.0
    return float(np.degrees(np.arctan2(s, c))), spread


def turn_needed(azimuth_deg: float, views: tuple[str, ...]) -> float | None:
    """Degrees the person should turn to face the camera in one of ``views``, positive to their
    right, negative to their left: the smallest turn to the middle of a view's band. None when
    the azimuth is unknown or no view has a target."""
    targets = [t for view in views for t in VIEW_TARGETS_DEG.get(view, ())]
    if not targets or not np.isfinite(azimuth_deg):
        return None
    turns = [float(wrap_deg(target - azimuth_deg)) for target in targets]
    return min(turns, key=abs)


def degrees_off(azimuths: np.ndarray, views: tuple[str, ...]) -> np.ndarray:
    """(N,) degrees from each azimuth to the nearest middle of one of ``views`` (NaN unknown)."""
    targets = np.array([t for view in views for t in VIEW_TARGETS_DEG.get(view, ())])
    azimuths = np.asarray(azimuths, dtype=np.float64)
    if len(targets) == 0:
        return np.full(azimuths.shape, np.nan)
    return np.abs(wrap_deg(targets[None, :] - azimuths.reshape(-1, 1))).min(axis=1).reshape(azimuths.shape)


def turn_words(turn_deg: float | None) -> str:
    """``turn about 30 degrees to your right`` (to the nearest 5°), or "" for no turn or a small one."""
    if turn_deg is None or abs(turn_deg) < SMALLEST_TURN_DEG:
        return ""
    direction = "right" if turn_deg > 0 else "left"
    return f"turn about {5 * round(abs(turn_deg) / 5):.0f} degrees to your {direction}"
