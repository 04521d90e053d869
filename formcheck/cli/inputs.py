"""What a batch of `formcheck analyze` works on: inputs found in files and folders, the output
name of each, and the exercise of each from ``--exercise`` or an ``--exercises`` mapping file.

A mapping file pairs glob patterns with exercise ids, first match wins:

- CSV: ``pattern,exercise`` rows (a header row ``pattern,exercise`` and ``#`` comments allowed);
- TOML: ``"squat/*" = "squat"`` pairs at the top level.

A pattern is matched (`fnmatch`, ``*`` also crosses ``/``) against the input's path inside the
folder given on the command line (``squat/goblet.mp4``), its path as given and its name, from any
``/`` on (``squat/*`` matches ``clips/squat/goblet.mp4``, never ``clips/split_squat/…``); a
pattern naming a folder (``squat`` or ``squat/``) matches what is in it.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES
from formcheck.io.sources import IMAGE_SUFFIXES

TRACK_SUFFIXES = (".npz", ".csv")
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".gif", ".mpg", ".mpeg", ".wmv"})


@dataclass(frozen=True)
class Input:
    """One input of a batch.

    Attributes:
        path: the video, pose track or image folder.
        name: its output name inside ``--out``, without suffix (``squat/goblet`` for a file found
            in a folder, the stem for a file given by name).
        exercise: exercise id, or None when nothing names one (an error for this input).
    """

    path: Path
    name: PurePosixPath
    exercise: str | None


def _is_image_folder(folder: Path) -> bool:
    files = [p for p in folder.iterdir() if p.is_file()]
    return any(p.suffix.lower() in IMAGE_SUFFIXES for p in files) and not any(
        p.suffix.lower() in VIDEO_SUFFIXES or p.suffix.lower() in TRACK_SUFFIXES for p in files
    )


def _found_in(folder: Path) -> list[Path]:
    """Videos, tracks and image folders under ``folder``, in name order."""
    found: list[Path] = []
    for child in sorted(folder.iterdir()):
        if child.is_dir():
            found += [child] if _is_image_folder(child) else _found_in(child)
        elif child.suffix.lower() in VIDEO_SUFFIXES or child.suffix.lower() in TRACK_SUFFIXES:
            found.append(child)
    return found


def expand(paths: tuple[Path, ...]) -> list[tuple[Path, PurePosixPath]]:
    """Each input with its relative name (the path inside the folder it was found in, without suffix)."""
    inputs: list[tuple[Path, PurePosixPath]] = []
    for path in paths:
        if path.is_dir() and not _is_image_folder(path):
            found = _found_in(path)
            if not found:
                raise FormcheckError(
                    f"{path}: holds no videos, pose tracks (.npz/.csv) or image folders to analyse"
                )
            for child in found:
                relative = PurePosixPath(child.relative_to(path).as_posix())
                inputs.append((child, relative.with_name(_stem(child))))
        else:
            inputs.append((path, PurePosixPath(_stem(path))))
    return inputs


def _stem(path: Path) -> str:
    return path.name if path.is_dir() else path.stem


def read_exercise_map(path: Path) -> list[tuple[str, str]]:
    """(pattern, exercise id) pairs of a CSV or TOML mapping file; any bad line is an error naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FormcheckError(f"{path}: cannot read the exercise mapping ({error.strerror})") from error
    pairs: list[tuple[str, str]] = []
    if path.suffix.lower() == ".toml":
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise FormcheckError(f"{path}: not valid TOML ({error})") from None
        for pattern, exercise in table.items():
            if not isinstance(exercise, str):
                raise FormcheckError(
                    f'{path}: {pattern!r} must map to an exercise id, e.g. "{pattern}" = "squat"'
                )
            pairs.append((pattern, exercise))
    elif path.suffix.lower() == ".csv":
        for number, row in enumerate(csv.reader(text.splitlines()), start=1):
            cells = [cell.strip() for cell in row]
            if not any(cells) or cells[0].startswith("#") or cells == ["pattern", "exercise"]:
                continue
            if len(cells) != 2 or not all(cells):
                raise FormcheckError(f"{path}, line {number}: give two columns, pattern,exercise")
            pairs.append((cells[0], cells[1]))
    else:
        raise FormcheckError(f"{path}: an exercise mapping is a .csv or .toml file")
    for pattern, exercise in pairs:
        if exercise not in EXERCISES:
            raise FormcheckError(
                f"{path}: {pattern!r} maps to unknown exercise {exercise!r}; "
                f"valid exercises: {', '.join(sorted(EXERCISES))}"
            )
    if not pairs:
        raise FormcheckError(f"{path}: no pattern,exercise pairs in the mapping")
    return pairs


def _matches(pattern: str, candidates: tuple[str, ...]) -> bool:
    forms = (pattern, pattern.rstrip("/") + "/*")  # The pattern itself, or a folder and what is in it.
    return any(fnmatchcase(c, form) or fnmatchcase(c, "*/" + form) for c in candidates for form in forms)


def inputs_with_exercises(
    paths: tuple[Path, ...], exercise: str | None, mapping: list[tuple[str, str]]
) -> list[Input]:
    """The batch's inputs; each takes the first mapping pattern it matches, else ``exercise``."""
    given = {str(p) for p in paths}
    inputs = []
    for path, name in expand(paths):
        inside = str(name.with_name(path.name)) if str(path) not in given else str(path)
        candidates = (inside, str(path), path.name)
        chosen = next((ex for pattern, ex in mapping if _matches(pattern, candidates)), exercise)
        inputs.append(Input(path=path, name=name, exercise=chosen))
    return inputs
