"""Banded mountain climber: a high plank on the hands, a band round the feet; one knee at a time
drives towards the chest and returns. The plank line from shoulders to ankles stays straight
unless the hips pike up or sag. ``side`` ``both`` alternates (``reps`` per leg)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.motions.floor import angle_of, direction, set_sagittal_leg, sub_schedule, two_link
from formcheck.synth.skeleton import Segments

VIEW = "side"
FAULTS = {
    "hips_pike": "degrees the trunk tips up about the shoulders (hips high)",
    "hips_sag": "degrees the trunk tips down about the shoulders (hips low)",
    "knee_drive": "degrees of hip flexion short of the clean 115 at the top of a drive",
}
DRIVE_HIP, DRIVE_KNEE = 115.0, 135.0
# On the toes: the ankle this high, the foot tipped this far from pointing down (degrees).
ANKLE_ABOVE_FLOOR = 0.17
TOES_SAGITTAL = 40.0


def motion(reps=5, side="both", faults=None, seed=0, tempo=1.0):
    faults = check_faults(faults, FAULTS)
    legs = ["left", "right"] * reps if side == "both" else [side] * reps
    plan = schedule(len(legs), seed, tempo, down_s=0.6, hold_s=0.2, up_s=0.6, rest_s=0.5)
    t = times(plan.duration_s)
    n = len(t)
    seg = Segments()
    # Hands under the shoulders, arms straight; the body faces the floor, head towards +z.
    shoulder = np.array([seg.upper_arm + seg.forearm + 0.03, 0.0])
    leg_length = seg.thigh + seg.shin
    drop = shoulder[0] - ANKLE_ABOVE_FLOOR
    ankle = shoulder + np.array([-drop, -np.sqrt((seg.trunk + leg_length) ** 2 - drop**2)])
    line = angle_of(ankle - shoulder)
    # Piking lifts the hips: the trunk turns about the shoulders towards level; sagging drops them.
    trunk = np.full(n, line - faults.get("hips_pike", 0.0) + faults.get("hips_sag", 0.0))
    hip = shoulder + seg.trunk * direction(trunk)
    pitch = -trunk
    pose = BodyPose.standing(t)
    angles = {name: values.copy() for name, values in pose.joint_angles.items()}
    thigh, shank = two_link(hip, np.tile(ankle, (n, 1)), seg.thigh, seg.shin)
    for leg in ("left", "right"):
        mine = np.array([name == leg for name in legs])
        p = sub_schedule(plan, mine).progress(t) if mine.any() else np.zeros(n)
        set_sagittal_leg(angles, leg, pitch, thigh, shank, np.full(n, TOES_SAGITTAL))
        drive = DRIVE_HIP - faults.get("knee_drive", 0.0)
        angles[f"{leg}_hip_flexion"] = angles[f"{leg}_hip_flexion"] * (1 - p) + drive * p
        # The knee folds ahead of the hip and the toes point back, so the foot clears the floor
        # while the thigh swings under the body.
        fold = np.sqrt(np.clip(p, 0.0, None))
        angles[f"{leg}_knee_flexion"] = angles[f"{leg}_knee_flexion"] * (1 - fold) + DRIVE_KNEE * fold
        angles[f"{leg}_ankle_dorsiflexion"] = angles[f"{leg}_ankle_dorsiflexion"] - 40.0 * fold
        angles[f"{leg}_shoulder_flexion"] = pitch.copy()
    angles["neck_flexion"] = np.full(n, -20.0)
    root = np.zeros((n, 3))
    root[:, 1], root[:, 2] = hip[:, 0], hip[:, 1]
    pose = BodyPose(
        t=t,
        root_position=root,
        root_rotation=np.stack([np.zeros(n), pitch, np.zeros(n)], axis=1),
        joint_angles=angles,
    )
    truths = [replace(truth, side=leg) for truth, leg in zip(plan.truths(side, faults), legs, strict=True)]
    return pose, truths
