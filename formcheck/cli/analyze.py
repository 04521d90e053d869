"""`formcheck analyze`: reps, verdicts and a JSON report for saved pose tracks (or videos)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import click

from formcheck.analysis.pipeline import FrameTable, analyze_track
from formcheck.analysis.results import Rep, Report
from formcheck.analysis.vocabulary import Status
from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES, configured
from formcheck.exercises.thresholds import Thresholds
from formcheck.io.track_files import load_track

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


def _write_frames_csv(table: FrameTable, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        time_column = ["t"] if table.t is not None else ["row"]
        writer.writerow(time_column + list(table.names) + list(table.verdicts))
        for i in range(len(table.signals)):
            first = [f"{table.t[i]:.4f}"] if table.t is not None else [i]
            values = ["" if not math.isfinite(v) else f"{v:.4f}" for v in table.signals[i].tolist()]
            writer.writerow(first + values + [status[i] for status in table.verdicts.values()])
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
    lines.append(f"  {'rep':>3} {'side':<5} {'start':>6} {'end':>6} {'score':>5}  verdict")
    rows = [(rep.start_s, _rep_row(rep)) for rep in report.reps]
    rows += [
        (
            event.start_s,
            f"  {'-':>3} {'':<5} {event.start_s:>6.2f} {event.end_s:>6.2f} {'-':>5}  set-up: {event.what}",
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
    if rep.note:
        verdict += f" ({rep.note})"
    score = "-" if rep.score is None else f"{rep.score:.0f}"
    return f"  {rep.index:>3} {rep.side:<5} {rep.start_s:>6.2f} {rep.end_s:>6.2f} {score:>5}  {verdict}"


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
    "--frames-csv", is_flag=True, help="Also write a per-frame CSV: time, signals, per-frame verdicts."
)
def command(inputs, exercise, side, config, out_dir, frames_csv) -> None:
    """Count and judge the reps in videos or saved pose tracks (.npz / .csv)."""
    spec, thresholds = configured(exercise, Thresholds.load(config) if config else None)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in inputs:
        # Each input is written as soon as it is done, so an interruption keeps earlier results.
        report, table = analyze_track(_load(path), spec, thresholds, side=side)
        _write_json(report, out_dir / f"{path.stem}.json")
        if frames_csv:
            _write_frames_csv(table, out_dir / f"{path.stem}.frames.csv")
        click.echo(_rep_table(report))
