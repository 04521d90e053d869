"""The labelling state machine: keys in, labels, playhead and effects out (no window)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from formcheck.analysis.results import Rep, Report, RuleResult
from formcheck.analysis.vocabulary import Status
from formcheck.io.labels import Labels, check_labels, labels_path, load_labels, save_labels
from formcheck.labelling.state import ESCAPE, UNSAVED, Effect, Labelling

RULES = ("depth", "knee", "head")
TIMES = np.arange(100) / 10.0  # 10 fps, 0.0 .. 9.9 s


def _rep(index: int, start_s: float, end_s: float, statuses: tuple[Status, ...]) -> Rep:
    rules = tuple(
        RuleResult(id=rule, status=status, value=1.0, threshold=0.5, unit="deg", cue="")
        for rule, status in zip(RULES, statuses, strict=True)
    )
    return Rep(
        exercise="hip_hinge",
        index=index,
        side="left",
        complete=True,
        reason="",
        start_s=start_s,
        peak_s=(start_s + end_s) / 2,
        end_s=end_s,
        set_index=1,
        view="side",
        metrics={},
        rules=rules,
        score=50.0,
    )


# Two reps the engine found, frames 10-30 and 50-70: depth failed, knee passed, head not judged.
VERDICTS = (Status.FAILED, Status.PASSED, Status.NOT_JUDGED)
REPORT = Report(
    exercise="hip_hinge",
    source="clip.mp4",
    fps=10.0,
    frames=100,
    reps=(_rep(1, 1.0, 3.0, VERDICTS), _rep(2, 5.0, 7.0, VERDICTS)),
)
REP1 = (1.0, 3.0, "left", ["depth"], ["knee"])
REP2 = (5.0, 7.0, "left", ["depth"], ["knee"])


def _session(side=None) -> Labelling:
    return Labelling.from_report(REPORT, RULES, TIMES, side=side)


def _run(keys: list[str], side=None) -> tuple[Labelling, list[Effect]]:
    state = _session(side)
    effects = [effect for key in keys if (effect := state.press(key)) is not None]
    return state, effects


def _labels(state: Labelling) -> list[tuple]:
    return [(r.start_s, r.end_s, r.side, sorted(r.faults), sorted(r.clean)) for r in state.labels()]


CASES = [
    # name, keys, expected attributes (labels as (start_s, end_s, side, faults, clean))
    ("starts from the engine", [], {"frame": 0, "current": 0, "labels": [REP1, REP2], "dirty": False}),
    ("a fault becomes clean", ["1"], {"labels": [(1.0, 3.0, "left", [], ["depth", "knee"]), REP2]}),
    ("clean becomes unlabelled", ["2"], {"labels": [(1.0, 3.0, "left", ["depth"], []), REP2]}),
    (
        "unlabelled becomes a fault",
        ["3"],
        {"labels": [(1.0, 3.0, "left", ["depth", "head"], ["knee"]), REP2]},
    ),
    ("three presses come back", ["1", "1", "1"], {"labels": [REP1, REP2], "dirty": False}),
    ("a rule the exercise lacks", ["4"], {"labels": [REP1, REP2], "message": "this exercise has 3 rules"}),
    ("next rep from before the first", ["n"], {"frame": 10, "current": 0}),
    ("next twice", ["n", "n"], {"frame": 50, "current": 1}),
    ("no rep after the last", ["n", "n", "n"], {"frame": 50, "current": 1, "message": "no later rep"}),
    ("previous rep", ["n", "n", "p"], {"frame": 10, "current": 0}),
    (
        "toggles act on the current rep",
        ["n", "n", "1"],
        {"labels": [REP1, (5.0, 7.0, "left", [], ["depth", "knee"])]},
    ),
    ("x drops the current rep", ["n", "n", "x"], {"labels": [REP1], "dirty": True}),
    ("x again restores it", ["x", "x"], {"labels": [REP1, REP2], "dirty": False}),
    (
        "a dropped rep takes no toggles",
        ["x", "1"],
        {"labels": [REP2], "message": "rep 1 is marked not a rep"},
    ),
    (
        "and restored, it is as it was",
        ["x", "1", "x"],
        {"labels": [REP1, REP2], "message": "rep 1: restored"},
    ),
    (
        "a then a adds a rep",
        ["a", *"....", "a"],
        {"labels": [(0.0, 0.4, "left", [], []), REP1, REP2], "current": 0},
    ),
    (
        "an added rep backwards",
        ["n", "a", ",", ",", "a"],
        {"labels": [(0.8, 1.0, "left", [], []), REP1, REP2]},
    ),
    ("a rep needs two frames", ["a", "a"], {"labels": [REP1, REP2], "message": "a rep ends after it starts"}),
    ("space plays, space pauses", [" "], {"playing": True}),
    ("space twice", [" ", " "], {"playing": False}),
    ("a frame step pauses", [" ", "."], {"playing": False, "frame": 1}),
    ("no frame before the first", [","], {"frame": 0}),
    ("stepping into a rep makes it current", ["n", "n", *",,,,,,,,,,"], {"frame": 40, "current": 1}),
    ("stepping back into rep 1", ["n", "n", *",,,,,,,,,,,,,,,,,,,,"], {"frame": 30, "current": 0}),
    ("w asks to save", ["w"], {"effects": [Effect.SAVE]}),
    ("q quits when nothing changed", ["q"], {"effects": [Effect.QUIT]}),
    ("Esc quits too", [ESCAPE], {"effects": [Effect.QUIT]}),
    ("q with changes asks first", ["1", "q"], {"effects": [], "message": UNSAVED}),
    ("q again quits", ["1", "q", "q"], {"effects": [Effect.QUIT]}),
    ("another key in between asks again", ["1", "q", ".", "q"], {"effects": [], "message": UNSAVED}),
    (
        "keys without a meaning do nothing",
        ["z", "0", ""],
        {"frame": 0, "labels": [REP1, REP2], "effects": []},
    ),
]


@pytest.mark.parametrize(("keys", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_keys(keys, expected):
    state, effects = _run(keys)
    actual = {
        "frame": state.frame,
        "current": state.current,
        "labels": _labels(state),
        "dirty": state.dirty,
        "playing": state.playing,
        "effects": effects,
        "message": state.message,
    }
    for name, value in expected.items():
        if name == "message":
            assert actual[name].startswith(value), actual[name]
        else:
            assert actual[name] == value, name


def test_an_added_rep_takes_the_side_given_over_the_engines():
    state, _ = _run(["a", ".", "a"], side="right")
    assert _labels(state)[0] == (0.0, 0.1, "right", [], [])


def test_an_added_rep_takes_the_side_of_the_engine_rep_nearest_in_time():
    report = replace(REPORT, reps=(REPORT.reps[0], replace(REPORT.reps[1], side="right")))
    state = Labelling.from_report(report, RULES, TIMES)
    for key in ["n", "n", *"." * 25, "a", *"." * 5, "a"]:  # frames 75-80: nearer rep 2
        state.press(key)
    assert [r.side for r in state.labels()] == ["left", "right", "right"]


def test_without_engine_reps_or_side_an_added_rep_is_refused():
    state = Labelling(RULES, TIMES, [])
    for key in ["a", ".", "a"]:
        state.press(key)
    assert state.labels() == [] and "--side" in state.message
    assert state.current is None and state.press("1") is None and "no rep here" in state.message


def test_playback_advances_follows_the_reps_and_stops_at_the_end():
    state = _session()
    state.press(" ")
    for _ in range(55):
        state.advance()
    assert (state.frame, state.current, state.playing) == (55, 1, True)
    for _ in range(100):
        state.advance()
    assert (state.frame, state.playing) == (99, False)


def test_saving_clears_the_unsaved_mark():
    state, _ = _run(["1"])
    assert state.dirty and state.saved_to is None
    state.saved("clip.labels.json")
    assert not state.dirty and state.saved_to == "clip.labels.json"
    assert state.message == "saved clip.labels.json" and state.press("q") is Effect.QUIT


def test_the_labels_save_as_a_label_file_that_reads_back(tmp_path):
    clip = tmp_path / "hinge.mp4"
    state, _ = _run(["n", "x", "n", "3"])
    path = save_labels(Labels(labels_path(clip), "hip_hinge", 10.0, clip.name, tuple(state.labels())))
    assert path == tmp_path / "hinge.labels.json"
    assert [p.name for p in tmp_path.iterdir()] == ["hinge.labels.json"], "no .partial left"
    data = json.loads(path.read_text())
    assert {k: data[k] for k in ("format", "version", "exercise", "fps", "clip")} == {
        "format": "formcheck-labels",
        "version": 1,
        "exercise": "hip_hinge",
        "fps": 10.0,
        "clip": "hinge.mp4",
    }
    assert data["reps"] == [
        {
            "side": "left",
            "start_s": 5.0,
            "end_s": 7.0,
            "complete": True,
            "faults": ["depth", "head"],
            "clean": ["knee"],
        }
    ]
    loaded = load_labels(path)
    check_labels(loaded, exercise="hip_hinge", rule_ids=RULES, duration_s=float(TIMES[-1]))
    assert list(loaded.reps) == state.labels()
