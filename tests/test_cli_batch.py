"""`formcheck analyze` over many inputs: folders, an exercise mapping, parallel workers, an index
page and one CSV of all reps, failures reported at the end without stopping the others, --resume."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path, PurePosixPath

import pytest

from formcheck.cli import main
from formcheck.cli.batch import run_all
from formcheck.cli.inputs import Input
from formcheck.cli.local_pool import LocalProcesses
from formcheck.io.track_files import save_npz
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track
from tests.conftest import REPO, read_report


def _save(path, exercise, side, faults=None, seed=0):
    pose, _ = motion(exercise, reps=2, side=side, faults=faults or {}, seed=seed)
    track = pose_track(pose, camera_for("side", looking_from="left"), noise_px=1.0, source=path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_npz(track, path)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """A folder like ../shared/clips: exercises in subfolders, one corrupt file, one unmapped clip."""
    root = tmp_path_factory.mktemp("clips")
    _save(root / "squat" / "goblet.npz", "squat", "both")
    _save(root / "split_squat" / "left_lunge.npz", "split_squat", "left", {"knee_over_toes": 0.15}, seed=1)
    _save(root / "split_squat" / "clean_lunge.npz", "split_squat", "left", seed=2)
    (root / "split_squat" / "broken.npz").write_bytes(b"not a track")
    _save(root / "other" / "mystery.npz", "squat", "both", seed=3)
    (root / "MANIFEST.md").write_text("not an input")
    return root


MAPPING_CSV = "pattern,exercise\n# folders by exercise\nsquat/,squat\nsplit_squat/*.npz,split_squat\n"


def _batch(clips, tmp_path, *extra):
    tmp_path.mkdir(parents=True, exist_ok=True)
    mapping = tmp_path / "map.csv"
    mapping.write_text(MAPPING_CSV)
    out = tmp_path / "out"
    code = main(["analyze", str(clips), "--exercises", str(mapping), "--out", str(out), *extra])
    return code, out


def test_a_folder_batch_reports_every_input_and_the_failures_at_the_end(clips, tmp_path, capsys):
    code, out = _batch(clips, tmp_path, "--workers", "1", "--html")
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"formcheck: 2 of 5 input(s) failed; the others are in {out}"
    failed = {line.split(": ")[2] for line in err[:-1]}
    assert failed == {str(clips / "other" / "mystery.npz"), str(clips / "split_squat" / "broken.npz")}
    assert any("no exercise for this input" in line for line in err)
    assert any("not a formcheck pose track" in line for line in err)
    names = ("squat/goblet", "split_squat/left_lunge", "split_squat/clean_lunge")
    reports = {name: read_report(out / f"{name}.json") for name in names}
    assert reports["squat/goblet"]["exercise"] == "squat"
    assert reports["split_squat/left_lunge"]["summary"]["faults"]["knee_over_toes"] == 2
    index = (out / "index.html").read_text()
    assert sorted(re.findall(r"href='([^']+)'", index)) == sorted(f"{name}.html" for name in names)
    assert (
        index.count("<li>") == 2 and f"<li>{clips / 'split_squat' / 'broken.npz'}: not a formcheck" in index
    )
    with open(out / "reps.csv") as handle:
        rows = list(csv.DictReader(handle))
    expected = sum(len(rep["rules"]) for report in reports.values() for rep in report["reps"])
    assert len(rows) == expected
    assert {row["input"] for row in rows} == set(names)
    lunge = [r for r in rows if r["input"] == "split_squat/left_lunge" and r["rule"] == "knee_over_toes"]
    assert [r["status"] for r in lunge] == ["failed", "failed"]


def test_parallel_workers_give_the_same_reports_as_one(clips, tmp_path):
    _, serial = _batch(clips, tmp_path / "one", "--workers", "1")
    _, parallel = _batch(clips, tmp_path / "two", "--workers", "2")
    for path in sorted(serial.rglob("*.json")):
        assert json.loads(path.read_text()) == json.loads((parallel / path.relative_to(serial)).read_text())
    assert (serial / "reps.csv").read_text() == (parallel / "reps.csv").read_text()


def test_resume_skips_inputs_already_analysed(clips, tmp_path, capsys):
    _, out = _batch(clips, tmp_path, "--workers", "1")
    done = out / "squat" / "goblet.json"
    stamp = done.stat().st_mtime_ns
    (out / "split_squat" / "clean_lunge.json").unlink()
    capsys.readouterr()
    _batch(clips, tmp_path, "--workers", "1", "--resume")
    captured = capsys.readouterr()
    assert "--resume: 2 input(s) already analysed" in captured.err
    assert done.stat().st_mtime_ns == stamp
    assert (out / "split_squat" / "clean_lunge.json").exists()
    assert captured.out.count("frames") == 1  # Only the one missing input was analysed again.
    assert "split_squat/clean_lunge.json" in (out / "index.html").read_text()


def test_a_toml_mapping_and_the_exercise_fallback(clips, tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text('"split_squat" = "split_squat"\n')
    out = tmp_path / "out"
    args = ["analyze", str(clips / "split_squat"), str(clips / "other"), "--exercises", str(mapping)]
    assert main([*args, "-e", "squat", "--out", str(out), "--workers", "1"]) == 1  # broken.npz
    assert read_report(out / "mystery.json")["exercise"] == "squat"
    assert read_report(out / "left_lunge.json")["exercise"] == "split_squat"


@pytest.mark.parametrize(
    ("mapping", "args", "message"),
    [
        (None, [], "give --exercise NAME for every input, or --exercises FILE"),
        ("map.csv:squat/,plank\n", [], "'squat/' maps to unknown exercise 'plank'; valid exercises"),
        ("map.csv:squat/\n", [], "map.csv, line 1: give two columns, pattern,exercise"),
        ("map.toml:squat = [\n", [], "not valid TOML"),
        ("map.txt:squat,squat\n", [], "an exercise mapping is a .csv or .toml file"),
        (None, ["-e", "squat", "--workers", "0"], "0 is not in the range x>=1"),
    ],
)
def test_bad_batch_arguments_are_one_line(clips, tmp_path, capsys, mapping, args, message):
    if mapping is not None:
        name, text = mapping.split(":", 1)
        (tmp_path / name).write_text(text)
        args = [*args, "--exercises", str(tmp_path / name)]
    assert main(["analyze", str(clips), *args, "--out", str(tmp_path / "out")]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


def test_two_inputs_for_one_output_name_fail_the_second(tmp_path, capsys):
    _save(tmp_path / "a" / "clip.npz", "squat", "both")
    _save(tmp_path / "b" / "clip.npz", "squat", "both")
    args = ["analyze", str(tmp_path / "a" / "clip.npz"), str(tmp_path / "b" / "clip.npz"), "-e", "squat"]
    assert main([*args, "--out", str(tmp_path / "out"), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'b' / 'clip.npz'}: goes to {tmp_path / 'out' / 'clip.json'} like" in err
    assert read_report(tmp_path / "out" / "clip.json")["source"] == "clip.npz"


def test_ctrl_c_keeps_the_finished_inputs_without_a_traceback_and_resume_does_the_rest(tmp_path):
    folder = tmp_path / "clips"
    for k in range(12):
        _save(folder / f"squat{k:02d}.npz", "squat", "both", seed=k)
    out = tmp_path / "out"
    args = [
        str(REPO / ".venv" / "bin" / "formcheck"),
        "analyze",
        str(folder),
        "-e",
        "squat",
        "--out",
        str(out),
    ]
    # Ctrl-C in a terminal interrupts the whole foreground process group: the workers too.
    process = subprocess.Popen(
        [*args, "--html", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "Traceback" not in err.decode()
    kept = sorted(out.glob("*.json"))
    assert 0 < len(kept) < 12
    for path in kept:
        read_report(path)  # Whole reports only: each is written by a rename.
    resumed = subprocess.run(
        [*args, "--resume", "--workers", "1"], capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0 and f"--resume: {len(kept)} input(s) already analysed" in resumed.stderr
    assert len(list(out.glob("*.json"))) == 12


def _dies_on_crash(item: Input) -> str:
    """A batch worker's job that kills its process on the input named ``crash`` (as a decoder crash would)."""
    if item.name.name == "crash":
        os._exit(3)
    return str(item.name)


def test_a_worker_that_dies_fails_only_its_own_input():
    items = [
        Input(Path(f"{name}.mp4"), PurePosixPath(name), "squat") for name in ("a", "b", "crash", "c", "d")
    ]
    done = []
    failures = run_all(
        items, _dies_on_crash, LocalProcesses(2), finished=lambda item, output: done.append(output)
    )
    assert sorted(done) == ["a", "b", "c", "d"]
    assert [(item.name.name, why) for item, why in failures] == [
        (
            "crash",
            "crash.mp4: the worker process analysing it died "
            "(the file may crash the decoder or the pose model)",
        )
    ]
