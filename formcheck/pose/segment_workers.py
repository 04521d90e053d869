"""The worker processes of segment-parallel extraction (`formcheck.pose.segments`): each holds a
pose model and runs the segments it is sent, one after another.

Starting a worker costs more than a second of a core (a fresh interpreter, MediaPipe's imports,
the model), so `SegmentWorkers` can be started before they are needed and serve every input of a
run: `formcheck extract` starts them right after reading its arguments. Two ways to start one
(`early_start_method` picks):

- ``fork``: the child is a copy of the caller, with MediaPipe imported and the model read already;
  it is ready once it has built its landmarker (about 0.2 s). Safe only while the caller runs no
  thread that could hold a lock the child needs: before it has built a landmarker (MediaPipe's
  graph threads), read a video (the read-ahead thread), shown a progress bar (tqdm's monitor) or
  put anything in a multiprocessing queue (its feeder thread). The only other threads then are
  the idle pools of numpy's and OpenCV's OpenBLAS, which restart themselves in the child
  (pthread_atfork). Linux only: on macOS a forked child may crash in the system's frameworks.
- ``spawn``: a fresh interpreter, safe whatever the caller runs (`analyze`, which may hold a
  landmarker of its own when it extracts).

The model is sent through the worker's queue after the start, not as an argument of the process:
a spawned child reads its arguments only after its imports, so the 9 MB bundle would hold the
caller up for as long (1.1 s measured).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import cv2
import numpy as np

from formcheck.core.track import PoseFrame
from formcheck.errors import FormcheckError
from formcheck.io.sources import SeekError, Stretch, open_file_source
from formcheck.pose.detector import PoseDetector
from formcheck.pose.model import PoseModel
from formcheck.quiet import native_stderr_silenced

# Thumbnails (grey, 32 x 18 pixels, area-averaged) of the same frame decoded twice differ by 0.0;
# neighbouring frames of the shared clips by 0.1-1.5 grey levels on average.
_THUMBNAIL = (32, 18)
_PROGRESS_EVERY = 8


def thumbnail(image: np.ndarray) -> np.ndarray:
    """A (18, 32) float32 grey miniature of a BGR frame, to tell whether two decodes gave the same frame."""
    grey = cv2.cvtColor(cv2.resize(image, _THUMBNAIL, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
    return grey.astype(np.float32)


def early_start_method() -> str:
    """``fork`` for workers started before this process has run anything of its own (see above),
    where that is safe; else ``spawn``.

    Every thread formcheck starts itself (read-ahead, live mode's pose thread, tqdm's monitor, a
    queue's feeder) is a Python thread; MediaPipe's native ones exist only while a landmarker is
    open, and a caller that has one open has started the others too.
    """
    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"


@dataclass(frozen=True)
class SegmentJob:
    """One segment to run (plain values: it is pickled).

    Attributes:
        number: the segment's place in the file (0: the first).
        stretch: the frames to run the model on.
        keep_from: the first frame whose pose is kept; the frames before it only warm the model up,
            and their thumbnails are sent back to check the seam.
        thumbnails_from: the next segment's first frame (its warm-up): thumbnails from here on too.
    """

    number: int
    path: Path
    image_fps: float
    stretch: Stretch
    keep_from: int
    thumbnails_from: int | None


@dataclass(frozen=True)
class SegmentPoses:
    """What a segment gave: a pose for every frame run, and thumbnails of the frames at its seams."""

    number: int
    poses: list[PoseFrame]
    thumbnails: dict[int, np.ndarray]


def run_segment(job: SegmentJob, detector: PoseDetector, post: Callable[[str, object], None]) -> None:
    """The poses of one segment with ``detector`` (fresh: it has seen no frame), told to
    ``post(kind, payload)`` as it goes: ``progress`` (frames done), then ``done`` (`SegmentPoses`),
    or ``fallback`` (why the file cannot be split) or ``error`` (a one-line message)."""
    try:
        with open_file_source(job.path, image_fps=job.image_fps, stretch=job.stretch) as source:
            poses: list[PoseFrame] = []
            thumbnails: dict[int, np.ndarray] = {}
            for frame in source:
                poses.append(detector.detect(frame.image, frame.t, frame.index))
                in_tail = job.thumbnails_from is not None and frame.index >= job.thumbnails_from
                if frame.index < job.keep_from or in_tail:
                    thumbnails[frame.index] = thumbnail(frame.image)
                if len(poses) % _PROGRESS_EVERY == 0:
                    post("progress", _PROGRESS_EVERY)
            post("progress", len(poses) % _PROGRESS_EVERY)
        post("done", SegmentPoses(job.number, poses, thumbnails))
    except SeekError as error:
        post("fallback", str(error))
    except FormcheckError as error:
        post("error", str(error))
    except Exception as error:  # handed to the caller, which reports it in one line
        post("error", f"{job.path}: the pose worker failed ({type(error).__name__}: {error})")


def _serve(jobs, results) -> None:
    """A worker process: the model from ``jobs``, then each job from it until None, every report
    posted to ``results`` as ``(kind, payload)``."""
    # Ctrl-C reaches the whole process group; the caller alone acts on it (it stops the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    model, num_poses = jobs.get()

    def post(kind: str, payload: object) -> None:
        results.put((kind, payload))

    try:
        # Built before the first job arrives: that is what starting early is for.
        ready: PoseDetector | None = PoseDetector(model, num_poses=num_poses)
    except FormcheckError as error:
        for _ in iter(jobs.get, None):
            post("error", str(error))
        return
    for job in iter(jobs.get, None):
        # Every segment gets a detector that has seen no frame (VIDEO mode follows the person).
        detector, ready = ready or PoseDetector(model, num_poses=num_poses), None
        with detector:
            run_segment(job, detector, post)


class SegmentWorkers:
    """``count`` worker processes, each with its own pose model, for the segments after the first.

    `submit` sends job k to worker k - 1 (the caller runs segment 0 itself); the reports of all of
    them arrive on `results`. Use as a context manager, or call `close`.
    """

    def __init__(self, count: int, model: PoseModel, num_poses: int, start_method: str) -> None:
        context = get_context(start_method)
        self.results = context.Queue()
        self._jobs = [context.Queue() for _ in range(count)]
        # Daemons: a caller that dies takes its workers with it.
        self._processes = [
            context.Process(target=_serve, args=(jobs, self.results), daemon=True) for jobs in self._jobs
        ]
        self.closed = False
        # The workers' stderr is /dev/null: their MediaPipe logs lines of its own, and a Ctrl-C that
        # reaches a spawned one while it is still importing (before `_serve` ignores it) would print
        # a traceback. Everything a worker has to say comes back through `results`.
        try:
            with native_stderr_silenced():
                for process in self._processes:
                    process.start()
        except BaseException:
            self.close()
            raise
        for jobs in self._jobs:
            jobs.put((model, num_poses))

    @property
    def count(self) -> int:
        return len(self._processes)

    def submit(self, job: SegmentJob) -> None:
        self._jobs[job.number - 1].put(job)

    def died(self) -> bool:
        """Whether a worker has ended with an error (killed, out of memory, a crash in native code)."""
        return any(process.exitcode not in (None, 0) for process in self._processes)

    def close(self) -> None:
        """Stop the workers, whatever they are doing."""
        self.closed = True
        for process in self._processes:
            if process.pid is None:
                continue  # never started (the start of an earlier one failed)
            if process.is_alive():
                process.terminate()
            process.join()
        for jobs in self._jobs:
            # What a stopped worker never read (the model, a job) is dropped, not waited on at exit.
            jobs.cancel_join_thread()
            jobs.close()
        self.results.close()

    def __enter__(self) -> SegmentWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
