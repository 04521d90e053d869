"""Following one person when the model sees several (numpy only, no MediaPipe).

The first time anyone is seen, the most prominent person is chosen: the one whose visible
landmarks span the largest box, which is the person nearest the camera or filling most
of the frame — the one exercising, in the usual set-up.  From then on the person whose
torso centre is nearest to where the chosen person's torso was last seen is kept, so a
bystander walking past does not take over the track.  Ties (equal boxes, equal distances)
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


def _best(scores: np.ndarray, centres: np.ndarray) -> int:
    """Index of the highest of (P,) ``scores``; ties go to the smallest (x, y) of (P, 2) ``centres``."""
    top = scores.max()
    tied = np.flatnonzero(scores >= top - _TIE * abs(top))
    # np.lexsort sorts by its last key first: x, then y.
    return int(tied[np.lexsort((centres[tied, 1], centres[tied, 0]))[0]])


class PersonSelector:
    """Chooses which of the people in a frame is *the* person of the track.

    State: where the chosen person's torso was last seen (None before anyone was seen).
    """

    def __init__(self) -> None:
        self._last_centre: np.ndarray | None = None

    def choose(self, xy: np.ndarray, visibility: np.ndarray) -> int:
        """Index of the person to keep among P ≥ 1 seen in this frame.

        Args:
            xy: (P, 33, 2) landmark positions in pixels (pixels, not normalised units,
                so that distances mean the same horizontally and vertically).
            visibility: (P, 33), 0..1.
        """
        if len(xy) == 0:
            raise ValueError("choose() needs at least one person, got 0")
        centres = torso_centre(xy)
        if self._last_centre is None:
            chosen = _best(prominence(xy, visibility), centres)
        else:
            chosen = _best(-np.linalg.norm(centres - self._last_centre, axis=1), centres)
        self._last_centre = centres[chosen]
        return chosen
