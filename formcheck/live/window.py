"""Where the overlay goes: an OpenCV window, or nowhere (`--no-window`)."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from typing import Protocol

import cv2
import numpy as np

from formcheck.errors import FormcheckError

WINDOW_TITLE = "formcheck live"


class Display(Protocol):
    def show(self, canvas: np.ndarray) -> int:
        """Show `canvas` and return the key pressed meanwhile (`cv2.waitKey` code, -1 for none)."""
        ...

    def poll(self, wait_ms: int) -> int:
        """Keep the window responsive for `wait_ms` without a new image; returns a key code."""
        ...

    def close(self) -> None: ...


def x_display_reachable() -> bool:
    """True when an X display can be opened (always True off Linux).

    OpenCV's Qt build aborts the whole process (no exception) when it cannot reach a
    display, so live mode asks X first and fails with a message instead.
    """
    if not sys.platform.startswith("linux"):
        return True
    library = ctypes.util.find_library("X11")
    if library is None:
        return False
    xlib = ctypes.CDLL(library)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = xlib.XOpenDisplay(None)
    if not display:
        return False
    xlib.XCloseDisplay(display)
    return True


class CvWindow:
    """A plain OpenCV window at the top-left corner of the screen, without Qt's toolbar."""

    def __init__(self, title: str = WINDOW_TITLE) -> None:
        self.title = title
        if not x_display_reachable():
            raise FormcheckError(
                "cannot open a window: no display found (DISPLAY not set or not reachable); "
                "run in a desktop session, or use --no-window"
            )
        cv2.namedWindow(title, cv2.WINDOW_AUTOSIZE | cv2.WINDOW_GUI_NORMAL)
        cv2.moveWindow(title, 0, 0)

    def show(self, canvas: np.ndarray) -> int:
        cv2.imshow(self.title, canvas)
        return cv2.waitKey(1)

    def poll(self, wait_ms: int) -> int:
        return cv2.waitKey(max(1, wait_ms))

    def close(self) -> None:
        cv2.destroyWindow(self.title)
        cv2.waitKey(1)


class NoWindow:
    def show(self, canvas: np.ndarray) -> int:
        return -1

    def poll(self, wait_ms: int) -> int:
        return -1

    def close(self) -> None:
        pass
