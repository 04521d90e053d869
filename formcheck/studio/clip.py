"""Render a studio clip: motion -> posed anny body -> pictures -> mp4, with its ground truth.

Frames are written as they are rendered, and the ground truth of the frames done is written
even when the run is interrupted, so a stopped run leaves a playable partial clip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from formcheck.core.landmarks import Landmark
from formcheck.errors import FormcheckError
from formcheck.studio.body import AnnyBody
from formcheck.studio.clothing import Outfit, scalp_mask, vertex_colours
from formcheck.studio.description import ClipDescription
from formcheck.studio.scene import Ball, Band, Block, Mat, Setting, StudioRenderer
from formcheck.studio.shot import place_camera
from formcheck.studio.truth import landmark_track, write_truth
from formcheck.synth.body_pose import JOINT_NAMES, BodyPose
from formcheck.synth.motions import motion_module
from formcheck.synth.skeleton import world_landmarks

L = Landmark
# Exercises done lying or in a plank get a mat; bands and balls follow the landmarks.
_ON_A_MAT = ("clamshell", "glute_bridge", "hip_flexor_march", "mountain_climber", "hip_internal_rotation")
_PROPS: dict[str, dict] = {
    "clamshell": {"bands": (Band((L.LEFT_KNEE, L.RIGHT_KNEE)),)},
    "band_walk": {"bands": (Band((L.LEFT_KNEE, L.RIGHT_KNEE)),)},
    "mountain_climber": {"bands": (Band((L.LEFT_ANKLE, L.RIGHT_ANKLE)),)},
    "hip_internal_rotation": {
        "bands": (Band((L.LEFT_ANKLE, L.RIGHT_ANKLE)),),
        "balls": (Ball((L.LEFT_KNEE, L.RIGHT_KNEE)),),
    },
}
# Single-leg work with the rear foot up on a block.
_REAR_FOOT_ON_BLOCK = ("hip_hinge",)


@dataclass(frozen=True)
class ClipResult:
    """What a render produced: the video, its ground truth, and how many frames of how many."""

    video: Path
    truth_json: Path
    truth_track: Path
    frames_done: int
    frames_total: int


def resample(pose: BodyPose, fps: float) -> BodyPose:
    """``pose`` at ``fps`` frames per second, by linear interpolation of every curve.

    Root angles are unwrapped first, so a turn through 180 degrees interpolates the short way.
    """
    t = np.arange(0.0, float(pose.t[-1]) + 1e-9, 1.0 / fps)

    def at(values: np.ndarray) -> np.ndarray:
        return np.interp(t, pose.t, values)

    rotation = np.unwrap(pose.root_rotation, period=360.0, axis=0)
    return BodyPose(
        t=t,
        root_position=np.stack([at(pose.root_position[:, i]) for i in range(3)], axis=1),
        root_rotation=np.stack([at(rotation[:, i]) for i in range(3)], axis=1),
        joint_angles={name: at(pose.joint_angles[name]) for name in JOINT_NAMES},
    )


def _setting(exercise: str, side: str, stick: np.ndarray) -> Setting:
    """The floor, mat and props for ``exercise``, placed from the stick body's landmarks (N, 33, 3)."""
    setting = Setting(**_PROPS.get(exercise, {}))
    if exercise in _ON_A_MAT:
        body = stick.reshape(-1, 3)
        centre = (body[:, [0, 2]].min(axis=0) + body[:, [0, 2]].max(axis=0)) / 2
        extent = body[:, [0, 2]].max(axis=0) - body[:, [0, 2]].min(axis=0)
        long_along_z = extent[1] >= extent[0]
        setting = replace(
            setting, mat=Mat(centre=(float(centre[0]), float(centre[1])), along_z=bool(long_along_z))
        )
    if exercise in _REAR_FOOT_ON_BLOCK and side in ("left", "right"):
        rear = "RIGHT" if side == "left" else "LEFT"
        heel, toe = stick[0, L[f"{rear}_HEEL"]], stick[0, L[f"{rear}_FOOT_INDEX"]]
        top = float(min(heel[1], toe[1]))
        centre = (heel + toe) / 2
        setting = replace(
            setting,
            blocks=(Block(centre=(float(centre[0]), float(centre[2])), size=(0.3, max(top, 0.05), 0.35)),),
        )
    return setting


def render_clip(
    description: ClipDescription,
    video: Path,
    progress: Callable[[int, int], None] | None = None,
) -> ClipResult:
    """Render ``description`` to ``video`` (mp4) and write its ground truth beside it.

    ``progress(done, total)`` is called after every frame.
    """
    module = motion_module(description.exercise)
    pose, reps = module.motion(
        reps=description.reps,
        side=description.side,
        faults=dict(description.faults),
        seed=description.seed,
        tempo=description.tempo,
    )
    pose = resample(pose, description.fps)
    stick = world_landmarks(pose)
    body_points = stick.reshape(-1, 3)
    centre = (np.nanmin(body_points, axis=0) + np.nanmax(body_points, axis=0)) / 2
    camera = place_camera(
        description.camera_azimuth,
        centre,
        distance=description.distance,
        height=description.height,
        fov_deg=description.fov,
        size=(description.width, description.image_height),
    )
    setting = _setting(description.exercise, description.side, stick)
    body = AnnyBody(description.body)
    standing = next(body.pose_frames(BodyPose.standing(np.zeros(1)), batch_size=1)).vertices[0]
    hair = scalp_mask(standing, body.vertex_bones, body.bone_labels)
    colours = vertex_colours(body.vertex_bones, body.bone_labels, Outfit(), hair)
    renderer = StudioRenderer(camera, setting, body.faces, colours)
    video.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(
        str(video),
        cv2.VideoWriter_fourcc(*"mp4v"),
        description.fps,
        (description.width, description.image_height),
    )
    if not writer.isOpened():
        renderer.close()
        raise FormcheckError(f"cannot write video {video}: check the folder exists and is writable")
    landmarks: list[np.ndarray] = []
    lift: float | None = None
    try:
        for frames in body.pose_frames(pose):
            for vertices, points in zip(frames.vertices, frames.landmarks, strict=True):
                # Rest the body on the floor or mat as it starts: the motion's skeleton and anny
                # differ a little in how far the skin reaches below the joints. One lift for the
                # whole clip, so that a knee swinging low never lifts the hands off the floor.
                if lift is None:
                    lift = setting.ground_level - float(vertices[:, 1].min())
                vertices = vertices + np.float32([0.0, lift, 0.0])
                points = points + np.array([0.0, lift, 0.0])
                picture = renderer.render(vertices, points)
                writer.write(cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
                landmarks.append(points)
                if progress is not None:
                    progress(len(landmarks), len(pose))
    finally:
        writer.release()
        renderer.close()
        done = len(landmarks)
        track = landmark_track(
            np.array(landmarks).reshape(done, len(Landmark), 3), pose.t[:done], camera, source=video.name
        )
        truth_json, truth_track = write_truth(
            video,
            description=description.to_dict(),
            camera=camera,
            view=description.camera_view,
            azimuth_deg=description.camera_azimuth,
            reps=reps,
            track=track,
            complete=done == len(pose),
        )
    return ClipResult(video, truth_json, truth_track, done, len(pose))
