"""Reports of bundled sample videos (the real pose model), opened in headless Chromium as a person
would open them; and a batch over a folder of videos with one corrupt file among good ones."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
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


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
    commands on its fd 3, replies on fd 4, NUL-separated JSON), so no WebSocket client is needed.
    One page, ``width`` x ``height``; use as a context manager."""

    def __init__(self, width: int = 1200, height: int = 1800) -> None:
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()

        def onto_3_and_4() -> None:
            # Copies first: a pipe end may itself sit on fd 3 or 4.
            read, write = os.dup(to_browser), os.dup(from_browser)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self._profile = tempfile.mkdtemp(prefix="formcheck-chromium-")
        # The binary itself: Debian's /usr/bin/chromium wrapper does not pass fds 3 and 4 on.
        binary = Path("/usr/lib/chromium/chromium")
        self._process = subprocess.Popen(
            [str(binary) if binary.exists() else CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--hide-scrollbars", "--remote-debugging-pipe", f"--user-data-dir={self._profile}",
             f"--window-size={width},{height}", "about:blank"],
            close_fds=False, preexec_fn=onto_3_and_4,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._id, self._session = b"", 0, None

    def __enter__(self) -> Browser:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        return self

    def __exit__(self, *exc_info) -> None:
        self._process.kill()
        self._process.wait(timeout=30)
        os.close(self._commands)
        os.close(self._replies)
        shutil.rmtree(self._profile, ignore_errors=True)

    def send(self, method: str, **params):
        """One DevTools command (on the page once attached); its result."""
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._replies, 1 << 20)
                assert chunk, "chromium closed the DevTools pipe"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                assert "error" not in reply, reply["error"]
                return reply["result"]

    def evaluate(self, expression: str):
        """The value of a JavaScript expression on the page (promises awaited), run as if the person
        had just clicked (so ``play()`` is allowed, as from the video's own play button)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True, userGesture=True
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0):
        """Poll ``expression`` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while not (value := self.evaluate(expression)):
            assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
            time.sleep(0.1)
        return value

    def open(self, page: Path) -> None:
        self.send("Page.enable")
        self.send("Page.navigate", url=page.as_uri())
        self.wait_for("document.readyState === 'complete'")

    def click(self, selector: str) -> None:
        """A real mouse click (pressed and released) at the middle of the element, scrolled into view."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})")
        box = self.evaluate(
            f"(r => [r.x + r.width / 2, r.y + r.height / 2])"
            f"(document.querySelector({json.dumps(selector)}).getBoundingClientRect())"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def screenshot(self, png: Path) -> np.ndarray:
        """The whole page as an (H, W, 3) RGB array (also written to ``png``)."""
        import cv2

        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        png.write_bytes(base64.b64decode(data))
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


def test_the_annotated_video_loads_plays_and_seeks_to_a_rep_in_chromium(tmp_path):
    clip = SAMPLES / "split_squat_knee_over_toes.mp4"
    out = tmp_path / "out"
    assert main(["analyze", str(clip), "-e", "split_squat", "--out", str(out), "--video"]) == 0
    report = read_report(out / "split_squat_knee_over_toes.json")  # --video implies the page.
    assert report["media"]["video"] == "split_squat_knee_over_toes.mp4"
    assert report["media"]["key_frame"]["rep"] == 1  # Both reps scored 50: the first of equals.
    page = out / "split_squat_knee_over_toes.html"
    html = page.read_text()
    assert '<video id="video" controls preload="metadata" src="split_squat_knee_over_toes.mp4">' in html
    assert "data:video" not in html and not re.search(r"""(src|href)=["']?https?:""", html)
    clip_s = report["frames"] / report["fps"]
    with Browser() as browser:
        browser.open(page)
        # The video loads by its relative link, with the clip's length. (Chromium plays H.264 only
        # where built with the proprietary codecs, as Debian's is: an error here says it is not.)
        ready = browser.wait_for(
            "(v => v.error ? 'error ' + v.error.code : v.readyState >= 1 && v.readyState)"
            "(document.getElementById('video'))"
        )
        assert ready in (1, 2, 3, 4), ready
        assert browser.evaluate("document.getElementById('video').duration") == pytest.approx(
            clip_s, abs=0.15
        )
        # It plays: time moves on.
        assert browser.evaluate("document.getElementById('video').play().then(() => 'playing')") == "playing"
        browser.wait_for("document.getElementById('video').currentTime > 0.3")
        browser.evaluate("document.getElementById('video').pause()")
        # A click on rep 2's time seeks the video there and plays from it.
        start = report["reps"][1]["start_s"]
        browser.click(f'a[data-seek="{start:.3f}"]')
        browser.wait_for(
            "!document.getElementById('video').seeking && !document.getElementById('video').paused"
        )
        now = browser.evaluate("document.getElementById('video').currentTime")
        assert start - 0.05 <= now <= start + 1.0, (start, now)
        browser.evaluate("document.getElementById('video').pause()")
        # The key frame is inlined and decoded at the overlay canvas's size.
        assert browser.evaluate("document.getElementById('key-frame').complete") is True
        assert browser.evaluate("document.getElementById('key-frame').naturalWidth") == 1420
        image = browser.screenshot(tmp_path / "video-page.png")
        box = browser.evaluate(
            "(r => [r.x + scrollX, r.y + scrollY, r.width, r.height])"
            "(document.getElementById('video').getBoundingClientRect())"
        )
    assert 0.4 < _share_near(image, (255, 255, 255), 3) < 0.97  # The page rendered, not blank.
    x, y, w, h = (round(v) for v in box)
    assert w > 300 and h > 150
    shown = image[y : y + h, x : x + w]
    # The video's frame is drawn (not a blank box): the overlay's dark side bar fills part of it.
    assert _share_near(shown, (30, 30, 30), 12) > 0.1 and shown.std() > 20
