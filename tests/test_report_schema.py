"""The JSON report's shipped schema: printed by `formcheck schema`, satisfied by real reports,
and strict about the contract's fields while open to added ones."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.cli import main
from formcheck.exercises import configured
from formcheck.render.schema import report_schema
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track


@pytest.fixture(scope="module")
def report() -> dict:
    pose, _ = motion("split_squat", reps=2, side="left", faults={"knee_over_toes": 0.15}, seed=1)
    track = pose_track(pose, camera_for("side", looking_from="left"), noise_px=1.0, source="clip.mp4")
    return analyze_track(track, *configured("split_squat"))[0].to_dict()


def _errors(document: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(report_schema())
    return [error.message for error in validator.iter_errors(document)]


def test_schema_command_prints_a_valid_json_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(printed)
    assert printed == report_schema()


def test_a_real_report_satisfies_the_schema(report):
    assert report["reps"] and _errors(report) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.pop("summary"), "'summary' is a required property"),
        (lambda r: r["summary"].pop("reps_total"), "'reps_total' is a required property"),
        (lambda r: r["reps"][0]["rules"][0].update(status="ok"), "'ok' is not one of"),
        (lambda r: r["reps"][0].update(side="front"), "'front' is not one of"),
        (lambda r: r["reps"][0].update(complete=False, reason=None), "None is not of type 'string'"),
        (lambda r: r["reps"][0].update(score=130.0), "130.0 is greater than the maximum of 100"),
    ],
)
def test_the_contract_fields_are_enforced(report, change, expected):
    broken = copy.deepcopy(report)
    change(broken)
    assert any(expected in message for message in _errors(broken))


def test_added_fields_are_allowed(report):
    extended = copy.deepcopy(report)
    extended["video"] = "clip.annotated.mp4"
    extended["reps"][0]["rules"][0].update(margin=-0.12, borderline=False)
    assert _errors(extended) == []
    extended["reps"][0]["rules"][0]["borderline"] = "maybe"
    assert _errors(extended) == ["'maybe' is not of type 'boolean'"]
