"""Make docs/overlay.png, the README's picture of the live overlay, from a bundled sample.

The real pipeline, frame by frame as live mode runs it: the bundled pose model, the exercise
engine (`ExerciseSession.update`) and the overlay (`render_overlay`) on the studio clip of a
hip hinge with its knees over the toes. The picture is the frame a second after the first rep
ends, so the rule lights of that rep are up while the next rep is under way.

    .venv/bin/python docs/make_overlay_image.py [--clip PATH] [--exercise NAME] [-o PNG]

Re-run it whenever the overlay changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2

from formcheck.analysis.session import ExerciseSession
from formcheck.exercises import configured
from formcheck.pose.detector import PoseDetector
from formcheck.pose.model import load_model
from formcheck.render.overlay import LoopStatus, render_overlay
from formcheck.render.presenter import SessionPresenter

REPO = Path(__file__).resolve().parents[1]
SECONDS_AFTER_FIRST_REP = 1.0


def overlay_frame(clip: Path, exercise: str) -> tuple:
    """The overlay canvas (H, W, 3) BGR a second after the first rep of `clip`, and its time."""
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS)
    if not capture.isOpened() or not fps > 0:
        raise SystemExit(f"make_overlay_image: cannot read {clip} as a video")
    presenter = SessionPresenter(ExerciseSession(*configured(exercise), source=str(clip), fps=fps), exercise)
    canvas, first_rep_at, index = None, None, 0
    with PoseDetector(load_model(), num_poses=1) as detector:
        while True:
            ok, image = capture.read()
            if not ok:
                break
            t = index / fps
            pose = detector.detect(image, t, index)
            presenter.update(pose)
            if presenter.new_reps() and first_rep_at is None:
                first_rep_at = t
            overlay = presenter.overlay(pose, status=LoopStatus(fps=fps, latency_ms=40.0, dropped=0))
            canvas = render_overlay(image, overlay)
            if first_rep_at is not None and t >= first_rep_at + SECONDS_AFTER_FIRST_REP:
                return canvas, t
            index += 1
    if canvas is None:
        raise SystemExit(f"make_overlay_image: {clip} has no frames")
    return canvas, index / fps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=REPO / "samples/studio/hip_hinge_knee_over_toes.mp4")
    parser.add_argument("--exercise", default="hip_hinge")
    parser.add_argument("-o", "--output", type=Path, default=REPO / "docs/overlay.png")
    args = parser.parse_args()
    canvas, t = overlay_frame(args.clip, args.exercise)
    cv2.imwrite(str(args.output), canvas, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"{args.output}: {args.clip.name} at {t:.2f} s, {canvas.shape[1]}x{canvas.shape[0]}")


if __name__ == "__main__":
    main()
