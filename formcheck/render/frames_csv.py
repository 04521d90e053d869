"""The frames CSV beside a JSON report (``<name>.frames.csv``): one row per frame or table row.

Columns: ``t`` (seconds; ``row`` for independent poses), ``view`` and ``view_angle_deg`` (the
camera's signed azimuth around the body, design.md §8), every signal of the exercise, then one
column per single-frame rule holding ``passed`` / ``failed`` / ``not_judged``, and for a labelled
table its ``label``. The HTML page reads
it back to plot the primary signal over time.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.analysis.pipeline import FrameTable
from formcheck.errors import FormcheckError
from formcheck.io.atomic import atomic_output


def write_frames_csv(table: FrameTable, path: Path, labels: np.ndarray | None = None) -> None:
    """Write ``table`` to ``path`` (via a ``.partial`` file, so a reader never sees half of it);
    ``labels`` (N,), the input's own ``label`` column, goes last so verdicts and labels sit side
    by side."""
    with atomic_output(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        time_column = ["t"] if table.t is not None else ["row"]
        label_column = ["label"] if labels is not None else []
        view_columns = ["view", "view_angle_deg"]
        writer.writerow(time_column + view_columns + list(table.names) + list(table.verdicts) + label_column)
        for i in range(len(table.signals)):
            first = [f"{table.t[i]:.4f}"] if table.t is not None else [i]
            angle = table.view_angle_deg[i]
            first += [table.views[i], f"{angle:.1f}" if math.isfinite(angle) else ""]
            values = ["" if not math.isfinite(v) else f"{v:.4f}" for v in table.signals[i].tolist()]
            label = [labels[i]] if labels is not None else []
            writer.writerow(first + values + [status[i] for status in table.verdicts.values()] + label)


@dataclass(frozen=True)
class FrameColumns:
    """A frames CSV read back.

    Attributes:
        t: (N,) seconds, or None for a table of independent poses.
        signals: signal name -> (N,) float, NaN where the CSV cell is empty.
    """

    t: np.ndarray | None
    signals: dict[str, np.ndarray]


def read_frames_csv(path: Path) -> FrameColumns:
    """The time and signal columns of a frames CSV (the verdict columns are left out)."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except OSError as error:
        raise FormcheckError(f"{path}: cannot read the frames CSV ({error.strerror})") from error
    if not rows or rows[0][:1] not in (["t"], ["row"]):
        raise FormcheckError(f"{path}: not a formcheck frames CSV (its first column must be t or row)")
    header, body = rows[0], rows[1:]
    columns: dict[str, np.ndarray] = {}
    for k, name in enumerate(header):
        cells = [row[k] if k < len(row) else "" for row in body]
        try:
            columns[name] = np.array([float(c) if c else np.nan for c in cells], dtype=np.float64)
        except ValueError:
            continue  # A verdict column (passed / failed / not_judged).
    t = columns.pop("t", None)
    columns.pop("row", None)
    columns.pop("label", None)  # The input's labels, which may be numbers: not a signal.
    columns.pop("view_angle_deg", None)  # Where the camera stood, not a signal of the exercise.
    return FrameColumns(t=t, signals=columns)
