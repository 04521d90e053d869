"""`formcheck analyze`: reps, verdicts, a JSON report (and an HTML page, an annotated video) for videos
or saved pose tracks; many inputs (files and folders) in parallel, with an index page and one CSV of
all reps."""

from __future__ import annotations

import functools
import json
import sys
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

import click
from tqdm import tqdm

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.results import Rep, Report
from formcheck.analysis.session import ExerciseSession
from formcheck.analysis.vocabulary import Status
from formcheck.cli.batch import Executor, default_workers, run_all
from formcheck.cli.cluster import DaskCluster
from formcheck.cli.folders import output_folder
from formcheck.cli.inputs import TRACK_SUFFIXES, Input, inputs_with_exercises, read_exercise_map
from formcheck.cli.local_pool import LocalProcesses
from formcheck.cli.options import max_fps_option
from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES, configured, get_exercise
from formcheck.exercises.thresholds import Thresholds
from formcheck.io.atomic import write_text
from formcheck.io.track_files import load_track
from formcheck.render.annotated import MediaRecord, video_path, write_media
from formcheck.render.batch_outputs import write_index, write_reps_csv
from formcheck.render.frames_csv import write_frames_csv
from formcheck.render.labels import judged_count, thinly_judged
from formcheck.render.page import frames_csv_path, page_path, write_report_page


@functools.cache
def _pose_model():
    """The pose model, loaded once per process (a batch worker keeps it for all its inputs)."""
    # Imported here: loading MediaPipe costs a second, and track files do not need it.
    from formcheck.pose.model import load_model

    return load_model()


def _load(path: Path, settings: Settings) -> PoseTrack:
    if not path.exists():
        raise FormcheckError(f"{path}: no such file; give a pose track (.npz/.csv) or a video")
    if path.suffix.lower() in TRACK_SUFFIXES:
        return load_track(path)
    from formcheck.pose.cache import cached_track

    return cached_track(
        path,
        _pose_model(),
        max_fps=settings.max_fps,
        workers=settings.extract_workers,
        progress=settings.progress,
        note=_note,
        directory=settings.cache_dir,
    )[0]


def _note(line: str) -> None:
    tqdm.write(f"formcheck: {line}", file=sys.stderr)


def _write_json(report: Report, media: MediaRecord | None, path: Path) -> None:
    data = report.to_dict()
    if media is not None:
        data["media"] = media
    write_text(path, json.dumps(data, indent=2) + "\n")


@dataclass(frozen=True)
class Settings:
    """What every input of one run is analysed with (sent to the worker processes, so plain values).

    Attributes:
        out_dir: where ``<name>.json`` (and ``.frames.csv``, ``.html``) go.
        side: fixed working side, or None to detect.
        config: TOML file overriding thresholds, or None.
        frames_csv, html: also write the frames CSV / the HTML page (and, for a video input, the
            worst rep's key frame).
        progress: show the extraction's own progress bar (off when a batch shows one for all).
        video: also write the annotated video (with the page).
        cache_dir: the pose cache folder, or None for the default (`formcheck.pose.cache.cache_dir`).
        max_fps: extract at most this many frames a second (None: all).
        extract_workers: pose models on one video (the whole ``--workers`` budget for a single
            input; 1 when a batch runs the inputs side by side).
    """

    out_dir: Path
    side: str | None
    config: Path | None
    frames_csv: bool
    html: bool
    progress: bool
    video: bool = False
    cache_dir: Path | None = None
    max_fps: float | None = None
    extract_workers: int = 1


def json_path(settings: Settings, item: Input) -> Path:
    return settings.out_dir / f"{item.name}.json"


def analyze_input(item: Input, settings: Settings) -> str:
    """Analyse one input and write its files (frames CSV, key frame and video, then JSON, then page);
    returns its rep table."""
    if item.exercise is None:
        raise FormcheckError(
            f"{item.path}: no exercise for this input; give --exercise NAME, or a pattern matching it "
            "in the --exercises file"
        )
    has_frames = item.path.suffix.lower() not in TRACK_SUFFIXES
    if settings.video:
        _check_video_output(item, json_path(settings, item), has_frames)
    spec, thresholds = configured(
        item.exercise, Thresholds.load(settings.config) if settings.config else None
    )
    track = _load(item.path, settings)
    report, table = analyze_track(track, spec, thresholds, side=settings.side)
    target = json_path(settings, item)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if settings.frames_csv or settings.html:
            write_frames_csv(table, frames_csv_path(target), labels=track.labels)
        media = None
        if settings.html and has_frames:
            # A fresh session replays the frames one by one, as live mode would have shown them.
            session = ExerciseSession(spec, thresholds, side=settings.side, fps=track.fps)
            media = write_media(
                item.path,
                track,
                report.reps,
                session,
                target,
                video=settings.video,
                progress=settings.progress,
            )
        # The JSON last but the page: on --resume its presence means the analysis is done.
        _write_json(report, media, target)
    except OSError as error:
        raise FormcheckError(
            f"cannot write to {settings.out_dir} ({error.strerror or error}); pass another --out DIR"
        ) from error
    if settings.html:
        write_report_page(target)
    return _rep_table(report)


