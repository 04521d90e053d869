"""Tuning speed: `formcheck tune` on the bundled samples cold (pose extraction into an empty
cache) and warm (poses from the cache), and the re-judging throughput behind it.

    .venv/bin/python benchmarks/bench_tune.py [--exercise hip_hinge] [--samples samples/]

Cold and warm are whole `formcheck tune` processes, measured back to back in one run, so their
ratio is what the cache saves on this machine; the re-judging figures are candidate thresholds
times examples per second, for the vectorised search (`confusion_at`) and for re-judging whole
`Rep` objects (`rejudge`), which is what checking a tuned config against reps costs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.scoring import rejudge
from formcheck.exercises import configured
from formcheck.synth.motions import exercise_camera, motion, motion_module
from formcheck.synth.skeleton import pose_track
from formcheck.tune.search import candidates, confusion_at

REPO = Path(__file__).resolve().parents[1]
FORMCHECK = Path(sys.executable).with_name("formcheck")


def timed_tune(exercise: str, samples: Path, cache: Path, out: Path) -> float:
    env = {**os.environ, "FORMCHECK_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    subprocess.run(
        [str(FORMCHECK), "tune", str(samples), "-e", exercise, "--out", str(out)],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def search_throughput(n: int = 20_000, runs: int = 5) -> tuple[int, float]:
    rng = np.random.default_rng(0)
    values = rng.normal(0, 1, n)
    faulty = values + rng.normal(0, 0.5, n) > 0.8
    grid = candidates(values, 0.0)
    start = time.perf_counter()
    for _ in range(runs):
        confusion_at(values, faulty, "max", grid)
    seconds = (time.perf_counter() - start) / runs
    return len(grid) * n, seconds


def rejudge_throughput(exercise: str = "split_squat", candidates_n: int = 200) -> tuple[int, float]:
    spec, defaults = configured(exercise)
    pose, _ = motion(exercise, reps=50, side="left", seed=0)
    track = pose_track(pose, exercise_camera(exercise, motion_module(exercise).VIEW, "left"), noise_px=1.0)
    reps = analyze_track(track, spec, defaults)[0].reps
    grid = np.linspace(-0.5, 0.5, candidates_n)
    start = time.perf_counter()
    for threshold in grid:
        for rep in reps:
            rejudge(spec, rep, {"knee_over_toes": float(threshold)})
    return candidates_n * len(reps), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exercise", default="hip_hinge")
    parser.add_argument("--samples", type=Path, default=REPO / "samples")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        cache, out = Path(folder) / "cache", Path(folder) / "tuned.toml"
        cold = timed_tune(args.exercise, args.samples, cache, out)
        warm = timed_tune(args.exercise, args.samples, cache, out)
    print(
        f"formcheck tune {args.samples} -e {args.exercise}: cold {cold:.1f} s, warm {warm:.1f} s "
        f"(cache saves {cold / warm:.1f}x)"
    )
    pairs, seconds = search_throughput()
    print(f"threshold search: {pairs / seconds:,.0f} candidate x example verdicts/s")
    pairs, seconds = rejudge_throughput()
    print(f"rejudge(): {pairs / seconds:,.0f} candidate x rep re-judgements/s (whole Rep objects)")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
