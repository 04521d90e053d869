"""Where the camera stands: at an azimuth around the body, a distance and a height (numpy only)."""

from __future__ import annotations

import numpy as np

from formcheck.synth.camera import Camera, orbit_direction


def place_camera(
    azimuth_deg: float,
    centre: np.ndarray,
    *,
    distance: float,
    height: float,
    fov_deg: float,
    size: tuple[int, int],
) -> Camera:
    """A camera ``distance`` metres from ``centre`` (3,) across the floor, ``height`` up, aimed at it.

    ``azimuth_deg`` around the body (`formcheck.synth.camera.orbit_direction`): 0 = the person
    faces the camera, +90 = their left side faces it, 180 = their back. Lying motions keep their
    front or side towards +z or x, so the same angles name their views too.
    """
    dx, dz = orbit_direction(azimuth_deg)
    position = np.array([centre[0] + dx * distance, height, centre[2] + dz * distance])
    return Camera(
        position=position,
        target=np.asarray(centre, dtype=np.float64),
        vertical_fov_deg=fov_deg,
        width=size[0],
        height=size[1],
    )
