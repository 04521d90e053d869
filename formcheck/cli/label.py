"""`formcheck label`: play a clip with the reps and verdicts the engine found, let a coach confirm or
correct them, and save ``CLIP.labels.json`` (design.md §8) for tuning and benchmarks.

Wires the parts: the pose track (from the pose cache, so labelling after `analyze` does not run
the model again), the engine's report, the labelling state, its window loop and the label file.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from formcheck.analysis.pipeline import analyze_track
from formcheck.cli.analyze import TRACK_SUFFIXES
from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES, configured
from formcheck.exercises.thresholds import Thresholds
from formcheck.io.labels import LabelledRep, Labels, labels_path, save_labels
from formcheck.io.sources import open_capture
from formcheck.labelling.loop import LabelLoop, VideoFrames
from formcheck.labelling.state import Labelling
from formcheck.live.window import CvWindow, x_display_reachable

WINDOW_TITLE = "formcheck label"


def _check_clip(clip: Path) -> None:
    if clip.suffix.lower() in TRACK_SUFFIXES:
        raise FormcheckError(f"{clip}: label shows the video, so give the clip itself, not a pose track")
    if not clip.is_file():
        raise FormcheckError(f"{clip}: no such file; give the video to label")


def _clip_reference(clip: Path, out: Path) -> str:
    """How the label file names its clip: the path under a ``shared/clips/`` folder for a shared
    clip (found from wherever the labels sit in a tree beside it), else relative to the label file."""
    resolved = clip.resolve()
    for parent in resolved.parents:
        if parent.name == "clips" and parent.parent.name == "shared":
            return resolved.relative_to(parent).as_posix()
    return Path(os.path.relpath(resolved, out.parent.resolve())).as_posix()


@click.command("label")
@click.argument("clip", type=click.Path(path_type=Path))
@click.option("--exercise", "-e", required=True, help=f"Exercise id: {', '.join(EXERCISES)}.")
@click.option(
    "--side",
    type=click.Choice(["left", "right"]),
    default=None,
    help="Working side (default: detect); also the side of reps you add.",
)
@click.option(
    "--config", type=click.Path(path_type=Path), default=None, help="TOML file overriding thresholds."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Label file to write [default: CLIP.labels.json beside the clip].",
)
def command(clip: Path, exercise: str, side: str | None, config: Path | None, out: Path | None) -> None:
    """Confirm or correct the engine's reps and verdicts on a video, in a window, and save the labels.

    It starts from the engine's verdicts (failed rule = fault, passed = clean, not judged =
    unlabelled). Keys: space play/pause, "," and "." a frame back/forward, p/n previous/next
    rep, 1-9 cycle rule k of the current rep (fault, clean, unlabelled), x not a rep (again:
    undo), a at a missed rep's start and again at its end, w save, q/Esc quit.
    """
    spec, thresholds = configured(exercise, Thresholds.load(config) if config else None)
    _check_clip(clip)
    out = out or labels_path(clip)
    if not out.parent.is_dir():
        raise FormcheckError(f"{out}: its folder does not exist; create it or give another --out")
    if not x_display_reachable():
        raise FormcheckError(
            "label needs a display for its window (DISPLAY not set or not reachable); "
            "run it in a desktop session"
        )
    try:
        capture = open_capture(clip)
    except FormcheckError:
        raise FormcheckError(f"cannot read {clip} as a video: give an mp4/avi/mov file") from None
    # Imported here: loading MediaPipe costs a second, and the checks above do not need it.
    from formcheck.pose.cache import cached_track

    track, _ = cached_track(clip)
    if len(track) == 0:
        raise FormcheckError(f"{clip}: the video has no frames to label")
    frames = VideoFrames(capture, track.image_size)
    report, _ = analyze_track(track, spec, thresholds, side=side)
    state = Labelling.from_report(report, [rule.id for rule in spec.rules], track.t, side=side)
    if out.exists():
        click.echo(f"formcheck: {out} exists and is not read; w replaces it", err=True)

    def save(reps: list[LabelledRep]) -> str:
        labels = Labels(out, spec.name, round(track.fps, 3), _clip_reference(clip, out), tuple(reps))
        return str(save_labels(labels))

    display = CvWindow(WINDOW_TITLE)
    try:
        LabelLoop(
            state,
            frames=frames,
            track=track,
            display=display,
            exercise=spec.name,
            clip=clip.name,
            key_landmarks=spec.judged_landmarks,
            min_visibility=float(thresholds["min_visibility"]),
            save=save,
        ).run()
    finally:
        display.close()
        frames.close()
    if state.dirty:
        outcome = "quit without saving the last changes"
    elif state.saved_to is not None:
        outcome = f"{len(state.labels())} reps labelled in {state.saved_to}"
    else:
        outcome = "nothing changed, nothing saved"
    click.echo(f"formcheck: {outcome}", err=True)
