"""Analyze speed: frames per second of the exercise engine on a saved track (no file I/O).

Runs `analyze_track` (signals, One Euro smoothing, rep switch, rules — the same code as live
mode) on a long synthetic track for each exercise and reports frames/s, plus the per-frame
cost of the streaming path (`ExerciseSession.update`, a batch of one) for comparison.

    .venv/bin/python benchmarks/bench_analyze.py
"""

from __future__ import annotations

import time

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.session import ExerciseSession
from formcheck.exercises import EXERCISES, configured
from formcheck.synth.motions import exercise_camera, motion, motion_module
from formcheck.synth.skeleton import pose_track

# The working side each motion takes: the single-leg ones one leg, alternating ones both.
SIDES = {"clamshell": "right", "squat": "both", "hip_internal_rotation": "both", "mountain_climber": "both"}


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print(f"{'exercise':<22} {'frames':>7} {'analyze fps':>12} {'live update fps':>16}")
    for exercise in EXERCISES:
        side = SIDES.get(exercise, "left")
        pose, _ = motion(exercise, reps=100, side=side, seed=0)
        track = pose_track(pose, exercise_camera(exercise, motion_module(exercise).VIEW, side), noise_px=1.0)
        batch_s = best_of(
            3, lambda track=track, exercise=exercise: analyze_track(track, *configured(exercise))
        )
        frames = list(track)[:2000]

        def stream(exercise=exercise, frames=frames):
            session = ExerciseSession(*configured(exercise))
            for frame in frames:
                session.update(frame)

        stream_s = best_of(1, stream)
        print(
            f"{exercise:<22} {len(track):>7} {len(track) / batch_s:>12,.0f} {len(frames) / stream_s:>16,.0f}"
        )


if __name__ == "__main__":
    main()
