"""A whole pose track from a video file or an image folder: the extraction `extract`, `analyze`,
`tune` and batches share.

The model runs over the file's frames (every ``step``-th with ``max_fps``) in one process, or in
segments on several (`formcheck.pose.segments`); either way leg identity then runs over the
whole track in time order, so the result does not depend on how many workers made it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from formcheck.core.track import PoseFrame, PoseTrack
from formcheck.errors import FormcheckError
from formcheck.io.sources import DEFAULT_IMAGE_FPS, Stretch, open_file_source, step_for
from formcheck.pose.detector import DEFAULT_NUM_POSES, PoseDetector
from formcheck.pose.legs import keep_leg_identity
from formcheck.pose.model import PoseModel, load_model
from formcheck.pose.segment_workers import SegmentWorkers
from formcheck.pose.segments import (
    READY_WORKER_START_FRAMES,
    WORKER_START_FRAMES,
    extract_in_parallel,
    plan_segments,
)


def track_from_video(
    path: Path,
    model: PoseModel | None = None,
    *,
    num_poses: int = DEFAULT_NUM_POSES,
    image_fps: float = DEFAULT_IMAGE_FPS,
    max_fps: float | None = None,
    workers: int = 1,
    segment_workers: SegmentWorkers | None = None,
    progress: bool = True,
    leg_identity: bool = True,
    note: Callable[[str], None] | None = None,
) -> tuple[PoseTrack, int | None]:
    """Run the model over the frames of ``path``, with a progress bar on a terminal unless
    ``progress`` is False (a batch shows one bar for all its inputs instead).

    ``max_fps``: take at most that many frames a second (every k-th frame; times stay the
    frames' own), None for all. ``workers``: pose models to run at once on this one file (design
    §8's budget); a file that cannot be split exactly is extracted by one, and ``note`` is told
    why (one line). ``leg_identity``: undo the model's left/right leg swaps
    (`formcheck.pose.legs`) as live mode does (off only to measure the model itself).

    Returns the track and how many frames the file's announced frame count promised (None when
    it announces none), so a caller can tell a truncated file. Raises `FormcheckError` when
    nobody is found at all.
    """
    model = model or load_model()
    with open_file_source(path, image_fps=image_fps) as probe:
        fps, announced, name = probe.fps, probe.frame_count, probe.name
    step = step_for(fps, max_fps)
    expected = None if announced is None else Stretch(step=step).count(announced)
    # disable=None: a bar only on a terminal.
    bar = tqdm(total=expected, desc=path.name, unit="frame", leave=False, disable=not progress or None)
    with bar:
        poses: list[PoseFrame] | None = None
        if workers > 1:
            poses = _in_parallel(
                path, model, num_poses, image_fps, workers, segment_workers, fps, announced, step, bar, note
            )
        if poses is None:
            poses = _sequential(path, model, num_poses, image_fps, Stretch(step=step), bar.update)
    track = PoseTrack.from_frames(poses, fps=fps / step, source=name, model=model.name)
    if not track.person_found.any():
        raise FormcheckError(
            f"{path}: nobody was found in any of its {len(track)} frames; film the whole body in good "
            "light, or check that this is the right file"
        )
    return (keep_leg_identity(track) if leg_identity else track), expected


def _in_parallel(
    path: Path,
    model: PoseModel,
    num_poses: int,
    image_fps: float,
    workers: int,
    segment_workers: SegmentWorkers | None,
    fps: float,
    announced: int | None,
    step: int,
    bar: tqdm,
    note: Callable[[str], None] | None,
) -> list[PoseFrame] | None:
    """The raw poses from up to ``workers`` segments, or None where one worker must do it (a
    file too short to split says nothing; one that cannot be split exactly says why in ``note``)."""
    if announced is None:
        reason = "the file does not say how many frames it holds, so it cannot be split"
    else:
        ready = segment_workers is not None and not segment_workers.closed
        start_frames = READY_WORKER_START_FRAMES if ready else WORKER_START_FRAMES
        segments = plan_segments(announced, fps, workers, step, start_frames)
        if len(segments) == 1:
            return None
        poses = extract_in_parallel(
            path,
            model,
            segments,
            num_poses=num_poses,
            image_fps=image_fps,
            progress=bar.update,
            workers=segment_workers,
        )
        if not isinstance(poses, str):
            return poses
        reason = poses
    if note is not None:
        note(f"{path}: {reason}; extracting it with one worker")
    bar.reset(total=bar.total)
    return None


def _sequential(
    path: Path,
    model: PoseModel,
    num_poses: int,
    image_fps: float,
    stretch: Stretch,
    progress: Callable[[int], None],
) -> list[PoseFrame]:
    """The raw poses of the frames of ``stretch`` in this process."""
    with (
        open_file_source(path, image_fps=image_fps, stretch=stretch) as source,
        PoseDetector(model, num_poses=num_poses) as detector,
    ):
        poses = []
        for frame in source:
            poses.append(detector.detect(frame.image, frame.t, frame.index))
            progress(1)
    return poses
