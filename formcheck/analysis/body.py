"""`Body`: a batch of poses seen as points, with the camera view worked out per frame.

Signals can be measured on the image plane or on MediaPipe's world landmarks. Which is
better depends on the view: side-on, the sagittal plane *is* the image plane and image
angles are precise, while world landmarks carry the model's depth guesses; facing the
camera, knee and hip bends point at the lens and only the world landmarks see them.
`Body.angle` blends the two by how side-on each frame is, and uses the image alone where
there are no world landmarks (landmark tables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.core import geometry
from formcheck.core.landmarks import Landmark

VIEWS: tuple[str, ...] = ("unknown", "front", "side", "oblique", "back")
"""Camera views (design.md §8), indexed by the view codes of `Body.view_codes`."""
VIEW_CODE = {name: code for code, name in enumerate(VIEWS)}

_JUDGED_AS = {"back": "front"}


def judged_as(view: str) -> str:
    """The view whose rules ``view`` judges: from behind the camera sees the plane it sees from
    the front (knees over the feet, the stance, the pelvis level), mirrored; others are themselves."""
    return _JUDGED_AS.get(view, view)


FRONT_MAX_DEG = 30.0
"""The shoulder and hip lines within this angle of the image plane: the camera sees the front (or back)."""
BACK_MIN_COS = 0.5
"""A front-band view is the back when the camera lies more than 30° behind the chest's plane."""
SIDE_MIN_DEG = 60.0
"""The shoulder and hip lines this far out of the image plane: the camera sees the side."""


def _sided(name: str, side: str) -> Landmark:
    return Landmark[f"{side.upper()}_{name.upper()}"]


