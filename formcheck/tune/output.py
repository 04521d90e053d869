"""What tuning tells the person: the table, the TOML to use with ``--config``, the plots.

The TOML keeps the ``--config`` layout (``[exercise]`` counting keys, ``[exercise.rule]``
thresholds) and says above each tuned key the samples, the cross-validated figures and the date,
so the file carries its own evidence.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import tomlkit

from formcheck.tune.metrics import Confusion
from formcheck.tune.run import RuleTuning, Tuning

ERROR_UNKNOWN = "metric error not measured yet: borderline reps cannot be counted"


def _figures(counts: Confusion) -> str:
    def f(x) -> str:
        return "  -  " if not math.isfinite(float(x)) else f"{float(x):.3f}"

    return " ".join(
        f(getattr(counts, name)) for name in ("accuracy", "balanced_accuracy", "precision", "recall", "f1")
    )


def _number(value: float) -> str:
    return f"{value:.4g}"


def rule_line(t: RuleTuning) -> str:
    _, faulty, _, _ = t.examples.arrays()
    labels = f"{int(faulty.sum())}/{int((~faulty).sum())}"
    left_out = t.examples.not_judged + t.examples.missed
    head = f"  {t.rule.id:<22} {labels:>9} {left_out:>5}  {_number(t.search.default):>8}"
    if t.search.too_few:
        return f"{head} {'kept':>8}  {t.search.too_few}: keeps its default"
    tuned = _number(t.search.threshold)
    if t.cv is None:
        return f"{head} {tuned:>8}  (one clip only: no cross-validation)"
    return f"{head} {tuned:>8}  {_figures(t.cv.tuned)}  | {_figures(t.cv.default)}"


def table(tuning: Tuning) -> list[str]:
    """The printed summary: one line per rule, then counting."""
    unit_width = "acc   bal   prec  rec   f1   "
    lines = [
        f"{tuning.exercise.name}: thresholds tuned against your labels "
        f"(objective {tuning.rules[0].search.objective if tuning.rules else '-'})",
        f"  {'rule':<22} {'fault/ok':>9} {'left':>5}  {'default':>8} {'tuned':>8}  "
        f"cross-validated, tuned: {unit_width}| default: {unit_width}",
    ]
    lines += [rule_line(t) for t in tuning.rules]
    folds = sorted({t.folds for t in tuning.rules if t.folds})
    if folds:
        lines.append("  folds: " + "; ".join(folds))
    lines.append("  'left': labelled examples left out (rule not judged in that view, or rep not found)")
    lines.append(f"  {ERROR_UNKNOWN}")
    if tuning.counting is not None:
        lines += counting_lines(tuning)
    return lines


def counting_lines(tuning: Tuning) -> list[str]:
    table_ = tuning.counting
    best = table_.chosen()
    default_exact = sum(o.exact for o in table_.outcomes[0])
    held = table_.held_out()
    chosen = table_.candidates[best]
    moves = ", ".join(f"{k} {_number(table_.candidates[0][k])} -> {_number(v)}" for k, v in chosen.items())
    return [
        f"  counting: complete-rep count exact on {default_exact}/{len(held)} clips with the defaults; "
        f"leave one clip out, tuned: {sum(o.exact for o in held)}/{len(held)}",
        f"  counting thresholds: {moves}"
        + ("" if best else " (unchanged: no start/end counts more held-out clips exactly than the defaults)"),
    ]


def tuned_toml(tuning: Tuning, samples: str, date: str) -> str:
    """The TOML of every tuned key, each with a comment giving its evidence."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"formcheck tune, {date}: {tuning.exercise.name} from {samples}"))
    doc.add(tomlkit.comment("Use it with: formcheck analyze CLIP --exercise ... --config THIS_FILE"))
    section = tomlkit.table()
    if tuning.counting is not None:
        table_ = tuning.counting
        held = table_.held_out()
        chosen = table_.candidates[table_.chosen()]
        for key, value in chosen.items() if chosen != table_.candidates[0] else ():
            section.add(
                tomlkit.comment(
                    f"{key}: default {_number(table_.candidates[0][key])}; complete-rep count exact on "
                    f"{sum(o.exact for o in held)}/{len(held)} clips left out in turn "
                    f"(defaults: {sum(o.exact for o in table_.outcomes[0])}/{len(held)})"
                )
            )
            section.add(key, float(value))
    for t in tuning.rules:
        if t.search.too_few:
            continue
        rule = tomlkit.table()
        _, faulty, groups, _ = t.examples.arrays()
        evidence = f"{int(faulty.sum())} faulty / {int((~faulty).sum())} clean from {len(np.unique(groups))} "
        evidence += "recordings" if "blocks" in t.folds else "clips"
        rule.add(tomlkit.comment(f"default {_number(t.search.default)} {t.rule.unit}; {evidence}"))
        if t.cv is not None:
            rule.add(
                tomlkit.comment(
                    f"cross-validated ({t.folds}): accuracy {float(t.cv.tuned.accuracy):.3f}, "
                    f"balanced {float(t.cv.tuned.balanced_accuracy):.3f} (default: "
                    f"{float(t.cv.default.accuracy):.3f}, {float(t.cv.default.balanced_accuracy):.3f})"
                )
            )
        rule.add("threshold", round(float(t.search.threshold), 4))
        section.add(t.rule.id, rule)
    doc.add(tuning.exercise.name, section)
    return tomlkit.dumps(doc).rstrip("\n") + "\n"


def write_plots(tuning: Tuning, folder: Path) -> list[Path]:
    """One PNG per rule: the metric of clean and faulty examples, left and right apart, with the
    default and the tuned threshold; and ``index.html`` showing them with the table."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for t in tuning.rules:
        values, faulty, _, sides = t.examples.arrays()
        figure, axes = plt.subplots(figsize=(7, 2.8))
        rows = {"clean": ~faulty, "faulty": faulty}
        for y, (label, mask) in enumerate(rows.items()):
            for side, marker in (("left", "<"), ("right", ">"), ("both", "o"), ("", "o")):
                chosen = mask & (sides == side)
                if chosen.any():
                    jitter = np.random.default_rng(y).uniform(-0.12, 0.12, chosen.sum())
                    axes.scatter(
                        values[chosen],
                        y + jitter,
                        marker=marker,
                        s=22,
                        alpha=0.7,
                        color="tab:green" if label == "clean" else "tab:red",
                        label=f"{label}, {side}" if side else label,
                    )
        axes.axvline(
            t.search.default, color="grey", linestyle="--", label=f"default {_number(t.search.default)}"
        )
        if not t.search.too_few:
            axes.axvline(t.search.threshold, color="black", label=f"tuned {_number(t.search.threshold)}")
        axes.set_yticks([0, 1], ["clean", "faulty"])
        axes.set_xlabel(
            f"{t.rule.id} ({t.rule.unit}; fault when {'above' if t.rule.limit == 'max' else 'below'})"
        )
        axes.legend(fontsize=7, loc="best")
        figure.tight_layout()
        path = folder / f"{tuning.exercise.name}.{t.rule.id}.png"
        figure.savefig(path, dpi=100)
        plt.close(figure)
        written.append(path)
    page = ["<!doctype html><meta charset='utf-8'><title>formcheck tune</title>", "<pre>"]
    page += [line.replace("&", "&amp;").replace("<", "&lt;") for line in table(tuning)]
    page.append("</pre>")
    page += [f"<p><img src='{p.name}' alt='{p.stem}'></p>" for p in written]
    index = folder / "index.html"
    index.write_text("\n".join(page) + "\n", encoding="utf-8")
    return [*written, index]
