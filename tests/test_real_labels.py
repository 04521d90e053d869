"""The labelled real-clip set in samples/real/ (design §8): every file valid, and today's counts pinned."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.exercises import EXERCISES, configured
from formcheck.io.labels import load_labels, track_path
from formcheck.io.track_files import load_npz

REAL = Path(__file__).resolve().parents[1] / "samples" / "real"
LABEL_FILES = sorted(REAL.glob("*.labels.json"))


def test_the_set_is_there():
    assert len(LABEL_FILES) >= 39


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda path: path.name)
def test_every_label_file_loads_and_names_a_known_exercise_and_rules(path):
    exercise = load_labels(path).exercise
    assert exercise in EXERCISES
    rule_ids = [rule.id for rule in EXERCISES[exercise].rules]
    labels = load_labels(path, exercise=exercise, rule_ids=rule_ids)
    assert labels.reps and labels.how
    # Either the pose is committed, or the label names the shared clip it was counted on.
    assert labels.clip is not None
    assert labels.track is None or track_path(path, labels) is not None


# Complete reps that formcheck counts today on the committed tracks, beside the count by eye.
# (benchmarks/bench_real_counts.py, 2026-12-01; the real-footage counting issue may change
# formcheck's column: a row whose two counts differ is EXPECTED TO CHANGE and is marked so.)
TODAY = [
    # (label file stem, counted by eye, formcheck today)
    ("ambaks_goblet_squat_front", 5, 5),
    ("ambaks_lunge_alternating", 10, 10),
]


@pytest.mark.slow
@pytest.mark.parametrize(("stem", "by_eye", "today"), TODAY)
def test_committed_tracks_count_what_the_benchmark_measured(stem, by_eye, today):
    path = REAL / f"{stem}.labels.json"
    labels = load_labels(path)
    assert labels.complete_reps == by_eye
    report, _ = analyze_track(load_npz(track_path(path, labels)), *configured(labels.exercise))
    assert sum(rep.complete for rep in report.reps) == today


def test_every_committed_track_has_its_row_in_the_pinned_table():
    with_tracks = {p.name.removesuffix(".labels.json") for p in LABEL_FILES if load_labels(p).track}
    assert with_tracks == {stem for stem, _, _ in TODAY}
