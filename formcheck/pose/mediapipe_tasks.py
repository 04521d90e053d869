"""The parts of MediaPipe formcheck uses, imported without the libraries of tasks it never runs.

Importing any part of MediaPipe runs ``mediapipe/__init__``, which imports every task it has, and
with them ``matplotlib.pyplot`` (for a 3-D plotting helper in ``vision.drawing_utils``) and
``sounddevice`` (for recording audio): about 0.75 s of every command's start, more than half of
`formcheck extract`'s imports, spent before any frame is read (benchmarks/README.md). So while
MediaPipe is imported, stand-ins hold those modules' places; MediaPipe keeps them, and each
fetches the real module on its first use. Nothing else sees them: they leave ``sys.modules`` as
soon as MediaPipe is in, and formcheck's own plots import the real pyplot.
"""

from __future__ import annotations

import importlib
import sys
import types

# Each with its parent package before it: the parent's stand-in carries the child's as an attribute.
_UNUSED = ("matplotlib", "matplotlib.pyplot", "sounddevice")


class _ImportedOnFirstUse(types.ModuleType):
    """Stands in for a module: any attribute asked of it comes from the real one, imported then."""

    def __getattr__(self, attribute: str) -> object:
        return getattr(importlib.import_module(self.__name__), attribute)


def _import_mediapipe() -> types.ModuleType:
    stand_ins = {name: _ImportedOnFirstUse(name) for name in _UNUSED if name not in sys.modules}
    for name, stand_in in stand_ins.items():
        parent, _, child = name.rpartition(".")
        if parent in stand_ins:
            setattr(stand_ins[parent], child, stand_in)
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module("mediapipe")
    finally:
        for name in stand_ins:
            del sys.modules[name]


mp = _import_mediapipe()
# Imported after `mp` on purpose: the package is in sys.modules by then, so these import no more.
from mediapipe.tasks.python.core.base_options import BaseOptions  # noqa: E402
from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode  # noqa: E402

__all__ = ["BaseOptions", "PoseLandmarker", "PoseLandmarkerOptions", "RunningMode", "mp"]
