"""A batch's shared outputs, made from the JSON reports of its inputs: ``index.html`` linking every
report with its reps and score, and ``reps.csv`` with one row per rep and rule of every input."""

from __future__ import annotations

import csv
import io
import json
from html import escape
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.io.atomic import write_text
from formcheck.render.page import SAFETY_NOTE, page_path

REPS_COLUMNS = (
    "input",
    "source",
    "exercise",
    "rep",
    "side",
    "complete",
    "partial_reason",
    "set",
    "start_s",
    "end_s",
    "view",
    "score",
    "rule",
    "status",
    "value",
    "threshold",
    "unit",
    "limit",
    "margin",
    "borderline",
    "not_judged_reason",
)


def _read(json_path: Path) -> dict:
    return json.loads(json_path.read_text(encoding="utf-8"))


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


def _write(path: Path, text: str) -> None:
    try:
        write_text(path, text, newline="")
    except OSError as error:
        raise FormcheckError(f"{path}: cannot write ({error.strerror}); choose a writable --out") from error


def write_reps_csv(out_dir: Path, reports: list[Path]) -> Path:
    """``out_dir/reps.csv``: every rep of every report, one row per rep and rule (a rep without rules:
    one row with the rule columns empty). ``input`` is the report's path inside ``out_dir``."""
    lines: list[list] = [list(REPS_COLUMNS)]
    for json_path in reports:
        report = _read(json_path)
        name = json_path.relative_to(out_dir).with_suffix("").as_posix()
        for rep in report["reps"]:
            head = [
                name,
                report["source"],
                report["exercise"],
                rep["index"],
                rep["side"],
                rep["complete"],
                rep.get("reason") or "",
                rep.get("set", ""),
                rep["start_s"],
                rep["end_s"],
                rep.get("view", ""),
                _blank(rep["score"]),
            ]
            for rule in rep["rules"] or [{}]:
                lines.append(
                    [
                        *head,
                        rule.get("id", ""),
                        rule.get("status", ""),
                        _blank(rule.get("value")),
                        _blank(rule.get("threshold")),
                        rule.get("unit", ""),
                        rule.get("limit", ""),
                        _blank(rule.get("margin")),
                        "" if "borderline" not in rule else str(rule["borderline"]).lower(),
                        rule.get("reason") or "",
                    ]
                )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    target = out_dir / "reps.csv"
    _write(target, buffer.getvalue())
    return target


def write_index(out_dir: Path, reports: list[Path], failures: list[str]) -> Path:
    """``out_dir/index.html``: a row per report (link, exercise, complete reps per side, partial
    reps, mean score, faults), then the inputs that failed: ``failures`` are one-line reasons, each
    starting with the input's path."""
    rows = []
    for json_path in reports:
        report = _read(json_path)
        summary = report["summary"]
        page = page_path(json_path)
        link = (page if page.exists() else json_path).relative_to(out_dir).as_posix()
        name = json_path.relative_to(out_dir).with_suffix("").as_posix()
        per_side = ", ".join(f"{side} {n}" for side, n in summary["reps_per_side"].items()) or "none"
        faults = ", ".join(f"{rule} &times;{n}" for rule, n in summary["faults"].items() if n) or "none"
        score = summary.get("mean_score")
        rows.append(
            f"<tr><td><a href='{escape(link)}'>{escape(name)}</a></td><td>{escape(report['exercise'])}</td>"
            f"<td class='num'>{summary['reps_total']}</td><td>{escape(per_side)}</td>"
            f"<td class='num'>{summary.get('reps_partial', 0)}</td>"
            f"<td class='num'>{'-' if score is None else f'{score:.0f}'}</td><td>{faults}</td></tr>"
        )
    failed_list = "".join(f"<li>{escape(reason)}</li>" for reason in failures)
    text = "\n".join(
        [
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8"><title>formcheck: batch reports</title>',
            "<style>body{font:15px/1.45 system-ui,sans-serif;margin:1em 2em;color:#222}"
            "table{border-collapse:collapse}th,td{border-bottom:1px solid #ddd;padding:.25em .6em;"
            "text-align:left}th{background:#f4f4f4}td.num{text-align:right}.failed{color:#c62828}</style>",
            "</head><body>",
            f"<h1>formcheck reports ({len(reports)})</h1>",
            "<table><tr><th>report</th><th>exercise</th><th>complete reps</th><th>per side</th>"
            "<th>partial reps</th><th>mean score</th><th>faults</th></tr>",
            *rows,
            "</table>",
            (
                f'<h2 class="failed">Could not be analysed ({len(failures)})</h2>'
                f'<ul id="failures">{failed_list}</ul>'
                if failures
                else ""
            ),
            f"<p><strong>Safety.</strong> {escape(SAFETY_NOTE)}</p>",
            "</body></html>",
        ]
    )
    target = out_dir / "index.html"
    _write(target, text + "\n")
    return target
