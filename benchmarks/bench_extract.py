"""How close `formcheck extract` comes to the pose model's own speed.

For each clip, alternately in fresh processes:
  (a) model only: MediaPipe's PoseLandmarker (same options as formcheck) on frames that
      were decoded and converted to RGB beforehand — the floor;
  (b) end to end: ``formcheck extract CLIP -o TMP`` (decode thread, colour conversion,
      person selection, progress bar, model loading and writing the track included).
Prints wall time per frame for both (the fastest of the rounds: the run least disturbed
by other programs), the ratio (b)/(a) (target: at most 1.10 on 720p clips), frames per
second of (b), CPU time per frame (all threads, median) and the peak memory (max RSS) of
each process.  Rounds alternate a b, b a, … so that load from other programs falls on
both alike.

    .venv/bin/python benchmarks/bench_extract.py [--rounds 3] [--verbose] [CLIP ...]

Clips default to the 720p ones in ../shared/clips (paths relative to ../shared/clips).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
CLIPS = REPOSITORY.parent / "shared" / "clips"
DEFAULT_CLIPS = (
    "squat/ambaks_goblet_squat_front.mp4",
    "squat/darebee_bodyweight_squat_oblique.mp4",
    "bridge/darebee_glute_bridge_side.mp4",
    "hip_abduction/darebee_standing_side_leg_raise_front.mp4",
)


def model_only(clip: Path) -> dict:
    """(a): seconds per frame of the model alone, on frames decoded and converted beforehand."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python.core.base_options import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    from formcheck.pose.detector import DEFAULT_NUM_POSES
    from formcheck.pose.model import load_model
    from formcheck.quiet import native_stderr_silenced

    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    options = PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_buffer=load_model().data),
        running_mode=RunningMode.VIDEO,
        num_poses=DEFAULT_NUM_POSES,
    )
    with native_stderr_silenced():
        landmarker = PoseLandmarker.create_from_options(options)
        cpu_started = time.process_time()
        started = time.perf_counter()
        for index, rgb in enumerate(frames):
            landmarker.detect_for_video(
                mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), round(index * 1000 / fps)
            )
        elapsed = time.perf_counter() - started
        landmarker.close()
    return {"frames": len(frames), "seconds": elapsed, "cpu_started": cpu_started}


def end_to_end(clip: Path) -> dict:
    """(b): seconds per frame of the whole ``formcheck extract`` command on the clip."""
    from formcheck.cli import main
    from formcheck.cli.extract import command  # noqa: F401 - imports MediaPipe before the clock starts
    from formcheck.io.track_files import load_npz

    with tempfile.TemporaryDirectory() as out:
        cpu_started = time.process_time()
        started = time.perf_counter()
        code = main(["extract", str(clip), "-o", out])
        elapsed = time.perf_counter() - started
        if code != 0:
            raise SystemExit(f"formcheck extract failed on {clip}")
        frames = len(load_npz(Path(out) / f"{clip.stem}.npz"))
    return {"frames": frames, "seconds": elapsed, "cpu_started": cpu_started}


def run_child(kind: str, clip: Path) -> dict:
    """One measurement in a fresh process, so that neither inherits the other's warm caches or memory."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(clip)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPOSITORY,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _spin(iterations: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(iterations):
        total += i
    return time.perf_counter() - started


def cores_free() -> float:
    """How many cores this benchmark can use right now (1.0 to os.cpu_count()).

    Decoding overlaps inference only on a core that other programs leave free, so (b)/(a)
    means little without this figure: two identical CPU-bound processes are timed
    together and compared with one alone.
    """
    iterations = 10_000_000
    alone = _spin(iterations)
    with multiprocessing.Pool(2) as pool:
        started = time.perf_counter()
        pool.map(_spin, [iterations, iterations])
        together = time.perf_counter() - started
    return min(2.0, 2 * alone / together)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import cv2
    import mediapipe

    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"mediapipe {mediapipe.__version__}, OpenCV {cv2.__version__}, load average {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", default=DEFAULT_CLIPS)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    parser.add_argument("--child", choices=("model", "extract"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        clip = Path(args.clips[0])
        measured = model_only(clip) if args.child == "model" else end_to_end(clip)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        measured["max_rss_mb"] = usage.ru_maxrss / 1024
        measured["cpu_seconds"] = time.process_time() - measured.pop("cpu_started")
        print(json.dumps(measured))
        return

    print(machine())
    print(f"cores free for this benchmark at the start: {cores_free():.2f} of {os.cpu_count()}")
    header = f"{'clip':48} {'frames':>6} {'(a) ms':>7} {'(b) ms':>7} {'(b)/(a)':>7} {'(b) fps':>7}"
    print(f"{header} {'CPU a/b ms':>11} {'RSS a/b MB':>11}")
    ratios = []
    for relative in args.clips:
        clip = CLIPS / relative
        if not clip.exists():
            raise SystemExit(f"{clip} is absent: these benchmarks read ../shared/clips")
        model_runs, extract_runs = [], []
        for round_number in range(args.rounds):
            # Alternate the order too (a b, b a, …) so that a drift in outside load cancels out.
            order = ("model", "extract") if round_number % 2 == 0 else ("extract", "model")
            for kind in order:
                (model_runs if kind == "model" else extract_runs).append(run_child(kind, clip))
            if args.verbose:
                print(f"  a {model_runs[-1]}  b {extract_runs[-1]}", flush=True)
        frames = model_runs[0]["frames"]
        # The fastest run of each is the one least disturbed by other programs.
        a = min(run["seconds"] for run in model_runs) / frames
        b = min(run["seconds"] for run in extract_runs) / frames
        ratios.append(b / a)
        cpu_a = statistics.median(run["cpu_seconds"] for run in model_runs) / frames
        cpu_b = statistics.median(run["cpu_seconds"] for run in extract_runs) / frames
        rss_a = max(run["max_rss_mb"] for run in model_runs)
        rss_b = max(run["max_rss_mb"] for run in extract_runs)
        print(
            f"{relative:48} {frames:6d} {a * 1000:7.1f} {b * 1000:7.1f} {b / a:7.3f} {1 / b:7.1f} "
            f"{cpu_a * 1000:5.1f}/{cpu_b * 1000:<5.1f} {rss_a:5.0f}/{rss_b:<5.0f}"
        )
    print(f"median (b)/(a) over {len(ratios)} clips: {statistics.median(ratios):.3f}")
    print(f"cores free for this benchmark at the end: {cores_free():.2f} of {os.cpu_count()}")


if __name__ == "__main__":
    main()
