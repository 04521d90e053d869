"""Writing a file whole or not at all: every report, table, label file and config the project writes.

The content goes to ``NAME.partial`` beside the target and is renamed over it once complete, so a
reader (or a re-run with ``--resume``) never finds half a file, and an interrupted write leaves
the previous version in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """The ``.partial`` path beside ``path`` to write to (for writers that open files by name, such
    as a video encoder); renamed to ``path`` when the block ends without an exception, and removed
    when it raises."""
    partial = path.with_name(path.name + ".partial")
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)


@contextmanager
def atomic_output(path: Path, mode: str = "w", **open_options: Any) -> Iterator[IO[Any]]:
    """Open a file beside ``path`` and rename it to ``path`` once written completely.

    An interrupted or failed write leaves no half file under ``path``; the ``.partial`` file is
    removed when the failure is an exception.
    """
    with atomic_path(path) as partial, open(partial, mode, **open_options) as handle:
        yield handle


def write_text(path: Path, text: str, *, newline: str | None = None) -> None:
    """``text`` to ``path`` in UTF-8, atomically (`atomic_output`)."""
    with atomic_output(path, "w", encoding="utf-8", newline=newline) as handle:
        handle.write(text)
