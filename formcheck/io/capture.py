"""Live frame sources: a camera, or a video played as if it were a camera.

Each yields `CapturedFrame`s stamped with the monotonic clock at capture, the only clock
live mode uses (never the wall clock). A video comes from the same file sources as `analyze`
(`formcheck.io.sources.VideoSource`), so ``live --no-drop`` sees the frames `analyze` sees.
`FrameGrabber` runs one of them on its own thread
and posts every frame to a `LatestMailbox`, so the slow stages always get the newest frame.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.errors import FormcheckError
from formcheck.io.mailbox import LatestMailbox
from formcheck.io.sources import FrameSource
from formcheck.quiet import native_stderr_silenced

Clock = Callable[[], float]

# A camera that returns no frame for this long is considered lost (unplugged, taken by
# another program); single failed reads happen on healthy cameras and are ignored.
CAMERA_LOST_AFTER_S = 2.0


class CameraLost(FormcheckError):
    """The camera stopped delivering frames in the middle of a session."""


@dataclass(frozen=True)
class CapturedFrame:
    """One image as it left the source.

    Attributes:
        image: (H, W, 3) uint8, BGR.
        index: frame number at the source (a video's own index, so gaps show dropped frames).
        t: seconds on the session's time line: the monotonic clock at capture minus its
            value at the first frame (so a session starts at 0), or, for a video played
            without pacing, index / fps (the same time `analyze` uses).
        captured_at: monotonic clock when the frame was captured (for latency).
    """

    image: np.ndarray
    index: int
    t: float
    captured_at: float


def _quiet_video_capture(*args: object) -> cv2.VideoCapture:
    # OpenCV logs several multi-line warnings when a camera index does not exist, and FFmpeg
    # writes "moov atom not found" to fd 2 for a damaged file; the person gets our one-line
    # message instead.
    previous = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        with native_stderr_silenced():
            return cv2.VideoCapture(*args)
    finally:
        cv2.utils.logging.setLogLevel(previous)


def open_camera(index: int) -> cv2.VideoCapture:
    """Open camera `index`, or raise FormcheckError saying which index failed and what to do."""
    backend = cv2.CAP_V4L2 if sys.platform.startswith("linux") else cv2.CAP_ANY
    capture = _quiet_video_capture(index, backend)
    if not capture.isOpened():
        capture.release()
        raise FormcheckError(
            f"no camera found at index {index}: pick another with --camera N, "
            "or play a recorded video with --source FILE"
        )
    return capture


def camera_frames(capture: cv2.VideoCapture, *, clock: Clock = time.monotonic) -> Iterator[CapturedFrame]:
    """Frames from an open camera until it is lost (then CameraLost is raised)."""
    index = 0
    last_frame_at = clock()
    first_frame_at: float | None = None
    try:
        while True:
            ok, image = capture.read()
            now = clock()
            if not ok:
                if now - last_frame_at > CAMERA_LOST_AFTER_S:
                    raise CameraLost(
                        f"the camera stopped sending frames for {CAMERA_LOST_AFTER_S:.0f} s "
                        "(unplugged or taken by another program)"
                    )
                time.sleep(0.01)
                continue
            last_frame_at = now
            if first_frame_at is None:
                first_frame_at = now
            yield CapturedFrame(image=image, index=index, t=now - first_frame_at, captured_at=now)
            index += 1
    finally:
        capture.release()


def video_frames(
    source: FrameSource, *, paced: bool, clock: Clock = time.monotonic
) -> Iterator[CapturedFrame]:
    """Every frame of a file source (`formcheck.io.sources`, the frames `analyze` reads), in order.

    paced=True plays the video like a camera: frame i is released i / fps after frame 0 on
    the monotonic clock and stamped with the time it was released. paced=False releases
    frames as fast as they are asked for, stamped with the video's own time index / fps.
    The source is closed when the frames end or the iterator is closed.
    """
    start: float | None = None
    try:
        for frame in source:
            if start is None:
                start = clock()
            if paced:
                delay = start + frame.t - clock()
                if delay > 0:
                    time.sleep(delay)
                now = clock()
                yield CapturedFrame(image=frame.image, index=frame.index, t=now - start, captured_at=now)
            else:
                yield CapturedFrame(image=frame.image, index=frame.index, t=frame.t, captured_at=clock())
    finally:
        source.close()


class FrameGrabber:
    """Runs a frame source on a daemon thread and posts its frames to a mailbox.

    When the source ends (or fails) the mailbox is closed; `error` then holds the
    exception the source raised, if any, for the consuming thread to report.
    """

    def __init__(self, frames: Iterable[CapturedFrame], mailbox: LatestMailbox[CapturedFrame]) -> None:
        self._frames = frames
        self._mailbox = mailbox
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="formcheck-capture", daemon=True)
        self.error: Exception | None = None

    def _run(self) -> None:
        frames = iter(self._frames)
        try:
            for frame in frames:
                if self._stop.is_set() or not self._mailbox.put(frame):
                    break
        except Exception as error:  # handed to the consuming thread, which reports it
            self.error = error
        finally:
            self._mailbox.close()
            # Releases the camera or file now rather than whenever the generator is collected.
            close = getattr(frames, "close", None)
            if close is not None:
                close()

    def start(self) -> FrameGrabber:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the source to stop and wait for its thread (a blocked camera read may take a frame)."""
        self._stop.set()
        self._mailbox.close()
        # A source that waited behind the start screen may never have been started.
        if self._thread.ident is not None:
            self._thread.join(timeout)
