"""Shared fixtures: where the shared clips and datasets live, skipping cleanly when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CLIPS = SHARED / "clips"
DATASETS = SHARED / "datasets"


def shared_file(relative: str) -> Path:
    """A file under ../shared, or skip the test where that folder is not beside the repository."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared clips and datasets are not on this machine)")
    return path
