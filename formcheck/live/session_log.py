"""The session log: one JSON object per line, written and flushed as the session goes.

Line 1 is a header (`type: "header"`: exercise, source, start time); then one line per
rep as the engine reports it (`type: "rep"`, the fields of `Rep.to_dict()`), and one per
control event (`type: "event"`: pause, resume, reset, side, next_set, and `end` with the
reason the session stopped, frames dropped and the loop's frame rate and latency). Each line is
flushed to the operating system as soon as it is written, so a killed process keeps every
rep it reported. At the end the report (same contract as `formcheck analyze`) is written
next to the log, with the same name and `.json`.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from formcheck.errors import FormcheckError
from formcheck.io.atomic import write_text


def _json_safe(value: Any) -> Any:
    """`value` with every non-finite float replaced by None (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def _session_stem(exercise: str, started: datetime) -> str:
    return f"{started.strftime('%Y%m%d-%H%M%S')}-{exercise}"


class SessionLog:
    """Append-only JSONL file for one live session; `path` is the .jsonl, `report_path` the .json."""

    def __init__(self, directory: Path, *, exercise: str, source: str, started: datetime) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FormcheckError(
                f"cannot create the session log folder {directory}: {error.strerror}; "
                "choose another with --log DIR"
            ) from error
        stem = _session_stem(exercise, started)
        # Two sessions started in the same second get distinct files rather than one overwriting the other.
        suffix = 1
        while (directory / f"{stem}.jsonl").exists():
            suffix += 1
            stem = f"{_session_stem(exercise, started)}-{suffix}"
        self.path = directory / f"{stem}.jsonl"
        self.report_path = directory / f"{stem}.json"
        try:
            self._file: TextIO = self.path.open("x", encoding="utf-8")
        except OSError as error:
            raise FormcheckError(
                f"cannot write the session log in {directory}: {error.strerror}; "
                "choose another with --log DIR"
            ) from error
        self._write(
            {
                "type": "header",
                "exercise": exercise,
                "source": source,
                "started_at": started.isoformat(timespec="seconds"),
            }
        )

    def _write(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(_json_safe(record), allow_nan=False) + "\n")
        self._file.flush()

    def rep(self, rep: dict[str, Any]) -> None:
        """Log one rep as the engine reported it (`Rep.to_dict()`)."""
        self._write({"type": "rep", **rep})

    def event(self, name: str, t: float, **details: Any) -> None:
        """Log a control event at session time `t` (seconds)."""
        self._write({"type": "event", "event": name, "t": round(t, 3), **details})

    def write_report(self, report: dict[str, Any]) -> Path:
        """Write the final report atomically (a kill mid-write leaves no half file)."""
        write_text(self.report_path, json.dumps(_json_safe(report), indent=2, allow_nan=False) + "\n")
        return self.report_path

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> SessionLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def read_session_log(path: Path) -> list[dict[str, Any]]:
    """All complete lines of a session log (a last line cut by a kill is ignored)."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            break
    return records
