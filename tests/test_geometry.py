"""Geometry invariants (hypothesis) and mirror symmetry of the signals."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from formcheck.analysis import signals as sig
from formcheck.analysis.body import VIEWS, Body, judged_as
from formcheck.core import geometry
from formcheck.core.landmarks import MIRROR_ORDER, Landmark
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track

VIEWS_NAMED = np.asarray(VIEWS)
points = arrays(np.float64, (5, 3, 3), elements=st.floats(-10, 10))


def _well_spread(p: np.ndarray) -> bool:
    return bool(
        (np.linalg.norm(p[:, 0] - p[:, 1], axis=1) > 1e-2).all()
        and (np.linalg.norm(p[:, 2] - p[:, 1], axis=1) > 1e-2).all()
    )


@settings(max_examples=60, deadline=None)
@given(points, arrays(np.float64, (3,), elements=st.floats(-100, 100)), st.floats(0.01, 100))
def test_angles_do_not_change_under_translation_and_scale(p, shift, scale):
    if not _well_spread(p):
        return
    before = geometry.angle_at(p[:, 0], p[:, 1], p[:, 2])
    after = geometry.angle_at(p[:, 0] * scale + shift, p[:, 1] * scale + shift, p[:, 2] * scale + shift)
    np.testing.assert_allclose(before, after, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(points)
def test_flexion_is_zero_for_a_straight_line_and_in_range(p):
    if not _well_spread(p):
        return
    bend = geometry.flexion_at(p[:, 0], p[:, 1], p[:, 2])
    assert ((bend >= -1e-9) & (bend <= 180 + 1e-9)).all()
    straight = geometry.flexion_at(p[:, 1] - (p[:, 2] - p[:, 1]), p[:, 1], p[:, 2])
    np.testing.assert_allclose(straight, 0.0, atol=1e-5)


def _body(track) -> Body:
    return Body.from_arrays(track.image_xy, track.z, track.world, track.visibility, track.image_size)


def _mirrored(track):
    """The same scene seen in a mirror: x flips and every left landmark trades places with its right twin."""
    order = list(MIRROR_ORDER)
    image_xy = track.image_xy[:, order].copy()
    image_xy[..., 0] = 1.0 - image_xy[..., 0]
    world = track.world[:, order].copy()
    world[..., 0] = -world[..., 0]
    return Body.from_arrays(image_xy, track.z[:, order], world, track.visibility[:, order], track.image_size)


@settings(max_examples=8, deadline=None)
@given(
    st.sampled_from(["hip_hinge", "split_squat"]), st.integers(0, 1000), st.sampled_from(["side", "oblique"])
)
def test_mirroring_swaps_left_and_right_signals(exercise, seed, view):
    pose, _ = motion(exercise, reps=1, side="left", seed=seed)
    track = pose_track(pose, camera_for(view, looking_from="left"))
    body, mirror = _body(track), _mirrored(track)
    w, w_mirror = body.sideness(), mirror.sideness()
    np.testing.assert_allclose(w, w_mirror, atol=1e-9)
    for left, right in (
        (sig.knee_flexion(mirror, "left", w), sig.knee_flexion(body, "right", w)),
        (sig.hip_flexion(mirror, "left", w), sig.hip_flexion(body, "right", w)),
        (sig.knee_past_toes(mirror, "left"), sig.knee_past_toes(body, "right")),
        (sig.knee_past_toes_in_feet(mirror, "left"), sig.knee_past_toes_in_feet(body, "right")),
    ):
        np.testing.assert_allclose(left, right, atol=1e-6)
    np.testing.assert_allclose(sig.trunk_lean(mirror, w), sig.trunk_lean(body, w), atol=1e-6)


def test_signals_do_not_depend_on_the_distance_to_the_camera():
    pose, _ = motion("split_squat", reps=1, side="left", seed=3)
    near, far = (_body(pose_track(pose, camera_for("side", distance=d))) for d in (2.5, 5.0))
    for signal in (
        lambda b: sig.knee_past_toes(b, "left"),
        lambda b: sig.knee_past_toes_in_feet(b, "left"),
        lambda b: sig.knee_flexion(b, "left", b.sideness()),
    ):
        np.testing.assert_allclose(signal(near), signal(far), atol=0.03 * np.nanmax(np.abs(signal(near))))


def test_knee_past_toes_in_feet_holds_for_any_aspect_and_a_turned_camera():
    pose, _ = motion("split_squat", reps=1, side="left", seed=3, faults={"knee_over_toes": 0.15})
    track = pose_track(pose, camera_for("side"))
    side_on = sig.knee_past_toes_in_feet(_body(track), "left")
    # A table without the image size: x read as if the image were square.
    squeezed = Body.from_arrays(track.image_xy, track.z, track.world, track.visibility, (0, 0))
    np.testing.assert_allclose(sig.knee_past_toes_in_feet(squeezed, "left"), side_on, atol=1e-9)
    # The camera 30 deg round towards the front: knee offset and foot shrink alike.
    turn, side_camera = np.radians(30.0), camera_for("side")
    reach = np.hypot(side_camera.position[0], side_camera.position[2])
    camera = replace(
        side_camera,
        position=np.array([np.cos(turn) * reach, side_camera.position[1], np.sin(turn) * reach]),
    )
    turned = sig.knee_past_toes_in_feet(_body(pose_track(pose, camera)), "left")
    np.testing.assert_allclose(turned, side_on, atol=0.015)


def test_a_foot_seen_end_on_is_taken_as_a_minimum_length():
    pose, _ = motion("split_squat", reps=1, side="left", seed=3, faults={"knee_over_toes": 0.15})
    track = pose_track(pose, camera_for("side"))
    image_xy = track.image_xy.copy()
    image_xy[:, Landmark.LEFT_HEEL, 0] = image_xy[:, Landmark.LEFT_FOOT_INDEX, 0]
    body = Body.from_arrays(image_xy, track.z, track.world, track.visibility, track.image_size)
    # The flat foot's heel now sits on its toe: its own facing vote is 0/0, as in the engine.
    with np.errstate(invalid="ignore"):
        in_shins, in_feet = sig.knee_past_toes(body, "left"), sig.knee_past_toes_in_feet(body, "left")
    assert np.isfinite(in_feet).all()
    np.testing.assert_allclose(in_feet, in_shins / sig.FOOT_MIN_SHINS)


def test_view_is_side_front_and_oblique_for_the_matching_cameras():
    pose, _ = motion("squat", reps=1, seed=0)
    views = {
        view: VIEWS_NAMED[_body(pose_track(pose, camera_for(view))).view_codes()]
        for view in ("side", "front", "oblique", "back")
    }
    assert all((named == view).all() for view, named in views.items()), views


def test_the_back_view_judges_the_front_view_rules():
    assert judged_as("back") == "front"
    assert [judged_as(view) for view in ("front", "side", "oblique", "unknown")] == [
        "front", "side", "oblique", "unknown"
    ]  # fmt: skip
