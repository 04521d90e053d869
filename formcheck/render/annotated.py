"""The annotated video and the worst rep's key frame: the input's frames with the live overlay.

Each frame is drawn as live mode would have shown it at that moment: the input is decoded a second
time (a `FrameSource`) beside its pose track, and the frames go one by one through a fresh engine
session and the live display's `SessionPresenter` into `render_overlay`, then to the encoder. The
frames stream through; none is kept but the key frame's canvas.

The key frame is the deepest point (``peak_s``) of the worst rep: the complete rep with the lowest
score (the first of equals). Its rule panel shows that rep's own verdicts rather than the previous
rep's (the rep is still under way at its deepest point), so the picture says what went wrong.
With no scored complete rep there is no key frame.

Files, beside the JSON report ``NAME.json``: ``NAME.mp4`` and ``NAME.keyframe.jpg``, and the report's
``media`` record (`MediaRecord`) naming them, from which the page is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypedDict

import cv2
import numpy as np
from tqdm import tqdm

from formcheck.analysis.results import Rep
from formcheck.analysis.session import ExerciseSession
from formcheck.core.track import PoseFrame, PoseTrack
from formcheck.io.atomic import atomic_output
from formcheck.io.mp4 import Mp4Writer
from formcheck.io.sources import FrameSource, open_file_source
from formcheck.render.overlay import render_overlay
from formcheck.render.presenter import SessionPresenter

KEY_FRAME_QUALITY = 90
"""JPEG quality of the key frame: the overlay's small text stays sharp at about 150 KB for 1420x720."""


class KeyFrameRecord(TypedDict):
    """The key frame in the report: ``file`` beside the JSON, the ``rep`` it shows (its index) and
    the frame's time ``t_s`` (seconds)."""

    file: str
    rep: int
    t_s: float


class MediaRecord(TypedDict):
    """The report's ``media``: ``video`` (the annotated mp4 beside the JSON, or None when not asked
    for) and ``key_frame`` (None when no complete rep was scored)."""

    video: str | None
    key_frame: KeyFrameRecord | None


def video_path(json_path: Path) -> Path:
    """Where the annotated video of the report at ``json_path`` goes: ``NAME.mp4`` beside it."""
    return json_path.with_suffix(".mp4")


def key_frame_path(json_path: Path) -> Path:
    return json_path.with_name(json_path.stem + ".keyframe.jpg")


@dataclass(frozen=True)
class KeyFrame:
    """Which frame to show: ``index`` (its number in the source) and ``t`` (seconds), of ``rep``."""

    rep: Rep
    index: int
    t: float


def worst_rep(reps: Sequence[Rep]) -> Rep | None:
    """The complete rep with the lowest score (the first of equals); None when none was scored."""
    scored = [rep for rep in reps if rep.complete and rep.score is not None]
    return min(scored, key=lambda rep: rep.score) if scored else None


def key_frame(reps: Sequence[Rep], track: PoseTrack) -> KeyFrame | None:
    """The worst rep's deepest frame in ``track`` (the frame nearest its ``peak_s``)."""
    rep = worst_rep(reps)
    if rep is None or len(track) == 0:
        return None
    k = int(np.argmin(np.abs(track.t - rep.peak_s)))
    return KeyFrame(rep=rep, index=int(track.index[k]), t=float(track.t[k]))


def annotate(
    source: FrameSource,
    track: PoseTrack,
    presenter: SessionPresenter,
    *,
    video: Mp4Writer | None,
    key: KeyFrame | None,
    progress: bool = False,
) -> np.ndarray | None:
    """Draw the overlay on ``source``'s frames, writing each to ``video`` (if given), and return the
    canvas of the ``key`` frame (None without one). Without a video, decoding stops at the key frame.

    ``track`` is the pose track of ``source`` (matched by frame number; a frame missing from it
    has nobody in it); ``presenter`` holds a fresh session of the analysis's exercise and settings.
    """
    pose_at = {int(index): k for k, index in enumerate(track.index)}
    total = source.frame_count or len(track)
    key_canvas = None
    bar = tqdm(total=total, unit="frame", desc="video", disable=None if progress and video else True)
    with bar:
        for frame in source:
            k = pose_at.get(frame.index)
            height, width = frame.image.shape[:2]
            pose = track.frame(k) if k is not None else PoseFrame.empty(frame.t, frame.index, (width, height))
            presenter.update(pose)
            presenter.new_reps()
            footer = f"{Path(source.name).name}   {pose.t:6.2f} s   frame {frame.index + 1} of {total}"
            overlay = presenter.overlay(pose, status=None, footer=footer)
            if video is not None:
                canvas = render_overlay(frame.image, overlay)
                if video.size is not None and canvas.shape[1::-1] != video.size:
                    # A folder of images of different sizes: every frame takes the first one's.
                    canvas = cv2.resize(canvas, video.size, interpolation=cv2.INTER_AREA)
                video.write(canvas)
                bar.update()
            if key is not None and frame.index == key.index:
                footer = f"rep {key.rep.index}: the lowest score, at its deepest point ({pose.t:.2f} s)"
                key_canvas = render_overlay(frame.image, replace(overlay, last_rep=key.rep, footer=footer))
                if video is None:
                    break
    return key_canvas


def write_key_frame(path: Path, canvas: np.ndarray) -> None:
    """The key frame's canvas as a JPEG at ``path``, written whole or not at all."""
    ok, data = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, KEY_FRAME_QUALITY])
    if not ok:
        raise ValueError(f"{path}: the key frame could not be encoded as JPEG")
    with atomic_output(path, "wb") as handle:
        handle.write(data.tobytes())


def write_media(
    source_path: Path,
    track: PoseTrack,
    reps: Sequence[Rep],
    session: ExerciseSession,
    json_path: Path,
    *,
    video: bool,
    progress: bool = False,
) -> MediaRecord:
    """Write the key frame of ``reps`` (and, with ``video``, the annotated video) of the input at
    ``source_path`` beside ``json_path``; returns the report's ``media`` record.

    ``track`` is the input's pose track and ``session`` a fresh session with the settings of the
    analysis that gave ``reps``, which it replays frame by frame.
    """
    key = key_frame(reps, track)
    if key is None and not video:
        return MediaRecord(video=None, key_frame=None)
    presenter = SessionPresenter(session, session.exercise.name)
    with open_file_source(source_path, image_fps=track.fps) as source:
        if video:
            with Mp4Writer(video_path(json_path), source.fps) as writer:
                canvas = annotate(source, track, presenter, video=writer, key=key, progress=progress)
        else:
            canvas = annotate(source, track, presenter, video=None, key=key)
    record = None
    if key is not None and canvas is not None:
        write_key_frame(key_frame_path(json_path), canvas)
        record = KeyFrameRecord(file=key_frame_path(json_path).name, rep=key.rep.index, t_s=round(key.t, 3))
    return MediaRecord(video=video_path(json_path).name if video else None, key_frame=record)
