"""Whether handing the pose model a downscaled frame pays: time a frame and landmark agreement
against the resize height (issue 14, item 4).

For each clip and each height, in this one process (one height after another, the clip decoded
once beforehand): the frames resized to that height (``cv2.INTER_AREA``, aspect kept), then
formcheck's `PoseDetector` (BGR to RGB, MediaPipe's image, the model, selection) on each. Printed:
milliseconds a frame of resizing and of the detector (best of ``--rounds``), and how far the
landmarks are from those of the frames at their own size, in share of the frame (MediaPipe's
normalised coordinates, so sizes compare): the share of x/y coordinates within 0.02, of frames
with every landmark within 0.02, the median and 99th percentile difference, and whether the
complete reps and their verdicts stay those of the full-size track.

    .venv/bin/python benchmarks/bench_resize.py [--heights 720 540 480 360 288] [--rounds 2] [CLIP ...]

Clips default to the 720p lunge (split_squat) and goblet squat in ../shared/clips.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import cv2
import numpy as np

from formcheck.analysis.pipeline import analyze_track
from formcheck.core.track import PoseTrack
from formcheck.exercises import configured
from formcheck.pose.detector import PoseDetector
from formcheck.pose.legs import keep_leg_identity
from formcheck.pose.model import load_model

CLIPS = Path(__file__).resolve().parents[2] / "shared" / "clips"
DEFAULT_CLIPS = (
    ("lunge/ambaks_lunge_alternating.mp4", "split_squat"),
    ("squat/ambaks_goblet_squat_front.mp4", "squat"),
)


def decoded(clip: Path) -> tuple[list[np.ndarray], float]:
    capture = cv2.VideoCapture(str(clip), cv2.CAP_FFMPEG)
    frames = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(image)
    fps = capture.get(cv2.CAP_PROP_FPS)
    capture.release()
    return frames, fps


def run(frames: list[np.ndarray], fps: float, height: int) -> tuple[PoseTrack, float, float]:
    """The track of ``frames`` resized to ``height``, and ms a frame of resizing and of the detector."""
    model = load_model()
    full_height, full_width = frames[0].shape[:2]
    size = (round(full_width * height / full_height), height)
    resize_s = detect_s = 0.0
    poses = []
    with PoseDetector(model) as detector:
        for index, image in enumerate(frames):
            started = time.perf_counter()
            small = image if height == full_height else cv2.resize(image, size, interpolation=cv2.INTER_AREA)
            resized = time.perf_counter()
            poses.append(detector.detect(small, index / fps, index))
            resize_s += resized - started
            detect_s += time.perf_counter() - resized
    track = keep_leg_identity(PoseTrack.from_frames(poses, fps=fps, source="", model=model.name))
    return track, 1000 * resize_s / len(frames), 1000 * detect_s / len(frames)


def complete_verdicts(track: PoseTrack, exercise: str) -> list:
    report, _ = analyze_track(track, *configured(exercise))
    return [(rep.side, [(r.id, r.status) for r in rep.rules]) for rep in report.reps if rep.complete]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", help="CLIP:EXERCISE, relative to ../shared/clips")
    parser.add_argument("--heights", type=int, nargs="+", default=[720, 540, 480, 360, 288])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    clips = [tuple(c.split(":")) for c in args.clips] or DEFAULT_CLIPS
    print(f"load average at the start {os.getloadavg()[0]:.2f}")
    for relative, exercise in clips:
        frames, fps = decoded(CLIPS / relative)
        full = frames[0].shape[0]
        reference = None
        print(f"\n{relative} ({len(frames)} frames, {full} px high), {exercise}")
        print(
            f"  {'height':>6} {'resize ms':>9} {'detect ms':>9} {'coords<=0.02':>12} "
            f"{'frames<=0.02':>12} {'median':>7} {'p99':>6}  complete reps and verdicts"
        )
        for height in sorted(set(args.heights) | {full}, reverse=True):
            rounds = [run(frames, fps, height) for _ in range(args.rounds)]
            track = rounds[0][0]
            resize_ms = min(r[1] for r in rounds)
            detect_ms = min(r[2] for r in rounds)
            if reference is None:
                reference = track
                reference_verdicts = complete_verdicts(track, exercise)
            both = reference.person_found & track.person_found
            apart = np.abs(reference.image_xy - track.image_xy)[both]
            verdicts = complete_verdicts(track, exercise)
            same = "same" if verdicts == reference_verdicts else "differ"
            print(
                f"  {height:>6} {resize_ms:9.2f} {detect_ms:9.2f} {(apart <= 0.02).mean():12.2%} "
                f"{(apart.max(axis=(1, 2)) <= 0.02).mean():12.1%} {np.median(apart):7.4f} "
                f"{np.quantile(apart, 0.99):6.3f}  {same} ({len(verdicts)} vs {len(reference_verdicts)})"
            )
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
