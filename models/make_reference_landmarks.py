"""Write the reference landmarks that the bundled model is tested against.

The legacy ``mp.solutions.pose`` API of mediapipe 0.10.21 runs the very networks that
``build_pose_task.py`` packs into ``pose_landmarker_full.task``, through MediaPipe's own
graph.  Its landmarks on one real frame are the reference: the bundle, run through the
Tasks API, must give the same 33 landmarks (``tests/pose/test_model_bundle.py``).

Run it in the throwaway venv that builds the bundle (mediapipe 1.2.x no longer has
``mp.solutions``), from the repository root, with ../shared beside it::

    /tmp/mp0/bin/python models/make_reference_landmarks.py

Only numbers derived from the frame are written; the frame stays in ../shared.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import mediapipe
import numpy as np

REPOSITORY = Path(__file__).resolve().parents[1]
CLIP = "clips/squat/kaiakol_half_squat_side.mp4"
FRAME_INDEX = 10
OUT = REPOSITORY / "tests" / "data" / "reference_landmarks.json"


def read_frame(clip: Path, index: int) -> np.ndarray:
    capture = cv2.VideoCapture(str(clip))
    capture.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, bgr = capture.read()
    capture.release()
    if not ok:
        raise SystemExit(f"cannot read frame {index} of {clip}")
    return bgr


def legacy_landmarks(bgr: np.ndarray) -> np.ndarray:
    """(33, 4) x, y, z, visibility from the full model in still-image mode."""
    with mediapipe.solutions.pose.Pose(static_image_mode=True, model_complexity=1) as pose:
        result = pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    if result.pose_landmarks is None:
        raise SystemExit("the legacy model found nobody on the reference frame")
    return np.array([[p.x, p.y, p.z, p.visibility] for p in result.pose_landmarks.landmark])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPOSITORY.parent / "shared")
    args = parser.parse_args()
    if mediapipe.__version__ != "0.10.21":
        raise SystemExit(f"needs mediapipe==0.10.21, found {mediapipe.__version__}")
    landmarks = legacy_landmarks(read_frame(args.shared / CLIP, FRAME_INDEX))
    header = {
        "clip": CLIP,
        "frame_index": FRAME_INDEX,
        "made_with": "mediapipe==0.10.21 mp.solutions.pose, static_image_mode, model_complexity=1",
        "columns": ["x", "y", "z", "visibility"],
    }
    # One landmark per line keeps the file short and its diffs readable.
    rows = ",\n  ".join(json.dumps([round(float(v), 6) for v in row]) for row in landmarks)
    OUT.write_text(json.dumps(header, indent=1)[:-2] + f',\n "landmarks": [\n  {rows}\n ]\n}}\n')
    print(f"wrote {OUT}")
