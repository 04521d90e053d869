"""Following one person when the model sees several (numpy only, no MediaPipe).

The first time anyone is seen, the most prominent person is chosen: the one whose visible
landmarks span the largest box, which is the person nearest the camera or filling most
of the frame — the one exercising, in the usual set-up.  From then on the person whose
torso centre is nearest to where the chosen person's torso was last seen is kept, so a
bystander walking past does not take over the track — and only if they are near enough to be
that person: no one travels further than `MAX_SPEED_TORSOS_S` torso lengths a second (plus
`REACH_TORSOS` for the model's jitter). When the person is hidden or steps away and someone
else is seen elsewhere meanwhile, nobody is chosen; after `FORGET_S` without the person the
most prominent one is chosen afresh (they may come back anywhere). Ties (equal boxes, equal distances)
go to the person whose torso is leftmost, then highest, in the image, so the choice never
depends on the order in which the model happens to list people.
"""

from __future__ import annotations

import numpy as np

from formcheck.core.landmarks import Landmark

_TORSO = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.LEFT_HIP, Landmark.RIGHT_HIP]
_VISIBLE = 0.5
# Scores this close (relative) are a tie: two equal boxes may differ in the last bit.
_TIE = 1e-9

MAX_SPEED_TORSOS_S = 4.0
"""How far a person's torso centre can travel in a second, in torso lengths (shoulders to hips,
about 0.5 m): some 2 m/s, a jog. The shared clips move at most 0.5 of this between frames."""
REACH_TORSOS = 1.0
"""Slack on top, in torso lengths: the model's jitter, a frame or two it missed, a cut to a closer
shot in an edited clip (the size compared is the larger of the two detections)."""
FORGET_S = 2.0
"""After this long without the person, the most prominent person is chosen afresh."""


def prominence(xy: np.ndarray, visibility: np.ndarray) -> np.ndarray:
    """Area of the box around each person's visible landmarks.

    Args:
        xy: (P, 33, 2) landmark positions in pixels, for P people.
        visibility: (P, 33), 0..1.

    Returns:
        (P,) box areas in square pixels; a person with fewer than two visible landmarks
        is measured on all of them, so that a faint detection still ranks below a clear one
        of the same size only by its size.
    """
    areas = np.empty(len(xy))
    for person, (points, seen) in enumerate(zip(xy, visibility >= _VISIBLE, strict=True)):
        chosen = points[seen] if seen.sum() >= 2 else points
        span = chosen.max(axis=0) - chosen.min(axis=0)
        areas[person] = span[0] * span[1]
    return areas


def torso_centre(xy: np.ndarray) -> np.ndarray:
    """(P, 33, 2) landmark positions → (P, 2) mean of both shoulders and both hips."""
    return xy[:, _TORSO].mean(axis=1)


def torso_length(xy: np.ndarray) -> np.ndarray:
    """(P, 33, 2) landmark positions → (P,) distance from the shoulders' midpoint to the hips'."""
    shoulders = xy[:, [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]].mean(axis=1)
    hips = xy[:, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]].mean(axis=1)
    return np.linalg.norm(shoulders - hips, axis=1)


def _best(scores: np.ndarray, centres: np.ndarray) -> int:
    """Index of the highest of (P,) ``scores``; ties go to the smallest (x, y) of (P, 2) ``centres``."""
    top = scores.max()
    tied = np.flatnonzero(scores >= top - _TIE * abs(top))
    # np.lexsort sorts by its last key first: x, then y.
    return int(tied[np.lexsort((centres[tied, 1], centres[tied, 0]))[0]])


class PersonSelector:
    """Chooses which of the people in a frame is *the* person of the track.

    State: where, when and how big the chosen person's torso was last seen (None before anyone
    was seen).
    """

    def __init__(self) -> None:
        self._last_centre: np.ndarray | None = None
        self._last_size = 0.0
        self._last_t = 0.0

    def choose(self, xy: np.ndarray, visibility: np.ndarray, t: float) -> int | None:
        """Index of the person to keep among P ≥ 1 seen in this frame at time ``t`` (seconds), or
        None when none of them can be the person followed so far.

        Args:
            xy: (P, 33, 2) landmark positions in pixels (pixels, not normalised units,
                so that distances mean the same horizontally and vertically).
            visibility: (P, 33), 0..1.
            t: the frame's time stamp.
        """
        if len(xy) == 0:
            raise ValueError("choose() needs at least one person, got 0")
        centres, sizes = torso_centre(xy), torso_length(xy)
        if self._last_centre is None or t - self._last_t > FORGET_S:
            chosen = _best(prominence(xy, visibility), centres)
        else:
            distances = np.linalg.norm(centres - self._last_centre, axis=1)
            chosen = _best(-distances, centres)
            size = max(float(sizes[chosen]), self._last_size)
            if distances[chosen] > size * (REACH_TORSOS + MAX_SPEED_TORSOS_S * (t - self._last_t)):
                return None
        self._last_centre, self._last_size, self._last_t = centres[chosen], float(sizes[chosen]), t
        return chosen
