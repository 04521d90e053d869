"""Hip hinge: the pelvis and a neutral spine tip forward as one, knees soft, shins near vertical,
hips travelling back over a planted foot. ``side`` left/right: single-leg with the rear foot on a
block behind (that side is the front, working leg); ``both``: a bilateral hinge (RDL)."""

from __future__ import annotations

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.motions.legs import set_leg, shin_lean_for_knee_past_toes
from formcheck.synth.skeleton import plant_foot

VIEW = "side"
FAULTS = {
    "hinge_depth": "degrees of trunk lean short of the clean 70",
    "knee_quiet": "extra degrees of knee bend at the bottom (squatting the hinge)",
    "hips_back": "share (0-1) of the hips' backward travel removed",
    "knee_over_toes": "shin lengths the knee passes the toes at the bottom",
    "head_in_line": "degrees the head tips back (looking up) at the bottom",
    "balance": "shin lengths the standing foot shuffles forward mid-rep",
    "controlled_tempo": "lowering time in seconds (a fast drop)",
}
TRUNK_LEAN = 70.0
KNEE_BEND = 20.0


def motion(reps=5, side="left", faults=None, seed=0, tempo=1.0):
    faults = check_faults(faults, FAULTS)
    down = faults.get("controlled_tempo", 1.6)
    plan = schedule(reps, seed, tempo, down_s=down, hold_s=0.4, up_s=1.4)
    t = times(plan.duration_s)
    p = plan.progress(t)
    pose = BodyPose.standing(t)
    angles = {name: values.copy() for name, values in pose.joint_angles.items()}
    pitch = (TRUNK_LEAN - faults.get("hinge_depth", 0.0)) * p
    knee = 4.0 + (KNEE_BEND + faults.get("knee_quiet", 0.0)) * p
    shin = 2.0 * p + 0.5 * faults.get("knee_quiet", 0.0) * p
    if "knee_over_toes" in faults:
        shin = np.maximum(shin, shin_lean_for_knee_past_toes(faults["knee_over_toes"]) * p)
    thigh = knee - shin
    if "hips_back" in faults:
        # Hips kept over the foot: the thigh stays upright and the shin takes the knee bend.
        thigh = thigh * (1.0 - faults["hips_back"])
        shin = knee - thigh
    angles["neck_flexion"] = -faults.get("head_in_line", 0.0) * p
    angles["left_shoulder_flexion"] = angles["right_shoulder_flexion"] = pitch
    front = "left" if side in ("left", "both") else "right"
    set_leg(angles, front, pelvis_pitch=pitch, thigh_lean=thigh, shin_lean=shin)
    if side == "both":
        set_leg(angles, "right", pelvis_pitch=pitch, thigh_lean=thigh, shin_lean=shin)
    else:
        rear = "right" if side == "left" else "left"
        # Rear foot up on a block behind: thigh back 25 deg, knee bent 60.
        angles[f"{rear}_hip_flexion"] = pitch - 25.0
        angles[f"{rear}_knee_flexion"] = np.full_like(t, 60.0)
        angles[f"{rear}_ankle_dorsiflexion"] = np.full_like(t, -20.0)
    pose = BodyPose(
        t=t, root_position=pose.root_position, root_rotation=np.zeros((len(t), 3)), joint_angles=angles
    )
    pose = BodyPose(
        t=t,
        root_position=pose.root_position,
        root_rotation=np.stack([np.zeros_like(t), pitch, np.zeros_like(t)], axis=1),
        joint_angles=angles,
    )
    pose = plant_foot(pose, front)
    if "balance" in faults:
        # A shuffle: the whole body steps forward mid-lowering and stays there.
        shift = faults["balance"] * 0.43 * np.clip((p - 0.5) * 10, 0, 1)
        root = pose.root_position.copy()
        root[:, 2] += shift
        pose = BodyPose(t=t, root_position=root, root_rotation=pose.root_rotation, joint_angles=angles)
    return pose, plan.truths(side, faults)
