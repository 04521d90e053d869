"""`BodyPose` joint angles as rotations of anny's bones (numpy only).

anny poses its skeleton from one 4x4 delta per bone. In its default ``local-ref``
parameterisation a delta is a rotation about the bone's head, in axes that are aligned
with the world in anny's reference pose and that turn with the parent bone. That is how
anatomical joint angles compose (a knee bends about the thigh's own lateral axis), so a
joint angle maps to a rotation about a fixed axis of the body, applied to one bone.

Axes: anny's model frame has x to the body's left, y backwards and z up; the frame of
`formcheck.synth.body_pose` has x left, y up and z forward. ``ANNY_TO_WORLD`` maps one to
the other; rotations are built in body-pose axes and conjugated into anny's.

Zero angles must give the anatomical standing position, but anny's reference pose holds
the arms out in an A and the legs a little apart. A fixed *rest correction* per limb
bone turns it to hang straight down first; the joint rotation is applied after it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.synth.body_pose import SIDES, BodyPose
from formcheck.synth.rotations import axis_rotation, pelvis_matrix

ANNY_TO_WORLD = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])
"""(3, 3): world point = ANNY_TO_WORLD @ anny point."""

SPINE_BONES = ("spine05", "spine04", "spine03", "spine02", "spine01")
NECK_BONES = ("neck01", "neck02", "neck03")

# Limb bones whose reference segment is hung straight down: (bone, child bone whose head ends
# the segment, or None to keep the bone's reference orientation in the world; the nearest
# ancestor with a correction, or None).
_CORRECTED = (
    ("upperleg01", "lowerleg01", None),
    ("lowerleg01", "foot", "upperleg01"),
    ("foot", None, "lowerleg01"),
    ("upperarm01", "lowerarm01", None),
    ("lowerarm01", "wrist", "upperarm01"),
)
_SIDE_SUFFIX = {"left": "L", "right": "R"}


def rot_x(degrees: np.ndarray) -> np.ndarray:
    return axis_rotation(0, degrees)


def rot_y(degrees: np.ndarray) -> np.ndarray:
    return axis_rotation(1, degrees)


def rot_z(degrees: np.ndarray) -> np.ndarray:
    return axis_rotation(2, degrees)


def joint_rotations(pose: BodyPose) -> dict[str, np.ndarray]:
    """Rotation of each moving segment relative to its parent, in world axes of the parent's frame.

    Returns:
        segment name -> (N, 3, 3). Segments: ``spine``, ``neck`` and ``{side}_hip``,
        ``{side}_knee``, ``{side}_ankle``, ``{side}_shoulder``, ``{side}_elbow``.
        Signs follow `formcheck.synth.body_pose`: flexion brings the thigh, arm and forearm
        forward and the shank back, abduction moves a limb away from the midline, external
        rotation turns the knee out; the trunk flexes forward, bends sideways to the
        right for positive lateral flexion and turns to the left for positive rotation.
    """
    angles = pose.joint_angles
    rotations = {
        "spine": rot_x(angles["spine_flexion"])
        @ rot_z(angles["spine_lateral_flexion"])
        @ rot_y(angles["spine_rotation"]),
        "neck": rot_x(angles["neck_flexion"]),
    }
    for side in SIDES:
        outward = 1.0 if side == "left" else -1.0

        def angle(joint: str, side: str = side) -> np.ndarray:
            return angles[f"{side}_{joint}"]

        rotations[f"{side}_hip"] = (
            rot_x(-angle("hip_flexion"))
            @ rot_z(outward * angle("hip_abduction"))
            @ rot_y(outward * angle("hip_external_rotation"))
        )
        rotations[f"{side}_knee"] = rot_x(angle("knee_flexion"))
        rotations[f"{side}_ankle"] = rot_x(-angle("ankle_dorsiflexion"))
        rotations[f"{side}_shoulder"] = rot_x(-angle("shoulder_flexion")) @ rot_z(
            outward * angle("shoulder_abduction")
        )
        rotations[f"{side}_elbow"] = rot_x(-angle("elbow_flexion"))
    return rotations


def _bone_of_segment(side: str) -> dict[str, str]:
    suffix = _SIDE_SUFFIX[side]
    return {
        f"{side}_hip": f"upperleg01.{suffix}",
        f"{side}_knee": f"lowerleg01.{suffix}",
        f"{side}_ankle": f"foot.{suffix}",
        f"{side}_shoulder": f"upperarm01.{suffix}",
        f"{side}_elbow": f"lowerarm01.{suffix}",
    }


def _turn_onto(direction: np.ndarray, target: np.ndarray) -> np.ndarray:
    """(3, 3) smallest rotation taking unit-less ``direction`` (3,) onto ``target`` (3,)."""
    a = direction / np.linalg.norm(direction)
    b = target / np.linalg.norm(target)
    axis = np.cross(a, b)
    sin, cos = np.linalg.norm(axis), float(np.dot(a, b))
    if sin < 1e-12:
        return np.eye(3)
    k = axis / sin
    skew = np.array([[0.0, -k[2], k[1]], [k[2], 0.0, -k[0]], [-k[1], k[0], 0.0]])
    return np.eye(3) + sin * skew + (1.0 - cos) * skew @ skew


@dataclass(frozen=True)
class Rig:
    """Maps a `BodyPose` onto the bones of one anny body.

    Attributes:
        bone_labels: (B,) anny's bone names, in its order.
        reference_heads: (B, 3) bone heads in anny's reference pose (identity deltas), anny axes.
    """

    bone_labels: tuple[str, ...]
    reference_heads: np.ndarray

    def __post_init__(self) -> None:
        if self.reference_heads.shape != (len(self.bone_labels), 3):
            expected = (len(self.bone_labels), 3)
            raise ValueError(f"reference_heads must have shape {expected}, got {self.reference_heads.shape}")

    def _head(self, bone: str) -> np.ndarray:
        return self.reference_heads[self.bone_labels.index(bone)]

    def rest_corrections(self) -> dict[str, np.ndarray]:
        """Bone name -> (3, 3) rotation (world axes) that hangs its reference segment straight down."""
        corrections: dict[str, np.ndarray] = {}
        down = np.array([0.0, -1.0, 0.0])
        for side in SIDES:
            suffix = _SIDE_SUFFIX[side]
            for bone, child, _ in _CORRECTED:
                name = f"{bone}.{suffix}"
                if child is None:
                    corrections[name] = np.eye(3)
                    continue
                segment = ANNY_TO_WORLD @ (self._head(f"{child}.{suffix}") - self._head(name))
                corrections[name] = _turn_onto(segment, down)
        return corrections

    def bone_rotations(self, pose: BodyPose) -> np.ndarray:
        """(N, B, 3, 3) per-bone delta rotations in anny axes (``local-ref``), root included.

        anny multiplies the deltas down each chain, so a segment's world rotation is the
        product of its ancestors' deltas and its own. For a segment turned by ``G`` (its
        joint rotation after its parent's) and corrected by ``Z``, that product must be
        ``G Z``: its delta is ``Z_ancestor^T R_joint Z``. The root's rotation is the pelvis
        orientation; the pelvis position is left to the caller (anny turns the body about
        its root, which is not exactly the hip centre).
        """
        n = len(pose)
        world_deltas = np.tile(np.eye(3), (n, len(self.bone_labels), 1, 1))
        index = {name: i for i, name in enumerate(self.bone_labels)}
        segments = joint_rotations(pose)
        world_deltas[:, index["root"]] = pelvis_matrix(pose.root_rotation)
        for bones, rotation in ((SPINE_BONES, segments["spine"]), (NECK_BONES, segments["neck"])):
            share = _fractional_rotation(rotation, 1.0 / len(bones))
            for bone in bones:
                world_deltas[:, index[bone]] = share
        corrections = self.rest_corrections()
        for side in SIDES:
            suffix = _SIDE_SUFFIX[side]
            segment_of_bone = {bone: segment for segment, bone in _bone_of_segment(side).items()}
            for bone, _, ancestor in _CORRECTED:
                name = f"{bone}.{suffix}"
                undo = np.eye(3) if ancestor is None else corrections[f"{ancestor}.{suffix}"].T
                world_deltas[:, index[name]] = undo @ segments[segment_of_bone[name]] @ corrections[name]
        return ANNY_TO_WORLD.T @ world_deltas @ ANNY_TO_WORLD


def _fractional_rotation(rotation: np.ndarray, fraction: float) -> np.ndarray:
    """(N, 3, 3) rotations by ``fraction`` of each (N, 3, 3) rotation's angle, about the same axis.

    A bend spread evenly over a chain of bones composes back to the whole bend.
    """
    trace = np.clip((np.trace(rotation, axis1=-2, axis2=-1) - 1.0) / 2.0, -1.0, 1.0)
    angle = np.arccos(trace)
    axis = np.stack(
        [
            rotation[..., 2, 1] - rotation[..., 1, 2],
            rotation[..., 0, 2] - rotation[..., 2, 0],
            rotation[..., 1, 0] - rotation[..., 0, 1],
        ],
        axis=-1,
    )
    norm = np.linalg.norm(axis, axis=-1, keepdims=True)
    axis = np.where(norm > 1e-12, axis / np.maximum(norm, 1e-12), [1.0, 0.0, 0.0])
    part = angle * fraction
    skew = np.zeros_like(rotation)
    skew[..., 0, 1], skew[..., 0, 2] = -axis[..., 2], axis[..., 1]
    skew[..., 1, 0], skew[..., 1, 2] = axis[..., 2], -axis[..., 0]
    skew[..., 2, 0], skew[..., 2, 1] = -axis[..., 1], axis[..., 0]
    sin, cos = np.sin(part)[..., None, None], np.cos(part)[..., None, None]
    return np.eye(3) + sin * skew + (1.0 - cos) * skew @ skew