def _check_video_output(item: Input, target: Path, has_frames: bool) -> None:
    """Refuse --video before any work where it cannot be made or would replace the input."""
    if not has_frames:
        raise FormcheckError(
            f"{item.path}: a pose track has no frames to draw the annotated video on; "
            "give the video itself, or leave out --video"
        )
    if video_path(target).resolve() == item.path.resolve():
        raise FormcheckError(
            f"{item.path}: --video would write the annotated video over the input itself; "
            "pass another --out DIR"
        )


def _rep_table(report: Report) -> str:
    lines = [f"{report.source}: {report.exercise}, {report.frames} frames"]
    if not report.reps and report.frame_verdicts:
        for rule_id, counts in report.frame_verdicts.items():
            lines.append(
                f"  {rule_id}: {counts['passed']} passed, {counts['failed']} failed, "
                f"{counts['not_judged']} not judged (rows)"
            )
        return "\n".join(lines)
    lines.append(f"  {'rep':>3} {'side':<5} {'start':>6} {'end':>6} {'score':>5} {'judged':>6}  verdict")
    rows = [(rep.start_s, _rep_row(rep)) for rep in report.reps]
    rows += [
        (
            event.start_s,
            f"  {'-':>3} {'':<5} {event.start_s:>6.2f} {event.end_s:>6.2f} {'-':>5} {'':>6}  "
            f"set-up: {event.what}",
        )
        for event in report.setup
    ]
    lines += [row for _, row in sorted(rows, key=lambda row: row[0])]
    summary = report.summary()
    counted = f", counted from the {summary['counted_from']}" if summary["counted_from"] == "bottom" else ""
    lines.append(
        f"  complete reps: {summary['reps_total']} {summary['reps_per_side']}, "
        f"partial: {summary['reps_partial']}{counted}"
    )
    if report.no_rep_reason:
        lines.append(f"  {report.no_rep_reason}")
    if report.view_advice:
        lines.append(f"  {report.view_advice}")
    return "\n".join(lines)


def _rep_row(rep: Rep) -> str:
    failed = [
        f"{r.id} (borderline)" if r.borderline else r.id for r in rep.rules if r.status == Status.FAILED
    ]
    verdict = (
        "partial: " + rep.reason
        if not rep.complete
        else ("faults: " + ", ".join(failed) if failed else "good")
    )
    if rep.complete and thinly_judged(rep):
        verdict += f" (few rules judged: {rep.view} view)"
    if rep.note:
        verdict += f" ({rep.note})"
    score = "-" if rep.score is None else f"{rep.score:.0f}"
    judged = "{}/{}".format(*judged_count(rep))
    return (
        f"  {rep.index:>3} {rep.side:<5} {rep.start_s:>6.2f} {rep.end_s:>6.2f} {score:>5} {judged:>6}  "
        f"{verdict}"
    )


