"""The live loop with the real model and engine; the camera that fails is the one stand-in."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime

import pytest

from formcheck.analysis.session import ExerciseSession
from formcheck.exercises import configured
from formcheck.io.capture import CameraLost, FrameGrabber, video_frames
from formcheck.io.mailbox import LatestMailbox
from formcheck.io.sources import VideoSource
from formcheck.live.loop import EndReason, LiveLoop, LiveSettings
from formcheck.live.pose_worker import PoseWorker
from formcheck.live.session_log import SessionLog, read_session_log
from formcheck.live.sound import Silent
from formcheck.live.window import NoWindow
from formcheck.pose.detector import PoseDetector
from formcheck.pose.model import load_model
from tests.conftest import shared_file


@pytest.mark.slow
def test_camera_lost_mid_session_keeps_the_log_and_writes_the_report(tmp_path):
    video = VideoSource(shared_file("clips/hinge/posereader_deadlift_nico_unblocked.mp4"))
    fps = video.fps

    def camera_that_is_unplugged():
        # A camera cannot be unplugged on a machine without one: real frames, then the
        # error `camera_frames` raises when a camera stops sending.
        yield from itertools.islice(video_frames(video, paced=False), 100)
        raise CameraLost("the camera stopped sending frames for 2 s")

    mailbox = LatestMailbox(wait_when_full=True)
    log = SessionLog(tmp_path, exercise="hip_hinge", source="camera:0", started=datetime.now().astimezone())
    with PoseDetector(load_model()) as detector:
        outcome = LiveLoop(
            LiveSettings(exercise="hip_hinge", mirror=True, start_screen_s=0.0, linger_s=5.0),
            grabber=FrameGrabber(camera_that_is_unplugged(), mailbox),
            worker=PoseWorker(detector, mailbox, exact=True),
            session=ExerciseSession(*configured("hip_hinge"), source="camera:0"),
            log=log,
            sound=Silent(),
            display=NoWindow(),
            stop=threading.Event(),
        ).run()
    log.close()

    assert outcome.reason is EndReason.SOURCE_FAILED
    assert isinstance(outcome.error, CameraLost)
    assert outcome.frames_processed == 100 and outcome.frames_dropped == 0
    records = read_session_log(log.path)
    end = records[-1]
    assert (end["type"], end["event"], end["reason"]) == ("event", "end", "source_failed")
    assert end["message"] == "the camera stopped sending frames for 2 s"
    assert end["t"] == pytest.approx(99 / fps, abs=1e-3)
    assert end["dropped"] == 0 and end["loop_frames"] == 100
    report = json.loads(log.report_path.read_text())
    assert report["frames"] == 100 and report["source"] == "camera:0"
    logged = [{k: v for k, v in r.items() if k != "type"} for r in records if r["type"] == "rep"]
    assert report["reps"] == logged and len(logged) >= 1