@dataclass(frozen=True)
class Body:
    """N poses as points.

    Attributes:
        image: (N, 33, 3) image x, y and MediaPipe z, all in units of the image height
            (x is aspect-corrected so that image angles are true angles; y points down).
        world: (N, 33, 3) world metres, hip-centred, y down; NaN where absent (tables).
        visibility: (N, 33) 0..1, NaN where no person was found.
    """

    image: np.ndarray
    world: np.ndarray
    visibility: np.ndarray

    @classmethod
    def from_arrays(
        cls,
        image_xy: np.ndarray,
        z: np.ndarray,
        world: np.ndarray,
        visibility: np.ndarray,
        image_size: tuple[int, int],
    ) -> Body:
        """From `PoseTrack`-shaped arrays: image_xy (N,33,2), z (N,33), world (N,33,3), visibility (N,33)."""
        width, height = image_size
        aspect = width / height if width > 0 and height > 0 else 1.0
        image = np.empty((*image_xy.shape[:-1], 3))
        image[..., 0] = image_xy[..., 0] * aspect
        image[..., 1] = image_xy[..., 1]
        # MediaPipe's z has the scale of x (normalised by the width).
        image[..., 2] = z * aspect
        return cls(image=image, world=world, visibility=visibility)

    def __len__(self) -> int:
        return len(self.image)

    def world_or_image(self) -> np.ndarray:
        """(N, 33, 3) world points, or image points (with MediaPipe's z) on frames without world
        landmarks (rows of a landmark table): for 3-D measures that must work on both."""
        return np.where(np.isfinite(self.world[:, :1, :1]), self.world, self.image)

    def img(self, landmark: Landmark) -> np.ndarray:
        """(N, 2) image-plane point (x right, y down) in image heights."""
        return self.image[:, landmark, :2]

    def sided_img(self, name: str, side: str) -> np.ndarray:
        return self.img(_sided(name, side))

    def view_angle(self) -> np.ndarray:
        """(N,) degrees the shoulder and hip lines point out of the image plane: 0 front-on, 90 side-on.

        Uses world landmarks (depth in metres) where present, else the image z. Working from the
        lines across the body rather than the torso's outline keeps it right for lying poses too.
        """
        source = np.where(np.isfinite(self.world[:, :1, :1]), self.world, self.image)
        across = np.abs(source[:, Landmark.LEFT_SHOULDER] - source[:, Landmark.RIGHT_SHOULDER]) + np.abs(
            source[:, Landmark.LEFT_HIP] - source[:, Landmark.RIGHT_HIP]
        )
        return np.degrees(np.arctan2(across[:, 2], np.hypot(across[:, 0], across[:, 1])))

    def azimuth(self) -> np.ndarray:
        """(N,) the camera's azimuth around the body in degrees, signed (design.md §8): 0 facing
        the camera, +90 the left side towards it, -90 the right, ±180 the back; NaN where unknown.

        In the body's own frame (across = right to left through shoulders and hips, up = hips to
        shoulders, forward = across cross up), so it holds lying down as well as standing: the
        camera's direction (towards the lens, -z) split into its forward and leftward parts.
        """
        leftward, frontward = self._towards_camera()
        return np.degrees(np.arctan2(leftward, frontward))

    def _towards_camera(self) -> tuple[np.ndarray, np.ndarray]:
        """(N,) each, the unit direction towards the lens (-z) in the body's frame: its part along
        the body's left and along the way its chest faces (both 0 when the camera looks along the
        body's length, e.g. from the feet of a person lying down)."""
        source = self.world_or_image()
        left_shoulder, right_shoulder = source[:, Landmark.LEFT_SHOULDER], source[:, Landmark.RIGHT_SHOULDER]
        left_hip, right_hip = source[:, Landmark.LEFT_HIP], source[:, Landmark.RIGHT_HIP]
        with np.errstate(invalid="ignore", divide="ignore"):
            across = geometry.unit((left_shoulder - right_shoulder) + (left_hip - right_hip))
            up = (left_shoulder + right_shoulder) - (left_hip + right_hip)
            up = geometry.unit(up - (up * across).sum(axis=1, keepdims=True) * across)
            forward = np.cross(across, up)
        return -across[:, 2], -forward[:, 2]

    def sideness(self) -> np.ndarray:
        """(N,) weight 0 (front-on) .. 1 (side-on), a smooth ramp between the two view limits."""
        return np.clip((self.view_angle() - FRONT_MAX_DEG) / (SIDE_MIN_DEG - FRONT_MAX_DEG), 0.0, 1.0)

    def view_codes(self) -> np.ndarray:
        """(N,) int8 index into `VIEWS` per frame."""
        angle = self.view_angle()
        codes = np.full(len(angle), VIEW_CODE["oblique"], dtype=np.int8)
        codes[angle <= FRONT_MAX_DEG] = VIEW_CODE["front"]
        # The back only where the camera is clearly behind the chest's plane: from the feet of a
        # person lying down the azimuth is a guess, and the view is the front band's.
        _, frontward = self._towards_camera()
        with np.errstate(invalid="ignore"):
            codes[(angle <= FRONT_MAX_DEG) & (frontward < -BACK_MIN_COS)] = VIEW_CODE["back"]
        codes[angle >= SIDE_MIN_DEG] = VIEW_CODE["side"]
        codes[~np.isfinite(angle)] = VIEW_CODE["unknown"]
        return codes

    def blend(self, image_value: np.ndarray, world_value: np.ndarray, sideness: np.ndarray) -> np.ndarray:
        """Image measurement side-on, world measurement front-on, a mix between; image alone without world."""
        blended = sideness * image_value + (1.0 - sideness) * world_value
        return np.where(np.isfinite(world_value), blended, image_value)

    def flexion(self, a: Landmark, b: Landmark, c: Landmark, sideness: np.ndarray) -> np.ndarray:
        """(N,) bend at ``b`` in degrees (0 = straight), blended between image and world by view."""
        image_value = geometry.flexion_at(self.img(a), self.img(b), self.img(c))
        world_value = geometry.flexion_at(self.world[:, a], self.world[:, b], self.world[:, c])
        return self.blend(image_value, world_value, sideness)

    def lean(self, lower: Landmark | tuple, upper: Landmark | tuple, sideness: np.ndarray) -> np.ndarray:
        """(N,) angle in degrees of the segment lower -> upper from straight up, blended by view.

        ``lower`` and ``upper`` are a landmark or a pair of landmarks (their midpoint). Both
        frames have y pointing down, so "up" is -y; a level camera is assumed.
        """
        image_value = geometry.angle_between(
            self.midpoint_of(self.image, upper)[:, :2] - self.midpoint_of(self.image, lower)[:, :2],
            np.array([0.0, -1.0]),
        )
        world_value = geometry.angle_between(
            self.midpoint_of(self.world, upper) - self.midpoint_of(self.world, lower),
            np.array([0.0, -1.0, 0.0]),
        )
        return self.blend(image_value, world_value, sideness)

    @staticmethod
    def midpoint_of(points: np.ndarray, landmark: Landmark | tuple) -> np.ndarray:
        if isinstance(landmark, tuple):
            return geometry.midpoint(points[:, landmark[0]], points[:, landmark[1]])
        return points[:, landmark]
