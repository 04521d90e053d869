"""Frame sources of files: video files and folders of images, behind one interface, for every
reader of a file — `extract` and `analyze`, their segment workers, and live mode's ``--source``
(through `formcheck.io.capture.video_frames`), so that all of them see the very same frames.

Every source yields `Frame`s — an image and its time — and knows its name, nominal frame
rate and how many frames to expect.  Time comes from the source and nowhere else: a video's
frame ``i`` is at ``i / fps``, an image folder's at ``i / assumed fps``.  (A camera's frames,
stamped with the monotonic clock, come from `formcheck.io.capture`.)

Sources decode on a worker thread, a few frames ahead, so that decoding overlaps
whatever the consumer does with the previous frame (pose inference).  They can also give a
stretch of the file (``start``, ``stop``: a segment for one of several extraction workers)
and every ``step``-th frame of it (``--max-fps``); indices and times stay those of the whole
file, so a frame is the same `Frame` whichever way it was reached.
Opening a source checks it (exists, opens, holds a frame), so a bad input fails before
any work starts, with a `FormcheckError` that says what to do.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from formcheck.errors import FormcheckError
from formcheck.io.background import iterate_in_background
from formcheck.quiet import native_stderr_silenced

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})
DEFAULT_IMAGE_FPS = 30.0
# Enough to ride out a slow frame without holding many 720p images (2.7 MB each) in memory.
_READ_AHEAD_FRAMES = 4


@dataclass(frozen=True)
class Frame:
    """One image from a source.

    Attributes:
        image: (H, W, 3) uint8 in OpenCV's BGR channel order.
        t: seconds since the start of the source (``index / fps``).
        index: the frame's number in its source, from 0.
    """

    image: np.ndarray
    t: float
    index: int


class FrameSource(ABC):
    """Frames with their times, from somewhere.  Iterate once; close when done (or use ``with``).

    Attributes:
        name: what the frames came from, as recorded in a pose track (its path).
        fps: nominal frames per second; 0.0 when the source does not say.
        frame_count: how many frames the source announces, or None (a video that does not say).
    """

    name: str
    fps: float
    frame_count: int | None

    @abstractmethod
    def __iter__(self) -> Iterator[Frame]: ...

    @abstractmethod
    def close(self) -> None:
        """Release the file or device."""

    def __enter__(self) -> FrameSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SeekError(FormcheckError):
    """A video cannot be entered at a given frame exactly (the caller reads it from the start)."""


@dataclass(frozen=True)
class Stretch:
    """Which frames of a file to give: indices ``start``, ``start + step``, … below ``stop``.

    Attributes:
        start: the first frame's index (0: the beginning).
        stop: the index to stop before, or None for the end of the file.
        step: give every ``step``-th frame (1: all).
    """

    start: int = 0
    stop: int | None = None
    step: int = 1

    def __post_init__(self) -> None:
        if self.start < 0 or self.step < 1 or (self.stop is not None and self.stop < self.start):
            raise ValueError(f"not a stretch of frames: {self}")

    def count(self, frames: int) -> int:
        """How many frames this stretch gives of a file of ``frames`` frames."""
        stop = frames if self.stop is None else min(self.stop, frames)
        return max(0, -(-(stop - self.start) // self.step))


ALL_FRAMES = Stretch()


def step_for(fps: float, max_fps: float | None) -> int:
    """Every how many frames to take one so that at most ``max_fps`` are taken a second (1: all)."""
    if max_fps is None or fps <= max_fps:
        return 1
    # The 1e-9 keeps 30 fps at --max-fps 15 a step of 2, whatever the rounding of 30 / 15.
    return int(np.ceil(fps / max_fps - 1e-9))


class _ReadAheadSource(FrameSource):
    """A file source whose frames are decoded on a worker thread, a few frames ahead."""

    _frames: Generator[Frame, None, None] | None = None

    @abstractmethod
    def _decode(self) -> Iterator[Frame]: ...

    @abstractmethod
    def _release(self) -> None:
        """Release the file, once the worker thread has stopped."""

    def __iter__(self) -> Iterator[Frame]:
        self._frames = iterate_in_background(
            self._decode(), depth=_READ_AHEAD_FRAMES, thread_name=f"decode {self.name}"
        )
        return self._frames

    def close(self) -> None:
        # Stop the worker first: it must not be reading the file while it is released.
        # (An exception in the consumer leaves the iterator alive in the traceback.)
        if self._frames is not None:
            self._frames.close()
        self._release()


class VideoSource(_ReadAheadSource):
    """The frames of a video file (mp4, avi, mov, mkv, webm, gif … anything OpenCV's FFmpeg reads).

    A damaged file can end before its announced `frame_count`; the frames up to the damage
    are yielded, and the consumer can compare how many it received.
    """

    def __init__(self, path: Path, stretch: Stretch = ALL_FRAMES) -> None:
        capture = open_capture(path)
        fps = capture.get(cv2.CAP_PROP_FPS)
        self._capture = capture
        self.name = str(path)
        self.fps = float(fps)
        announced = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        self.frame_count = announced if announced > 0 else None
        self.stretch = stretch
        self.decode_s = 0.0
        """Seconds spent decoding so far (on the read-ahead thread, beside the consumer)."""
        if stretch.start > 0:
            capture.set(cv2.CAP_PROP_POS_FRAMES, stretch.start)
        ok, first = capture.read()
        if not ok:
            self.close()
            if stretch.start > 0:
                raise SeekError(f"no frame could be decoded at frame {stretch.start}")
            raise FormcheckError(
                f"{path} holds no frame that can be decoded (empty or truncated video); "
                "check that it plays, or record it again"
            )
        if stretch.start > 0:
            self._check_landed(stretch.start)
        self._first = first

    def _check_landed(self, index: int) -> None:
        """Raise `SeekError` unless the frame just read after seeking is frame ``index``.

        OpenCV seeks to the key frame before and decodes forward, counting frames by their time
        stamps; a frame whose stamp is not ``index / fps`` (a variable frame rate, stamps with
        gaps) means the count is not the frame's place in a decode from the start.  Whether the
        images match one is checked by the caller (`formcheck.pose.segments` compares the
        frames both sides of a seam decoded).
        """
        after = self._capture.get(cv2.CAP_PROP_POS_FRAMES)
        stamp_ms = self._capture.get(cv2.CAP_PROP_POS_MSEC)
        expected_ms = index * 1000 / self.fps
        if after != index + 1 or abs(stamp_ms - expected_ms) > 500 / self.fps:
            self.close()
            raise SeekError(
                f"seeking to frame {index} gave frame {after - 1:g} at {stamp_ms:.1f} ms "
                f"(expected {expected_ms:.1f} ms)"
            )

    def _decode(self) -> Iterator[Frame]:
        image = self._first
        self._first = None
        if image is None:
            raise RuntimeError(f"{self.name}: a VideoSource can be iterated only once")
        start, stop, step = self.stretch.start, self.stretch.stop, self.stretch.step
        index = start
        while stop is None or index < stop:
            yield Frame(image=image, t=index / self.fps, index=index)
            started = time.perf_counter()
            # The frames skipped are only grabbed: decoded (the next needs them) but never
            # converted to BGR.
            for _ in range(step - 1):
                if not self._capture.grab():
                    return
            ok, image = self._capture.read()
            self.decode_s += time.perf_counter() - started
            if not ok:
                return
            index += step

    def _release(self) -> None:
        self._capture.release()


class ImageFolderSource(_ReadAheadSource):
    """The images in a folder, in natural order (``frame2`` before ``frame10``), at an assumed fps."""

    def __init__(self, path: Path, fps: float = DEFAULT_IMAGE_FPS, stretch: Stretch = ALL_FRAMES) -> None:
        if not path.is_dir():
            raise FormcheckError(f"{path} is not a folder; pass a folder of images or a video file")
        if not np.isfinite(fps) or fps <= 0:
            raise FormcheckError(f"the frame rate for an image folder must be above 0, got {fps}")
        self.files = sorted(
            (child for child in path.iterdir() if child.suffix.lower() in IMAGE_SUFFIXES and child.is_file()),
            key=_natural_key,
        )
        if not self.files:
            raise FormcheckError(
                f"{path} holds no images ({', '.join(sorted(IMAGE_SUFFIXES))}); "
                "pass a folder of frames or a video file"
            )
        self.name = str(path)
        self.fps = float(fps)
        self.frame_count = len(self.files)
        self.stretch = stretch

    def _decode(self) -> Iterator[Frame]:
        indices = range(self.stretch.start, self.stretch.stop or len(self.files), self.stretch.step)
        for index in indices:
            if index >= len(self.files):
                return
            file = self.files[index]
            image = cv2.imread(str(file), cv2.IMREAD_COLOR)
            if image is None:
                raise FormcheckError(
                    f"{file} cannot be read as an image; replace it or remove it from the folder"
                )
            yield Frame(image=image, t=index / self.fps, index=index)

    def _release(self) -> None:
        """Nothing to release: each image file is closed as soon as it is read."""


def open_capture(path: Path) -> cv2.VideoCapture:
    """An OpenCV FFmpeg capture of the video at ``path``, checked: it opens and states its frame
    rate. The one place a video file is opened: `VideoSource` reads it in order, and
    `formcheck label` by frame number, so both count frames the same way.

    Decoding uses one thread: it already runs beside the consumer on a thread of its own, and
    FFmpeg's extra threads would only compete with pose inference for the cores.
    """
    if not path.exists():
        raise FormcheckError(f"{path} does not exist; check the path")
    if not path.is_file():
        raise FormcheckError(f"{path} is not a file; pass a video file or a folder of images")
    with native_stderr_silenced():
        capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_N_THREADS, 1])
    if not capture.isOpened():
        raise FormcheckError(
            f"{path} cannot be read as a video (damaged, truncated or not a video); "
            "check that it plays, or convert it to mp4 (H.264)"
        )
    fps = capture.get(cv2.CAP_PROP_FPS)
    if not np.isfinite(fps) or fps <= 0:
        capture.release()
        raise FormcheckError(
            f"{path} does not state its frame rate, so frame times are unknown; convert it to mp4 "
            "(e.g. ffmpeg -i IN -r 30 OUT.mp4) or pass its frames as a folder of images"
        )
    return capture


def first_image(path: Path) -> np.ndarray:
    """The first frame of the video at ``path``, (H, W, 3) uint8 BGR."""
    source = VideoSource(path)
    try:
        return source._first
    finally:
        source.close()


def open_file_source(
    path: Path, *, image_fps: float = DEFAULT_IMAGE_FPS, stretch: Stretch = ALL_FRAMES
) -> VideoSource | ImageFolderSource:
    """A folder of images or a video file, by what ``path`` is; ``stretch``: which of its frames."""
    if path.is_dir():
        return ImageFolderSource(path, fps=image_fps, stretch=stretch)
    return VideoSource(path, stretch)


def _natural_key(path: Path) -> list[object]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]
