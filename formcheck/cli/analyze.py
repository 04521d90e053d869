"""`formcheck analyze`: reps, verdicts and a JSON report for saved pose tracks (or videos)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import numpy as np

from formcheck.analysis.pipeline import FrameTable, analyze_track
from formcheck.analysis.results import Rep, Report
from formcheck.analysis.vocabulary import Status
from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES, configured
from formcheck.exercises.thresholds import Thresholds
from formcheck.io.track_files import load_track
from formcheck.render.labels import judged_count, thinly_judged

TRACK_SUFFIXES = (".npz", ".csv")


def _load(path: Path) -> PoseTrack:
    if not path.exists():
        raise FormcheckError(f"{path}: no such file; give a pose track (.npz/.csv) or a video")
    if path.suffix.lower() in TRACK_SUFFIXES:
        return load_track(path)
    # Imported here: loading MediaPipe costs a second, and track files do not need it.
    from formcheck.pose.cache import cached_track

    return cached_track(path)[0]


def _write_json(report: Report, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def _write_frames_csv(table: FrameTable, labels: np.ndarray | None, path: Path) -> None:
    """One row per frame: the input's ``label`` (if it has one, so verdicts can be compared
    with it), the time or row number, the signals and the per-frame verdicts."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        label_column = ["label"] if labels is not None else []
        time_column = ["t"] if table.t is not None else ["row"]
        writer.writerow(label_column + time_column + list(table.names) + list(table.verdicts))
        for i in range(len(table.signals)):
            label = [labels[i]] if labels is not None else []
            first = [f"{table.t[i]:.4f}"] if table.t is not None else [i]
            values = ["" if not math.isfinite(v) else f"{v:.4f}" for v in table.signals[i].tolist()]
            writer.writerow(label + first + values + [status[i] for status in table.verdicts.values()])
    partial.replace(path)


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
    return "\n".join(lines)


def _rep_row(rep: Rep) -> str:
    failed = [r.id for r in rep.rules if r.status == Status.FAILED]
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
@click.option("--exercise", "-e", required=True, help=f"Exercise id: {', '.join(EXERCISES)}.")
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
    help="Folder for <input stem>.json (and .frames.csv).",
)
@click.option(
    "--frames-csv",
    is_flag=True,
    help="Also write a per-frame CSV: the input's label column (if any), time, signals, per-frame verdicts.",
)
def command(inputs, exercise, side, config, out_dir, frames_csv) -> None:
    """Count and judge the reps in videos or saved pose tracks (.npz / .csv)."""
    spec, thresholds = configured(exercise, Thresholds.load(config) if config else None)
    if out_dir.exists() and not out_dir.is_dir():
        raise FormcheckError(f"--out {out_dir} is a file; give a folder (it is created if needed)")
    with _writing_to(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
    for path in inputs:
        # Each input is written as soon as it is done, so an interruption keeps earlier results.
        track = _load(path)
        report, table = analyze_track(track, spec, thresholds, side=side)
        with _writing_to(out_dir):
            _write_json(report, out_dir / f"{path.stem}.json")
            if frames_csv:
                _write_frames_csv(table, track.labels, out_dir / f"{path.stem}.frames.csv")
        click.echo(_rep_table(report))


@contextmanager
def _writing_to(out_dir: Path) -> Iterator[None]:
    """Turn a failure to create or write in ``out_dir`` into one line that says what to do."""
    try:
        yield
    except OSError as error:
        raise FormcheckError(
            f"cannot write to {out_dir} ({error.strerror or error}); pass another --out DIR"
        ) from error
