"""The capture stage: one-slot mailbox, newest frame wins, stale frames dropped and counted."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from formcheck.errors import FormcheckError
from formcheck.io.capture import CapturedFrame, FrameGrabber, open_camera, video_frames
from formcheck.io.mailbox import LatestMailbox, MailboxClosed
from formcheck.io.sources import VideoSource
from tests.conftest import shared_file


def test_mailbox_keeps_only_the_newest_item_and_counts_the_replaced_ones():
    mailbox: LatestMailbox[int] = LatestMailbox()
    for item in range(5):
        mailbox.put(item)
    assert mailbox.take(timeout=0) == 4
    assert mailbox.dropped == 4
    assert mailbox.take(timeout=0) is None


def test_mailbox_close_lets_the_last_item_out_then_raises():
    mailbox: LatestMailbox[str] = LatestMailbox()
    mailbox.put("last")
    mailbox.close()
    assert mailbox.take(timeout=0) == "last"
    with pytest.raises(MailboxClosed):
        mailbox.take(timeout=0)
    assert mailbox.put("late") is False


def test_waiting_mailbox_delivers_every_item_in_order():
    mailbox: LatestMailbox[int] = LatestMailbox(wait_when_full=True)

    def produce() -> None:
        for item in range(50):
            mailbox.put(item)
        mailbox.close()

    threading.Thread(target=produce, daemon=True).start()
    received = []
    while True:
        try:
            item = mailbox.take(timeout=5)
        except MailboxClosed:
            break
        received.append(item)
    assert received == list(range(50))
    assert mailbox.dropped == 0


def _fake_camera(count: int, period_s: float):
    """Frames stamped like a camera's, one every period_s, from a real clock."""
    for index in range(count):
        time.sleep(period_s)
        now = time.monotonic()
        yield CapturedFrame(image=np.zeros((4, 4, 3), np.uint8), index=index, t=now, captured_at=now)


def test_grabber_hands_a_slow_consumer_the_newest_frame_and_drops_the_stale_ones():
    # A 200 fps "camera" and a consumer that needs 25 ms per frame (5 camera frames).
    mailbox: LatestMailbox[CapturedFrame] = LatestMailbox()
    grabber = FrameGrabber(_fake_camera(count=120, period_s=0.005), mailbox).start()
    taken: list[CapturedFrame] = []
    while True:
        try:
            frame = mailbox.take(timeout=2)
        except MailboxClosed:
            break
        taken.append(frame)
        time.sleep(0.025)
    grabber.stop()
    indices = [frame.index for frame in taken]
    assert np.all(np.diff(indices) > 0), "frames must never repeat or go back in time"
    assert mailbox.dropped + mailbox.delivered == 120, "every frame is either delivered or counted as dropped"
    assert mailbox.dropped > mailbox.delivered, "a slow consumer must not see every frame"
    # No queue builds up: the consumer jumps to the newest frame, skipping the stale ones,
    # and the last frame it sees is the last one captured.
    assert np.median(np.diff(indices)) >= 2
    assert indices[-1] == 119
    assert grabber.error is None


def test_grabber_reports_the_source_error_to_the_consumer():
    def failing():
        yield CapturedFrame(image=np.zeros((2, 2, 3), np.uint8), index=0, t=0.0, captured_at=0.0)
        raise FormcheckError("camera unplugged")

    mailbox: LatestMailbox[CapturedFrame] = LatestMailbox(wait_when_full=True)
    grabber = FrameGrabber(failing(), mailbox).start()
    assert mailbox.take(timeout=2).index == 0
    with pytest.raises(MailboxClosed):
        mailbox.take(timeout=2)
    grabber.stop()
    assert str(grabber.error) == "camera unplugged"


def test_unpaced_video_gives_every_frame_on_the_video_clock():
    path = shared_file("clips/squat/kaiakol_half_squat_side.mp4")
    video = VideoSource(path)
    fps = video.fps
    frames = list(video_frames(video, paced=False))
    expected = int(cv2.VideoCapture(str(path)).get(cv2.CAP_PROP_FRAME_COUNT))
    assert [f.index for f in frames] == list(range(expected))
    assert frames[-1].t == pytest.approx((expected - 1) / fps)
    assert frames[0].image.shape == (720, 1280, 3)


def test_paced_video_releases_frames_at_the_video_frame_rate():
    video = VideoSource(shared_file("clips/squat/kaiakol_half_squat_side.mp4"))
    fps = video.fps
    frames = list(video_frames(video, paced=True))
    # Paced by the monotonic clock: frame i is never released before i / fps after the first.
    released = np.array([f.captured_at for f in frames]) - frames[0].captured_at
    assert np.all(released >= np.arange(len(frames)) / fps - 0.002)
    # Stamped with the capture clock, counted from the first frame.
    assert frames[0].t == pytest.approx(0.0, abs=0.01)
    assert np.allclose(np.diff([f.t for f in frames]), np.diff([f.captured_at for f in frames]))


def test_missing_camera_names_the_index_and_the_alternatives():
    with pytest.raises(FormcheckError) as error:
        open_camera(7)
    message = str(error.value)
    assert "index 7" in message and "--camera N" in message and "--source FILE" in message
    assert "\n" not in message
