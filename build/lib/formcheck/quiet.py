"""Keep native libraries' log lines off the terminal.

MediaPipe and LiteRT log from C++ straight to file descriptor 2 (dozens of INFO/WARNING
lines while a model loads, a few more on the first frame with a person and on close), and
no environment variable (GLOG_minloglevel, TF_CPP_MIN_LOG_LEVEL) reaches them in
mediapipe 1.2.  FFmpeg and OpenCV's video readers do the same when a file does not open
("moov atom not found").  Python's ``sys.stderr`` cannot catch these, so the descriptor
itself is pointed at /dev/null for the duration of such calls.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_STDERR_FD = 2


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Discard everything written to fd 2 inside the block, then restore it.

    Another thread's output to stderr during the block is lost too, so it wraps only the
    calls known to log (opening a video or camera, loading a model, the frames up to the
    first one with a person, closing the model), not every frame.
    """
    sys.stderr.flush()
    saved = os.dup(_STDERR_FD)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), _STDERR_FD)
        yield
    finally:
        os.dup2(saved, _STDERR_FD)
        os.close(saved)
