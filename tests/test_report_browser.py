"""Reports of bundled sample videos (the real pose model), opened in headless Chromium as a person
would open them; and a batch over a folder of videos with one corrupt file among good ones."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from formcheck.cli import main
from tests.conftest import REPO, read_report

SAMPLES = REPO / "samples" / "studio"
CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]


def _screenshot(page: Path, png: Path) -> np.ndarray:
    """The page rendered by headless Chromium, 1200 px wide, as an (H, W, 3) RGB array."""
    import cv2

    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=1200,2600", f"--screenshot={png}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    return cv2.cvtColor(cv2.imread(str(png)), cv2.COLOR_BGR2RGB)


def _share_near(image: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 12) -> float:
    return float(np.mean(np.all(np.abs(image.astype(int) - rgb) <= tolerance, axis=2)))


def test_the_report_of_a_sample_video_renders_in_chromium_with_its_plots(tmp_path):
    clip = SAMPLES / "split_squat_knee_over_toes.mp4"
    out = tmp_path / "out"
    assert main(["analyze", str(clip), "-e", "split_squat", "--out", str(out), "--html"]) == 0
    report = read_report(out / "split_squat_knee_over_toes.json")
    assert report["summary"]["faults"]["knee_over_toes"] == report["summary"]["reps_total"] == 2
    image = _screenshot(out / "split_squat_knee_over_toes.html", tmp_path / "page.png")
    assert image.shape[1] == 1200
    # The page rendered: mostly the white background, with text and plots on it.
    assert 0.5 < _share_near(image, (255, 255, 255), 3) < 0.97
    # The signal plot: its reps shaded in the left side's blue (#1f77b4 at 18% on white).
    assert _share_near(image, (217, 230, 240), 6) > 0.01
    # The rule plots: the left side's markers (3 plots x 2 reps, ~600 px when written), and the red
    # ring and dashed line of failed knee_over_toes.
    assert _share_near(image, (31, 119, 180), 20) > 0.0001
    assert _share_near(image, (198, 40, 40), 25) > 0.0001
    # The safety note's orange-tinted box (#fff4e5) near the end of the page.
    rows = np.flatnonzero(
        np.mean(np.all(np.abs(image.astype(int) - (255, 244, 229)) <= 3, axis=2), axis=1) > 0.3
    )
    assert len(rows) and rows.mean() > image.shape[0] * 0.5


def test_a_batch_over_a_folder_of_videos_reports_the_corrupt_one_and_does_the_rest(tmp_path, capsys):
    clips = tmp_path / "clips"
    (clips / "squat").mkdir(parents=True)
    (clips / "bridge").mkdir()
    shutil.copy(SAMPLES / "squat_clean.mp4", clips / "squat" / "squat_clean.mp4")
    shutil.copy(SAMPLES / "glute_bridge_clean.mp4", clips / "bridge" / "glute_bridge_clean.mp4")
    # A truncated download: the first 4 KB of a real video.
    (clips / "squat" / "truncated.mp4").write_bytes((SAMPLES / "squat_knee_tracking.mp4").read_bytes()[:4096])
    mapping = tmp_path / "map.toml"
    mapping.write_text('"squat/" = "squat"\n"bridge/*.mp4" = "glute_bridge"\n')
    out = tmp_path / "out"
    code = main(
        ["analyze", str(clips), "--exercises", str(mapping), "--out", str(out), "--workers", "2", "--html"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert re.search(rf"formcheck: error: {re.escape(str(clips / 'squat' / 'truncated.mp4'))}:? \w.+", err)
    assert "1 of 3 input(s) failed" in err
    assert read_report(out / "squat" / "squat_clean.json")["summary"]["reps_total"] == 2
    assert read_report(out / "bridge" / "glute_bridge_clean.json")["summary"]["reps_total"] == 2
    image = _screenshot(out / "index.html", tmp_path / "index.png")
    assert _share_near(image, (255, 255, 255), 3) < 0.995  # The index page shows its table.
    index = (out / "index.html").read_text()
    assert "squat/squat_clean.html" in index and "bridge/glute_bridge_clean.html" in index
    assert "truncated.mp4" in index
