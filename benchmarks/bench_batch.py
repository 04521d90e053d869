"""Batch throughput of `formcheck analyze`: N worker processes against one, on the same videos.

Each run is the real command in a fresh process, ``formcheck analyze CLIPS --exercises MAP
--workers K --cache-dir EMPTY``, with an empty pose cache of its own so the model really runs on
every file; its wall time includes starting the processes and loading the model, as a user waits
for it. Runs alternate (1, N, N, 1, …) so load from other programs falls on both alike. With
``--cluster`` it also runs the batch on a local Dask cluster started here (a scheduler and N
single-thread workers on 127.0.0.1, started before the timing: a cluster is already running when
a batch is sent to it) with ``--cluster ADDRESS --workers N``.

Prints, per setting, files/s and frames/s (the best round: the least disturbed by other programs,
and the median), the ratio to one worker, and the machine: cores, load average before and after.

    .venv/bin/python benchmarks/bench_batch.py [--workers 2] [--rounds 2] [--cluster] [CLIP ...]

Clips default to four bundled studio renders (samples/studio, 573 frames at 640x480); any other
video needs ``--exercise`` (clips from ../shared/clips: skipped with a message when absent).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
STUDIO = REPOSITORY / "samples" / "studio"
FORMCHECK = Path(sys.executable).with_name("formcheck")
DEFAULT_CLIPS = tuple(
    STUDIO / f"{name}.mp4"
    for name in ("hip_hinge_clean", "squat_clean", "split_squat_clean", "clamshell_clean")
)


def exercise_of(clip: Path, fallback: str | None) -> str:
    """The studio truth's exercise beside ``clip``, else ``--exercise``."""
    truth = clip.with_suffix(".truth.json")
    if truth.exists():
        return json.loads(truth.read_text())["exercise"]
    if fallback is None:
        sys.exit(f"bench_batch: {clip}: no studio truth beside it; give --exercise NAME")
    return fallback


def run_batch(clips: list[Path], mapping: Path, work: Path, extra: list[str]) -> tuple[float, int]:
    """Seconds of one batch with an empty pose cache, and the frames it analysed."""
    out, cache = Path(tempfile.mkdtemp(dir=work)), Path(tempfile.mkdtemp(dir=work))
    command = [str(FORMCHECK), "analyze", *map(str, clips), "--exercises", str(mapping)]
    command += ["--out", str(out), "--cache-dir", str(cache), *extra]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench_batch: {' '.join(command)} failed:\n{done.stderr}")
    frames = sum(json.loads((out / f"{clip.stem}.json").read_text())["frames"] for clip in clips)
    if len(list(cache.glob("*.npz"))) != len(clips):
        sys.exit("bench_batch: the model did not run on every clip (pose cache entries missing)")
    return seconds, frames


class LocalCluster:
    """A Dask scheduler and ``workers`` single-thread workers on 127.0.0.1, as the README starts them."""

    def __init__(self, workers: int, folder: Path) -> None:
        scheduler_file = folder / "scheduler.json"
        self.processes = [self._start("scheduler", "--port", "0", "--scheduler-file", str(scheduler_file))]
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]
        self.processes.append(
            self._start("worker", self.address, "--nworkers", str(workers), "--nthreads", "1")
        )
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)

    @staticmethod
    def _start(tool: str, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                f"distributed.cli.dask_{tool}",
                *args,
                "--host",
                "127.0.0.1",
                "--no-dashboard",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clips", nargs="*", type=Path)
    parser.add_argument("--exercise", help="exercise of clips without a studio truth file")
    parser.add_argument("--workers", type=int, default=2, help="N, compared with 1 (default 2)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cluster", action="store_true", help="also run on a local Dask cluster")
    args = parser.parse_args()
    clips = [clip.resolve() for clip in args.clips] or list(DEFAULT_CLIPS)
    missing = [clip for clip in clips if not clip.exists()]
    if missing:
        sys.exit(f"bench_batch: {missing[0]} is absent (../shared/clips not on this machine?)")
    print(
        f"machine: {_cpu_model()}, {os.cpu_count()} cores, "
        f"{len(os.sched_getaffinity(0))} usable; python {platform.python_version()}"
    )
    print(f"clips: {len(clips)} ({', '.join(clip.name for clip in clips)})")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        mapping = work / "map.toml"
        mapping.write_text(
            "".join(f'"{clip.name}" = "{exercise_of(clip, args.exercise)}"\n' for clip in clips)
        )
        settings = {
            "1 process": ["--workers", "1"],
            f"{args.workers} processes": ["--workers", str(args.workers)],
        }
        cluster = LocalCluster(args.workers, work) if args.cluster else None
        if cluster:
            settings[f"Dask, {args.workers} workers"] = [
                "--cluster",
                cluster.address,
                "--workers",
                str(args.workers),
            ]
        times: dict[str, list[float]] = {name: [] for name in settings}
        frames = 0
        try:
            for round_ in range(args.rounds):
                order = list(settings) if round_ % 2 == 0 else list(reversed(settings))
                for name in order:
                    load = os.getloadavg()[0]
                    seconds, frames = run_batch(clips, mapping, work, settings[name])
                    times[name].append(seconds)
                    print(
                        f"  round {round_ + 1}: {name}: {seconds:.1f} s (load {load:.2f} at its start)",
                        flush=True,
                    )
        finally:
            if cluster:
                cluster.stop()
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min): before {_load(load_before)}, after {_load(load_after)}")
    print(f"{frames} frames in {len(clips)} files per batch")
    print(f"{'setting':<20} {'best s':>7} {'median s':>8} {'files/s':>8} {'frames/s':>9} {'x one':>6}")
    one = min(times["1 process"])
    for name, seconds in times.items():
        best = min(seconds)
        print(
            f"{name:<20} {best:>7.1f} {statistics.median(seconds):>8.1f} {len(clips) / best:>8.2f} "
            f"{frames / best:>9.1f} {one / best:>6.2f}"
        )


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.machine()
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "?")


def _load(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


if __name__ == "__main__":
    main()
