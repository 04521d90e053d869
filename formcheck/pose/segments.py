"""Segment-parallel extraction: one video split into contiguous segments, one pose model on each.

The model uses one core a frame (about 17 ms of CPU for 17 ms of wall time on a 720p frame), so a
single extraction leaves the other cores idle. Here the file is cut into N contiguous segments:
the calling process runs the first (its MediaPipe is loaded already, and the first needs no
seek), and each other one runs in a worker process (`formcheck.pose.segment_workers`) that opens
the file itself, seeks to its segment and runs its own `PoseDetector` (VIDEO mode). The caller
then joins the segments into one sequence of poses. It equals a one-worker run as closely as two
runs of the model can: MediaPipe follows the person from frame to frame with state that cannot be
handed over, so after a seam the landmarks differ by the model's own hesitation (about
0.001-0.005 of the frame on the trunk; on the feet now and then more than 0.02, where the model
is unsure of them, as a one-worker run started a moment later differs too):

- *Warm-up.* MediaPipe's VIDEO mode follows the person from the previous frame and smooths the
  landmarks over time, so a worker starting cold at a seam would give different landmarks than a
  worker that came through the frames before it. Each worker after the first therefore starts
  `SEAM_OVERLAP_S` before its segment; the poses of that overlap are used only to check the seam,
  and the segment before it supplies the kept ones.
- *Exact frames.* A worker's first frame comes from a seek (`formcheck.io.sources.VideoSource`
  checks that it lands on the stamp of that frame). The overlap frames are decoded by both
  neighbours, the earlier one sequentially, so comparing small grey thumbnails of them proves
  the later worker's frame numbers are those of a decode from the start (for the first segment by
  construction, for the rest by induction).
- *Same person.* In the overlap both neighbours must follow the same person (the torso in the
  same place); leg identity (`formcheck.pose.legs`) runs afterwards over the whole joined track,
  so the legs' names carry on across the seams.

A file that cannot be split so (no frame count, a failed seek, frames or people that differ at a
seam) is extracted by one worker instead; `extract_in_parallel` returns the reason, for the caller
to say once.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.core.track import PoseFrame
from formcheck.errors import FormcheckError
from formcheck.io.sources import SeekError, Stretch, open_file_source
from formcheck.pose.detector import PoseDetector
from formcheck.pose.model import PoseModel
from formcheck.pose.segment_workers import SegmentJob, SegmentPoses, SegmentWorkers, run_segment
from formcheck.pose.selection import torso_centre

# How long a worker runs before its segment starts. MediaPipe's landmark smoothing settles within
# a few frames; half a second (15 frames at 30 fps) keeps the joined track as close to a one-worker
# run on the shared clips as a whole second did (benchmarks/README.md, tests/test_pose_segments.py)
# and saves every worker 15 frames of the model run twice.
SEAM_OVERLAP_S = 0.5
# A segment shorter than this is not worth a process: starting one (interpreter, MediaPipe, the
# model) costs about 1.5 s of a core.
MIN_SEGMENT_S = 4.0
# Frames the first segment's process (MediaPipe loaded) gets through while a worker process starts
# (interpreter, MediaPipe and the model: 1.2-1.5 s, at about 40 frames/s on a 720p clip).
WORKER_START_FRAMES = 50
# The same for a worker started beforehand (`SegmentWorkers`, model loaded): it only opens the file
# and seeks (0.1-0.2 s) while this process builds its own landmarker (0.2 s).
READY_WORKER_START_FRAMES = 0
SAME_FRAME = 0.05
# Torso centres this far apart (share of the frame, median over the overlap) are two people.
SAME_PERSON = 0.05
_POLL_S = 0.5


@dataclass(frozen=True)
class Segment:
    """One worker's share of a file (frame indices in the file).

    Attributes:
        warm: the first frame the worker decodes and runs the model on.
        start: the first frame whose pose is kept (``warm`` for the first segment).
        stop: the frame to stop before (the next segment's ``start``), None for the end of the file.
        step: every ``step``-th frame is taken (``--max-fps``).
    """

    warm: int
    start: int
    stop: int | None
    step: int

    @property
    def stretch(self) -> Stretch:
        return Stretch(self.warm, self.stop, self.step)


def plan_segments(
    frame_count: int, fps: float, workers: int, step: int = 1, start_frames: int = WORKER_START_FRAMES
) -> list[Segment]:
    """Contiguous segments of a file of ``frame_count`` frames for at most ``workers`` workers.

    Fewer when the file is short (each segment at least `MIN_SEGMENT_S`). Seams fall on taken
    frames (multiples of ``step``), and each segment is done at about the same time: the first,
    which needs no warm-up, keeps that many more frames, and ``start_frames`` more for the frames
    it runs while the workers get ready (`WORKER_START_FRAMES`, `READY_WORKER_START_FRAMES`).
    """
    taken = -(-frame_count // step)
    overlap = max(1, round(SEAM_OVERLAP_S * fps / step))
    minimum = max(overlap + 1, round(MIN_SEGMENT_S * fps / step))
    count = max(1, min(workers, taken // minimum))
    if count == 1:
        return [Segment(0, 0, None, step)]
    # Every worker process decodes `each` frames, and this one `ahead` more while they start:
    # (each + ahead) + (count - 1) * (each - overlap) = taken.
    ahead = min(round(start_frames / step), taken // (2 * count))
    each = (taken + (count - 1) * overlap - ahead) / count
    starts = [0] + [round(each + ahead + k * (each - overlap)) for k in range(count - 1)]
    stops: list[int | None] = [*starts[1:], None]
    return [
        Segment(
            warm=max(0, start - overlap) * step,
            start=start * step,
            stop=None if stop is None else stop * step,
            step=step,
        )
        for start, stop in zip(starts, stops, strict=True)
    ]


def extract_in_parallel(
    path: Path,
    model: PoseModel,
    segments: list[Segment],
    *,
    num_poses: int,
    image_fps: float,
    progress: Callable[[int], None],
    workers: SegmentWorkers | None = None,
) -> list[PoseFrame] | str:
    """The poses of every taken frame of ``path`` (raw: legs as the model names them), the first
    segment in this process (its MediaPipe is loaded already, and it needs no seek) and each other
    in a worker process; or, where the file cannot be split exactly, the reason (one phrase).

    ``workers``: processes started beforehand (at least one for each segment after the first),
    left ready for the next file when this one went through and stopped otherwise; None (or
    closed ones) to spawn them here for this file alone. ``progress(n)`` is called as the
    segments get through ``n`` more frames. Raises `FormcheckError` for a problem with the file
    or the model, as a one-worker run would.
    """
    jobs = [
        SegmentJob(
            k,
            path,
            image_fps,
            segment.stretch,
            keep_from=segment.start,
            thumbnails_from=segments[k + 1].warm if k + 1 < len(segments) else None,
        )
        for k, segment in enumerate(segments)
    ]
    own = workers is None or workers.closed
    if own:
        # Spawned: this process may be running MediaPipe's threads already (see segment_workers).
        workers = SegmentWorkers(len(jobs) - 1, model, num_poses, "spawn")
    elif workers.count < len(jobs) - 1:
        raise ValueError(f"{len(jobs)} segments need {len(jobs) - 1} workers, got {workers.count}")
    done: dict[int, SegmentPoses] = {}
    problems: list[tuple[str, str]] = []

    def take(kind: str, payload: object) -> None:
        if kind == "progress":
            progress(payload)
        elif kind == "done":
            done[payload.number] = payload
        else:
            problems.append((kind, payload))

    def take_waiting() -> None:
        # The workers' reports that have arrived while this process ran its own segment.
        while True:
            try:
                take(*workers.results.get_nowait())
            except queue.Empty:
                return

    def here(kind: str, payload: object) -> None:
        take(kind, payload)
        if kind == "progress":
            take_waiting()

    finished = False
    try:
        for job in jobs[1:]:
            workers.submit(job)
        # Each seek tried here too before this segment, so that a file that cannot be split is
        # given to one worker at once; after the workers have their jobs, as they seek meanwhile.
        for segment in segments[1:]:
            try:
                open_file_source(
                    path, image_fps=image_fps, stretch=Stretch(segment.warm, segment.warm + 1)
                ).close()
            except SeekError as error:
                return str(error)
        with PoseDetector(model, num_poses=num_poses) as detector:
            run_segment(jobs[0], detector, here)
        while len(done) < len(jobs) and not problems:
            try:
                take(*workers.results.get(timeout=_POLL_S))
            except queue.Empty:
                if workers.died():
                    raise FormcheckError(
                        f"{path}: a pose worker process died (out of memory, or the file crashes the "
                        "decoder or the model); try --workers 1"
                    ) from None
        finished = not problems
    finally:
        # A worker still busy with this file would send its reports into the next file's run.
        if own or not finished:
            workers.close()
    for kind, payload in problems:
        if kind == "error":
            raise FormcheckError(payload)
    if problems:
        return problems[0][1]
    return stitch(segments, [done[k] for k in range(len(jobs))])


def stitch(segments: list[Segment], parts: list[SegmentPoses]) -> list[PoseFrame] | str:
    """The kept poses of every segment in order, or the reason a seam does not join."""
    joined: list[PoseFrame] = []
    for k, (segment, part) in enumerate(zip(segments, parts, strict=True)):
        if k > 0:
            problem = _seam_problem(segment, parts[k - 1], part)
            if problem:
                return problem
        joined += [pose for pose in part.poses if pose.index >= segment.start]
    return joined


def _seam_problem(segment: Segment, before: SegmentPoses, after: SegmentPoses) -> str | None:
    """Why the segment before ``segment`` and ``segment`` itself do not join (None: they do)."""
    overlap = range(segment.warm, segment.start, segment.step)
    at = f"at frame {segment.start}"
    if not all(i in before.thumbnails and i in after.thumbnails for i in overlap):
        return f"the frames before frame {segment.start} could not be decoded by both neighbouring workers"
    for i in overlap:
        difference = float(np.abs(before.thumbnails[i] - after.thumbnails[i]).mean())
        if difference > SAME_FRAME:
            return (
                f"seeking did not land on the frames a decode from the start gives (frame {i}, "
                f"{difference:.2f} grey levels apart)"
            )
    # The last half of the overlap: the later worker has found and settled on its person by then.
    first_pose = {pose.index: pose for pose in before.poses}
    pairs = [
        (first_pose[pose.index], pose)
        for pose in after.poses
        if pose.index in overlap[len(overlap) // 2 :]
        and pose.has_person
        and first_pose[pose.index].has_person
    ]
    if pairs:
        centres = [torso_centre(np.stack([a.image_xy, b.image_xy])) for a, b in pairs]
        distance = float(np.median([np.linalg.norm(c[0] - c[1]) for c in centres]))
        if distance > SAME_PERSON:
            return f"the workers followed different people {at} (torsos {distance:.2f} of the frame apart)"
    return None
