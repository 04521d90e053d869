"""`BodyPose`: a body's posture over time as root placement plus joint angles.

This is the interface between exercise motions (which produce it) and the bodies that
consume it (the stick skeleton for tests, the rendered body of the studio).

Conventions (right-handed, metres, degrees):
- World frame: x to the person's left when they stand in the start position facing +z,
  y up, z forward. The floor is y = 0.
- The root is the pelvis centre (midpoint of the hip joints). `root_rotation` holds the
  pelvis orientation as intrinsic yaw (about y, turning left positive), pitch (about x,
  tilting forward positive) and roll (about z, dropping the right side positive), applied
  in that order. Lying supine is pitch -90; lying on the left side is roll -90.
- Joint angles are relative to the parent segment, zero in anatomical standing position:
  flexion positive (hip flexion brings the thigh forward, knee flexion bends the knee),
  abduction positive (away from the midline), external rotation positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIDES = ("left", "right")
TRUNK_JOINTS = ("spine_flexion", "spine_lateral_flexion", "spine_rotation", "neck_flexion")
LIMB_JOINTS = (
    "hip_flexion",
    "hip_abduction",
    "hip_external_rotation",
    "knee_flexion",
    "ankle_dorsiflexion",
    "shoulder_flexion",
    "shoulder_abduction",
    "elbow_flexion",
)
JOINT_NAMES: tuple[str, ...] = TRUNK_JOINTS + tuple(
    f"{side}_{joint}" for side in SIDES for joint in LIMB_JOINTS
)
"""Every joint angle a `BodyPose` carries, e.g. ``left_knee_flexion``."""


@dataclass(frozen=True)
class BodyPose:
    """Posture of one body over N frames.

    Attributes:
        t: (N,) seconds.
        root_position: (N, 3) pelvis centre in the world frame, metres.
        root_rotation: (N, 3) pelvis yaw, pitch, roll in degrees (see module docstring).
        joint_angles: name -> (N,) degrees, for every name in `JOINT_NAMES`.
    """

    t: np.ndarray
    root_position: np.ndarray
    root_rotation: np.ndarray
    joint_angles: dict[str, np.ndarray]

    def __post_init__(self) -> None:
        n = len(self.t)
        for name, shape in (("root_position", (n, 3)), ("root_rotation", (n, 3))):
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name} must have shape {shape}, got {getattr(self, name).shape}")
        missing = sorted(set(JOINT_NAMES) - set(self.joint_angles))
        unknown = sorted(set(self.joint_angles) - set(JOINT_NAMES))
        if missing or unknown:
            raise ValueError(f"joint_angles: missing {missing}, unknown {unknown}; valid: {JOINT_NAMES}")
        for name, values in self.joint_angles.items():
            if values.shape != (n,):
                raise ValueError(f"joint_angles[{name!r}] must have shape {(n,)}, got {values.shape}")

    def __len__(self) -> int:
        return len(self.t)

    @classmethod
    def standing(cls, t: np.ndarray, pelvis_height: float = 0.95) -> BodyPose:
        """Anatomical standing position, facing +z, held for every time in ``t``."""
        n = len(t)
        return cls(
            t=np.asarray(t, dtype=np.float64),
            root_position=np.tile([0.0, pelvis_height, 0.0], (n, 1)),
            root_rotation=np.zeros((n, 3)),
            joint_angles={name: np.zeros(n) for name in JOINT_NAMES},
        )
