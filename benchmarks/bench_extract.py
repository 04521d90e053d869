"""How fast `formcheck extract` is beside the model's own speed and the peers' usual loop, in one run.

For each clip, alternately in fresh processes (rounds a b c d, then d c b a, … so that a drift in
outside load falls on all alike):

  (a) model only: MediaPipe's PoseLandmarker (formcheck's options) on frames decoded and converted
      to RGB beforehand — the floor (it holds every frame in memory, hence its size);
  (b) ``formcheck extract CLIP -o TMP --workers 1``, the whole process (interpreter start, imports,
      model load, decoding, writing);
  (c) the same with ``--workers N`` (default: the cores this process may use), whole process;
  (d) the peers' usual single-threaded loop — legacy ``mp.solutions.pose`` (mediapipe 0.10.21,
      the last release with it, ``model_complexity=1``, the full model), read → process → draw —
      in its own throwaway virtual environment (made once under ``--peer-venv``, outside the
      repository; skipped with a message where it cannot be installed).

It prints frames per second of each (the fastest round: the one least disturbed), each as a ratio
to the floor and to the peer loop, peak memory per process (max RSS of the main process and of its
largest worker), and once per clip where a one-worker extraction spends its time per frame (decode
on the read-ahead thread, colour conversion, the copy into MediaPipe's image, inference, selection,
writing). The cores free at the start and the end (idle over 2 s, from /proc/stat) are printed
too: figures count only from a run with at least 1.8 of 2 cores free at both.

    .venv/bin/python benchmarks/bench_extract.py [--rounds 3] [--workers N] [--verbose] [CLIP ...]

Clips default to the 720p ones in ../shared/clips (paths relative to ../shared/clips).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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
    "lunge/ambaks_lunge_alternating.mp4",
)
PEER_VENV = Path(tempfile.gettempdir()) / "formcheck-peer-mp-0.10.21"
PEER_LOOP = """
import json, sys, time, resource
import cv2
import mediapipe as mp

capture = cv2.VideoCapture(sys.argv[1])
pose = mp.solutions.pose.Pose(model_complexity=1, static_image_mode=False)
frames = 0
while True:
    ok, image = capture.read()
    if not ok:
        break
    result = pose.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    if result.pose_landmarks:
        mp.solutions.drawing_utils.draw_landmarks(
            image, result.pose_landmarks, mp.solutions.pose.POSE_CONNECTIONS
        )
    frames += 1
