"""A whole pose track from a video file or an image folder: the loop that `extract` and `analyze` share."""

from __future__ import annotations

from pathlib import Path

from tqdm import tqdm

from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.io.sources import DEFAULT_IMAGE_FPS, open_file_source
from formcheck.pose.detector import DEFAULT_NUM_POSES, PoseDetector
from formcheck.pose.legs import LegIdentity
from formcheck.pose.model import PoseModel, load_model


def track_from_video(
    path: Path,
    model: PoseModel | None = None,
    *,
    num_poses: int = DEFAULT_NUM_POSES,
    image_fps: float = DEFAULT_IMAGE_FPS,
    progress: bool = True,
    leg_identity: bool = True,
) -> tuple[PoseTrack, int | None]:
    """Run the model over every frame of ``path``, with a progress bar on a terminal unless
    ``progress`` is False (a batch shows one bar for all its inputs instead).

    ``leg_identity``: undo the model's left/right leg swaps (`formcheck.pose.legs`) as the
    frames come, as live mode does (off only to measure the model itself).

    Returns the track and the frame count the file announces (None for folders), so a
    caller can tell a truncated file. Raises `FormcheckError` when nobody is found at all.
    """
    model = model or load_model()
    with (
        open_file_source(path, image_fps=image_fps) as source,
        PoseDetector(model, num_poses=num_poses) as detector,
    ):
        identity = LegIdentity() if leg_identity else None
        frames = []
        # disable=None: a bar only on a terminal.
        bar = tqdm(
            total=source.frame_count, desc=path.name, unit="frame", leave=False, disable=not progress or None
        )
        with bar:
            for frame in source:
                pose = detector.detect(frame.image, frame.t, frame.index)
                frames.append(identity.correct(pose) if identity else pose)
                bar.update()
    track = PoseTrack.from_frames(frames, fps=source.fps, source=source.name, model=detector.model_name)
    if not track.person_found.any():
        raise FormcheckError(
            f"{path}: nobody was found in any of its {len(track)} frames; film the whole body in good "
            "light, or check that this is the right file"
        )
    return track, source.frame_count
