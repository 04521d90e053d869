"""Label files: the round trip, studio truth read as labels, and one clear line for each bad file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcheck.cli import main
from formcheck.errors import FormcheckError
from formcheck.io.labels import LabelledRep, Labels, check_labels, load_labels, save_labels, truth_labels
from formcheck.io.track_files import save_csv, save_npz
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track

RULES = ("knee_over_toes", "depth", "trunk_upright", "knee_tracking")


def test_round_trip(tmp_path):
    labels = Labels(
        tmp_path / "clip.labels.json",
        "split_squat",
        30.0,
        "clip.mp4",
        (LabelledRep(1.0, 2.5, "left", True, frozenset({"depth"}), frozenset({"knee_over_toes"})),),
        "bottoms at frames 40 and 95",
    )
    again = load_labels(save_labels(labels))
    assert again == labels
    assert not list(tmp_path.glob("*.partial"))


def test_studio_truth_reads_as_labels(tmp_path):
    truth = {
        "exercise": "hip_hinge",
        "fps": 15.0,
        "video": "clip.mp4",
        "reps": [
            {
                "start_s": 1.0,
                "end_s": 4.0,
                "side": "left",
                "faults": {"knee_over_toes": 0.15},
                "rule_values": {
                    "knee_over_toes": 0.06,
                    "hips_back": -0.6,
                    "hinge_depth": 67.0,
                    "balance": None,
                },
            }
        ],
    }
    path = tmp_path / "clip.truth.json"
    path.write_text(json.dumps(truth))
    passing = {"hips_back": False, "hinge_depth": True}
    labels = truth_labels(path, lambda rule, value: passing[rule])
    rep = labels.reps[0]
    assert rep.faults == {"knee_over_toes"}  # injected
    assert rep.clean == {"hinge_depth"}  # not injected and passing the default on the exact landmarks
    # hips_back fails on the exact landmarks (a fault the motion brings along) and balance was not
    # measured: both unlabelled, never clean.
    assert labels.clip == "clip.mp4"


GOOD_REP = {"side": "left", "start_s": 1.0, "end_s": 2.0, "faults": ["depth"], "clean": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps([1, 2]), "expected a JSON object"),
        (json.dumps({"fps": 30, "reps": []}), "missing 'exercise'"),
        (
            json.dumps({"exercise": "split_squat", "reps": [{**GOOD_REP, "end_s": 0.5}]}),
            "rep 1: start_s 1.0 and end_s 0.5",
        ),
        (json.dumps({"exercise": "split_squat", "reps": [{**GOOD_REP, "side": "up"}]}), "rep 1: side 'up'"),
        (
            json.dumps({"exercise": "split_squat", "reps": [{**GOOD_REP, "clean": ["depth"]}]}),
            "depth both in faults and clean",
        ),
        (
            json.dumps({"exercise": "split_squat", "reps": [GOOD_REP, {**GOOD_REP, "faults": "depth"}]}),
            "rep 2: 'faults' must be a list",
        ),
        (
            json.dumps({"exercise": "split_squat", "reps": [{**GOOD_REP, "start_s": "1"}]}),
            "'start_s' must be a number",
        ),
        (
            json.dumps({"exercise": "split_squat", "reps": [{**GOOD_REP, "complete": 1}]}),
            "'complete' must be a bool",
        ),
    ],
)
def test_a_malformed_file_is_one_line_naming_it(tmp_path, content, message):
    path = tmp_path / "clip.labels.json"
    path.write_text(content)
    with pytest.raises(FormcheckError, match=message) as raised:
        load_labels(path)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)


def test_unknown_rules_other_exercises_and_reps_beyond_the_clip_are_refused(tmp_path):
    path = tmp_path / "clip.labels.json"
    rep = LabelledRep(1.0, 9.0, "left", True, frozenset({"pelvis_still"}))
    labels = Labels(path, "split_squat", 30.0, None, (rep,))
    with pytest.raises(FormcheckError, match="rep 1: unknown rule pelvis_still for split_squat; valid rules"):
        check_labels(labels, exercise="split_squat", rule_ids=RULES)
    with pytest.raises(FormcheckError, match="labels are for split_squat, not squat"):
        check_labels(labels, exercise="squat", rule_ids=RULES)
    fine = Labels(path, "split_squat", 30.0, None, (LabelledRep(1.0, 9.0, "left"),))
    with pytest.raises(FormcheckError, match=r"rep 1: ends at 9.00 s, after the clip's end \(4.00 s\)"):
        check_labels(fine, exercise="split_squat", rule_ids=RULES, duration_s=4.0)


def test_tune_says_which_file_and_rep_is_wrong_and_writes_nothing(tmp_path, capsys):
    pose, _ = motion("split_squat", reps=1, side="left", seed=0)
    track = pose_track(pose, camera_for("side"), seed=0)
    save_npz(track, tmp_path / "clip.npz")
    (tmp_path / "clip.labels.json").write_text(
        json.dumps(
            {"exercise": "split_squat", "fps": 30, "reps": [{**GOOD_REP, "start_s": 50.0, "end_s": 60.0}]}
        )
    )
    out = tmp_path / "tuned.toml"
    assert main(["tune", str(tmp_path), "-e", "split_squat", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"formcheck: error: {tmp_path / 'clip.labels.json'} rep 1: ends at 60.00 s")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_a_frame_table_without_the_fault_value_or_label_column(tmp_path, capsys):
    pose, _ = motion("split_squat", reps=1, side="left", seed=0)
    track = pose_track(pose, camera_for("side"), seed=0)
    table = type(track)(**{**track.__dict__, "t": None})
    save_csv(table, tmp_path / "rows.csv")
    args = ["tune", str(tmp_path / "rows.csv"), "-e", "split_squat", "--label-rule", "knee_over_toes"]
    assert main([*args, "--fault-label", "L", "--out", str(tmp_path / "t.toml")]) == 1
    assert "no 'label' column" in capsys.readouterr().err
    labelled = type(track)(**{**table.__dict__, "labels": np.array(["C"] * len(track))})
    save_csv(labelled, tmp_path / "rows.csv")
    assert main([*args, "--fault-label", "L", "--out", str(tmp_path / "t.toml")]) == 1
    assert "no row is labelled 'L'; the label column holds C" in capsys.readouterr().err
    assert main([*args[:-1], "depth", "--fault-label", "C", "--out", str(tmp_path / "t.toml")]) == 1
    assert "judged over a whole rep, not per row" in capsys.readouterr().err
