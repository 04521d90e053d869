"""The cost of `formcheck analyze --video` per frame, against the pose model's own time per frame.

For each clip, in this process (its pose track extracted once, as analyze's cache would hold it):
  (a) extraction: `track_from_video` — decoding and the pose model, the work analyze does anyway;
  (b) --video: `write_media(..., video=True)` — the input decoded a second time, the engine
      replayed frame by frame, the live overlay drawn and the canvas encoded to H.264 (and the key
      frame written): all that --video adds;
  (c) the same pass with a writer that drops the canvases — decoding, replay and drawing alone;
      (b) - (c) is the encoder's share.
Prints milliseconds per frame, wall and CPU time (all threads; on a busy machine the CPU time is
the steadier figure), each the smallest of the rounds (the run least disturbed by other programs),
the ratios (b)/(a), the canvas size and the mp4's size. The 1-minute load average is printed
before and after, since the machine may be shared.

    .venv/bin/python benchmarks/bench_video.py [--rounds 3] [CLIP ...]

Clips default to a bundled studio sample (640x480: a 1420x720 canvas with the side bar) and, when
../shared is beside the checkout, a 1280x720 clip (a 1280x720 canvas).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_CLIPS = Path(os.environ.get("FORMCHECK_SHARED") or REPOSITORY.parent / "shared") / "clips"
DEFAULT_CLIPS = (
    (REPOSITORY / "samples/studio/split_squat_knee_over_toes.mp4", "split_squat"),
    (SHARED_CLIPS / "squat/ambaks_goblet_squat_front.mp4", "squat"),
)


class _DropCanvases:
    """A stand-in for `Mp4Writer` that keeps nothing: (c) times everything but the encoder."""

    size = None

    def write(self, canvas) -> None:
        pass


def measure(clip: Path, exercise: str, rounds: int) -> dict:
    from formcheck.analysis.pipeline import analyze_track
    from formcheck.analysis.session import ExerciseSession
    from formcheck.exercises import configured
    from formcheck.io.sources import VideoSource
    from formcheck.pose.model import load_model
    from formcheck.pose.tracking import track_from_video
    from formcheck.render.annotated import annotate, write_media
    from formcheck.render.presenter import SessionPresenter

    spec, thresholds = configured(exercise)
    model = load_model()
    best = {name: float("inf") for name in ("extract", "video", "draw")}
    best.update({f"{name}_cpu": float("inf") for name in ("extract", "video", "draw")})

    def record(name: str, started: float, cpu: float) -> None:
        best[name] = min(best[name], time.perf_counter() - started)
        best[f"{name}_cpu"] = min(best[f"{name}_cpu"], time.process_time() - cpu)

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "clip.json"
        for _ in range(rounds):
            cpu, started = time.process_time(), time.perf_counter()
            track, _ = track_from_video(clip, model, progress=False)
            record("extract", started, cpu)
            report, _ = analyze_track(track, spec, thresholds)

            cpu, started = time.process_time(), time.perf_counter()
            session = ExerciseSession(spec, thresholds, fps=track.fps)
            write_media(clip, track, report.reps, session, target, video=True)
            record("video", started, cpu)

            cpu, started = time.process_time(), time.perf_counter()
            presenter = SessionPresenter(ExerciseSession(spec, thresholds, fps=track.fps), exercise)
            with VideoSource(clip) as source:
                annotate(source, track, presenter, video=_DropCanvases(), key=None)
            record("draw", started, cpu)
        mp4 = target.with_suffix(".mp4")
        import av

        with av.open(str(mp4)) as container:
            stream = container.streams.video[0]
            size = f"{stream.width}x{stream.height}"
        megabytes = mp4.stat().st_size / 1e6
    frames = len(track)
    image = f"{track.image_size[0]}x{track.image_size[1]}"
    per_frame = {name: 1000 * seconds / frames for name, seconds in best.items()}
    return {
        "clip": clip.name,
        "image": image,
        "canvas": size,
        "frames": frames,
        "mp4_mb": megabytes,
        **per_frame,
    }


def _pair(row: dict, name: str) -> str:
    return f"{row[name]:.1f} / {row[name + '_cpu']:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path)
    parser.add_argument("--exercise", default="squat", help="exercise for clips given on the command line")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    clips = [(clip, args.exercise) for clip in args.clips] or [
        (clip, exercise) for clip, exercise in DEFAULT_CLIPS if clip.exists()
    ]
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(
        "| clip | image -> canvas | frames | (a) extraction | (b) --video | (c) decode+replay+draw "
        "| encode (b)-(c) | (b)/(a) | mp4 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for clip, exercise in clips:
        row = measure(clip, exercise, args.rounds)

        encode = f"{row['video'] - row['draw']:.1f} / {row['video_cpu'] - row['draw_cpu']:.1f}"
        ratio = f"{row['video'] / row['extract']:.2f} / {row['video_cpu'] / row['extract_cpu']:.2f}"
        print(
            f"| {row['clip']} | {row['image']} -> {row['canvas']} | {row['frames']} "
            f"| {_pair(row, 'extract')} | {_pair(row, 'video')} | {_pair(row, 'draw')} "
            f"| {encode} | {ratio} | {row['mp4_mb']:.1f} MB |",
            flush=True,
        )
    print("(ms per frame: wall / CPU of all threads; ratios likewise)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