print(json.dumps({"frames": frames, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


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


def extract_child(clip: Path, workers: int) -> dict:
    """In a child: ``formcheck extract`` on ``clip``; peak memory of this process and of its workers."""
    from formcheck.cli import main
    from formcheck.io.track_files import load_npz

    with tempfile.TemporaryDirectory() as out:
        code = main(["extract", str(clip), "-o", out, "--workers", str(workers)])
        if code != 0:
            raise SystemExit(f"formcheck extract failed on {clip}")
        frames = len(load_npz(Path(out) / f"{clip.stem}.npz"))
    return {
        "frames": frames,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def stages(clip: Path) -> dict:
    """In a child: one-worker extraction's time per frame in each stage, milliseconds."""
    from formcheck.core.track import PoseTrack
    from formcheck.io.sources import VideoSource
    from formcheck.io.track_files import save_npz
    from formcheck.pose.detector import PoseDetector
    from formcheck.pose.legs import keep_leg_identity
    from formcheck.pose.model import load_model

    model = load_model()
    with VideoSource(clip) as source, PoseDetector(model) as detector:
        poses = [detector.detect(frame.image, frame.t, frame.index) for frame in source]
        decode = source.decode_s
    started = time.perf_counter()
    track = keep_leg_identity(
        PoseTrack.from_frames(poses, fps=source.fps, source=str(clip), model=model.name)
    )
    legs = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        save_npz(track, Path(out) / "track.npz")
        writing = time.perf_counter() - started
    times = {
        "decode (read-ahead thread)": decode,
        **detector.stage_s,
        "leg identity": legs,
        "writing": writing,
    }
    return {name: 1000 * seconds / len(poses) for name, seconds in times.items()}


def peer_python(venv: Path) -> Path | None:
    """The throwaway environment's python with mediapipe 0.10.21, made if needed; None if it cannot be."""
    python = venv / "bin" / "python"
    if (
        python.exists()
        and subprocess.run(
            [python, "-c", "import mediapipe; mediapipe.solutions.pose.Pose"], capture_output=True
        ).returncode
        == 0
    ):
        return python
    print(f"making the peer loop's environment in {venv} (mediapipe==0.10.21) ...", flush=True)
    made = subprocess.run(
        [sys.executable, "-m", "venv", "--clear", str(venv)], capture_output=True, text=True
    )
    if made.returncode == 0:
        made = subprocess.run(
            [python, "-m", "pip", "install", "-q", "mediapipe==0.10.21"], capture_output=True, text=True
        )
    if made.returncode != 0:
        lines = (made.stderr or made.stdout).strip().splitlines()
        print(
            "peer loop skipped: mediapipe==0.10.21 cannot be installed "
            f"({lines[-1] if lines else 'no output'})"
        )
        return None
    return python


def run(kind: str, clip: Path, workers: int, peer: Path | None) -> dict:
    """One measurement in a fresh process; ``seconds`` is that whole process's wall time for (b)-(d)."""
    if kind == "peer":
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
            script.write(PEER_LOOP)
        command = [str(peer), script.name, str(clip)]
    else:
        command = [sys.executable, __file__, "--child", kind, "--workers", str(workers), str(clip)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPOSITORY)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{kind} failed on {clip}: {result.stderr.strip().splitlines()[-1:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    if kind not in ("model", "stages"):
        measured["seconds"] = elapsed
    return measured


def cores_free(sample_s: float = 2.0) -> float:
    """Cores idle over the next ``sample_s`` seconds (from /proc/stat), where it exists; else the
    cores minus the 1-minute load average, at least 0.

    Measured now, not averaged over the last minute: at the end of a run the load average still
    counts the benchmark's own extractions (about 1.7 for a minute after), which say nothing of
    other programs."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return max(0.0, (os.cpu_count() or 1) - os.getloadavg()[0])

    def idle_and_total() -> tuple[int, int]:
        # cpu  user nice system idle iowait irq softirq steal …: idle and iowait are free time.
        ticks = [int(value) for value in stat.read_text().split("\n", 1)[0].split()[1:]]
        return ticks[3] + ticks[4], sum(ticks[:8])

    idle_before, total_before = idle_and_total()
    time.sleep(sample_s)
    idle_after, total_after = idle_and_total()
    share = (idle_after - idle_before) / max(1, total_after - total_before)
    return share * (os.cpu_count() or 1)


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
        f"mediapipe {mediapipe.__version__}, OpenCV {cv2.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", default=DEFAULT_CLIPS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--peer-venv", type=Path, default=PEER_VENV)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    parser.add_argument(
        "--child", choices=("model", "extract1", "extractN", "stages"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        clip = Path(args.clips[0])
        if args.child == "model":
            measured = model_only(clip)
            measured.pop("cpu_started")
        elif args.child == "stages":
            measured = stages(clip)
        else:
            measured = extract_child(clip, 1 if args.child == "extract1" else args.workers)
        measured["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(measured))
        return

    print(machine())
    free_at_start = cores_free()
    print(
        f"cores free at the start: {free_at_start:.2f} of {os.cpu_count()} "
        f"(load average {os.getloadavg()[0]:.2f})"
    )
    peer = peer_python(args.peer_venv)
    kinds = ["model", "extract1", "extractN"] + (["peer"] if peer else [])
    names = {
        "model": "(a) model",
        "extract1": "(b) 1 worker",
        "extractN": f"(c) {args.workers} workers",
        "peer": "(d) peer loop",
    }
    for relative in args.clips:
        clip = CLIPS / relative
        if not clip.exists():
            raise SystemExit(f"{clip} is absent: these benchmarks read ../shared/clips")
        runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
        for round_number in range(args.rounds):
            for kind in kinds if round_number % 2 == 0 else kinds[::-1]:
                runs[kind].append(run(kind, clip, args.workers, peer))
                if args.verbose:
                    print(f"  {kind} {runs[kind][-1]}", flush=True)
        frames = runs["model"][0]["frames"]
        fps = {kind: frames / min(r["seconds"] for r in runs[kind]) for kind in kinds}
        print(f"\n{relative}: {frames} frames, {args.rounds} rounds")
        print(f"  {'':18} {'frames/s':>9} {'x floor':>8} {'x peer':>7} {'RSS MB main/worker':>19}")
        for kind in kinds:
            rss = max(r["max_rss_mb"] for r in runs[kind])
            worker = max((r.get("worker_rss_mb", 0.0) for r in runs[kind]), default=0.0)
            versus_peer = f"{fps[kind] / fps['peer']:7.2f}" if peer else "      -"
            memory = f"{rss:.0f}/{worker:.0f}" if kind == "extractN" else f"{rss:.0f}"
            print(
                f"  {names[kind]:18} {fps[kind]:9.1f} {fps[kind] / fps['model']:8.2f} "
                f"{versus_peer} {memory:>19}"
            )
        breakdown = run("stages", clip, 1, None)
        breakdown.pop("max_rss_mb")
        print("  one worker, ms a frame: " + ", ".join(f"{name} {ms:.2f}" for name, ms in breakdown.items()))
    free_at_end = cores_free()
    print(
        f"\ncores free at the end: {free_at_end:.2f} of {os.cpu_count()} "
        f"(load average {os.getloadavg()[0]:.2f})"
    )
    if min(free_at_start, free_at_end) < 1.8:
        print("these figures do not count: fewer than 1.8 cores were free (re-run on a quiet machine)")


if __name__ == "__main__":
    main()
