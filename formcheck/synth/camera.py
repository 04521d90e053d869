"""A pinhole camera that looks at a point, and projection to MediaPipe-style image landmarks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Camera:
    """A pinhole camera in the world frame of `formcheck.synth.body_pose` (y up).

    Attributes:
        position: (3,) metres.
        target: (3,) the point the optical axis passes through.
        vertical_fov_deg: vertical field of view; a laptop webcam is about 45-55 degrees.
        width, height: image size in pixels.
    """

    position: np.ndarray
    target: np.ndarray
    vertical_fov_deg: float = 50.0
    width: int = 640
    height: int = 480

    @property
    def focal_px(self) -> float:
        return 0.5 * self.height / np.tan(np.radians(self.vertical_fov_deg) / 2)

    def world_to_camera(self) -> np.ndarray:
        """(3, 3) rotation whose rows are the camera's right, down and forward axes in world coordinates."""
        forward = self.target - self.position
        forward = forward / np.linalg.norm(forward)
        right = np.cross(forward, [0.0, 1.0, 0.0])
        if np.linalg.norm(right) < 1e-9:  # looking straight down or up: pick any right axis
            right = np.array([1.0, 0.0, 0.0])
        right = right / np.linalg.norm(right)
        down = np.cross(forward, right)
        return np.stack([right, down, forward])

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Project world points (..., 3) to normalised image xy (..., 2) and camera depth (...,) in metres."""
        camera_points = (points - self.position) @ self.world_to_camera().T
        depth = camera_points[..., 2]
        pixels_x = self.focal_px * camera_points[..., 0] / depth + self.width / 2
        pixels_y = self.focal_px * camera_points[..., 1] / depth + self.height / 2
        return np.stack([pixels_x / self.width, pixels_y / self.height], axis=-1), depth


VIEW_AZIMUTHS: dict[str, float] = {"front": 0.0, "side": 90.0, "oblique": 45.0, "back": 180.0}
"""Camera azimuth of each named view, seen from the person's left (``../shared/design.md`` §8)."""


def view_azimuth(view: str, looking_from: str = "left") -> float:
    """The azimuth in degrees of ``view`` (`VIEW_AZIMUTHS`), from the person's ``looking_from`` side.

    §8's convention: 0 = the person faces the camera, +90 = their left side faces it, -90 their
    right, 180 = their back.
    """
    if view not in VIEW_AZIMUTHS:
        raise ValueError(f"view must be one of {', '.join(VIEW_AZIMUTHS)}, got {view!r}")
    mirrored = looking_from == "right" and view in ("side", "oblique")
    return -VIEW_AZIMUTHS[view] if mirrored else VIEW_AZIMUTHS[view]


def view_name(azimuth_deg: float) -> str:
    """The named view nearest to ``azimuth_deg`` (45 and 135 degrees either way are ``oblique``)."""
    turn = abs((azimuth_deg + 180.0) % 360.0 - 180.0)  # 0..180 whichever side faces the camera
    nearest = {0.0: "front", 45.0: "oblique", 90.0: "side", 135.0: "oblique", 180.0: "back"}
    return nearest[min(nearest, key=lambda angle: abs(angle - turn))]


def orbit_direction(azimuth_deg: float) -> np.ndarray:
    """(2,) unit (x, z) floor direction from the body to a camera at ``azimuth_deg``, for a person
    facing +z with their left towards +x (`formcheck.synth.body_pose`)."""
    angle = np.radians(azimuth_deg)
    return np.array([np.sin(angle), np.cos(angle)])
