"""Lateral band walk: a half squat with a band round the knees, stepping sideways towards
``side``: the leading foot steps out (the stance widens against the band), then the trailing
foot follows, and the stance is back to its width one step along. One rep is one step. ``both``
walks back and forth."""

from __future__ import annotations

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.motions.floor import sub_schedule
from formcheck.synth.motions.legs import set_leg
from formcheck.synth.skeleton import Segments

VIEW = "front"
FAULTS = {
    "knee_valgus": "degrees each hip turns in (and a third of that adducts): knees cave in",
    "narrow_stance": "metres taken off the clean 0.40 m between the ankles",
    "trunk_sway": "degrees the trunk leans towards the stepping leg",
    "half_squat": "degrees of thigh lean lost (standing up out of the half squat)",
}
STANCE_M, STEP_M = 0.40, 0.25
TRUNK_LEAN, THIGH_LEAN, SHIN_LEAN = 20.0, 35.0, 20.0


def motion(reps=5, side="left", faults=None, seed=0, tempo=1.0):
    faults = check_faults(faults, FAULTS)
    plan = schedule(reps, seed, tempo, down_s=0.7, hold_s=0.2, up_s=0.7, rest_s=0.4)
    t = times(plan.duration_s)
    n = len(t)
    seg = Segments()
    # Direction of each step along x (the person's left is +x).
    towards = {"left": [1.0] * reps, "right": [-1.0] * reps, "both": [(-1.0) ** i for i in range(reps)]}[side]
    shift = {"left": np.zeros(n), "right": np.zeros(n)}
    clear = {"left": np.zeros(n), "right": np.zeros(n)}
    sway = np.zeros(n)
    for i, sign in enumerate(towards):
        one = np.zeros(reps, dtype=bool)
        one[i] = True
        p = sub_schedule(plan, one).progress(t) / plan.depth[i]
        started = t >= plan.start[i]
        stepping_out = t < plan.start[i] + plan.down_s[i] + plan.hold_s[i]
        out = np.where(stepping_out, p, 1.0) * started
        follow = np.where(stepping_out, 0.0, 1.0 - p) * started
        lead, trail = ("left", "right") if sign > 0 else ("right", "left")
        shift[lead] += sign * STEP_M * out
        shift[trail] += sign * STEP_M * follow
        clear[lead] += np.where(stepping_out, np.sin(np.pi * p), 0.0) * started
        clear[trail] += np.where(stepping_out, 0.0, np.sin(np.pi * p)) * started
        sway += sign * p * faults.get("trunk_sway", 0.0)
    stance = STANCE_M - faults.get("narrow_stance", 0.0)
    left_ankle_x = stance / 2 + shift["left"]
    right_ankle_x = -stance / 2 + shift["right"]
    pelvis_x = (left_ankle_x + right_ankle_x) / 2
    thigh = THIGH_LEAN - faults.get("half_squat", 0.0)
    height = (
        seg.thigh * np.cos(np.radians(thigh)) + seg.shin * np.cos(np.radians(SHIN_LEAN)) + seg.ankle_height
    )
    pose = BodyPose.standing(t)
    angles = {name: values.copy() for name, values in pose.joint_angles.items()}
    pitch = np.full(n, TRUNK_LEAN)
    for leg, ankle_x, outward in (("left", left_ankle_x, 1.0), ("right", right_ankle_x, -1.0)):
        set_leg(angles, leg, pelvis_pitch=pitch, thigh_lean=np.full(n, thigh), shin_lean=SHIN_LEAN)
        reach = outward * (ankle_x - (pelvis_x + outward * seg.hip_half_width))
        valgus = faults.get("knee_valgus", 0.0)
        angles[f"{leg}_hip_abduction"] = np.degrees(np.arctan2(reach, height - seg.ankle_height)) - valgus / 3
        angles[f"{leg}_hip_external_rotation"] = np.full(n, -valgus)
        # The moving foot clears the floor: a little more hip and knee bend while it travels.
        angles[f"{leg}_hip_flexion"] = angles[f"{leg}_hip_flexion"] + 8.0 * clear[leg]
        angles[f"{leg}_knee_flexion"] = angles[f"{leg}_knee_flexion"] + 12.0 * clear[leg]
    angles["spine_lateral_flexion"] = -sway
    angles["spine_flexion"] = np.full(n, -TRUNK_LEAN * 0.3)
    angles["left_shoulder_flexion"] = angles["right_shoulder_flexion"] = np.full(n, 30.0)
    angles["left_elbow_flexion"] = angles["right_elbow_flexion"] = np.full(n, 60.0)
    root = np.stack([pelvis_x, np.full(n, height), np.zeros(n)], axis=1)
    pose = BodyPose(
        t=t,
        root_position=root,
        root_rotation=np.stack([np.zeros(n), pitch, np.zeros(n)], axis=1),
        joint_angles=angles,
    )
    return pose, plan.truths(side, faults)
