"""The synthetic camera's azimuth (``../shared/design.md`` §8): 0 = the person faces the camera,
+90 = their left side faces it, 180 = their back; views are shorthands for azimuths."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.core.landmarks import Landmark as L
from formcheck.synth.body_pose import BodyPose
from formcheck.synth.camera import view_azimuth, view_name
from formcheck.synth.skeleton import camera_at, camera_for, pose_track


def _seen_from(azimuth: float):
    return pose_track(BodyPose.standing(np.zeros(1)), camera_at(azimuth))


def _nearer(track, a: L, b: L) -> bool:
    """Landmark ``a`` is nearer the camera than ``b`` (MediaPipe's z: smaller is nearer)."""
    return bool(track.z[0, a] < track.z[0, b])


def test_azimuth_zero_puts_the_nose_towards_the_camera_and_the_left_on_the_pictures_right():
    track = _seen_from(0.0)
    assert _nearer(track, L.NOSE, L.LEFT_EAR) and _nearer(track, L.NOSE, L.RIGHT_EAR)
    # Facing the camera, a person's left is on the picture's right, as in a mirror.
    assert track.image_xy[0, L.LEFT_HIP, 0] > track.image_xy[0, L.RIGHT_HIP, 0]


@pytest.mark.parametrize(("azimuth", "near", "far"), [(90.0, "LEFT", "RIGHT"), (-90.0, "RIGHT", "LEFT")])
def test_plus_ninety_shows_the_left_side_and_minus_ninety_the_right(azimuth, near, far):
    track = _seen_from(azimuth)
    for joint in ("SHOULDER", "HIP", "KNEE", "ANKLE"):
        assert _nearer(track, L[f"{near}_{joint}"], L[f"{far}_{joint}"])
    # Side-on the two hips sit one behind the other: at most a few pixels apart across the picture.
    assert abs(track.image_xy[0, L.LEFT_HIP, 0] - track.image_xy[0, L.RIGHT_HIP, 0]) * 640 < 3


def test_azimuth_180_shows_the_back():
    track = _seen_from(180.0)
    assert not _nearer(track, L.NOSE, L.LEFT_EAR) and not _nearer(track, L.NOSE, L.RIGHT_EAR)
    assert track.image_xy[0, L.LEFT_HIP, 0] < track.image_xy[0, L.RIGHT_HIP, 0]


@pytest.mark.parametrize(
    ("view", "looking_from", "azimuth"),
    [
        ("front", "left", 0.0),
        ("front", "right", 0.0),
        ("side", "left", 90.0),
        ("side", "right", -90.0),
        ("oblique", "left", 45.0),
        ("oblique", "right", -45.0),
        ("back", "right", 180.0),
    ],
)
def test_a_view_is_a_shorthand_for_an_azimuth(view, looking_from, azimuth):
    assert view_azimuth(view, looking_from) == azimuth
    np.testing.assert_allclose(
        camera_for(view, looking_from=looking_from).position, camera_at(azimuth).position, atol=1e-12
    )
    assert view_name(azimuth) == view


@pytest.mark.parametrize(
    ("azimuth", "name"),
    [(10.0, "front"), (-30.0, "oblique"), (100.0, "side"), (-140.0, "oblique"), (170.0, "back")],
)
def test_an_azimuth_is_named_by_the_nearest_view(azimuth, name):
    assert view_name(azimuth) == name
