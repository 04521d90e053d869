"""The session log: a header, then one flushed line per rep or event; the report beside it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from formcheck.errors import FormcheckError
from formcheck.live.session_log import SessionLog, read_session_log

STARTED = datetime(2025, 3, 1, 9, 30, 5, tzinfo=UTC)
REP = {
    "index": 1,
    "side": "left",
    "complete": True,
    "reason": None,
    "start_s": 1.0,
    "end_s": 2.5,
    "score": 80.0,
    "rules": [{"id": "hinge_depth", "status": "not_judged", "value": float("nan"), "threshold": 45.0}],
}


def test_each_line_is_on_disk_as_soon_as_it_is_written(tmp_path):
    log = SessionLog(tmp_path, exercise="hip_hinge", source="camera:0", started=STARTED)
    log.rep(REP)
    log.event("next_set", 3.25)
    # Read while the log is still open: nothing may wait in a buffer.
    records = read_session_log(log.path)
    log.close()
    assert [r["type"] for r in records] == ["header", "rep", "event"]
    assert records[0] == {
        "type": "header",
        "exercise": "hip_hinge",
        "source": "camera:0",
        "started_at": "2025-03-01T09:30:05+00:00",
    }
    assert records[1]["index"] == 1 and records[1]["side"] == "left"
    assert records[1]["rules"][0]["value"] is None, "NaN must become null, JSON has no NaN"
    assert records[2] == {"type": "event", "event": "next_set", "t": 3.25}
    assert log.path.name == "20250301-093005-hip_hinge.jsonl"


def test_report_is_written_beside_the_log(tmp_path):
    with SessionLog(tmp_path, exercise="squat", source="clip.mp4", started=STARTED) as log:
        path = log.write_report({"exercise": "squat", "reps": [REP]})
    assert path == tmp_path / "20250301-093005-squat.json"
    assert json.loads(path.read_text())["reps"][0]["rules"][0]["value"] is None
    assert not list(tmp_path.glob("*.partial"))


def test_a_second_session_in_the_same_second_gets_its_own_files(tmp_path):
    first = SessionLog(tmp_path, exercise="squat", source="a", started=STARTED)
    second = SessionLog(tmp_path, exercise="squat", source="b", started=STARTED)
    first.close()
    second.close()
    assert first.path != second.path and first.report_path != second.report_path
    assert read_session_log(first.path)[0]["source"] == "a"


def test_a_line_cut_by_a_kill_is_ignored(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_text('{"type": "header"}\n{"type": "rep", "ind')
    assert read_session_log(path) == [{"type": "header"}]


def test_unusable_log_folder_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(FormcheckError, match="--log DIR"):
        SessionLog(blocker / "sessions", exercise="squat", source="a", started=STARTED)
