"""A stick body: forward kinematics from a `BodyPose` to MediaPipe's 33 landmarks, and a camera view.

Segment lengths are those of a 1.75 m adult (scale with `Segments.scaled`). Rotations follow
the conventions of `formcheck.synth.body_pose`: pelvis yaw-pitch-roll, then for each joint
flexion, abduction, rotation applied in the parent's frame in that order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck.core.landmarks import NUM_LANDMARKS
from formcheck.core.landmarks import Landmark as L
from formcheck.core.track import PoseTrack
from formcheck.synth.body_pose import BodyPose
from formcheck.synth.camera import Camera, orbit_direction, view_azimuth
from formcheck.synth.rotations import axis_rotation, pelvis_matrix


@dataclass(frozen=True)
class Segments:
    """Body segment lengths in metres (defaults: a 1.75 m adult)."""

    hip_half_width: float = 0.09
    thigh: float = 0.43
    shin: float = 0.43
    ankle_height: float = 0.07
    heel_back: float = 0.05
    toe_forward: float = 0.16
    trunk: float = 0.50
    shoulder_half_width: float = 0.19
    neck: float = 0.20
    upper_arm: float = 0.30
    forearm: float = 0.26

    def scaled(self, factor: float) -> Segments:
        """Every length times ``factor`` (e.g. 1.6 / 1.75 for a 1.6 m person)."""
        return replace(self, **{name: value * factor for name, value in self.__dict__.items()})

    @property
    def standing_pelvis_height(self) -> float:
        return self.thigh + self.shin + self.ankle_height


def _apply(rotation: np.ndarray, vector) -> np.ndarray:
    return np.einsum("nij,j->ni", rotation, np.asarray(vector, dtype=np.float64))


# Head points in the head frame (x left, y up, z forward), metres from the head centre at ear height.
_FACE = {
    L.NOSE: (0.0, -0.01, 0.10),
    L.LEFT_EYE_INNER: (0.015, 0.03, 0.085),
    L.LEFT_EYE: (0.03, 0.03, 0.08),
    L.LEFT_EYE_OUTER: (0.045, 0.03, 0.07),
    L.LEFT_EAR: (0.075, 0.0, 0.0),
    L.MOUTH_LEFT: (0.025, -0.045, 0.08),
}
# Hand points from the wrist in the forearm frame, for the left hand (the right is mirrored in x).
_HAND = {"pinky": (-0.02, -0.08, 0.0), "index": (0.02, -0.09, 0.0), "thumb": (0.035, -0.05, 0.02)}


def world_landmarks(pose: BodyPose, segments: Segments | None = None) -> np.ndarray:
    """(N, 33, 3) landmark positions in the `BodyPose` world frame (metres, y up)."""
    seg = segments or Segments()
    n = len(pose)
    angle = pose.joint_angles
    out = np.full((n, NUM_LANDMARKS, 3), np.nan)
    pelvis = pelvis_matrix(pose.root_rotation)
    root = pose.root_position

    spine = (
        pelvis @ axis_rotation(0, angle["spine_flexion"]) @ axis_rotation(2, angle["spine_lateral_flexion"])
    )
    spine = spine @ axis_rotation(1, angle["spine_rotation"])
    shoulder_centre = root + _apply(spine, (0.0, seg.trunk, 0.0))
    head = spine @ axis_rotation(0, angle["neck_flexion"])
    head_centre = shoulder_centre + _apply(head, (0.0, seg.neck, 0.0))
    for landmark, (x, y, z) in _FACE.items():
        out[:, landmark] = head_centre + _apply(head, (x, y, z))
        twin = L[landmark.name.replace("LEFT", "RIGHT")] if "LEFT" in landmark.name else None
        if twin is not None:
            out[:, twin] = head_centre + _apply(head, (-x, y, z))
    out[:, L.MOUTH_RIGHT] = head_centre + _apply(head, (-_FACE[L.MOUTH_LEFT][0], *_FACE[L.MOUTH_LEFT][1:]))

    for side, sign in (("left", 1.0), ("right", -1.0)):
        up = side.upper()

        def joint(name: str, side: str = side) -> np.ndarray:
            return angle[f"{side}_{name}"]

        hip = root + _apply(pelvis, (sign * seg.hip_half_width, 0.0, 0.0))
        thigh = (
            pelvis @ axis_rotation(0, -joint("hip_flexion")) @ axis_rotation(2, sign * joint("hip_abduction"))
        )
        thigh = thigh @ axis_rotation(1, sign * joint("hip_external_rotation"))
        knee = hip + _apply(thigh, (0.0, -seg.thigh, 0.0))
        shank = thigh @ axis_rotation(0, joint("knee_flexion"))
        ankle = knee + _apply(shank, (0.0, -seg.shin, 0.0))
        foot = shank @ axis_rotation(0, -joint("ankle_dorsiflexion"))
        out[:, L[f"{up}_HIP"]] = hip
        out[:, L[f"{up}_KNEE"]] = knee
        out[:, L[f"{up}_ANKLE"]] = ankle
        out[:, L[f"{up}_HEEL"]] = ankle + _apply(foot, (0.0, -seg.ankle_height, -seg.heel_back))
        out[:, L[f"{up}_FOOT_INDEX"]] = ankle + _apply(foot, (0.0, -seg.ankle_height, seg.toe_forward))

        shoulder = shoulder_centre + _apply(spine, (sign * seg.shoulder_half_width, 0.0, 0.0))
        arm = (
            spine
            @ axis_rotation(0, -joint("shoulder_flexion"))
            @ axis_rotation(2, sign * joint("shoulder_abduction"))
        )
        elbow = shoulder + _apply(arm, (0.0, -seg.upper_arm, 0.0))
        forearm = arm @ axis_rotation(0, -joint("elbow_flexion"))
        wrist = elbow + _apply(forearm, (0.0, -seg.forearm, 0.0))
        out[:, L[f"{up}_SHOULDER"]] = shoulder
        out[:, L[f"{up}_ELBOW"]] = elbow
        out[:, L[f"{up}_WRIST"]] = wrist
        for name, (x, y, z) in _HAND.items():
            out[:, L[f"{up}_{name.upper()}"]] = wrist + _apply(forearm, (sign * x, y, z))
    return out


def plant_foot(pose: BodyPose, side: str, segments: Segments | None = None) -> BodyPose:
    """The same pose with the root moved so that the ``side`` ankle stays where it is on frame 0,
    at ankle height above the floor: the standing foot of a hinge, squat or split squat."""
    points = world_landmarks(pose, segments)
    seg = segments or Segments()
    ankle = points[:, L[f"{side.upper()}_ANKLE"]]
    anchor = np.array([ankle[0, 0], seg.ankle_height, ankle[0, 2]])
    return replace(pose, root_position=pose.root_position + (anchor - ankle))


def pose_track(
    pose: BodyPose,
    camera: Camera,
    *,
    segments: Segments | None = None,
    noise_px: float = 0.0,
    seed: int = 0,
    hidden: np.ndarray | None = None,
    source: str = "synthetic",
) -> PoseTrack:
    """What MediaPipe would report for ``pose`` seen by ``camera``, with optional pixel noise.

    image_xy from the projection; z is depth relative to the hip centre on the scale of x;
    world is hip-centred in camera-aligned axes (x right, y down, z away), as MediaPipe gives
    it; visibility is 1, or 0 for landmarks out of the frame and where ``hidden`` (N, 33) is true.
    """
    points = world_landmarks(pose, segments)
    xy, depth = camera.project(points)
    hip_centre = (points[:, L.LEFT_HIP] + points[:, L.RIGHT_HIP]) / 2
    _, hip_depth = camera.project(hip_centre)
    z = (depth - hip_depth[:, None]) * camera.focal_px / (hip_depth[:, None] * camera.width)
    world = (points - hip_centre[:, None]) @ camera.world_to_camera().T
    rng = np.random.default_rng(seed)
    if noise_px > 0:
        xy = xy + rng.normal(0.0, noise_px, xy.shape) / np.array([camera.width, camera.height])
        world = world + rng.normal(0.0, noise_px * 0.004, world.shape)
    inside = (xy >= 0).all(axis=2) & (xy <= 1).all(axis=2) & (depth > 0)
    visibility = inside.astype(np.float64)
    if hidden is not None:
        visibility[hidden] = 0.0
    n = len(pose)
    return PoseTrack(
        t=pose.t.copy(),
        index=np.arange(n),
        image_xy=xy,
        z=z,
        visibility=visibility,
        presence=visibility.copy(),
        world=world,
        image_size=(camera.width, camera.height),
        fps=float(1.0 / np.median(np.diff(pose.t))) if n > 1 else 0.0,
        source=source,
        model="synthetic",
    )


def camera_for(
    view: str, *, looking_from: str = "left", distance: float = 3.2, height: float = 0.9
) -> Camera:
    """`camera_at` the azimuth of ``view`` (``side`` and ``oblique`` from the person's
    ``looking_from`` side, ``front``, ``back``: `formcheck.synth.camera.view_azimuth`)."""
    return camera_at(view_azimuth(view, looking_from), distance=distance, height=height)


def camera_at(azimuth_deg: float, *, distance: float = 3.2, height: float = 0.9) -> Camera:
    """A level camera aimed at a person standing at the origin facing +z, from ``azimuth_deg``
    around them (0 = the person faces it, +90 = their left side faces it, 180 = their back)."""
    dx, dz = orbit_direction(azimuth_deg)
    return Camera(
        position=np.array([dx * distance, height, dz * distance]),
        target=np.array([0.0, height * 0.75, 0.0]),
        vertical_fov_deg=55.0,
    )
