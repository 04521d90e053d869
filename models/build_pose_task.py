"""Build ``pose_landmarker_full.task`` from the weights in MediaPipe's 0.10.21 wheel.

The official ``.task`` downloads are out of reach here, but the legacy
``mp.solutions.pose`` wheel carries the same two networks.  The Tasks API refuses
them without image-input metadata ("Input tensor has type float32: it requires
specifying NormalizationOptions metadata"), so this script adds that metadata and
zips the two files, stored (uncompressed), under the names the Tasks API expects.

Run it in a throwaway venv, because mediapipe 1.2.x ships the metadata writer
without its compiled part::

    python3 -m venv /tmp/mp0 && /tmp/mp0/bin/pip install mediapipe==0.10.21
    /tmp/mp0/bin/python models/build_pose_task.py

The output is byte-for-byte reproducible: the zip entries carry a fixed date.
"""

from __future__ import annotations

import argparse
import hashlib
import zipfile
from pathlib import Path

import mediapipe
from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer, writer_utils

WHEEL_DIR = Path(mediapipe.__file__).parent / "modules"
DETECTOR = WHEEL_DIR / "pose_detection" / "pose_detection.tflite"
LANDMARKER = WHEEL_DIR / "pose_landmark" / "pose_landmark_full.tflite"
FIXED_ZIP_DATE = (2025, 1, 1, 0, 0, 0)


def with_image_metadata(model: bytes, name: str, mean: float, std: float) -> bytes:
    """Return ``model`` with RGB image-input normalisation and one feature entry per output."""
    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, f"{name} from mediapipe==0.10.21, metadata added by formcheck")
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    for output_name in writer_utils.get_output_tensor_names(bytearray(model)):
        writer.add_feature_output(name=output_name)
    populated, _ = writer.populate()
    return bytes(populated)


def build(out: Path) -> str:
    if mediapipe.__version__ != "0.10.21":
        raise SystemExit(f"needs mediapipe==0.10.21, found {mediapipe.__version__}")
    # The detector was trained on inputs in [-1, 1]; the landmark model on [0, 1].
    detector = with_image_metadata(DETECTOR.read_bytes(), "pose_detector", 127.5, 127.5)
    landmarks = with_image_metadata(LANDMARKER.read_bytes(), "pose_landmarks_detector", 0.0, 255.0)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as bundle:
        for entry_name, payload in (
            ("pose_detector.tflite", detector),
            ("pose_landmarks_detector.tflite", landmarks),
        ):
            info = zipfile.ZipInfo(entry_name, date_time=FIXED_ZIP_DATE)
            info.external_attr = 0o644 << 16
            bundle.writestr(info, payload)
    return hashlib.sha256(out.read_bytes()).hexdigest()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-o", "--out", type=Path, default=Path(__file__).with_name("pose_landmarker_full.task")
    )
    args = parser.parse_args()
    print(f"{args.out}  sha256 {build(args.out)}")
