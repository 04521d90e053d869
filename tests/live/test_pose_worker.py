"""The pose thread: real model on real frames, results in time order, clean stops on every path."""

from __future__ import annotations

import itertools
import json
import threading
import time
from datetime import datetime

import numpy as np
import pytest

from formcheck.analysis.session import ExerciseSession
from formcheck.exercises import configured
from formcheck.io.capture import CapturedFrame, FrameGrabber, video_frames
from formcheck.io.mailbox import LatestMailbox, MailboxClosed
from formcheck.io.sources import VideoSource
from formcheck.live.loop import EndReason, LiveLoop, LiveSettings
from formcheck.live.pose_worker import PoseWorker
from formcheck.live.session_log import SessionLog, read_session_log
from formcheck.live.sound import Silent
from formcheck.pose.detector import PoseDetector
from formcheck.pose.model import load_model
from tests.conftest import shared_file

# Each test runs the real model over frames of a real clip (about a second each).
pytestmark = pytest.mark.slow

HINGE_CLIP = "clips/hinge/posereader_deadlift_nico_unblocked.mp4"
LIVE_THREADS = ("formcheck-capture", "formcheck-pose")


@pytest.fixture
def clip():
    # Resolved here, in the test's thread: shared_file's skip raised in the capture thread
    # would fail the test instead of skipping it.
    return shared_file(HINGE_CLIP)


def _clip_frames(clip, count: int | None = None, *, paced: bool = False):
    video = VideoSource(clip)
    return itertools.islice(video_frames(video, paced=paced), count)


def _fast_camera(clip, period_s: float):
    """The clip's frames, one every period_s: a camera far faster than the model."""
    for frame in _clip_frames(clip):
        time.sleep(period_s)
        yield frame


def _take_all(results: LatestMailbox, *, pause_s: float = 0.0) -> list:
    taken = []
    while True:
        try:
            taken.append(results.take(timeout=10))
        except MailboxClosed:
            return taken
        time.sleep(pause_s)


def _live_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name in LIVE_THREADS]


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_results_arrive_in_time_order_and_every_dropped_frame_is_counted(model, clip):
    # A 200 fps camera, a model at ~20 ms a frame and a main thread at 150 ms a frame: both
    # hand-offs must drop, and what arrives must still run forwards.
    frames = LatestMailbox()
    with PoseDetector(model, num_poses=1) as detector:
        worker = PoseWorker(detector, frames, exact=False).start()
        grabber = FrameGrabber(_fast_camera(clip, 0.005), frames).start()
        taken = _take_all(worker.results, pause_s=0.15)
        grabber.stop()
        worker.stop()
    indices = [posed.frame.index for posed in taken]
    assert np.all(np.diff(indices) > 0), "results never repeat or go back in time"
    assert np.all(np.diff([posed.frame.t for posed in taken]) > 0)
    assert all(posed.pose.index == posed.frame.index and posed.pose.t == posed.frame.t for posed in taken)
    assert sum(posed.pose.has_person for posed in taken) >= len(taken) - 1, "the person is found"
    assert frames.dropped > 0 and worker.results.dropped > 0, "both hand-offs keep only the newest"
    assert worker.dropped + len(taken) == 109, "every frame of the clip is shown or counted as dropped"
    assert indices[-1] == 108, "the last frame captured is the last one shown"
    assert worker.error is None


def test_exact_worker_delivers_every_frame_in_order_and_stops_at_the_end_of_the_source(model, clip):
    frames = LatestMailbox(wait_when_full=True)
    with PoseDetector(model, num_poses=1) as detector:
        worker = PoseWorker(detector, frames, exact=True).start()
        grabber = FrameGrabber(_clip_frames(clip, 20), frames).start()
        taken = _take_all(worker.results, pause_s=0.01)
        # The end reached the main thread through the closed mailbox; both threads end on their own.
        grabber.stop()
        worker.stop()
        assert _live_threads() == []
    assert [posed.frame.index for posed in taken] == list(range(20))
    assert worker.dropped == 0 and worker.error is None


class _PersonWhoQuits:
    """A window whose user presses q once `frames` images have been shown."""

    def __init__(self, frames: int) -> None:
        self._frames = frames
        self.shown = 0

    def show(self, canvas: np.ndarray) -> int:
        self.shown += 1
        return ord("q") if self.shown == self._frames else -1

    def poll(self, wait_ms: int) -> int:
        return -1

    def close(self) -> None:
        pass


def _run_loop(model, tmp_path, frames, *, exact: bool, display) -> tuple:
    mailbox = LatestMailbox(wait_when_full=exact)
    log = SessionLog(tmp_path, exercise="hip_hinge", source="camera:0", started=datetime.now().astimezone())
    with PoseDetector(model, num_poses=1) as detector:
        outcome = LiveLoop(
            LiveSettings(exercise="hip_hinge", mirror=True, start_screen_s=0.0),
            grabber=FrameGrabber(frames, mailbox),
            worker=PoseWorker(detector, mailbox, exact=exact),
            session=ExerciseSession(*configured("hip_hinge"), source="camera:0"),
            log=log,
            sound=Silent(),
            display=display,
            stop=threading.Event(),
        ).run()
        live_threads = _live_threads()
    log.close()
    return outcome, live_threads, log


@pytest.mark.parametrize("exact", [False, True], ids=["camera", "no-drop"])
def test_quit_key_stops_the_pose_thread_and_writes_the_report(model, clip, tmp_path, exact):
    # With --no-drop the worker is blocked handing over its next result when q is pressed;
    # in camera mode it is detecting the next frame. Either way it must end, not hang.
    display = _PersonWhoQuits(frames=8)
    # As `formcheck live` plays a video: in real time for a camera, as fast as possible with --no-drop.
    frames = _clip_frames(clip, paced=not exact)
    outcome, threads_left, log = _run_loop(model, tmp_path, frames, exact=exact, display=display)
    assert outcome.reason is EndReason.QUIT_KEY
    assert threads_left == [], "no capture or pose thread outlives the session"
    # The window is also refreshed while it waits for a pose, so not every image shown is a new frame.
    processed = outcome.frames_processed
    assert 1 <= processed <= display.shown == 8
    end = read_session_log(log.path)[-1]
    assert (end["event"], end["reason"], end["loop_frames"]) == ("end", "quit_key", processed)
    assert json.loads(log.report_path.read_text())["frames"] == processed


def test_a_frame_the_model_cannot_take_ends_the_session_with_the_report(model, clip, tmp_path):
    def frames_then_a_grey_image():
        yield from _clip_frames(clip, 5)
        grey = np.zeros((64, 64), np.uint8)
        yield CapturedFrame(image=grey, index=5, t=5 / 30, captured_at=time.monotonic())

    display = _PersonWhoQuits(frames=1000)
    frames = frames_then_a_grey_image()
    outcome, threads_left, log = _run_loop(model, tmp_path, frames, exact=True, display=display)
    assert outcome.reason is EndReason.POSE_FAILED
    assert isinstance(outcome.error, ValueError) and "uint8 BGR image" in str(outcome.error)
    assert threads_left == []
    assert outcome.frames_processed == 5
    end = read_session_log(log.path)[-1]
    assert end["reason"] == "pose_failed" and "uint8 BGR image" in end["message"]
    assert json.loads(log.report_path.read_text())["frames"] == 5
