"""`split_squat.knee_over_toes` on the labelled lunge table: default vs tuned, blocked cross-validation.

The table (`../shared/datasets/lunge_knee_over_toe_train.csv`, see its README) holds consecutive
frames of five recordings, label `L` (knee over the toes: the rule's fault) or `C` (correct). Rows
are split into recordings at the jumps in the landmarks; each recording is cut into contiguous
blocks; fold j judges block j of every recording with the threshold tuned on the other blocks, less
a gap of frames either side of the test block (neighbouring frames are near copies). Printed per
fold and pooled, for the metric as shipped (foot lengths) and as it was (shin lengths).

    .venv/bin/python benchmarks/bench_lunge_table.py [--blocks 5] [--gap 30] [--objective balanced_accuracy]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from formcheck.analysis import signals as sig
from formcheck.analysis.body import Body
from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.vocabulary import Status
from formcheck.exercises import configured
from formcheck.exercises.common import front_leg_is_left
from formcheck.io.track_files import load_csv
from formcheck.tune.crossval import blocked_folds, cross_validate, leave_one_group_out, recordings_by_jumps
from formcheck.tune.metrics import Confusion
from formcheck.tune.search import OBJECTIVES, best_threshold, flags

TABLE = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "lunge_knee_over_toe_train.csv"
RULE = "knee_over_toes"


def shipped_values(track) -> np.ndarray:
    """(n,) the rule's measured value per row as the engine judges it; NaN where it is not judged."""
    exercise, thresholds = configured("split_squat")
    _, frames = analyze_track(track, exercise, thresholds)
    values = frames.signals[:, frames.names.index(exercise.rule(RULE).frame_signal)]
    return np.where(frames.verdicts[RULE] != Status.NOT_JUDGED, values, np.nan)


def shin_values(track) -> np.ndarray:
    """(n,) the metric before it moved to foot lengths: the front knee past its toes in shin lengths."""
    body = Body.from_arrays(track.image_xy, track.z, track.world, track.visibility, track.image_size)
    left, _ = front_leg_is_left(body, None, body.sideness())
    return sig.pick_side(sig.knee_past_toes(body, "left"), sig.knee_past_toes(body, "right"), left)


def figures(counts: Confusion) -> str:
    return f"acc {float(counts.accuracy):6.2%}  bal {float(counts.balanced_accuracy):6.2%}"


def report(name: str, values, faulty, default: float, folds, objective: str) -> None:
    result = cross_validate(values, faulty, "max", default, folds, objective)
    print(f"\n{name}")
    print(f"  {'fold':>4} {'test':>5} {'C':>4} {'tuned':>7}   {'tuned on test':<24} {'default on test':<24}")
    for j, (fold, fold_result) in enumerate(zip(folds, result.folds, strict=True), 1):
        search = fold_result.search
        threshold = f"{search.threshold:+.3f}" if search.too_few is None else "default"
        print(
            f"  {j:>4} {fold.test.size:>5} {np.sum(~faulty[fold.test]):>4} {threshold:>7}   "
            f"{figures(fold_result.tuned):<24} {figures(fold_result.default):<24}"
        )
    print(f"  pooled                    {figures(result.tuned):<24} {figures(result.default):<24}")
    whole = best_threshold(values, faulty, "max", default, objective)
    print(
        f"  tuned on the whole table: {whole.threshold:+.3f} (in-sample {objective} {whole.score:.2%}; "
        f"default {whole.default_score:.2%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=5, help="contiguous blocks per recording (folds)")
    parser.add_argument("--gap", type=int, default=30, help="frames dropped either side of a test block")
    parser.add_argument("--objective", choices=OBJECTIVES, default="balanced_accuracy")
    args = parser.parse_args()
    if not TABLE.exists():
        raise SystemExit(f"formcheck: error: {TABLE} is absent; the benchmark needs ../shared/datasets")
    track = load_csv(TABLE)
    faulty = track.labels == "L"
    recordings = recordings_by_jumps(track.image_xy)
    starts = np.flatnonzero(np.diff(recordings)) + 1
    default = configured("split_squat")[1].threshold(RULE)
    print(
        f"{TABLE.name}: {len(track)} rows, {np.sum(~faulty)} C; recordings start at rows 0, "
        f"{', '.join(map(str, starts))}; {args.blocks} blocks per recording, gap {args.gap} frames, "
        f"tuned for {args.objective}; default threshold {default:+.2f}"
    )
    folds = blocked_folds(recordings, args.blocks, args.gap)
    shipped = shipped_values(track)
    print(f"default verdicts agree with {np.mean(flags(shipped, default, 'max') == faulty):.1%} of rows")
    report("knee past toes, foot lengths (shipped)", shipped, faulty, default, folds, args.objective)
    report(
        "knee past toes, shin lengths (before)", shin_values(track), faulty, default, folds, args.objective
    )
    report(
        "foot lengths, leave one recording out (the C rows are all in one: it keeps the default there)",
        shipped,
        faulty,
        default,
        leave_one_group_out(recordings),
        args.objective,
    )


if __name__ == "__main__":
    main()
