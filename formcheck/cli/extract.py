"""`formcheck extract`: pose tracks from videos and image folders — the one expensive step, done once.

Each input becomes ``<DIR>/<input stem>.npz`` (and ``.csv`` with ``--csv``), written as
soon as that input is finished, so an interrupted run keeps every finished track.  A bad
input gets a one-line error and the others are still processed; the exit code is 1 if
any input failed.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import click

from formcheck.cli.batch import default_workers
from formcheck.cli.folders import output_folder
from formcheck.cli.options import max_fps_option
from formcheck.errors import FormcheckError
from formcheck.io.sources import DEFAULT_IMAGE_FPS
from formcheck.io.track_files import save_csv, save_npz
from formcheck.pose.detector import DEFAULT_NUM_POSES
from formcheck.pose.model import PoseModel, load_model
from formcheck.pose.segment_workers import SegmentWorkers, early_start_method
from formcheck.pose.tracking import track_from_video


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the pose tracks (created if needed).",
)
@click.option(
    "--model",
    "model_path",
    metavar="PATH",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A MediaPipe pose_landmarker_{lite,full,heavy}.task bundle. Default: the bundled full model.",
)
@click.option("--csv", "write_csv", is_flag=True, help="Also write <stem>.csv (one row per frame).")
@click.option(
    "--num-poses",
    type=click.IntRange(1, 5),
    default=DEFAULT_NUM_POSES,
    show_default=True,
    help="People the model looks for; with more than 1, the most prominent is kept (slower, less steady).",
)
@click.option(
    "--image-fps",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_IMAGE_FPS,
    show_default=True,
    help="Frame rate assumed for folders of images (videos carry their own).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Pose models running at once, each on a segment of the video [default: the cores this "
    "process may use].",
)
@max_fps_option
@click.pass_context
def command(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    out_dir: Path,
    model_path: Path | None,
    write_csv: bool,
    num_poses: int,
    image_fps: float,
    workers: int | None,
    max_fps: float | None,
) -> None:
    """Extract pose tracks from INPUTS (video files or folders of images) into DIR."""
    model = load_model(model_path)
    settings = _Settings(num_poses, image_fps, max_fps, workers or default_workers(), write_csv)
    _check_distinct_names(inputs)
    output_folder(out_dir, "-o")
    finished = 0
    failed = 0
    # Started first, so that they load their models while this process opens the first input and
    # builds its own, and serve every input; forked where that is safe, as nothing here has started
    # a thread yet (formcheck.pose.segment_workers).
    segment_workers = SegmentWorkers(settings.workers - 1, model, num_poses, early_start_method())
    try:
        for path in inputs:
            try:
                click.echo(_extract_one(path, out_dir, model, segment_workers, settings))
                finished += 1
            except FormcheckError as error:
                click.echo(f"formcheck: error: {error}", err=True)
                failed += 1
    except KeyboardInterrupt:
        click.echo(f"\nformcheck: kept the {finished} finished track(s) in {out_dir}", err=True)
        raise
    finally:
        segment_workers.close()
    if failed:
        ctx.exit(1)


def _check_distinct_names(inputs: tuple[Path, ...]) -> None:
    repeated = [stem for stem, count in Counter(path.stem for path in inputs).items() if count > 1]
    if repeated:
        clashing = [str(path) for path in inputs if path.stem in repeated]
        raise FormcheckError(
            f"{', '.join(clashing)} would all be written to {repeated[0]}.npz; "
            "rename them or extract them into different -o folders"
        )


@dataclass(frozen=True)
class _Settings:
    num_poses: int
    image_fps: float
    max_fps: float | None
    workers: int
    write_csv: bool


def _note(line: str) -> None:
    click.echo(f"formcheck: {line}", err=True)


def _extract_one(
    path: Path, out_dir: Path, model: PoseModel, segment_workers: SegmentWorkers, settings: _Settings
) -> str:
    """Run the model over one input, save its track, and return the summary line."""
    started = time.perf_counter()
    track, expected_frames = track_from_video(
        path,
        model,
        num_poses=settings.num_poses,
        image_fps=settings.image_fps,
        max_fps=settings.max_fps,
        workers=settings.workers,
        segment_workers=segment_workers,
        note=_note,
    )
    elapsed = time.perf_counter() - started
    found = track.person_found
    target = out_dir / f"{path.stem}.npz"
    written = [target.name]
    try:
        save_npz(track, target)
        if settings.write_csv:
            save_csv(track, target.with_suffix(".csv"))
            written.append(target.with_suffix(".csv").name)
    except OSError as error:
        raise FormcheckError(
            f"cannot write the track of {path} to {out_dir} ({error.strerror}); "
            "free some space or pass another -o"
        ) from error
    summary = (
        f"{path}: {len(track)} frames, person in {found.mean():.0%} of them, "
        f"{len(track) / elapsed:.1f} frames/s -> {out_dir / ' + '.join(written)}"
    )
    if expected_frames is not None and len(track) < expected_frames:
        summary += (
            f" (the frame count the file announces gives {expected_frames}; the rest could not be decoded, "
            "it may be truncated)"
        )
    return summary
