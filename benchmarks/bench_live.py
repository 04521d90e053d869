"""Live mode speed: does `formcheck live` keep up with a 30 fps camera on this machine?

Plays a 30 fps clip as if it were a camera (`--source`, real-time pacing, frames dropped
when processing falls behind) into the real program with a real window (on a private Xvfb
display when none is set), stops it with SIGTERM after --seconds, and reads the loop's
own figures from the session log's `end` line. The child's CPU time and peak memory come
from the operating system. One inference is timed separately on the same clip, so that
the latency target (two frame periods plus one inference) is computed on this machine.

    .venv/bin/python benchmarks/bench_live.py [--clip PATH] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from formcheck.live.session_log import read_session_log
from formcheck.pose.detector import PoseDetector
from formcheck.pose.model import load_model

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CLIP = REPO.parent / "shared" / "clips" / "lunge" / "ambaks_lunge_alternating.mp4"


def inference_ms(clip: Path, frames: int = 60) -> float:
    """Median milliseconds of one `PoseDetector.detect` on the clip's first frames (after warm-up),
    with live mode's setting (one person tracked)."""
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS)
    times = []
    with PoseDetector(load_model(), num_poses=1) as detector:
        for index in range(frames + 5):
            ok, image = capture.read()
            if not ok:
                break
            start = time.perf_counter()
            detector.detect(image, index / fps, index)
            if index >= 5:
                times.append(time.perf_counter() - start)
    return 1000.0 * float(np.median(times))


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        return server, ":" + pipe.readline().strip()


def run_live(clip: Path, seconds: float, display: str, window: bool) -> dict:
    with tempfile.TemporaryDirectory() as log_dir:
        args = [str(Path(sys.executable).with_name("formcheck")), "live", "-e", "hip_hinge"]
        args += ["--source", str(clip), "--start-screen", "0", "--log", log_dir]
        if not window:
            args.append("--no-window")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = subprocess.Popen(args, env={**os.environ, "DISPLAY": display}, stderr=subprocess.PIPE)
        time.sleep(seconds)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        log = next(Path(log_dir).glob("*.jsonl"))
        end = [r for r in read_session_log(log) if r.get("event") == "end"]
        if process.returncode != 143 or not end:
            raise SystemExit(f"live run failed ({process.returncode}): {stderr.decode()}")
        end = end[0]
        cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        offered = end["loop_frames"] + end["dropped"]
        return {
            "window": "Xvfb" if window else "none",
            "fps": end["loop_fps"],
            "latency_median_ms": end["loop_latency_median_ms"],
            "latency_p95_ms": end["loop_latency_p95_ms"],
            "dropped": f"{end['dropped']} / {offered}",
            # Includes model loading at start; the run is long enough for that to be small.
            "cpu_cores": round(cpu_s / seconds, 2),
            # ru_maxrss of children is the largest child so far, in KiB on Linux.
            "peak_rss_mb": round(after.ru_maxrss / 1024),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--seconds", type=float, default=20.0)
    options = parser.parse_args()
    if not options.clip.exists():
        raise SystemExit(f"{options.clip} is absent: pass --clip PATH (a 30 fps video)")
    # The machine may be shared: the load around the runs says how many cores were free for them.
    load_before = os.getloadavg()[0]
    source_fps = cv2.VideoCapture(str(options.clip)).get(cv2.CAP_PROP_FPS)
    inference = inference_ms(options.clip)
    target_ms = 2 * 1000.0 / source_fps + inference

    server = None
    display = os.environ.get("DISPLAY", "")
    if not display:
        if shutil.which("Xvfb") is None:
            raise SystemExit("no DISPLAY and no Xvfb: apt-get install xvfb")
        server, display = start_xvfb()
    try:
        rows = [run_live(options.clip, options.seconds, display, window) for window in (True, False)]
    finally:
        if server is not None:
            server.terminate()

    load_after = os.getloadavg()[0]
    cores = os.cpu_count()
    free_cores = max(0.0, cores - load_before)
    print(f"clip: {options.clip.name} ({source_fps:.0f} fps), {options.seconds:.0f} s/run, {cores} cores")
    print(
        f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after the runs; "
        f"free cores before: {free_cores:.1f}"
    )
    print(f"one inference (median): {inference:.1f} ms; latency target: {target_ms:.0f} ms")
    print()
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(row[name]) for name in header) + " |")


if __name__ == "__main__":
    main()