@click.command("analyze")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--exercise", "-e", default=None, help=f"Exercise id for every input: {', '.join(EXERCISES)}.")
@click.option(
    "--exercises",
    "exercises_file",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV or TOML file mapping file or folder patterns to exercise ids (first match wins; "
    "--exercise is the fallback).",
)
@click.option(
    "--side", type=click.Choice(["left", "right"]), default=None, help="Working side (default: detect)."
)
@click.option(
    "--config", type=click.Path(path_type=Path), default=None, help="TOML file overriding thresholds."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for <name>.json (and .frames.csv, .html); a batch adds index.html and reps.csv.",
)
@click.option(
    "--frames-csv",
    is_flag=True,
    help="Also write a per-frame CSV: time, signals, per-frame verdicts (and a table's own label column).",
)
@click.option("--html", is_flag=True, help="Also write an HTML report per input (implies --frames-csv).")
@click.option(
    "--video",
    is_flag=True,
    help="Also write <name>.mp4: the input with the live overlay on every frame (H.264; implies --html).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Pose models running at once, i.e. inputs analysed in parallel (default: the cores this "
    "process may use; with --cluster, the cluster's worker threads).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Skip inputs whose JSON report (and, with --video, mp4) is already in --out.",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    default=None,
    help="Run the inputs on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786); "
    "the inputs, --out and --cache-dir must be on storage every worker reaches by the same paths.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    # The name of formcheck.pose.cache.CACHE_ENV, not imported here: that module loads MediaPipe.
    envvar="FORMCHECK_CACHE_DIR",
    default=None,
    help="Pose cache folder (default: $FORMCHECK_CACHE_DIR, else the user cache folder); on a "
    "cluster, one every worker can reach.",
)
@max_fps_option
def command(
    inputs,
    exercise,
    exercises_file,
    side,
    config,
    out_dir,
    frames_csv,
    html,
    video,
    workers,
    resume,
    cluster,
    cache_dir,
    max_fps,
) -> None:
    """Count and judge the reps in videos, saved pose tracks (.npz / .csv) or folders of them."""
    if exercise is None and exercises_file is None:
        raise FormcheckError(
            "give --exercise NAME for every input, or --exercises FILE mapping inputs to exercises"
        )
    if exercise is not None:
        get_exercise(exercise)
    if config is not None:
        Thresholds.load(config)  # A bad config is one error now, not one per input.
    mapping = read_exercise_map(exercises_file) if exercises_file else []
    items = inputs_with_exercises(tuple(inputs), exercise, mapping)
    output_folder(out_dir, "--out")
    if cluster:
        # The workers find every file by its path on the storage they share, not from our folder.
        items = [replace(item, path=item.path.absolute()) for item in items]
        out_dir, config = out_dir.absolute(), config and config.absolute()
    batch = len(items) > 1
    local_workers = workers or default_workers()
    settings = Settings(
        out_dir,
        side,
        config,
        frames_csv,
        html or video,
        # One bar for a batch; an input's own extraction bar when it is alone or runs here.
        progress=not batch or (local_workers == 1 and not cluster),
        video=video,
        cache_dir=cache_dir and cache_dir.absolute(),
        max_fps=max_fps,
    )
    items, failures = _distinct_outputs(items, settings)
    done = [item for item in items if resume and _finished(settings, item)]
    for item in done:
        if html and not page_path(json_path(settings, item)).exists():
            write_report_page(json_path(settings, item))
    if done:
        click.echo(f"formcheck: --resume: {len(done)} input(s) already analysed in {out_dir}", err=True)

    def finished(item: Input, rep_table: str) -> None:
        done.append(item)
        tqdm.write(rep_table)
        if batch:
            _write_batch_outputs(out_dir, settings, items, done, failures)

    todo = [item for item in items if item not in done]
    # One budget (design §8): a lone video gets every worker, a batch one per input.
    settings = replace(settings, extract_workers=local_workers if len(todo) == 1 and not cluster else 1)
    executor: Executor = DaskCluster(cluster, workers) if cluster else LocalProcesses(local_workers)
    with closing(executor):
        failures += run_all(
            todo, functools.partial(analyze_input, settings=settings), executor, finished=finished
        )
    if batch:
        _write_batch_outputs(out_dir, settings, items, done, failures)
    for _, why in failures:
        click.echo(f"formcheck: error: {why}", err=True)
    if failures:
        if batch:
            click.echo(
                f"formcheck: {len(failures)} of {len(items)} input(s) failed; the others are in {out_dir}",
                err=True,
            )
        click.get_current_context().exit(1)


def _finished(settings: Settings, item: Input) -> bool:
    """Whether a run before left this input's files (its JSON, and its video if --video asks for one)."""
    target = json_path(settings, item)
    return target.exists() and (not settings.video or video_path(target).exists())


def _distinct_outputs(items: list[Input], settings: Settings) -> tuple[list[Input], list[tuple[Input, str]]]:
    """The inputs with an output name of their own, and a failure for each later one that clashes."""
    first: dict[Path, Input] = {}
    clashes = []
    for item in items:
        target = json_path(settings, item)
        if target in first:
            clashes.append(
                (
                    item,
                    f"{item.path}: goes to {target} like {first[target].path}; rename one of them",
                )
            )
        else:
            first[target] = item
    return list(first.values()), clashes


def _write_batch_outputs(out_dir: Path, settings: Settings, items, done, failures) -> None:
    """index.html and reps.csv over the finished inputs, in input order (rewritten as each finishes)."""
    finished = [json_path(settings, item) for item in items if item in done]
    write_reps_csv(out_dir, finished)
    write_index(out_dir, finished, [why for _, why in failures])
