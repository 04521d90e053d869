"""`formcheck tune` end to end on labelled tracks: labels that disagree with a default move it,
the TOML it writes is accepted by `analyze --config`, and the verdicts change as its table says."""

from __future__ import annotations

import json

import pytest

from formcheck.cli import main
from formcheck.io.labels import LabelledRep, Labels, save_labels
from formcheck.io.track_files import save_npz
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track

# A coach who lets the front knee travel a little past the toes: the small travels are labelled
# clean, the large ones faulty. The default (0: the knee behind the toes) flags all but the clean clips.
SET = {"clean_a": 0.0, "clean_b": 0.0, "small_a": 0.04, "small_b": 0.05, "big_a": 0.22, "big_b": 0.26}
COACH_SAYS_FAULT = {"big_a", "big_b"}


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("samples")
    for seed, (name, size) in enumerate(SET.items()):
        faults = {"knee_over_toes": size} if size else {}
        pose, truths = motion("split_squat", reps=2, side="left", faults=faults, seed=seed)
        save_npz(pose_track(pose, camera_for("side"), noise_px=0.5, seed=seed), folder / f"{name}.npz")
        rule = {"faults": frozenset({"knee_over_toes"})} if name in COACH_SAYS_FAULT else {}
        clean = {} if rule else {"clean": frozenset({"knee_over_toes"})}
        reps = tuple(LabelledRep(t.start_s, t.end_s, "left", True, **rule, **clean) for t in truths)
        save_labels(Labels(folder / f"{name}.labels.json", "split_squat", 30.0, None, reps))
    return folder


def test_labels_that_disagree_with_the_default_move_it_and_the_verdicts_follow(labelled, tmp_path, capsys):
    toml = tmp_path / "tuned.toml"
    assert (
        main(["tune", str(labelled), "-e", "split_squat", "--out", str(toml), "--report", str(tmp_path)]) == 0
    )
    printed = capsys.readouterr().out
    row = next(line for line in printed.splitlines() if line.strip().startswith("knee_over_toes"))
    default, tuned = (float(x) for x in row.split()[3:5])
    assert default == 0.0 and tuned > 0.0
    assert "leave one clip out (6 clips)" in printed
    assert (tmp_path / "split_squat.knee_over_toes.png").stat().st_size > 1000
    assert "knee_over_toes" in (tmp_path / "index.html").read_text()
    written = toml.read_text()
    assert "[split_squat.knee_over_toes]" in written and "cross-validated" in written

    before, after = tmp_path / "before", tmp_path / "after"
    small = str(labelled / "small_a.npz")
    big = str(labelled / "big_a.npz")
    assert main(["analyze", small, big, "-e", "split_squat", "--out", str(before)]) == 0
    assert main(["analyze", small, big, "-e", "split_squat", "--config", str(toml), "--out", str(after)]) == 0
    capsys.readouterr()

    def faults(folder, name):
        return json.loads((folder / f"{name}.json").read_text())["summary"]["faults"]["knee_over_toes"]

    assert faults(before, "small_a") == 2 and faults(after, "small_a") == 0  # the coach's "fine" now passes
    assert faults(before, "big_a") == 2 and faults(after, "big_a") == 2  # a real fault still fails


def test_a_rule_without_faulty_examples_keeps_its_default(labelled, tmp_path, capsys):
    only_clean = [str(labelled / f"{name}.labels.json") for name in ("clean_a", "clean_b", "small_a")]
    toml = tmp_path / "t.toml"
    assert (
        main(["tune", *only_clean, "-e", "split_squat", "--rule", "knee_over_toes", "--out", str(toml)]) == 0
    )
    row = next(line for line in capsys.readouterr().out.splitlines() if "knee_over_toes " in line)
    assert "no faulty example: keeps its default" in row
    assert "[split_squat.knee_over_toes]" not in toml.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rule", "pelvis_still"], "--rule pelvis_still: not a rule of split_squat"),
        (["--label-rule", "knee_over_toes"], "give --label-rule ID and --fault-label VALUE together"),
        (["--report", "/proc/nope"], "/proc/nope: cannot write the report"),
        (["--objective", "luck"], "Invalid value for '--objective'"),
    ],
)
def test_bad_options_are_one_line(labelled, tmp_path, capsys, args, message):
    assert main(["tune", str(labelled), "-e", "split_squat", "--out", str(tmp_path / "t.toml"), *args]) != 0
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_labels_for_another_exercise_named_on_the_command_line_are_an_error(labelled, tmp_path, capsys):
    assert (
        main(["tune", str(labelled / "big_a.labels.json"), "-e", "squat", "--out", str(tmp_path / "t.toml")])
        == 1
    )
    assert "labels are for split_squat, not squat" in capsys.readouterr().err


def test_a_folder_skips_labels_of_other_exercises(labelled, tmp_path, capsys):
    assert main(["tune", str(labelled), "-e", "squat", "--out", str(tmp_path / "t.toml")]) == 1
    captured = capsys.readouterr()
    assert "skipped label files for other exercises: 6 for split_squat" in captured.err
    assert "no labelled samples for squat" in captured.err
