"""Keep MediaPipe's native log lines off the terminal.

MediaPipe and LiteRT log from C++ straight to file descriptor 2 (dozens of INFO/WARNING
lines while a model loads, a few more on the first frame and on close), and no environment
variable (GLOG_minloglevel, TF_CPP_MIN_LOG_LEVEL) reaches them in mediapipe 1.2.  Python's
``sys.stderr`` cannot catch them either, so the descriptor itself is pointed at /dev/null.
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

    Only for short calls on the calling thread: another thread's output to stderr made
    during the block is lost too, which is why it wraps model loading, the frames up to
    the first one with a person, and closing — not every frame.
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
