"""`formcheck analyze` and `formcheck exercises` end to end, through the real console entry point."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from formcheck.cli import main
from formcheck.io.track_files import save_csv, save_npz
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track
from tests.conftest import shared_file


@pytest.fixture
def split_squat_track(tmp_path):
    pose, _ = motion("split_squat", reps=3, side="right", faults={"knee_over_toes": 0.15}, seed=3)
    track = pose_track(pose, camera_for("side", looking_from="right"), noise_px=1.0, source="clip.mp4")
    path = tmp_path / "clip.npz"
    save_npz(track, path)
    return path, track


def test_analyze_writes_the_json_report_and_prints_a_rep_table(split_squat_track, tmp_path, capsys):
    path, track = split_squat_track
    assert main(["analyze", str(path), "--exercise", "split_squat", "--out", str(tmp_path / "out")]) == 0
    report = json.loads((tmp_path / "out" / "clip.json").read_text())
    assert report["exercise"] == "split_squat" and report["frames"] == len(track)
    assert report["summary"]["reps_total"] == 3 and report["summary"]["reps_per_side"] == {"right": 3}
    assert report["summary"]["faults"]["knee_over_toes"] == 3
    printed = capsys.readouterr().out
    assert printed.count("faults: knee_over_toes") == 3


def test_frames_csv_has_time_signals_and_per_frame_verdicts(split_squat_track, tmp_path):
    path, track = split_squat_track
    main(["analyze", str(path), "-e", "split_squat", "--out", str(tmp_path), "--frames-csv"])
    with open(tmp_path / "clip.frames.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(track)
    assert {"t", "front_knee_flexion", "knee_past_toes", "knee_over_toes", "trunk_upright"} <= set(rows[0])
    # knee_tracking needs a front view: never judged side-on.
    assert {row["knee_tracking"] for row in rows} == {"not_judged"}
    statuses = [row["knee_over_toes"] for row in rows]
    assert "failed" in statuses and "passed" in statuses
    for row in rows:
        if row["knee_over_toes"] != "not_judged":
            assert (row["knee_over_toes"] == "failed") == (float(row["knee_past_toes"]) > 0.0)


def test_a_table_without_times_is_judged_row_by_row(tmp_path, split_squat_track):
    _, track = split_squat_track
    poses = type(track)(**{**track.__dict__, "t": None, "world": np.full_like(track.world, np.nan)})
    save_csv(poses, tmp_path / "poses.csv")
    main(
        ["analyze", str(tmp_path / "poses.csv"), "-e", "split_squat", "--out", str(tmp_path), "--frames-csv"]
    )
    report = json.loads((tmp_path / "poses.json").read_text())
    assert report["reps"] == [] and report["frames"] == len(track)
    counts = report["frame_verdicts"]["knee_over_toes"]
    assert counts["failed"] > 0 and sum(counts.values()) == len(track)
    with open(tmp_path / "poses.frames.csv") as handle:
        assert sum(1 for _ in handle) == len(track) + 1


def test_a_labelled_table_keeps_its_labels_in_the_frames_csv(tmp_path, split_squat_track):
    # As the shared lunge table: a `label` column, no `t`; the user compares verdicts with labels.
    _, track = split_squat_track
    labels = np.array([f"L{i % 3}" for i in range(len(track))])
    poses = type(track)(**{**track.__dict__, "t": None, "labels": labels})
    save_csv(poses, tmp_path / "labelled.csv")
    main(
        [
            "analyze",
            str(tmp_path / "labelled.csv"),
            "-e",
            "split_squat",
            "--out",
            str(tmp_path),
            "--frames-csv",
        ]
    )
    with open(tmp_path / "labelled.frames.csv") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    assert header[0] == "row" and header[-1] == "label"
    assert [row["label"] for row in rows] == labels.tolist()
    assert {row["knee_over_toes"] for row in rows} >= {"passed", "failed"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "missing.npz", "-e", "squat"], "missing.npz: no such file"),
        (["analyze", "{track}", "-e", "plank"], "unknown exercise 'plank'; valid exercises"),
        (["analyze", "{track}", "-e", "squat", "--config", "{bad}"], "not valid TOML"),
        (["analyze", "{video}", "-e", "squat"], "cannot be read as a video"),
        (["analyze", "{junk}", "-e", "squat"], "not a formcheck pose track"),
    ],
)
def test_bad_input_is_a_one_line_error(tmp_path, split_squat_track, capsys, args, message):
    path, _ = split_squat_track
    (tmp_path / "bad.toml").write_text("[squat\n")
    (tmp_path / "clip.mp4").write_bytes(b"\0" * 16)
    (tmp_path / "junk.npz").write_bytes(b"junk")
    names = {
        "track": path,
        "bad": tmp_path / "bad.toml",
        "video": tmp_path / "clip.mp4",
        "junk": tmp_path / "junk.npz",
    }
    args = [a.format(**names) for a in args]
    assert main([*args, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


def test_exercises_lists_the_catalogue(capsys):
    assert main(["exercises"]) == 0
    out = capsys.readouterr().out
    for text in (
        "hip_hinge",
        "clamshell",
        "split_squat",
        "squat",
        "hinge_depth",
        "knee_over_toes",
        "pelvis_still",
    ):
        assert text in out


def test_lunge_table_knee_over_toes_accuracy_with_default_threshold(tmp_path):
    """Default knee_over_toes verdicts against the table's labels (C = correct, L = knee over toes).

    The threshold is the physio default (0: the toes), not fitted to this table; the
    figure is a regression guard: 86.3% when written (in foot lengths the C rows' median -0.60, the L
    rows' 0.15: the table's labeller calls a knee 'over the toes' well before it reaches them).
    """
    path = shared_file("datasets/lunge_knee_over_toe_train.csv")
    main(["analyze", str(path), "-e", "split_squat", "--out", str(tmp_path), "--frames-csv"])
    with open(tmp_path / f"{path.stem}.frames.csv") as handle:
        verdicts = [row["knee_over_toes"] for row in csv.DictReader(handle)]
    with open(path) as handle:
        labels = [row["label"] for row in csv.DictReader(handle)]
    predicted = ["L" if v == "failed" else "C" for v in verdicts]
    accuracy = np.mean([p == label for p, label in zip(predicted, labels, strict=True)])
    correct_kept = np.mean([p == "C" for p, label in zip(predicted, labels, strict=True) if label == "C"])
    assert accuracy == pytest.approx(0.863, abs=0.02)
    assert correct_kept > 0.95


def test_a_clip_with_no_rep_prints_why_and_a_deadlift_from_the_floor_says_how_it_was_counted(
    tmp_path, capsys
):
    pose, truth = motion("hip_hinge", reps=2, side="left", seed=4)
    track = pose_track(pose, camera_for("side"), noise_px=1.0, source="clip.mp4")
    standing = tmp_path / "standing.npz"
    save_npz(track[:20], standing)
    # Cut at the first rep's deepest point: the clip opens bent over, as over a bar on the floor.
    from_the_floor = tmp_path / "floor.npz"
    save_npz(track[round(truth[0].peak_s * track.fps) :], from_the_floor)
    args = [
        "analyze",
        str(standing),
        str(from_the_floor),
        "--exercise",
        "hip_hinge",
        "--out",
        str(tmp_path / "out"),
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "  no rep: trunk lean never rose past 20° (reached" in printed
    assert "(began at the bottom)" in printed and "counted from the bottom" in printed
    report = json.loads((tmp_path / "out" / "floor.json").read_text())
    assert report["summary"]["counted_from"] == "bottom" and report["setup"] == []
    assert {rep["counted_from"] for rep in report["reps"]} == {"bottom"}
