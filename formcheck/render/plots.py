"""The HTML report's plots, as SVG text to inline in the page (no files, no network).

matplotlib's object API is used without pyplot: no global figure state, so batch workers and
tests can draw at once, and no display is needed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

SIDE_STYLE = {"left": ("#1f77b4", "o"), "right": ("#e8710a", "s"), "both": ("#555555", "D")}
"""Colour and marker per working side, the same in every plot and in the page's table."""
FAILED_COLOUR = "#c62828"


@dataclass(frozen=True)
class RepSpan:
    """One rep on the time axis: its number, side, start and end (s), and whether it is complete."""

    index: int
    side: str
    start_s: float
    end_s: float
    complete: bool


@dataclass(frozen=True)
class RulePoint:
    """One rep's value of one rule: rep number, side, value, and whether the rule failed."""

    index: int
    side: str
    value: float
    failed: bool


def _svg(figure: Figure) -> str:
    """The figure as an ``<svg>`` element (text kept as text, so the page stays small and searchable;
    no date and fixed ids, so the same report always gives the same page)."""
    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "formcheck"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def signal_plot(
    t: np.ndarray,
    values: np.ndarray,
    reps: Sequence[RepSpan],
    *,
    name: str,
    unit: str,
    start: float | None,
    end: float | None,
) -> str:
    """The primary signal over time, each rep shaded and numbered, and the counting thresholds
    (``start`` / ``end``; None where they are measured from a rest level rather than levels)."""
    figure = Figure(figsize=(9, 3.2))
    axes = figure.subplots()
    axes.plot(t, values, color="#222222", linewidth=1.2, label=name)
    for rep in reps:
        colour = SIDE_STYLE.get(rep.side, SIDE_STYLE["both"])[0]
        axes.axvspan(
            rep.start_s,
            rep.end_s,
            color=colour,
            alpha=0.18 if rep.complete else 0.07,
            hatch=None if rep.complete else "//",
            linewidth=0,
        )
        axes.annotate(
            f"{rep.index}",
            xy=((rep.start_s + rep.end_s) / 2, 1.0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=8,
            color=colour,
        )
    axes.add_patch(Rectangle((0, 0), 0, 0, color="#999999", alpha=0.18, label="rep (number above)"))
    axes.add_patch(Rectangle((0, 0), 0, 0, color="#999999", alpha=0.07, hatch="//", label="partial rep"))
    for level, label, style in ((start, "rep starts", ":"), (end, "rep complete", "--")):
        if level is not None:
            axes.axhline(level, color="#666666", linestyle=style, linewidth=1, label=f"{label} ({level:g})")
    axes.set_xlabel("time (s)")
    axes.set_ylabel(f"{name} ({unit})")
    axes.margins(x=0.01)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return _svg(figure)


def rule_plot(points: Sequence[RulePoint], *, rule_id: str, unit: str, threshold: float, limit: str) -> str:
    """One rule's value per rep, left and right as separate series, failed reps ringed in red,
    against the threshold (``limit`` ``max``: at most; ``min``: at least)."""
    figure = Figure(figsize=(4.0, 2.6))
    axes = figure.subplots()
    for side, (colour, marker) in SIDE_STYLE.items():
        mine = [p for p in points if p.side == side]
        if mine:
            axes.scatter(
                [p.index for p in mine],
                [p.value for p in mine],
                color=colour,
                marker=marker,
                label=side,
                zorder=3,
            )
    failed = [p for p in points if p.failed]
    if failed:
        axes.scatter(
            [p.index for p in failed],
            [p.value for p in failed],
            s=160,
            facecolors="none",
            edgecolors=FAILED_COLOUR,
            linewidths=1.5,
            label="failed",
            zorder=4,
        )
    words = "at most" if limit == "max" else "at least"
    axes.axhline(threshold, color=FAILED_COLOUR, linestyle="--", linewidth=1, label=f"{words} {threshold:g}")
    axes.set_title(rule_id, fontsize=10)
    axes.set_xlabel("rep")
    axes.set_ylabel(unit)
    reps = sorted({p.index for p in points})
    axes.set_xticks(reps if len(reps) <= 12 else reps[:: -(-len(reps) // 12)])
    axes.set_xlim(reps[0] - 0.5, reps[-1] + 0.5)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    return _svg(figure)
