"""The label file a labelling session saves (design.md §8): ``CLIP.labels.json`` beside the clip.

Shape, that of the studio's ``.truth.json``: ``{"format": "formcheck-labels", "version": 1,
"exercise", "fps", "clip": <file name>, "reps": [{"side", "start_s", "end_s", "complete",
"faults": [rule ids], "clean": [rule ids]}]}``; a rule in neither list is unlabelled.
"""

from __future__ import annotations

import json
from pathlib import Path

LABELS_FORMAT = "formcheck-labels"
LABELS_VERSION = 1
LABELS_SUFFIX = ".labels.json"


def default_labels_path(clip: Path) -> Path:
    """``CLIP.labels.json`` beside the clip (``squat.mp4`` -> ``squat.labels.json``)."""
    return clip.with_name(clip.stem + LABELS_SUFFIX)


def labels_document(*, exercise: str, fps: float, clip: Path, reps: list[dict]) -> dict:
    """The whole file's content for the ``reps`` of `Labelling.labels`."""
    return {
        "format": LABELS_FORMAT,
        "version": LABELS_VERSION,
        "exercise": exercise,
        "fps": round(float(fps), 3),
        "clip": clip.name,
        "reps": reps,
    }


def write_labels(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` whole or not at all (a ``.partial`` file renamed over it)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    partial.replace(path)
