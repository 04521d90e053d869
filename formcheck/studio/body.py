"""A rendered person: the anny body posed by a `BodyPose`, with MediaPipe's 33 landmarks on it.

anny (NAVER, Apache-2.0) is a rigged parametric human body built on MakeHuman's CC0 assets.
Loading it the first time on a machine compiles its skinning kernels (about a minute);
later loads take under a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import anny
import numpy as np
import torch

from formcheck.core.landmarks import NUM_LANDMARKS, Landmark
from formcheck.studio.description import PHENOTYPES
from formcheck.studio.rig import ANNY_TO_WORLD, Rig
from formcheck.synth.body_pose import BodyPose
from formcheck.synth.skeleton import Segments

# COCO-WholeBody keypoints that anny regresses from its vertices, by MediaPipe landmark.
_COCO_KEYPOINTS = {
    Landmark.NOSE: "nose",
    Landmark.LEFT_EYE: "left_eye",
    Landmark.RIGHT_EYE: "right_eye",
    Landmark.LEFT_EAR: "left_ear",
    Landmark.RIGHT_EAR: "right_ear",
    Landmark.LEFT_SHOULDER: "left_shoulder",
    Landmark.RIGHT_SHOULDER: "right_shoulder",
    Landmark.LEFT_ELBOW: "left_elbow",
    Landmark.RIGHT_ELBOW: "right_elbow",
    Landmark.LEFT_WRIST: "left_wrist",
    Landmark.RIGHT_WRIST: "right_wrist",
    Landmark.LEFT_HIP: "left_hip",
    Landmark.RIGHT_HIP: "right_hip",
    Landmark.LEFT_KNEE: "left_knee",
    Landmark.RIGHT_KNEE: "right_knee",
    Landmark.LEFT_ANKLE: "left_ankle",
    Landmark.RIGHT_ANKLE: "right_ankle",
    Landmark.LEFT_HEEL: "left_heel",
    Landmark.RIGHT_HEEL: "right_heel",
}
# MediaPipe's foot index is the tip of the second toe, between COCO's big-toe and small-toe
# tips and nearer the big toe.
_FOOT_INDEX_MIX = {"big_toe": 0.7, "small_toe": 0.3}
# Hand landmarks: the skin around these finger bones' heads (MediaPipe's pinky and index
# points sit on the knuckles, its thumb point near the thumb's last joint).
_HAND_BONES = {"pinky": "finger5-1", "index": "finger2-1", "thumb": "finger1-3"}
# Face landmarks without a COCO keypoint: offsets from one that has, in the head's
# reference axes (metres, anny axes: x to the left, y back, z up), to the nearest skin.
_EYE_CORNER_OFFSET_M = 0.015
_MOUTH_OFFSET_M = np.array([0.024, 0.0, -0.045])
_SKIN_NEIGHBOURS = 6


@dataclass(frozen=True)
class PosedFrames:
    """A batch of consecutive posed frames, world frame of `formcheck.synth.body_pose`.

    Attributes:
        start: index of the first frame in the clip.
        vertices: (n, V, 3) float32 skin vertices, metres.
        landmarks: (n, 33, 3) MediaPipe's landmarks on the body, metres.
        bone_heads: (n, B, 3) heads of anny's bones (joint centres), metres.
    """

    start: int
    vertices: np.ndarray
    landmarks: np.ndarray
    bone_heads: np.ndarray


class AnnyBody:
    """One anny body of a fixed phenotype, posed frame batch by frame batch.

    Attributes:
        phenotype: name -> 0..1 for every name in `PHENOTYPES`.
        scale: factor applied to anny's body so that its standing hip height is the motions'
            skeleton's (`Segments.standing_pelvis_height`): feet that a motion plants stay put.
        faces: (F, 3) int32 triangle vertex indices.
        bone_labels: (B,) anny's bone names.
        rig: maps a `BodyPose` onto the bones.
        vertex_bones: (V,) index of the bone that moves each vertex most (for clothing).
    """

    def __init__(self, phenotype: dict[str, float] | None = None) -> None:
        given = dict(phenotype or {})
        unknown = sorted(set(given) - set(PHENOTYPES))
        if unknown:
            raise ValueError(f"unknown phenotype {unknown}; valid: {sorted(PHENOTYPES)}")
        self.phenotype = {name: float(given.get(name, 0.5)) for name in PHENOTYPES}
        self._model = anny.Anny()
        self._model.requires_grad_(False)
        self.bone_labels: tuple[str, ...] = tuple(self._model.bone_labels)
        self.faces = self._model.get_triangular_faces().numpy().astype(np.int32)
        reference = self._forward(
            torch.eye(4, dtype=self._model.dtype).expand(1, len(self.bone_labels), 4, 4)
        )
        reference_vertices = reference["vertices"][0].numpy()
        reference_heads = reference["bone_poses"][0, :, :3, 3].numpy()
        self.rig = Rig(self.bone_labels, reference_heads)
        hip_height = (
            reference_heads[self.bone_labels.index("upperleg01.L"), 2] - reference_vertices[:, 2].min()
        )
        self.scale = Segments().standing_pelvis_height / hip_height
        self._landmark_weights = self._landmark_regressor(reference_vertices, reference_heads)
        weights = self._model.vertex_bone_weights.numpy()
        indices = self._model.vertex_bone_indices.numpy()
        self.vertex_bones = indices[np.arange(len(indices)), weights.argmax(axis=1)]

    def _forward(self, deltas: torch.Tensor) -> dict[str, torch.Tensor]:
        with torch.no_grad():
            return self._model(
                pose_parameters=deltas,
                phenotype_kwargs={name: torch.tensor([value]) for name, value in self.phenotype.items()},
            )

    def _landmark_regressor(self, vertices: np.ndarray, heads: np.ndarray) -> np.ndarray:
        """(33, V) weights: each landmark is a fixed blend of skin vertices, so it rides the skin."""
        coco = anny.KeypointsRegressor.coco(self._model)
        coco_weights = {label: coco.regression_weights[i].numpy() for i, label in enumerate(coco.labels)}
        weights = np.zeros((NUM_LANDMARKS, len(vertices)))
        for landmark, label in _COCO_KEYPOINTS.items():
            weights[landmark] = coco_weights[label]
        for side in ("left", "right"):
            suffix = side[0].upper()
            weights[Landmark[f"{side.upper()}_FOOT_INDEX"]] = sum(
                share * coco_weights[f"{side}_{toe}"] for toe, share in _FOOT_INDEX_MIX.items()
            )
            for point, bone in _HAND_BONES.items():
                head = heads[self.bone_labels.index(f"{bone}.{suffix}")]
                weights[Landmark[f"{side.upper()}_{point.upper()}"]] = _skin_near(vertices, head)
            eye = coco_weights[f"{side}_eye"] @ vertices
            outward = np.array([1.0 if side == "left" else -1.0, 0.0, 0.0])
            for corner, direction in (("INNER", -outward), ("OUTER", outward)):
                weights[Landmark[f"{side.upper()}_EYE_{corner}"]] = _skin_near(
                    vertices, eye + _EYE_CORNER_OFFSET_M * direction
                )
            nose = coco_weights["nose"] @ vertices
            mouth = nose + _MOUTH_OFFSET_M * np.array([outward[0], 1.0, 1.0])
            weights[Landmark[f"MOUTH_{side.upper()}"]] = _skin_near(vertices, mouth)
        return weights

    def pose_frames(self, pose: BodyPose, batch_size: int = 8) -> Iterator[PosedFrames]:
        """Pose the body on every frame of ``pose``, ``batch_size`` frames at a time.

        The pelvis centre (midpoint of the hip joints) lands on ``pose.root_position``.
        """
        rotations = self.rig.bone_rotations(pose)
        left_hip = self.bone_labels.index("upperleg01.L")
        right_hip = self.bone_labels.index("upperleg01.R")
        for start in range(0, len(pose), batch_size):
            chunk = rotations[start : start + batch_size]
            deltas = torch.zeros((len(chunk), len(self.bone_labels), 4, 4), dtype=self._model.dtype)
            deltas[:, :, :3, :3] = torch.from_numpy(chunk)
            deltas[:, :, 3, 3] = 1.0
            output = self._forward(deltas)
            # Scaled about the hip centre, which then lands on the pose's root.
            hips = output["bone_poses"][:, [left_hip, right_hip], :3, 3].mean(dim=1, keepdim=True)
            place = pose.root_position[start : start + len(chunk), None, :]
            vertices = (self.scale * (output["vertices"] - hips)).numpy() @ ANNY_TO_WORLD.T + place
            heads = (
                self.scale * (output["bone_poses"][:, :, :3, 3] - hips)
            ).numpy() @ ANNY_TO_WORLD.T + place
            yield PosedFrames(
                start=start,
                vertices=vertices.astype(np.float32),
                landmarks=np.einsum("lv,nvd->nld", self._landmark_weights, vertices),
                bone_heads=heads,
            )


def _skin_near(vertices: np.ndarray, point: np.ndarray) -> np.ndarray:
    """(V,) weights averaging the few skin vertices nearest ``point`` (3,)."""
    nearest = np.argsort(np.linalg.norm(vertices - point, axis=1))[:_SKIN_NEIGHBOURS]
    weights = np.zeros(len(vertices))
    weights[nearest] = 1.0 / _SKIN_NEIGHBOURS
    return weights
