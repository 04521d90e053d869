"""Supine hip flexor march: lying on the back, knees bent and feet flat; one leg at a time lifts
until the hip is bent about 90 degrees with the shin level, then lowers. ``side`` ``both``
alternates the legs, starting with the left (``reps`` per leg); ``left``/``right`` marches one leg."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.motions.floor import lying_pose, pelvis_rotation, sub_schedule

VIEW = "side"
FAULTS = {
    "march_height": "degrees of hip flexion short of the clean 90 at the top",
    "pelvis_rock": "degrees the pelvis turns about its long axis with each lift (lifting side up)",
    "other_leg_lifts": "degrees the resting leg's hip flexes further, lifting its foot",
}
REST_HIP, REST_KNEE = 50.0, 100.0
TOP_HIP, TOP_KNEE = 90.0, 90.0


def motion(reps=5, side="both", faults=None, seed=0, tempo=1.0):
    faults = check_faults(faults, FAULTS)
    legs = ["left", "right"] * reps if side == "both" else [side] * reps
    plan = schedule(len(legs), seed, tempo, down_s=0.9, hold_s=0.5, up_s=0.9, rest_s=0.6)
    t = times(plan.duration_s)
    pose, angles = lying_pose(t)
    turn = np.zeros_like(t)
    for leg in ("left", "right"):
        other = "right" if leg == "left" else "left"
        mine = np.array([name == leg for name in legs])
        p = sub_schedule(plan, mine).progress(t) if mine.any() else np.zeros_like(t)
        angles[f"{leg}_hip_flexion"] = angles[f"{leg}_hip_flexion"] + REST_HIP
        angles[f"{leg}_hip_flexion"] += (TOP_HIP - faults.get("march_height", 0.0) - REST_HIP) * p
        angles[f"{other}_hip_flexion"] = (
            angles[f"{other}_hip_flexion"] + faults.get("other_leg_lifts", 0.0) * p
        )
        angles[f"{leg}_knee_flexion"] = REST_KNEE + (TOP_KNEE - REST_KNEE) * p
        # Feet flat on the floor at rest: the shin leans 40 degrees, the foot lies level.
        angles[f"{leg}_ankle_dorsiflexion"] = np.full_like(t, -40.0)
        # The lifting side rises: positive turns lower the right side.
        turn += faults.get("pelvis_rock", 0.0) * p * (-1.0 if leg == "left" else 1.0)
    angles["left_shoulder_flexion"] = angles["right_shoulder_flexion"] = np.zeros_like(t)
    pose = BodyPose(
        t=t,
        root_position=pose.root_position,
        root_rotation=pelvis_rotation(np.full_like(t, -90.0), turn),
        joint_angles=angles,
    )
    truths = [replace(truth, side=leg) for truth, leg in zip(plan.truths(side, faults), legs, strict=True)]
    return pose, truths
