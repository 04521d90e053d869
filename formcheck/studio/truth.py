"""Ground truth of a clip: a JSON file of reps and faults, beside a pose track of the exact landmarks.

The JSON is meant to be simple enough for hand-made labels of real clips too: only
``exercise``, ``fps`` and each rep's ``side``, ``start_s``, ``end_s`` and ``faults`` are
needed there. The studio adds the landmarks the camera truly saw, as a pose track file
(`formcheck.io.track_files`, the same format `formcheck extract` writes), and the true value
of each rule's metric per rep (the engine's measurement on those exact landmarks).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from formcheck.core.landmarks import Landmark
from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES, configured
from formcheck.io.track_files import save_npz
from formcheck.synth.camera import Camera, view_azimuth
from formcheck.synth.motions import RepTruth

FORMAT = "formcheck-ground-truth"
VERSION = 1


def truth_paths(video: Path) -> tuple[Path, Path]:
    """(JSON, pose track) paths of ``video``: ``clip.mp4`` -> ``clip.truth.json``, ``clip.truth.npz``."""
    stem = video.with_suffix("")
    return stem.with_name(stem.name + ".truth.json"), stem.with_name(stem.name + ".truth.npz")


def landmark_track(world_points: np.ndarray, t: np.ndarray, camera: Camera, source: str) -> PoseTrack:
    """What a perfect pose model would report for landmarks at ``world_points`` (N, 33, 3) seen by ``camera``.

    image_xy is the exact projection; z is depth relative to the hip centre on the scale of x
    (MediaPipe's convention); world is hip-centred in camera axes, y down, metres; visibility
    and presence are 1 inside the picture and 0 outside it (self-occlusion is not modelled).
    """
    xy, depth = camera.project(world_points)
    hips = world_points[:, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]].mean(axis=1)
    _, hip_depth = camera.project(hips)
    z = (depth - hip_depth[:, None]) * camera.focal_px / (hip_depth[:, None] * camera.width)
    inside = ((xy >= 0) & (xy <= 1)).all(axis=2) & (depth > 0)
    n = len(t)
    return PoseTrack(
        t=np.asarray(t, dtype=np.float64),
        index=np.arange(n),
        image_xy=xy,
        z=z,
        visibility=inside.astype(np.float64),
        presence=inside.astype(np.float64),
        world=(world_points - hips[:, None]) @ camera.world_to_camera().T,
        image_size=(camera.width, camera.height),
        fps=float(1.0 / np.median(np.diff(t))) if n > 1 else 0.0,
        source=source,
        model="ground-truth",
    )


def true_rule_values(
    exercise: str, side: str, track: PoseTrack, reps: list[RepTruth]
) -> list[dict[str, float]]:
    """Per true rep, rule id -> value the engine measures on the exact landmarks ({} without rules)."""
    if exercise not in EXERCISES or len(track) == 0:
        return [{} for _ in reps]
    from formcheck.analysis.session import ExerciseSession

    session = ExerciseSession(*configured(exercise), side=side if side != "both" else None)
    session.feed(track)
    measured = [rep for rep in session.finish().reps if rep.complete]
    values = []
    for truth in reps:
        match = [rep for rep in measured if truth.start_s - 0.5 <= rep.peak_s <= truth.end_s + 0.5]
        values.append(
            {rule.id: rule.value for rule in match[0].rules if rule.value is not None} if match else {}
        )
    return values


def write_truth(
    video: Path,
    *,
    description: dict,
    camera: Camera,
    view: str,
    azimuth_deg: float,
    reps: list[RepTruth],
    track: PoseTrack,
    complete: bool,
) -> tuple[Path, Path]:
    """Write the ground truth of ``video``: the JSON and the pose track. Returns their paths.

    ``view`` and ``azimuth_deg`` are the camera's, in ``../shared/design.md`` §8's terms (files
    written before the azimuth was recorded lack ``azimuth_deg``; their ``view`` still says it).
    """
    json_path, track_path = truth_paths(video)
    save_npz(track, track_path)
    duration = float(track.t[-1]) if len(track) else 0.0
    shown = [rep for rep in reps if rep.end_s <= duration + 1e-6]
    rule_values = true_rule_values(description["exercise"], description["side"], track, shown)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exercise": description["exercise"],
        "video": video.name,
        "track": track_path.name,
        "complete": complete,
        "fps": description["fps"],
        "frames": len(track),
        "image_size": [camera.width, camera.height],
        "view": view,
        "azimuth_deg": round(float(azimuth_deg), 3),
        "camera": {
            "position_m": [round(float(v), 4) for v in camera.position],
            "target_m": [round(float(v), 4) for v in camera.target],
            "vertical_fov_deg": camera.vertical_fov_deg,
        },
        "description": description,
        "reps": [
            {
                "index": i + 1,
                **{
                    key: round(value, 3) if isinstance(value, float) else value
                    for key, value in asdict(rep).items()
                },
                "rule_values": {
                    rule: round(float(v), 4) if np.isfinite(v) else None for rule, v in values.items()
                },
            }
            for i, (rep, values) in enumerate(zip(shown, rule_values, strict=True))
        ],
    }
    try:
        json_path.write_text(json.dumps(document, indent=1) + "\n")
    except OSError as error:
        raise FormcheckError(f"cannot write {json_path}: {error}") from error
    return json_path, track_path


def read_truth(path: Path) -> dict:
    """The ground-truth JSON at ``path``, checked for its format."""
    try:
        document = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise FormcheckError(f"cannot read ground truth {path}: {error}") from error
    if document.get("format") != FORMAT:
        raise FormcheckError(
            f"{path} is not a formcheck ground-truth file (format {document.get('format')!r})"
        )
    return document


def truth_azimuth(document: dict) -> float:
    """The camera azimuth of a ground-truth ``document`` (`read_truth`), in degrees (§8's convention).

    Files written before the studio recorded ``azimuth_deg`` have only the view's name and the
    working side, which is all the azimuth they had then.
    """
    if "azimuth_deg" in document:
        return float(document["azimuth_deg"])
    side = document["description"]["side"]
    return view_azimuth(document["view"], side if side in ("left", "right") else "left")
