"""`formcheck live`: feedback on every rep while you exercise, from a camera or a video.

Wires the parts: a frame source on a capture thread, the pose detector on a pose thread,
the exercise engine, the session log, sound, the overlay and the window (see formcheck.live.loop).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

import click
import cv2
import platformdirs

from formcheck.analysis.session import ExerciseSession
from formcheck.errors import FormcheckError
from formcheck.exercises import configured
from formcheck.exercises.thresholds import Thresholds
from formcheck.io.capture import CapturedFrame, FrameGrabber, camera_frames, open_camera, video_frames
from formcheck.io.mailbox import LatestMailbox
from formcheck.io.sources import VideoSource, first_image
from formcheck.live.loop import EndReason, LiveLoop, LiveOutcome, LiveSettings
from formcheck.live.pose_worker import PoseWorker
from formcheck.live.session_log import SessionLog
from formcheck.live.sound import SOUND_MODES, open_sound
from formcheck.live.window import CvWindow, Display, NoWindow
from formcheck.pose.detector import DEFAULT_NUM_POSES, PoseDetector
from formcheck.pose.model import load_model

# The user's data folder (Linux: ~/.local/share/formcheck/sessions), not the current directory,
# so that running live mode from a checkout leaves nothing in it.
DEFAULT_LOG_DIR = platformdirs.user_data_path("formcheck", appauthor=False) / "sessions"
_SIGNAL_EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


@contextmanager
def _signals_stop(stop: threading.Event) -> Iterator[list[int]]:
    """While inside, SIGINT and SIGTERM end the loop cleanly (report written) instead of killing it.

    Yields a list that receives the number of the signal that arrived.
    """
    received: list[int] = []

    def handle(number: int, _frame: object) -> None:
        received.append(number)
        stop.set()

    previous = {number: signal.signal(number, handle) for number in _SIGNAL_EXIT_CODES}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _open_video(path: Path, option: str) -> VideoSource:
    """The video given to ``option``, read by the same source as `analyze` (so ``--no-drop`` gives
    its frames), or a one-line error naming the option."""
    if path.is_dir():
        raise FormcheckError(f"{path} is a folder; give a video file (mp4/avi/mov/gif) to {option}")
    if not path.is_file():
        raise FormcheckError(f"video not found: {path} (give an existing file to {option})")
    return VideoSource(path)


def _open_frames(
    camera: int, source: Path | None, fallback_source: Path | None, *, paced: bool
) -> tuple[Iterator[CapturedFrame], str, float]:
    """The frame iterator, the source's name (``camera:N`` or the path) and its frame rate."""
    if source is None:
        try:
            capture = open_camera(camera)
            return camera_frames(capture), f"camera:{camera}", capture.get(cv2.CAP_PROP_FPS)
        except FormcheckError as error:
            if fallback_source is None:
                raise
            # Opened before it is announced: a missing fallback is then the one error line.
            video = _open_video(fallback_source, "--fallback-source")
            click.echo(f"formcheck: {error}; playing {fallback_source} instead", err=True)
            return video_frames(video, paced=paced), str(fallback_source), video.fps
    video = _open_video(source, "--source")
    return video_frames(video, paced=paced), str(source), video.fps


def _summary_line(outcome: LiveOutcome, log: SessionLog) -> str:
    per_side = outcome.report.get("summary", {}).get("reps_per_side", {})
    counts = ", ".join(f"{side} {count}" for side, count in per_side.items()) or "none"
    return f"reps: {counts}; session log {log.path}; report {log.report_path}"


