"""Where the camera stands: a named view of the body, at a distance and height (numpy only)."""

from __future__ import annotations

import numpy as np

from formcheck.synth.camera import Camera

# Horizontal direction from the body to the camera, for a camera on the person's left; the
# person faces +z when standing (lying motions keep their front or side towards +z or x).
_DIRECTIONS = {"front": (0.0, 1.0), "side": (1.0, 0.0), "oblique": (np.sqrt(0.5), np.sqrt(0.5))}


def place_camera(
    view: str,
    centre: np.ndarray,
    *,
    from_side: str,
    distance: float,
    height: float,
    fov_deg: float,
    size: tuple[int, int],
) -> Camera:
    """A camera ``distance`` metres from ``centre`` (3,) across the floor, ``height`` up, aimed at it.

    ``from_side`` (``left`` or ``right``): which of the person's sides a side or oblique view
    looks at, normally the working side.
    """
    dx, dz = _DIRECTIONS[view]
    if from_side == "right":
        dx = -dx
    position = np.array([centre[0] + dx * distance, height, centre[2] + dz * distance])
    return Camera(
        position=position,
        target=np.asarray(centre, dtype=np.float64),
        vertical_fov_deg=fov_deg,
        width=size[0],
        height=size[1],
    )
