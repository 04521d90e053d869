"""Split squat: staggered stance with ``side`` in front; the front knee bends to ~90 with an upright
shin and trunk while the rear knee drops toward the floor. Front foot planted."""

from __future__ import annotations

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.motions.legs import set_leg, shin_lean_for_knee_past_toes
from formcheck.synth.skeleton import plant_foot

VIEW = "side"
FAULTS = {
    "knee_over_toes": "shin lengths the front knee passes the toes at the bottom",
    "depth": "degrees of front knee bend short of the clean ~95",
    "trunk_upright": "extra degrees of forward trunk lean at the bottom",
    "knee_tracking": "degrees of front hip adduction and internal rotation at the bottom (valgus)",
}


def motion(reps=5, side="left", faults=None, seed=0, tempo=1.0):
    if side not in ("left", "right"):
        raise ValueError(f"a split squat has one front leg: side must be left or right, got {side!r}")
    faults = check_faults(faults, FAULTS)
    plan = schedule(reps, seed, tempo, down_s=1.5, hold_s=0.3, up_s=1.2)
    t = times(plan.duration_s)
    p = plan.progress(t)
    n = len(t)
    angles = {name: np.zeros(n) for name in BodyPose.standing(t[:1]).joint_angles}
    pitch = (4.0 + faults.get("trunk_upright", 0.0)) * p
    front_thigh = 15.0 + (72.0 - faults.get("depth", 0.0)) * p
    front_shin = 6.0 + 2.0 * p
    if "knee_over_toes" in faults:
        front_shin = np.maximum(front_shin, shin_lean_for_knee_past_toes(faults["knee_over_toes"]) * p)
    rear = "right" if side == "left" else "left"
    set_leg(angles, side, pelvis_pitch=pitch, thigh_lean=front_thigh, shin_lean=front_shin)
    set_leg(angles, rear, pelvis_pitch=pitch, thigh_lean=-18.0 + 12.0 * p, shin_lean=28.0 + 55.0 * p)
    angles[f"{rear}_ankle_dorsiflexion"] = np.full(n, -30.0)  # up on the rear toes
    valgus = faults.get("knee_tracking", 0.0) * p
    angles[f"{side}_hip_abduction"] = -valgus
    angles[f"{side}_hip_external_rotation"] = -valgus
    rotation = np.stack([np.zeros(n), pitch, np.zeros(n)], axis=1)
    pose = BodyPose(
        t=t, root_position=np.tile([0.0, 0.9, 0.0], (n, 1)), root_rotation=rotation, joint_angles=angles
    )
    return plant_foot(pose, side), plan.truths(side, faults)
