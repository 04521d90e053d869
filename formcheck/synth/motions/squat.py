"""Squat: both legs alike, hips sitting back and down, shins leaning a little, trunk leaning to
~35 deg at the bottom, heels down. Bilateral: ``side`` is recorded as ``both``."""

from __future__ import annotations

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.motions.legs import set_leg, shin_lean_for_knee_past_toes
from formcheck.synth.skeleton import Segments, plant_foot

VIEW = "side"
FAULTS = {
    "depth": "degrees of knee bend short of the clean ~100",
    "knee_over_toes": "shin lengths the knees pass the toes at the bottom",
    "knee_tracking": "degrees of hip adduction and internal rotation at the bottom (valgus)",
    "heels_down": "shin lengths the heels rise above the toes at the bottom",
    "trunk_angle": "extra degrees of forward trunk lean at the bottom",
}


def motion(reps=5, side="both", faults=None, seed=0, tempo=1.0):
    faults = check_faults(faults, FAULTS)
    plan = schedule(reps, seed, tempo, down_s=1.5, hold_s=0.3, up_s=1.2)
    t = times(plan.duration_s)
    p = plan.progress(t)
    n = len(t)
    angles = {name: np.zeros(n) for name in BodyPose.standing(t[:1]).joint_angles}
    depth = 1.0 - faults.get("depth", 0.0) / 100.0
    pitch = (35.0 * depth + faults.get("trunk_angle", 0.0)) * p
    thigh = 2.0 + 80.0 * depth * p
    shin = 2.0 + 17.0 * depth * p
    if "knee_over_toes" in faults:
        shin = np.maximum(shin, shin_lean_for_knee_past_toes(faults["knee_over_toes"]) * p)
    seg = Segments()
    lift = np.degrees(
        np.arcsin(np.clip(faults.get("heels_down", 0.0) * seg.shin / (seg.heel_back + seg.toe_forward), 0, 1))
    )
    for leg in ("left", "right"):
        set_leg(angles, leg, pelvis_pitch=pitch, thigh_lean=thigh, shin_lean=shin)
        angles[f"{leg}_ankle_dorsiflexion"] = shin - lift * p
        angles[f"{leg}_hip_abduction"] = 8.0 - faults.get("knee_tracking", 0.0) * p
        angles[f"{leg}_hip_external_rotation"] = 10.0 - faults.get("knee_tracking", 0.0) * p
        angles[f"{leg}_shoulder_flexion"] = 70.0 * p
    rotation = np.stack([np.zeros(n), pitch, np.zeros(n)], axis=1)
    pose = BodyPose(
        t=t, root_position=np.tile([0.0, 0.9, 0.0], (n, 1)), root_rotation=rotation, joint_angles=angles
    )
    return plant_foot(pose, "left"), plan.truths("both", faults)
