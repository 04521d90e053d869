"""Output folders the commands write into: made on demand, and one clear line when they cannot be."""

from __future__ import annotations

from pathlib import Path

from formcheck.errors import FormcheckError


def output_folder(folder: Path, option: str) -> Path:
    """``folder`` made (with its parents) if needed; a file in its place, or a place that cannot
    be written, is a `FormcheckError` telling the person to pass another ``option``."""
    if folder.exists() and not folder.is_dir():
        raise FormcheckError(f"{option} {folder} is a file; give a folder (it is created if needed)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FormcheckError(
            f"cannot write to {folder} ({error.strerror}); pass another {option} DIR"
        ) from error
    return folder
