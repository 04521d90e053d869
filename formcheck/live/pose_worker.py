"""The pose stage of live mode on its own thread: newest captured frame in, (frame, pose) out.

The model is the slowest stage (20-30 ms a frame on the 2-core development machine, against
about 11 ms for engine, overlay and window). In series with the rest it holds the loop under
30 frames/s; on its own thread it detects frame n+1 while the main thread draws frame n.
MediaPipe calls its library through ctypes, which releases the GIL, so with a second core
free the two threads really run at once. One worker produces every pose, in capture order,
so the engine still sees time run forwards. It also keeps the legs' names (`LegIdentity`), as
`formcheck.pose.tracking` does offline, so that live and offline see the same corrected poses.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from formcheck.io.mailbox import LatestMailbox, MailboxClosed
from formcheck.live.stats import StageClock
from formcheck.pose.legs import LegIdentity

if TYPE_CHECKING:
    from formcheck.core.track import PoseFrame
    from formcheck.io.capture import CapturedFrame
    from formcheck.pose.detector import PoseDetector


@dataclass(frozen=True)
class PosedFrame:
    """A captured frame with the pose found in it (`pose.t` and `pose.index` are the frame's)."""

    frame: CapturedFrame
    pose: PoseFrame


class PoseWorker:
    """Runs `detector` on a daemon thread over the frames posted to `frames`.

    Results go to `results`, a one-slot mailbox like the one frames come through: in camera
    mode a result the main thread has not taken yet is replaced by the newer one (stale
    feedback is worse than none); with ``exact`` the worker waits until its result is taken,
    so that every frame is shown and applied in order (`--no-drop`). `results` is closed when
    the frames end, when the worker is stopped, or when detection fails (`error` then holds
    the exception, for the main thread to report).
    """

    def __init__(self, detector: PoseDetector, frames: LatestMailbox[CapturedFrame], *, exact: bool) -> None:
        self._detector = detector
        self._legs = LegIdentity()
        self._frames = frames
        self.results: LatestMailbox[PosedFrame] = LatestMailbox(wait_when_full=exact)
        self._thread = threading.Thread(target=self._run, name="formcheck-pose", daemon=True)
        self.error: Exception | None = None
        self.clock = StageClock()
        """Seconds a detection takes (running mean), for the bottleneck note."""

    def _run(self) -> None:
        try:
            while True:
                try:
                    frame = self._frames.take()
                except MailboxClosed:
                    return
                started = time.perf_counter()
                pose = self._legs.correct(self._detector.detect(frame.image, frame.t, frame.index))
                self.clock.add(time.perf_counter() - started)
                if not self.results.put(PosedFrame(frame, pose)):
                    return
        except Exception as error:  # handed to the main thread, which reports it and ends the session
            self.error = error
        finally:
            # Either way no more frames will be read: the capture stops posting and the main
            # thread sees the end once it has taken the last result.
            self._frames.close()
            self.results.close()

    @property
    def dropped(self) -> int:
        """Frames that never reached the main thread: replaced before detection or after it."""
        return self._frames.dropped + self.results.dropped

    def start(self) -> PoseWorker:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop taking frames and wait for the thread (it finishes the detection under way).

        The caller closes the detector only after this returns, so no detection runs on a
        closed model; the timeout only matters if MediaPipe itself hangs.
        """
        self._frames.close()
        self.results.close()
        self._thread.join(timeout)
