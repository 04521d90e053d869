"""Timed sets of band walks: steps and time under work per set, a long rest opens the next set.

Synthetic band walks (kinematic generator -> stick skeleton -> pinhole camera, front view) are
strung together with still frames between them, as a video of two sets would show them.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.session import ExerciseSession
from formcheck.core.track import PoseTrack
from formcheck.exercises import configured
from formcheck.exercises.thresholds import Thresholds
from formcheck.render.live_state import live_state
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track


def _walk(steps: int, side: str, seed: int) -> tuple[PoseTrack, list]:
    pose, truth = motion("band_walk", reps=steps, side=side, seed=seed)
    return pose_track(pose, camera_for("front"), noise_px=1.0, seed=seed), truth


def _then(first: PoseTrack, second: PoseTrack, still_s: float) -> PoseTrack:
    """``first``, its last pose held for ``still_s`` seconds, then ``second``."""
    dt = 1.0 / 30
    held = round(still_s / dt)
    t = np.concatenate(
        [first.t, first.t[-1] + dt * np.arange(1, held + 1), first.t[-1] + dt * (held + 1) + second.t]
    )
    arrays = {}
    for name in ("image_xy", "z", "visibility", "presence", "world"):
        a, b = getattr(first, name), getattr(second, name)
        arrays[name] = np.concatenate([a, np.repeat(a[-1:], held, axis=0), b])
    return PoseTrack(t=t, index=np.arange(len(t)), **arrays, image_size=first.image_size, fps=30.0)


def test_two_timed_sets_report_their_steps_and_time_under_work():
    first, first_truth = _walk(5, "left", seed=1)
    second, second_truth = _walk(4, "right", seed=2)
    track = _then(first, second, still_s=20.0)
    report, _ = analyze_track(track, *configured("band_walk"))
    summary = report.to_dict()["summary"]
    assert summary["sets"] == 2
    sets = summary["per_set"]
    assert [(s["set"], s["reps"], s["reps_per_side"]) for s in sets] == [
        (1, 5, {"left": 5}),
        (2, 4, {"right": 4}),
    ]
    # Time under work: first step's start to last step's end, as the generator timed them.
    for entry, truth in zip(sets, (first_truth, second_truth), strict=True):
        true_work = truth[-1].end_s - truth[0].start_s
        assert abs(entry["work_s"] - true_work) < 0.6, (entry, true_work)
        assert entry["target_s"] == 30.0 and entry["target_met"] is False


def test_a_set_that_lasts_its_target_meets_it_and_short_pauses_stay_in_the_set():
    track, truth = _walk(12, "both", seed=3)
    config = Thresholds.from_mapping({"band_walk": {"set_duration_s": 20.0}})
    report, _ = analyze_track(track, *configured("band_walk", config))
    (entry,) = report.summary()["per_set"]
    assert entry["reps"] == 12 and entry["reps_per_side"] == {"left": 6, "right": 6}
    assert truth[-1].end_s - truth[0].start_s > 20.0
    assert entry["target_s"] == 20.0 and entry["target_met"] is True


def test_live_state_shows_the_set_clock_against_its_target():
    track, _ = _walk(2, "left", seed=4)
    session = ExerciseSession(*configured("band_walk"))
    states = [session.update(frame) for frame in track]
    assert states[-1].set_target_s == 30.0
    assert abs(states[-1].set_elapsed_s - (track.t[-1] - track.t[0])) < 1e-9
    assert states[-1].reps_per_side == {"left": 2}
    # The gauge's step thresholds sit above the stance held between steps (~2 hip widths).
    gauge = live_state(session, states[-1]).gauge
    assert 1.8 < gauge.start_threshold - 0.5 < 2.4
    assert gauge.end_threshold - gauge.start_threshold == pytest.approx(0.2)
    # Exercises without timed sets show no set target.
    assert ExerciseSession(*configured("squat")).update(track.frame(0)).set_target_s is None
