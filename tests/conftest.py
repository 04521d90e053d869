"""Shared fixtures: where the shared clips and datasets live, skipping cleanly when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# FORMCHECK_SHARED points the tests elsewhere; `.ci/run` sets it to a missing folder once to run
# the suite as someone who cloned the repository alone, without ../shared, would.
SHARED = Path(os.environ.get("FORMCHECK_SHARED") or REPO.parent / "shared")
CLIPS = SHARED / "clips"
DATASETS = SHARED / "datasets"


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
