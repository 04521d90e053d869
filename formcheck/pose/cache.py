"""The pose cache: every command that extracts (``analyze``, ``tune``, batches) runs the model on a
file once, and reads the track back on every later run.

An entry is keyed by what the track depends on: the file's content (not its name or date, so a
renamed copy hits and an edited file misses), the model bundle's content, and every extraction
setting. It lives in the user's cache directory (``platformdirs``), or in ``FORMCHECK_CACHE_DIR``
when that is set (tests, shared storage); deleting the folder only costs time. An entry holds
the model's own track (legs as it names them), and the legs' names are kept
(`formcheck.pose.legs`) each time it is read: a few milliseconds, and a better leg identity
needs no new extraction.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from platformdirs import user_cache_dir

from formcheck.core.track import PoseTrack
from formcheck.io.sources import DEFAULT_IMAGE_FPS
from formcheck.io.track_files import FORMAT_VERSION, TrackFileError, load_npz, save_npz
from formcheck.pose.detector import DEFAULT_NUM_POSES
from formcheck.pose.legs import keep_leg_identity
from formcheck.pose.model import PoseModel, load_model
from formcheck.pose.tracking import track_from_video

CACHE_ENV = "FORMCHECK_CACHE_DIR"
_CHUNK = 1 << 20


def cache_dir() -> Path:
    """Where pose tracks are cached: ``$FORMCHECK_CACHE_DIR``, else the user's cache directory."""
    return Path(os.environ.get(CACHE_ENV) or Path(user_cache_dir("formcheck")) / "poses")


def _content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        # An image folder: its files' names and contents, in name order.
        for child in sorted(p for p in path.iterdir() if p.is_file()):
            digest.update(child.name.encode())
            digest.update(_content_hash(child).encode())
        return digest.hexdigest()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def cache_key(
    path: Path, model: PoseModel, *, num_poses: int, image_fps: float, max_fps: float | None
) -> str:
    """The entry's name: hashes of the file and the model, and the settings, in one string.

    Not the number of workers: a track extracted in segments equals a one-worker one
    (`formcheck.pose.segments`), so either serves.
    """
    # raw: the legs as the model names them; their names are kept (`formcheck.pose.legs`) as an
    # entry is read, so that a change there needs no new extraction. reach1: no one taken for the
    # person further away than they could travel (`formcheck.pose.selection`). Older entries miss.
    rate = "all" if max_fps is None else f"{max_fps:g}"
    settings = f"n{num_poses}-img{image_fps:g}-fps{rate}-v{FORMAT_VERSION}-raw-reach1"
    model_hash = hashlib.sha256(model.data).hexdigest()[:12]
    return f"{_content_hash(path)[:24]}-{model.name}-{model_hash}-{settings}"


def cached_track(
    path: Path,
    model: PoseModel | None = None,
    *,
    num_poses: int = DEFAULT_NUM_POSES,
    image_fps: float = DEFAULT_IMAGE_FPS,
    max_fps: float | None = None,
    workers: int = 1,
    progress: bool = True,
    note: Callable[[str], None] | None = None,
    directory: Path | None = None,
) -> tuple[PoseTrack, bool]:
    """The pose track of the video (or image folder) at ``path``, and whether it came from the cache.

    A miss extracts (`track_from_video` with ``max_fps``, ``workers`` and ``note``, with its
    progress bar unless ``progress`` is False) and stores the track; an unreadable entry is
    extracted again rather than trusted. The track's ``source`` is always ``path`` as given now.
    ``directory``: the cache folder, instead of `cache_dir` (a cluster's workers get the one folder
    they share from the batch's ``--cache-dir``).
    """
    model = model or load_model()
    key = cache_key(path, model, num_poses=num_poses, image_fps=image_fps, max_fps=max_fps)
    entry = (directory or cache_dir()) / f"{key}.npz"
    if entry.exists():
        try:
            track = load_npz(entry)
        except TrackFileError:
            entry.unlink(missing_ok=True)
        else:
            return _named(keep_leg_identity(track), path), True
    track, _ = track_from_video(
        path,
        model,
        num_poses=num_poses,
        image_fps=image_fps,
        max_fps=max_fps,
        workers=workers,
        progress=progress,
        leg_identity=False,
        note=note,
    )
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        save_npz(track, entry)
    except OSError:
        pass  # A read-only or full cache only costs the next run an extraction.
    return _named(keep_leg_identity(track), path), False


def _named(track: PoseTrack, path: Path) -> PoseTrack:
    return replace(track, source=str(path))
