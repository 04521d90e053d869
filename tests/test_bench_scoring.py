"""How the studio accuracy benchmark scores a verdict (benchmarks/bench_studio_accuracy.py): a red
light on a clean clip is a false alarm, one that another injected fault made the body commit (its
exact landmarks fail the rule too) is a true fault, and a rep left partial as "not deep enough"
is the depth rule's red light."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import REPO

_SPEC = importlib.util.spec_from_file_location(
    "bench_studio_accuracy", REPO / "benchmarks" / "bench_studio_accuracy.py"
)
bench = importlib.util.module_from_spec(_SPEC)
sys.path.insert(0, str(REPO / "benchmarks"))  # as when it runs as a script: it imports its neighbours
sys.modules[_SPEC.name] = bench  # its dataclasses look their module up by name
_SPEC.loader.exec_module(bench)


def _clip(faults: dict[str, float], hips_back: list[tuple[str, float]], reps_true: int = 2) -> dict:
    """A hinge clip's result line with ``hips_back`` verdicts as (status, exact value) per rep."""
    return {
        "description": {"exercise": "hip_hinge", "faults": faults, "azimuth": 90.0},
        "landmark_error_px": 4.0,
        "detection_rate": 1.0,
        "swapped_share": 0.0,
        "reps_found": len(hips_back),
        "reps_true": reps_true,
        "rules": {
            "hips_back": [
                {"fault": False, "status": status, "value": exact, "true_value": exact, "view": "side"}
                for status, exact in hips_back
            ]
        },
    }


def _row(table: str, rule: str) -> list[str]:
    """The cells of ``rule``'s row in the per-rule table (the first table that names the rule)."""
    line = next(line for line in table.splitlines() if line.startswith(f"| hip_hinge | {rule} | "))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_a_red_light_on_a_clean_clip_is_a_false_alarm_even_where_the_exact_body_fails_too():
    # hips_back fails below its threshold (thigh lengths the hips travel back); 0.0 fails it.
    row = _row(bench.tables([_clip({}, [("failed", 0.0), ("passed", 0.3)])]), "hips_back")
    # False alarms, of them borderline, on clean clips, per 100 clean reps, faulty reps, P, R.
    assert row[3:10] == ["1", "0", "1", "50", "0", "0.00", "-"]


def test_a_red_light_another_fault_made_the_body_commit_is_a_true_fault():
    clip = _clip({"knee_quiet": 60.0}, [("failed", 0.0), ("failed", 0.3)])
    row = _row(bench.tables([clip]), "hips_back")
    # The first rep's exact body keeps its hips in (a squatted hinge): faulty and caught; the
    # second's travels back: a false alarm.
    assert row[3:10] == ["1", "0", "0", "100", "1", "0.50", "1.00"]


def test_a_rep_left_partial_as_not_deep_enough_is_the_depth_rule_failed():
    clip = _clip({"hinge_depth": 40.0}, [], reps_true=2)
    partial = {"fault": True, "status": "failed", "value": None, "true_value": None, "view": "side"}
    clip["rules"] = {"hinge_depth": [{**partial, "partial": True}]}
    row = _row(bench.tables([clip]), "hinge_depth")
    # Two faulty reps, one told "not deep enough", the other not seen at all.
    assert row[3:10] == ["0", "0", "0", "-", "2", "1.00", "0.50"]
