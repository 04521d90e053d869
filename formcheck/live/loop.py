"""The live loop: newest frame → pose → engine → log and sound → overlay → window → keys.

Three threads in a pipeline, each handing the newest item to the next through a one-slot
mailbox: the capture (`FrameGrabber`), the pose model (`PoseWorker`), and this loop on the
main thread, which applies each pose to the engine, logs, sounds, draws and shows it, and
reads keys (OpenCV windows must be driven from one thread). `LiveLoop` holds the loop's
state (paused, last rep, start screen) and wires the parts; it draws nothing itself
(`render_overlay` does) and decides nothing about reps (the engine does).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np

from formcheck.core.track import PoseFrame
from formcheck.io.capture import FrameGrabber
from formcheck.io.mailbox import MailboxClosed
from formcheck.live.keys import Action, action_for_key
from formcheck.live.pose_worker import PosedFrame, PoseWorker
from formcheck.live.session_log import SessionLog
from formcheck.live.sound import RepSound
from formcheck.live.stats import LoopMeter, StageClock, bottleneck_note
from formcheck.live.window import Display
from formcheck.render.overlay import LoopStatus, render_overlay
from formcheck.render.presenter import SessionPresenter

if TYPE_CHECKING:
    from formcheck.analysis.session import ExerciseSession

# How long the loop waits for a posed frame before it services the window again, so that keys
# and the start screen keep working while a camera is slow to deliver.
_FRAME_WAIT_S = 0.03


class EndReason(Enum):
    QUIT_KEY = "quit_key"
    END_OF_SOURCE = "end_of_source"
    SIGNAL = "signal"
    SOURCE_FAILED = "source_failed"
    POSE_FAILED = "pose_failed"


@dataclass(frozen=True)
class LiveOutcome:
    """How a live session ended and what it left behind.

    Attributes:
        reason: why the loop stopped.
        error: the exception the frame source raised (camera lost …), when reason is
            SOURCE_FAILED, or the pose model raised, when POSE_FAILED.
        report: the final report (`Report.to_dict()`, the `analyze` JSON contract).
        frames_processed: frames that went through pose and engine.
        frames_dropped: frames replaced by newer ones before they could be processed.
        meter: per-frame latency figures.
    """

    reason: EndReason
    error: Exception | None
    report: dict[str, Any]
    frames_processed: int
    frames_dropped: int
    meter: LoopMeter


@dataclass(frozen=True)
class LiveSettings:
    """Presentation choices of one session.

    Attributes:
        exercise: exercise id (shown on screen).
        mirror: show the image mirrored (camera), drawing coordinates mirrored with it.
        start_screen_s: the safety note stays this long unless a key dismisses it first.
        linger_s: after a video source ends, the last frame stays this long (or until a key).
        source_waits: the source starts only when the safety note closes (a video, whose first
            rep would otherwise play unseen behind the note); a camera runs from the start.
        source_fps: the source's frame rate (0: unknown), which the loop must keep up with.
        keeps_every_frame: ``--no-drop``: every frame is processed, however long it takes, so
            there is nothing to keep up with.
    """

    exercise: str
    mirror: bool
    start_screen_s: float = 5.0
    linger_s: float = 0.0
    source_waits: bool = False
    source_fps: float = 0.0
    keeps_every_frame: bool = False


class LiveLoop:
    """One live session; call `run` once."""

    def __init__(
        self,
        settings: LiveSettings,
        *,
        grabber: FrameGrabber,
        worker: PoseWorker,
        session: ExerciseSession,
        log: SessionLog,
        sound: RepSound,
        display: Display,
        stop: threading.Event,
        preview: np.ndarray | None = None,
    ) -> None:
        """`preview` (H, W, 3) BGR, the source's first image if known, is shown under the safety
        note from the first moment, before the model has seen a frame."""
        self._settings = settings
        self._grabber = grabber
        self._worker = worker
        self._session = session
        self._presenter = SessionPresenter(session, settings.exercise)
        self._log = log
        self._sound = sound
        self._display = display
        self._stop = stop
        self._meter = LoopMeter()
        self._main_clock = StageClock()  # engine, drawing and window, per frame
        self._paused = False
        self._pose: PoseFrame | None = None
        self._last_t = 0.0
        self._start_screen_until = 0.0
        self._image: np.ndarray | None = preview
        self._canvas: np.ndarray | None = None
        self._source_started = False

    def run(self) -> LiveOutcome:
        """Run until the quit key, the end of the source, a failed source or model, or `stop` is set."""
        self._start_screen_until = time.monotonic() + self._settings.start_screen_s
        self._worker.start()
        if self._image is not None:
            self._display.show(self._redraw())
        if not self._settings.source_waits:
            self._start_source()
        try:
            reason = self._loop()
        finally:
            self._grabber.stop()
            self._worker.stop()
        if reason is EndReason.END_OF_SOURCE and self._grabber.error is not None:
            reason = EndReason.SOURCE_FAILED
        elif reason is EndReason.END_OF_SOURCE and self._worker.error is not None:
            reason = EndReason.POSE_FAILED
        failures = {EndReason.SOURCE_FAILED: self._grabber.error, EndReason.POSE_FAILED: self._worker.error}
        error = failures.get(reason)
        details = {"message": str(error)} if error is not None else {}
        # The loop's own figures go on record with the end, for the person and the benchmark.
        figures = {f"loop_{name}": value for name, value in self._meter.summary().items()}
        # A rep under way closes (partial) before the end line, so the end is the log's last line.
        report = self._session.finish().to_dict()
        self._report_new_reps()
        self._log.event(
            "end", self._last_t, reason=reason.value, dropped=self._worker.dropped, **figures, **details
        )
        if reason is EndReason.END_OF_SOURCE:
            self._linger()
        self._log.write_report(report)
        return LiveOutcome(
            reason=reason,
            error=error,
            report=report,
            frames_processed=self._meter.frames,
            frames_dropped=self._worker.dropped,
            meter=self._meter,
        )

    def _start_source(self) -> None:
        self._source_started = True
        self._grabber.start()

    def _loop(self) -> EndReason:
        while not self._stop.is_set():
            if not self._source_started and time.monotonic() >= self._start_screen_until:
                self._start_source()
            try:
                posed = self._worker.results.take(timeout=_FRAME_WAIT_S)
            except MailboxClosed:
                return EndReason.END_OF_SOURCE
            if posed is not None:
                key = self._process(posed)
            elif self._canvas is not None and time.monotonic() < self._start_screen_until:
                # Between frames only the start screen's countdown changes; redrawing anything
                # else would take CPU from the pose thread for nothing.
                key = self._display.show(self._redraw())
            else:
                key = self._display.poll(1)
            if self._handle_key(key) is Action.QUIT:
                return EndReason.QUIT_KEY
        return EndReason.SIGNAL

    def _process(self, posed: PosedFrame) -> int:
        started = time.perf_counter()
        frame = posed.frame
        self._last_t = frame.t
        # The worker keeps detecting during a pause (it does not know about keys); its poses
        # are simply not applied, so the engine sees none of the paused frames.
        if not self._paused:
            self._pose = posed.pose
            self._presenter.update(self._pose)
            self._report_new_reps()
        self._image = frame.image
        key = self._display.show(self._redraw())
        if not self._paused:
            self._meter.record(frame.captured_at, time.monotonic())
        self._main_clock.add(time.perf_counter() - started)
        return key

    def _report_new_reps(self) -> None:
        """Log, sound and show every rep the engine has ended since the last call."""
        for rep in self._presenter.new_reps():
            rep_dict = rep.to_dict()
            self._log.rep(rep_dict)
            self._sound.rep(rep_dict)

    def _redraw(self, banner: str | None = None) -> np.ndarray:
        """The canvas of the current image and state (also used to refresh the start screen countdown)."""
        seconds_left = self._start_screen_until - time.monotonic()
        overlay = self._presenter.overlay(
            None if self._paused else self._pose,
            status=LoopStatus(
                fps=self._meter.recent_fps,
                latency_ms=self._meter.last_latency_ms,
                dropped=self._worker.dropped,
                note=None
                if self._settings.keeps_every_frame
                else bottleneck_note(
                    self._settings.source_fps,
                    self._meter.recent_fps,
                    self._worker.clock.mean_s,
                    self._main_clock.mean_s,
                ),
            ),
            mirror=self._settings.mirror,
            banner=banner or ("PAUSED" if self._paused else None),
            start_screen=seconds_left > 0,
            start_seconds_left=max(0.0, seconds_left),
        )
        self._canvas = render_overlay(self._image, overlay)
        return self._canvas

    def _handle_key(self, key: int) -> Action | None:
        action = action_for_key(key)
        if key >= 0 and time.monotonic() < self._start_screen_until:
            # Any key closes the start screen; only quit also does what it says.
            self._start_screen_until = 0.0
            return action if action is Action.QUIT else None
        if action is Action.PAUSE:
            self._paused = not self._paused
            self._log.event("pause" if self._paused else "resume", self._last_t)
        elif action is Action.RESET:
            self._presenter.reset()
            self._log.event("reset", self._last_t)
        elif action is Action.SWITCH_SIDE:
            side = self._next_side()
            self._session.set_side(side)
            self._log.event("side", self._last_t, side=side)
            self._report_new_reps()
        elif action is Action.NEXT_SET:
            self._session.next_set()
            self._log.event("next_set", self._last_t)
            self._report_new_reps()
        return action

    def _next_side(self) -> str:
        state = self._presenter.state
        current = state.frame.working_side if state is not None else None
        return "right" if current == "left" else "left"

    def _linger(self) -> None:
        """Keep the last frame on screen after a video ends, so its final rep can be read."""
        if self._canvas is None or self._settings.linger_s <= 0:
            return
        self._start_screen_until = 0.0
        self._display.show(self._redraw(banner="Finished"))
        deadline = time.monotonic() + self._settings.linger_s
        while time.monotonic() < deadline and not self._stop.is_set():
            if self._display.poll(50) >= 0:
                return
