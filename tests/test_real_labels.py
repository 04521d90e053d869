"""The labelled real-clip set in samples/real/ (design §8): every file valid, and today's counts pinned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.exercises import EXERCISES, configured
from formcheck.io.labels import check_labels, load_labels
from formcheck.io.track_files import load_track
from formcheck.pose.tracking import track_from_video
from formcheck.tune.samples import TRACK_SUFFIXES, media_of
from tests.conftest import CLIPS

REAL = Path(__file__).resolve().parents[1] / "samples" / "real"
LABEL_FILES = sorted(REAL.glob("*.labels.json"))


def test_the_set_is_there():
    assert len(LABEL_FILES) >= 39


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda path: path.name)
def test_every_label_file_loads_and_names_a_known_exercise_and_rules(path):
    labels = load_labels(path)
    assert labels.exercise in EXERCISES
    rule_ids = tuple(rule.id for rule in EXERCISES[labels.exercise].rules)
    duration_s = json.loads(path.read_text())["duration_s"]
    check_labels(labels, exercise=labels.exercise, rule_ids=rule_ids, duration_s=duration_s)
    assert labels.reps and labels.how and labels.clip
    # A committed track is found on any clone; everything else names a clip under ../shared/clips.
    if labels.clip.endswith(TRACK_SUFFIXES):
        assert (REAL / labels.clip).exists()
    else:
        assert not (REAL / labels.clip).exists() and "/" in labels.clip


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
    labels = load_labels(REAL / f"{stem}.labels.json")
    assert sum(rep.complete for rep in labels.reps) == by_eye
    report, _ = analyze_track(load_track(media_of(labels)), *configured(labels.exercise))
    assert sum(rep.complete for rep in report.reps) == today


def test_every_committed_track_has_its_row_in_the_pinned_table():
    with_tracks = {
        path.name.removesuffix(".labels.json")
        for path in LABEL_FILES
        if load_labels(path).clip.endswith(TRACK_SUFFIXES)
    }
    assert with_tracks == {stem for stem, _, _ in TODAY}


@pytest.mark.slow
def test_the_real_clips_count_what_a_person_counts():
    # The real-footage counting issue's figure: complete reps exact on at least 95 % of the set and
    # within one on every clip (benchmarks/README.md, "Labelled real clips"). Each video is
    # extracted as `formcheck analyze` extracts it; a clip whose video is absent is left out, and
    # the 95 % is asked of the whole set only.
    counts = {}
    for path in LABEL_FILES:
        labels = load_labels(path)
        if labels.clip.endswith(TRACK_SUFFIXES):
            track = load_track(media_of(labels))
        elif (CLIPS / labels.clip).exists():
            track, _ = track_from_video(CLIPS / labels.clip)
        else:
            continue
        report, _ = analyze_track(track, *configured(labels.exercise))
        by_eye = sum(rep.complete for rep in labels.reps)
        counts[path.name] = (sum(rep.complete for rep in report.reps), by_eye)
    if len(counts) == len(TODAY):
        pytest.skip(f"only the committed tracks are here: the videos under {CLIPS} are absent")
    assert {name: c for name, c in counts.items() if abs(c[0] - c[1]) > 1} == {}
    if len(counts) == len(LABEL_FILES):
        exact = sum(found == by_eye for found, by_eye in counts.values())
        assert exact >= 0.95 * len(counts), {name: c for name, c in counts.items() if c[0] != c[1]}
