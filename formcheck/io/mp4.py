"""Writing H.264 mp4 files that every browser plays and can seek in, frame by frame.

OpenCV's wheel carries no H.264 encoder, so frames go through PyAV (FFmpeg's libraries and
libx264, shipped in its wheels): H.264 in yuv420p (the only chroma layout browsers decode), even
dimensions (yuv420p halves both), and the index at the start of the file (``+faststart``), so a
page can seek before the whole file has loaded. The file appears under its name only once
complete (`formcheck.io.atomic.atomic_path`): an interrupted run leaves no broken mp4.
"""

from __future__ import annotations

from contextlib import ExitStack
from fractions import Fraction
from pathlib import Path

import numpy as np

from formcheck.io.atomic import atomic_path

CRF = 23
"""libx264's constant quality (lower is better): its default, sharp enough to read the overlay's text."""
PRESET = "veryfast"
"""libx264's speed preset: on 2 cores about twice as fast as ``medium`` for a slightly larger file."""


class Mp4Writer:
    """Frames in, ``path`` (an H.264 mp4 at ``fps``) out; use as a context manager.

    Every frame must have the size of the first. A frame of odd width or height loses its last
    column or row (yuv420p needs even sizes). Leaving the block with an exception removes the
    partial file; leaving it normally finishes the file and gives it its name.
    """

    def __init__(self, path: Path, fps: float) -> None:
        if not np.isfinite(fps) or fps <= 0:
            raise ValueError(f"an mp4 needs a frame rate above 0, got {fps}")
        self.path = path
        # 29.97 frames/s is 30000/1001; no common frame rate needs a larger denominator.
        self.rate = Fraction(fps).limit_denominator(1001)
        self.frames = 0
        self.size: tuple[int, int] | None = None
        self._stack = ExitStack()
        self._container = None
        self._stream = None

    def __enter__(self) -> Mp4Writer:
        # Imported here: PyAV loads FFmpeg's libraries, which only this writer needs.
        import av

        partial = self._stack.enter_context(atomic_path(self.path))
        self._container = av.open(str(partial), "w", format="mp4", options={"movflags": "+faststart"})
        self._stack.callback(self._container.close)
        return self

    def write(self, image: np.ndarray) -> None:
        """Append one (H, W, 3) uint8 BGR frame."""
        import av

        height, width = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
        if self._stream is None:
            stream = self._container.add_stream("libx264", rate=self.rate)
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            stream.options = {"preset": PRESET, "crf": str(CRF)}
            # One encoder thread: the encoder runs beside decoding and drawing, under the one
            # budget of cores that --workers shares out (design.md §8).
            stream.codec_context.thread_count = 1
            self._stream, self.size = stream, (width, height)
        elif (width, height) != self.size:
            raise ValueError(f"frame {self.frames} is {width}x{height}, the first was {self.size}")
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image[:height, :width]), format="bgr24")
        frame.pts = self.frames
        self._container.mux(self._stream.encode(frame))
        self.frames += 1

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            try:
                if self._stream is None:
                    raise ValueError(f"{self.path}: no frame was written")
                self._container.mux(self._stream.encode(None))  # The frames the encoder still holds.
            except BaseException as failure:
                self._stack.__exit__(type(failure), failure, failure.__traceback__)
                raise
        # Closes the container, then names the file (or removes it, on an exception).
        self._stack.__exit__(kind, error, traceback)
