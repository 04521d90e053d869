"""Saving and loading pose tracks: npz (the project's own format) and CSV tables.

CSV uses the column naming common to MediaPipe projects: an optional ``label``
column, optional ``t`` / ``frame`` columns, then ``<landmark>_x, _y, _z, _v`` for
any subset of the 33 landmarks (``nose_x, nose_y, nose_z, nose_v, left_shoulder_x …``).
Landmarks a table leaves out are NaN.  A table without a ``t`` column is a set of
independent poses, not a sequence.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from formcheck.core.landmarks import NUM_LANDMARKS, Landmark
from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.io.atomic import atomic_output

FORMAT_VERSION = 1
_AXES = ("x", "y", "z", "v")


class TrackFileError(FormcheckError):
    """A pose-track file that cannot be read; the message says what is wrong."""


def save_npz(track: PoseTrack, path: Path) -> None:
    """Write ``track`` to ``path`` (npz, compressed), atomically."""
    meta = {
        "format_version": FORMAT_VERSION,
        "fps": track.fps,
        "source": track.source,
        "model": track.model,
        "image_size": list(track.image_size),
        "is_sequence": track.is_sequence,
    }
    arrays = {
        "index": track.index,
        "image_xy": track.image_xy.astype(np.float32),
        "z": track.z.astype(np.float32),
        "visibility": track.visibility.astype(np.float32),
        "presence": track.presence.astype(np.float32),
        "world": track.world.astype(np.float32),
        "meta": np.array(json.dumps(meta)),
    }
    if track.t is not None:
        arrays["t"] = track.t
    if track.labels is not None:
        arrays["labels"] = track.labels.astype(str)
    with atomic_output(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)


def load_npz(path: Path) -> PoseTrack:
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format_version") != FORMAT_VERSION:
                raise TrackFileError(
                    f"{path}: pose-track format version {meta.get('format_version')}, "
                    f"this formcheck reads version {FORMAT_VERSION}; re-run `formcheck extract`"
                )
            return PoseTrack(
                t=data["t"].astype(np.float64) if "t" in data else None,
                index=data["index"].astype(np.int64),
                image_xy=data["image_xy"].astype(np.float64),
                z=data["z"].astype(np.float64),
                visibility=data["visibility"].astype(np.float64),
                presence=data["presence"].astype(np.float64),
                world=data["world"].astype(np.float64),
                image_size=tuple(meta["image_size"]),
                fps=float(meta["fps"]),
                source=meta["source"],
                model=meta["model"],
                labels=data.get("labels"),
            )
    except TrackFileError:
        raise
    except (OSError, KeyError, ValueError, EOFError) as error:
        raise TrackFileError(
            f"{path}: not a formcheck pose track ({error}); make one with `formcheck extract`"
        ) from error


def save_csv(track: PoseTrack, path: Path) -> None:
    """Write ``t``, ``frame`` (for sequences), ``label`` (if any) and x, y, z, v of all 33 landmarks.

    Atomically, like `save_npz`.
    """
    header: list[str] = []
    if track.labels is not None:
        header.append("label")
    if track.t is not None:
        header += ["t", "frame"]
    header += [f"{lm.column_name}_{axis}" for lm in Landmark for axis in _AXES]
    landmark_values = np.concatenate(
        [track.image_xy, track.z[..., None], track.visibility[..., None]], axis=2
    ).reshape(len(track), NUM_LANDMARKS * 4)
    with atomic_output(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(len(track)):
            row: list[object] = []
            if track.labels is not None:
                row.append(track.labels[i])
            if track.t is not None:
                row += [repr(float(track.t[i])), int(track.index[i])]
            row += ["" if np.isnan(v) else repr(float(v)) for v in landmark_values[i]]
            writer.writerow(row)


def load_csv(path: Path) -> PoseTrack:
    """Read a landmark table; unknown columns are an error that lists the expected names."""
    try:
        with open(path, newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise TrackFileError(f"{path}: cannot read ({error})") from error
    if not rows:
        raise TrackFileError(f"{path}: empty file; expected a header row such as nose_x,nose_y,…")
    header, body = [name.strip().lower() for name in rows[0]], rows[1:]
    landmark_columns: dict[str, tuple[int, int]] = {}
    for lm in Landmark:
        for axis_index, axis in enumerate(_AXES):
            landmark_columns[f"{lm.column_name}_{axis}"] = (lm, axis_index)
    unknown = [
        name for name in header if name not in landmark_columns and name not in ("label", "t", "frame")
    ]
    if unknown:
        raise TrackFileError(
            f"{path}: unknown column(s) {', '.join(unknown)}; expected label, t, frame and "
            "<landmark>_x/_y/_z/_v with landmark one of " + ", ".join(lm.column_name for lm in Landmark)
        )
    if not any(name in landmark_columns for name in header):
        raise TrackFileError(f"{path}: no landmark columns; expected names such as nose_x, left_knee_y")
    n = len(body)
    values = np.full((n, NUM_LANDMARKS, 4), np.nan)
    try:
        numeric = {
            name: np.array([float(row[c]) if row[c].strip() else np.nan for row in body])
            for c, name in enumerate(header)
            if name != "label"
        }
    except (ValueError, IndexError) as error:
        raise TrackFileError(f"{path}: a row is short or holds a non-number ({error})") from error
    for name, (lm, axis_index) in ((k, v) for k, v in landmark_columns.items() if k in numeric):
        values[:, lm, axis_index] = numeric[name]
    labels = np.array([row[header.index("label")] for row in body]) if "label" in header else None
    try:
        return PoseTrack(
            t=numeric.get("t"),
            index=numeric["frame"].astype(np.int64) if "frame" in numeric else np.arange(n),
            image_xy=values[..., :2],
            z=values[..., 2],
            visibility=values[..., 3],
            # Tables carry visibility only; presence is taken to equal it.
            presence=values[..., 3].copy(),
            # Tables carry no world landmarks.
            world=np.full((n, NUM_LANDMARKS, 3), np.nan),
            fps=0.0,
            source=str(path),
            model="",
            labels=labels,
        )
    except ValueError as error:
        raise TrackFileError(f"{path}: {error}; fix the table (column t holds seconds)") from error


def load_track(path: Path) -> PoseTrack:
    """Load a pose track from ``.npz`` or ``.csv``, by extension."""
    suffix = path.suffix.lower()
    if suffix == ".npz":
        return load_npz(path)
    if suffix == ".csv":
        return load_csv(path)
    raise TrackFileError(f"{path}: pose tracks are .npz or .csv files, not {suffix or 'no extension'}")