@click.command("live")
@click.option("--exercise", "-e", required=True, help="Exercise id, e.g. hip_hinge or squat.")
@click.option("--camera", type=click.IntRange(min=0), help="Camera index to read [default: 0].")
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    help="Play this video as if it were the camera (instead of --camera).",
)
@click.option(
    "--fallback-source",
    type=click.Path(path_type=Path),
    help="Play this video when the camera cannot be opened (says so on one line).",
)
@click.option("--side", type=click.Choice(["left", "right"]), help="Working side (default: detected).")
@click.option("--config", type=click.Path(path_type=Path), help="Thresholds TOML overriding the defaults.")
@click.option("--model", type=click.Path(path_type=Path), help="Pose model .task (default: bundled).")
@click.option(
    "--log",
    "log_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_LOG_DIR,
    show_default=True,
    help="Folder for the session log (.jsonl, written as you go) and the final report (.json); "
    "both paths are printed at the end.",
)
@click.option("--sound", type=click.Choice(SOUND_MODES), default="off", show_default=True)
@click.option("--no-window", is_flag=True, help="Run without a window (log and report only).")
@click.option(
    "--no-drop",
    is_flag=True,
    help="With a video: process every frame in order, on the video's own clock, as fast as "
    "possible, with the same pose settings as `formcheck analyze` (results match it). Without "
    "it a video plays in real time and frames are dropped when processing falls behind, as "
    "with a camera.",
)
@click.option(
    "--mirror/--no-mirror",
    default=None,
    help="Show the image mirrored. Default: mirrored for a camera, as recorded for --source.",
)
@click.option(
    "--start-screen",
    "start_screen_s",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Seconds the safety note stays up unless a key closes it first; a --source video waits behind it.",
)
@click.option(
    "--linger",
    "linger_s",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Seconds the last frame stays up after a --source video ends (a key closes it).",
)
def command(
    exercise: str,
    camera: int | None,
    source: Path | None,
    fallback_source: Path | None,
    side: str | None,
    config: Path | None,
    model: Path | None,
    log_dir: Path,
    sound: str,
    no_window: bool,
    no_drop: bool,
    mirror: bool | None,
    start_screen_s: float,
    linger_s: float,
) -> int:
    """Live feedback on every rep, from a camera (default) or a video played as one.

    Keys: q/Esc quit, space/p pause, r reset, s switch side, n next set. The session log
    is written as you go; the report (same JSON as `formcheck analyze`) when you stop.
    """
    if camera is not None and source is not None:
        raise FormcheckError("give either --camera N or --source FILE, not both")
    if no_drop and source is None and fallback_source is None:
        raise FormcheckError(
            "--no-drop needs a video (--source FILE or --fallback-source FILE): a camera cannot wait"
        )
    spec, thresholds = configured(exercise, Thresholds.load(config) if config is not None else None)
    frames, source_name, fps = _open_frames(camera or 0, source, fallback_source, paced=not no_drop)
    is_camera = source_name.startswith("camera:")
    session = ExerciseSession(spec, thresholds, side=side, source=source_name, fps=fps)
    # --no-drop: every hand-off waits for the next stage, so every frame is processed in order.
    exact = no_drop and not is_camera
    mailbox: LatestMailbox[CapturedFrame] = LatestMailbox(wait_when_full=exact)
    settings = LiveSettings(
        exercise=exercise,
        mirror=is_camera if mirror is None else mirror,
        start_screen_s=0.0 if no_window else start_screen_s,
        linger_s=0.0 if is_camera or no_window else linger_s,
        source_waits=not is_camera,
        source_fps=fps if fps and fps > 0 else 0.0,
        keeps_every_frame=exact,
    )
    stop = threading.Event()
    # Each part is closed on every path, in reverse order; the model in particular, whose native
    # code logs INFO lines at exit when it is left to the interpreter to close.
    with ExitStack() as parts:
        # The window first: without a display nothing else (the model, a log) is started.
        display: Display = NoWindow() if no_window else CvWindow()
        parts.callback(display.close)
        # In real time one person is tracked (MediaPipe looks for a second one on every frame
        # otherwise: 1.5x the time). --no-drop looks for two and follows the most prominent,
        # exactly as `extract`/`analyze` do, so that its results equal theirs.
        detector = parts.enter_context(
            PoseDetector(load_model(model), num_poses=DEFAULT_NUM_POSES if no_drop else 1)
        )
        log = SessionLog(log_dir, exercise=exercise, source=source_name, started=datetime.now().astimezone())
        parts.callback(log.close)
        sound_player, warning = open_sound(sound)
        parts.callback(sound_player.close)
        if warning:
            click.echo(f"formcheck: {warning}", err=True)
        received = parts.enter_context(_signals_stop(stop))
        loop = LiveLoop(
            settings,
            grabber=FrameGrabber(frames, mailbox),
            worker=PoseWorker(detector, mailbox, exact=exact),
            session=session,
            log=log,
            sound=sound_player,
            display=display,
            stop=stop,
            preview=None if is_camera or no_window else first_image(Path(source_name)),
        )
        outcome = loop.run()
    click.echo(f"formcheck: {_summary_line(outcome, log)}", err=True)
    if outcome.reason in (EndReason.SOURCE_FAILED, EndReason.POSE_FAILED):
        raise FormcheckError(f"{outcome.error}; the session log and report are saved in {log_dir}")
    if outcome.reason is EndReason.SIGNAL and received:
        return _SIGNAL_EXIT_CODES[received[0]]
    return 0
