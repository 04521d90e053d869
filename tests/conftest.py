"""Shared fixtures: where the shared clips and datasets live, skipping cleanly when absent."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from formcheck.analysis.results import Report
from formcheck.render.schema import report_schema

REPO = Path(__file__).resolve().parents[1]
# FORMCHECK_SHARED points the tests elsewhere; `.ci/run` sets it to a missing folder once to run
# the suite as someone who cloned the repository alone, without ../shared, would.
SHARED = Path(os.environ.get("FORMCHECK_SHARED") or REPO.parent / "shared")
CLIPS = SHARED / "clips"
DATASETS = SHARED / "datasets"


STUDIO_MISSING = "the studio extra is not installed: pip install torch==2.13.0 '.[studio]'"


def require_studio_extra() -> None:
    """Skip the calling test module unless the studio extra (anny, pyrender) is installed."""
    for module in ("anny", "pyrender"):
        pytest.importorskip(
            module, reason="the studio extra is not installed: pip install torch==2.13.0 '.[studio]'"
        )


def shared_file(relative: str) -> Path:
    """A file under ../shared, or skip the test where that folder is not beside the repository.

    Call it in the test (or a fixture), never inside a generator or thread the test starts:
    the skip must be raised in the test's own thread to take effect.
    """
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared clips and datasets are not on this machine)")
    return path


@pytest.fixture(autouse=True, scope="session")
def _private_pose_cache(tmp_path_factory):
    """Extractions in the tests go to a cache of their own, never the user's (subprocesses inherit it)."""
    from formcheck.pose.cache import CACHE_ENV

    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("pose-cache"))
    yield
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous


_REPORT_VALIDATOR = jsonschema.Draft202012Validator(report_schema())


def check_report(report: dict) -> dict:
    """``report`` if it satisfies the shipped JSON Schema; else the test fails naming the first violation."""
    error = jsonschema.exceptions.best_match(_REPORT_VALIDATOR.iter_errors(report))
    if error is not None:
        pytest.fail(f"the report breaks its schema at {error.json_path}: {error.message}")
    return report


def read_report(path: Path) -> dict:
    """A JSON report written by formcheck (e.g. by a subprocess), checked against the schema."""
    return check_report(json.loads(Path(path).read_text(encoding="utf-8")))


@pytest.fixture(autouse=True, scope="session")
def _every_report_follows_the_schema():
    """Every report serialised in the tests' own process (`analyze`, live sessions, the HTML page's
    input) is checked against the shipped schema on the spot, so a field that drifts from the
    contract fails the test that made it."""
    to_dict = Report.to_dict

    def checked(self: Report) -> dict:
        return check_report(to_dict(self))

    Report.to_dict = checked
    yield
    Report.to_dict = to_dict
