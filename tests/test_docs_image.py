"""docs/make_overlay_image.py, the README's picture, still runs through the real overlay."""

from __future__ import annotations

import subprocess
import sys

import cv2
import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_the_readme_picture_is_made_from_the_bundled_sample(tmp_path):
    output = tmp_path / "overlay.png"
    done = subprocess.run(
        [sys.executable, str(REPO / "docs" / "make_overlay_image.py"), "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    image = cv2.imread(str(output))
    committed = cv2.imread(str(REPO / "docs" / "overlay.png"))
    assert image is not None and image.shape == committed.shape
    # After the first rep its lights are up: green (passed) and red (failed) pixels both appear.
    green = ((image[..., 1] > 150) & (image[..., 0] < 100) & (image[..., 2] < 100)).sum()
    red = ((image[..., 2] > 180) & (image[..., 0] < 80) & (image[..., 1] < 80)).sum()
    assert green > 200 and red > 200
