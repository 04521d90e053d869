"""The studio accuracy benchmark's quick slice, run as a user runs it: render, extract, judge, and
resume after an interruption instead of measuring again."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, require_studio_extra

require_studio_extra()

pytestmark = pytest.mark.slow

BENCH = REPO / "benchmarks" / "bench_studio_accuracy.py"


def _bench(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--exercises", "squat", *arguments],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip


def test_the_quick_slice_measures_a_clip_and_a_second_run_resumes_after_it(tmp_path):
    first = _bench("--out", str(tmp_path), "--tracks", str(tmp_path / "tracks"))
    (line,) = (tmp_path / "studio_accuracy.jsonl").read_text().splitlines()
    result = json.loads(line)
    assert result["description"]["exercise"] == "squat" and result["reps_found"] == result["reps_true"] == 2
    assert "| squat | 1 |" in first.stdout and "| squat | knee_over_toes |" in first.stdout
    second = _bench("--out", str(tmp_path))
    assert "1 of 1 clips measured before" in second.stdout, second.stdout
    assert len((tmp_path / "studio_accuracy.jsonl").read_text().splitlines()) == 1
    assert "| squat | 1 |" in second.stdout
    # The clip's tracks were kept: judged again from them, without rendering, to the same result.
    again = _bench("--out", str(tmp_path), "--tracks", str(tmp_path / "tracks"), "--rejudge")
    assert "1 of 1 clips judged again" in again.stdout, again.stdout
    # (Compared as text: a rule not judged carries NaN, which equals nothing.)
    assert (tmp_path / "studio_accuracy.jsonl").read_text().splitlines() == [line]
