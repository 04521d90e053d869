"""Label files: what a person says about the reps of a clip (``../shared/design.md`` §8).

``NAME.labels.json`` sits beside the clip or track ``NAME.*`` it labels, in the shape of the
studio's ``.truth.json``::

    {"format": "formcheck-labels", "version": 1, "exercise": "hip_hinge", "fps": 30.0,
     "clip": "NAME.mp4",
     "reps": [{"side": "left", "start_s": 1.0, "end_s": 3.2, "complete": true,
               "faults": ["knee_over_toes"], "clean": ["hinge_depth", "hips_back"]}]}

``faults`` are the rules whose fault the rep has, ``clean`` the rules checked and found absent; a
rule in neither is unlabelled and never counts as clean. ``clip`` (optional) names the labelled
file relative to the label file, or a path under the shared clips folder (``../shared/clips/``)
for clips the repository does not hold. A studio ``NAME.truth.json`` reads as labels too
(`truth_labels`). Every problem is a `FormcheckError` naming the file and the rep.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.io.atomic import write_text

FORMAT = "formcheck-labels"
VERSION = 1
LABELS_SUFFIX = ".labels.json"
TRUTH_SUFFIX = ".truth.json"
SIDES = ("left", "right", "both")
NUMBER = (int, float)


@dataclass(frozen=True)
class LabelledRep:
    """One labelled rep.

    Attributes:
        start_s, end_s: where the rep leaves and returns to rest, seconds.
        side: ``left``, ``right`` or ``both``.
        complete: a whole rep (False: a partial one, e.g. cut off by the end of the clip).
        faults: rule ids whose fault is present. clean: rule ids checked and absent.
    """

    start_s: float
    end_s: float
    side: str
    complete: bool = True
    faults: frozenset[str] = frozenset()
    clean: frozenset[str] = frozenset()

    def to_dict(self) -> dict:
        return {
            "side": self.side,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "complete": self.complete,
            "faults": sorted(self.faults),
            "clean": sorted(self.clean),
        }


@dataclass(frozen=True)
class Labels:
    """The labels of one clip.

    Attributes:
        path: the label file. exercise: exercise id. fps: frames per second of the clip (0 if
        unknown). clip: the labelled file's name or path as written (None: found by name).
        reps: the labelled reps in time order. how: free text on how the labels were made.
    """

    path: Path
    exercise: str
    fps: float
    clip: str | None
    reps: tuple[LabelledRep, ...]
    how: str = ""

    def to_dict(self) -> dict:
        out = {"format": FORMAT, "version": VERSION, "exercise": self.exercise, "fps": self.fps}
        if self.clip:
            out["clip"] = self.clip
        if self.how:
            out["how"] = self.how
        out["reps"] = [rep.to_dict() for rep in self.reps]
        return out


def labels_path(media: Path) -> Path:
    """Where the labels of ``media`` (a clip or track) go: ``clip.mp4`` -> ``clip.labels.json``."""
    return media.with_name(media.with_suffix("").name + LABELS_SUFFIX)


def save_labels(labels: Labels, path: Path | None = None) -> Path:
    """Write ``labels`` (to ``labels.path`` unless ``path`` is given) atomically; returns the path."""
    path = Path(path or labels.path)
    try:
        write_text(path, json.dumps(labels.to_dict(), indent=2) + "\n")
    except OSError as error:
        raise FormcheckError(f"{path}: cannot write the labels ({error}); choose a writable place") from error
    return path


def _read_json(path: Path) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise FormcheckError(f"{path}: cannot read the labels ({error}); check the path") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FormcheckError(
            f"{path}: not valid JSON ({error}); fix the file or label the clip again"
        ) from error
    if not isinstance(document, dict):
        raise FormcheckError(f"{path}: expected a JSON object with exercise, fps and reps")
    return document


_REQUIRED = object()


def _field(document: Mapping, key: str, kinds: tuple[type, ...], where: str, default: object = _REQUIRED):
    if key not in document:
        if default is _REQUIRED:
            raise FormcheckError(f"{where}: missing {key!r}; see the label format in the README")
        return default
    value = document[key]
    # JSON's true/false are Python bools, which are ints: keep them apart from numbers.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join("number" if k in NUMBER else k.__name__ for k in dict.fromkeys(kinds))
        raise FormcheckError(f"{where}: {key!r} must be a {names}, got {value!r}")
    return value


def _rule_ids(value: object, where: str, key: str) -> frozenset[str]:
    if not isinstance(value, list | tuple | dict) or not all(isinstance(v, str) for v in value):
        raise FormcheckError(f"{where}: {key!r} must be a list of rule ids, got {value!r}")
    return frozenset(value)


def _rep(entry: object, where: str) -> LabelledRep:
    if not isinstance(entry, dict):
        raise FormcheckError(f"{where}: expected an object with side, start_s and end_s, got {entry!r}")
    start = float(_field(entry, "start_s", NUMBER, where))
    end = float(_field(entry, "end_s", NUMBER, where))
    side = _field(entry, "side", (str,), where, "both")
    if side not in SIDES:
        raise FormcheckError(f"{where}: side {side!r}; expected one of {', '.join(SIDES)}")
    if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end <= start:
        raise FormcheckError(f"{where}: start_s {start} and end_s {end} must satisfy 0 <= start_s < end_s")
    faults = _rule_ids(entry.get("faults", []), where, "faults")
    clean = _rule_ids(entry.get("clean", []), where, "clean")
    both = faults & clean
    if both:
        raise FormcheckError(f"{where}: {', '.join(sorted(both))} both in faults and clean; keep one")
    complete = _field(entry, "complete", (bool,), where, True)
    return LabelledRep(start, end, side, complete, faults, clean)


def load_labels(path: Path) -> Labels:
    """Read ``NAME.labels.json`` (or a studio ``NAME.truth.json`` with `truth_labels`'s defaults:
    use that function to decide which rules are clean)."""
    path = Path(path)
    document = _read_json(path)
    exercise = _field(document, "exercise", (str,), str(path))
    fps = float(_field(document, "fps", NUMBER, str(path), 0.0))
    clip = _field(document, "clip", (str,), str(path), None)
    entries = _field(document, "reps", (list,), str(path))
    reps = tuple(_rep(entry, f"{path} rep {i}") for i, entry in enumerate(entries, start=1))
    return Labels(
        path, exercise, fps, clip, tuple(sorted(reps, key=lambda r: r.start_s)), document.get("how", "")
    )


def truth_labels(path: Path, passes_default: Callable[[str, float], bool]) -> Labels:
    """A studio ``.truth.json`` read as labels: per rep, the injected faults are faults; a rule not
    injected whose true value (``rule_values``, measured on the exact landmarks) passes the default
    (``passes_default(rule_id, value)``) is clean; every other rule is unlabelled (a second fault
    the motion brings along, like ``hips_back`` in the hinge's ``knee_over_toes`` clip)."""
    path = Path(path)
    document = _read_json(path)
    exercise = _field(document, "exercise", (str,), str(path))
    reps = []
    for i, entry in enumerate(_field(document, "reps", (list,), str(path)), start=1):
        where = f"{path} rep {i}"
        base = _rep({k: v for k, v in entry.items() if k in ("start_s", "end_s", "side")}, where)
        faults = frozenset(_field(entry, "faults", (dict,), where, {}))
        values = _field(entry, "rule_values", (dict,), where, {})
        clean = frozenset(
            rule
            for rule, value in values.items()
            if rule not in faults and isinstance(value, int | float) and passes_default(rule, float(value))
        )
        reps.append(LabelledRep(base.start_s, base.end_s, base.side, True, faults, clean))
    fps = float(_field(document, "fps", NUMBER, str(path), 0.0))
    return Labels(path, exercise, fps, document.get("video"), tuple(reps), "studio ground truth")


def check_labels(
    labels: Labels, *, exercise: str, rule_ids: tuple[str, ...], duration_s: float | None = None
) -> None:
    """Refuse labels for another exercise, unknown rule ids and reps beyond the clip's end."""
    if labels.exercise != exercise:
        raise FormcheckError(
            f"{labels.path}: labels are for {labels.exercise}, not {exercise}; "
            f"pass --exercise {labels.exercise} or label the clip for {exercise}"
        )
    for i, rep in enumerate(labels.reps, start=1):
        unknown = sorted((rep.faults | rep.clean) - set(rule_ids))
        if unknown:
            raise FormcheckError(
                f"{labels.path} rep {i}: unknown rule {', '.join(unknown)} for {exercise}; "
                f"valid rules: {', '.join(rule_ids)}"
            )
        if duration_s is not None and rep.end_s > duration_s + 0.5:
            raise FormcheckError(
                f"{labels.path} rep {i}: ends at {rep.end_s:.2f} s, after the clip's end "
                f"({duration_s:.2f} s); fix its times or label the right clip"
            )
