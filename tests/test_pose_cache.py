"""The pose cache: one extraction per file content, model and settings."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from formcheck.pose.cache import cache_dir, cache_key, cached_track
from formcheck.pose.model import load_model

REPO_SAMPLE = "samples/studio/hip_hinge_clean.mp4"


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_key_follows_content_model_and_settings(tmp_path):
    model = load_model()
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    a.write_bytes(b"one video")
    b.write_bytes(b"one video")
    key = cache_key(a, model, num_poses=2, image_fps=10.0, max_fps=None)
    assert key == cache_key(b, model, num_poses=2, image_fps=10.0, max_fps=None)  # a renamed copy hits
    assert key != cache_key(a, model, num_poses=1, image_fps=10.0, max_fps=None)
    assert key != cache_key(a, model, num_poses=2, image_fps=5.0, max_fps=None)
    assert key != cache_key(a, model, num_poses=2, image_fps=10.0, max_fps=15.0)
    assert cache_key(a, model, num_poses=2, image_fps=10.0, max_fps=15.0) != cache_key(
        a, model, num_poses=2, image_fps=10.0, max_fps=10.0
    )
    b.write_bytes(b"another video")
    assert key != cache_key(b, model, num_poses=2, image_fps=10.0, max_fps=None)


def test_cache_dir_is_overridable(own_cache):
    assert cache_dir() == own_cache


@pytest.mark.slow
def test_a_second_run_reads_the_cache_and_a_broken_entry_is_redone(own_cache, tmp_path):
    from pathlib import Path

    clip = tmp_path / "clip.mp4"
    shutil.copy(Path(__file__).resolve().parents[1] / REPO_SAMPLE, clip)
    first, hit = cached_track(clip)
    assert not hit and len(list(own_cache.glob("*.npz"))) == 1
    again, hit = cached_track(clip)
    assert hit and again.source == str(clip)
    np.testing.assert_array_equal(again.image_xy, first.image_xy)
    entry = next(own_cache.glob("*.npz"))
    entry.write_bytes(b"not a track")
    redone, hit = cached_track(clip)
    assert not hit and np.allclose(redone.image_xy, first.image_xy, equal_nan=True)
