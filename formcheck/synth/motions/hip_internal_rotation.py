"""Supine hip internal rotation: lying on the back, knees bent, a ball held between the knees and a
band round the ankles; both hips turn inwards so the feet move apart against the band while the
knees stay together, then return. Bilateral (``side`` is recorded as given). Filmed by `camera`
from the feet."""

from __future__ import annotations

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.camera import Camera
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.motions.floor import lying_pose

VIEW = "front"
FAULTS = {
    "knees_apart": "degrees each hip opens (abducts) at the top, parting the knees",
    "back_arch": "degrees the lower back arches (extends) at the top",
    "rotation_range": "degrees of internal rotation short of the clean 35",
}
HIP_FLEXION, KNEE_FLEXION, ROTATION = 45.0, 90.0, 35.0


def motion(reps=5, side="both", faults=None, seed=0, tempo=1.0):
    faults = check_faults(faults, FAULTS)
    plan = schedule(reps, seed, tempo, down_s=1.2, hold_s=0.6, up_s=1.4)
    t = times(plan.duration_s)
    p = plan.progress(t)
    pose, angles = lying_pose(t)
    # An arched back tips the pelvis forward (pitch up) under a trunk that stays on the floor.
    arch = faults.get("back_arch", 0.0) * p
    pitch = -90.0 + arch
    angles["spine_flexion"] = -arch
    for leg in ("left", "right"):
        angles[f"{leg}_hip_flexion"] = HIP_FLEXION + arch
        angles[f"{leg}_knee_flexion"] = np.full_like(t, KNEE_FLEXION)
        angles[f"{leg}_ankle_dorsiflexion"] = np.full_like(t, -45.0)
        # Knees together with the feet a little apart: a slight adduction at rest.
        angles[f"{leg}_hip_abduction"] = -4.0 + faults.get("knees_apart", 0.0) * p
        angles[f"{leg}_hip_external_rotation"] = -(ROTATION - faults.get("rotation_range", 0.0)) * p
    pose = BodyPose(
        t=t,
        root_position=pose.root_position,
        root_rotation=np.stack([np.zeros_like(t), pitch, np.zeros_like(t)], axis=1),
        joint_angles=angles,
    )
    return pose, plan.truths(side, faults)


def camera(distance: float = 1.2, height: float = 2.6) -> Camera:
    """High beyond the feet of the lying body, looking down at it steeply (~60 deg)."""
    return Camera(
        position=np.array([0.0, height, distance]), target=np.array([0.0, 0.2, -0.2]), vertical_fov_deg=55.0
    )
