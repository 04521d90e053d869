"""Single-leg glute bridge: lying on the back, the working foot flat with the knee bent, the other
leg held out straight in line with its thigh; the hips lift until the shoulders, hips and knee
form a line (full hip extension), hold, and lower. ``side`` is the working (planted) leg."""

from __future__ import annotations

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.motions import check_faults, schedule, times
from formcheck.synth.motions.floor import (
    HIP_ABOVE_FLOOR_LYING,
    SHOULDER_ABOVE_FLOOR_LYING,
    direction,
    lying_pose,
    pelvis_rotation,
    set_sagittal_leg,
    two_link,
)
from formcheck.synth.skeleton import Segments

VIEW = "side"
FAULTS = {
    "hip_extension": "degrees of hip flexion left at the top (hips not lifted to a straight line)",
    "pelvis_drop": "degrees the pelvis turns down on the free side at the top",
    "hold": "seconds of hold at the top (short of the clean 1.5)",
    "back_arch": "degrees the lower back arches (extends) at the top",
}
START_HIP_FLEXION = 50.0
START_KNEE_FLEXION = 100.0


def motion(reps=5, side="left", faults=None, seed=0, tempo=1.0):
    faults = check_faults(faults, FAULTS)
    if side not in ("left", "right"):
        raise ValueError(f"glute_bridge is single-leg: side must be left or right, got {side!r}")
    plan = schedule(reps, seed, tempo, down_s=1.2, hold_s=faults.get("hold", 1.5), up_s=1.4)
    t = times(plan.duration_s)
    p = plan.progress(t)
    seg = Segments()
    pose, angles = lying_pose(t)
    # Shoulders stay on the floor; the trunk pivots about them as the hips rise.
    shoulder = np.array([SHOULDER_ABOVE_FLOOR_LYING, -seg.trunk])
    hip_rest = np.array([HIP_ABOVE_FLOOR_LYING, 0.0])
    knee_rest = hip_rest + seg.thigh * direction(90.0 + START_HIP_FLEXION)
    ankle = knee_rest + seg.shin * direction(90.0 + START_HIP_FLEXION - START_KNEE_FLEXION)
    target_flexion = faults.get("hip_extension", 0.0)
    arch_at_top = faults.get("back_arch", 0.0)
    # Shoulders and foot stay on the floor, so an arch lifts the hips past the shoulder-knee line:
    # the trunk rises by the arch on top of what the hip's own extension gives.
    lift = _lift_for_hip_flexion(target_flexion - arch_at_top, shoulder, hip_rest, ankle, seg)
    trunk_angle = np.degrees(np.arctan2(hip_rest[0] - shoulder[0], hip_rest[1] - shoulder[1])) + lift * p
    hip = shoulder + seg.trunk * np.stack(
        [np.sin(np.radians(trunk_angle)), np.cos(np.radians(trunk_angle))], 1
    )
    pitch = -90.0 - trunk_angle
    # The arch tips the pelvis forward under the risen trunk: the hip joint itself extends no further.
    arch = arch_at_top * p
    pelvis_pitch = pitch + arch
    angles["spine_flexion"] = -arch
    thigh, shank = two_link(hip, np.tile(ankle, (len(t), 1)), seg.thigh, seg.shin)
    free = "right" if side == "left" else "left"
    set_sagittal_leg(angles, side, pelvis_pitch, thigh, shank, np.full_like(t, 90.0))
    # The free leg straight and in line with the working thigh, foot relaxed.
    angles[f"{free}_hip_flexion"] = thigh + pelvis_pitch
    angles[f"{free}_ankle_dorsiflexion"] = np.full_like(t, -20.0)
    # Arms lie on the floor by the sides while the trunk tilts up from it.
    angles["left_shoulder_flexion"] = angles["right_shoulder_flexion"] = -trunk_angle
    drop = faults.get("pelvis_drop", 0.0) * p * (1.0 if free == "right" else -1.0)
    root = pose.root_position.copy()
    root[:, 1], root[:, 2] = hip[:, 0], hip[:, 1]
    rotation = pelvis_rotation(pelvis_pitch, drop)
    pose = BodyPose(t=t, root_position=root, root_rotation=rotation, joint_angles=angles)
    return pose, plan.truths(side, faults)


def _lift_for_hip_flexion(target: float, shoulder, hip_rest, ankle, seg: Segments) -> float:
    """Degrees the trunk must rise about the shoulders for the working hip to reach ``target`` flexion."""
    lifts = np.linspace(0.0, 60.0, 601)
    base = np.degrees(np.arctan2(hip_rest[0] - shoulder[0], hip_rest[1] - shoulder[1]))
    angle = np.radians(base + lifts)
    hips = shoulder + seg.trunk * np.stack([np.sin(angle), np.cos(angle)], 1)
    thigh, _ = two_link(hips, np.tile(ankle, (len(lifts), 1)), seg.thigh, seg.shin)
    flexion = thigh - 90.0 - (base + lifts)
    return float(lifts[np.argmin(np.abs(flexion - target))])
