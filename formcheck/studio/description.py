"""What a studio clip shows: the exercise, its faults, the camera and the body, checked up front.

Pure Python: the command line validates a description before the heavy extra is imported.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.synth.camera import VIEW_AZIMUTHS, view_azimuth, view_name
from formcheck.synth.motions import MOTIONS, motion_module

VIEWS = tuple(VIEW_AZIMUTHS)
SIDES = ("left", "right", "both")
PHENOTYPES: dict[str, str] = {
    "gender": "0 = female, 1 = male",
    "age": "0 = newborn, 0.5 = about 25 years, 1 = about 90 years",
    "muscle": "0 = least, 1 = most muscular",
    "weight": "0 = lightest, 1 = heaviest",
    "proportions": "0 = unusual, 1 = ideal proportions",
}
"""anny's body-shape parameters the studio takes, each 0..1 (0.5 when not given). anny's
``height`` is left out on purpose: the studio scales every body to the motions' 1.75 m
skeleton so that planted feet stay planted."""

REFERENCE_BODIES: dict[str, dict[str, float]] = {
    "default": {},
    "man": {"gender": 1.0, "weight": 0.7, "muscle": 0.7},
    "older": {"gender": 0.0, "age": 0.8, "weight": 0.6},
}
"""The bodies the benchmarks render (`PHENOTYPES` values; the rest 0.5): anny's average, a heavier
muscular man, an older lighter woman."""

# (minimum, maximum) of each numeric setting, for the error messages too.
RANGES: dict[str, tuple[float, float]] = {
    "reps": (1, 30),
    "distance": (1.0, 12.0),
    "height": (0.1, 3.0),
    "fov": (20.0, 100.0),
    "width": (160, 1920),
    "image_height": (120, 1080),
    "fps": (5.0, 60.0),
    "tempo": (0.25, 4.0),
    "fault": (0.0, 1000.0),
    "azimuth": (-180.0, 180.0),
}


@dataclass(frozen=True)
class ClipDescription:
    """A studio clip, as given on the command line or in a TOML file.

    Attributes:
        exercise: exercise id with a motion (`formcheck.synth.motions.MOTIONS`).
        reps: reps to perform (per leg for alternating exercises).
        side: working side, ``left``, ``right`` or ``both``.
        faults: fault name -> size, in the units of the motion's ``FAULTS`` table.
        view: ``front``, ``side``, ``oblique`` or ``back``, a shorthand for an azimuth (side and
            oblique from the working side, the left for ``both``); None for the exercise's own.
        azimuth: the camera's azimuth around the body in degrees (``../shared/design.md`` §8:
            0 = the person faces the camera, +90 = their left side faces it, 180 = their back),
            instead of a view; None to take it from the view.
        distance: camera distance from the body's centre, metres.
        height: camera height above the floor, metres.
        fov: vertical field of view, degrees.
        width, image_height: picture size in pixels.
        fps: frames per second of the video.
        seed: seed of the rep-to-rep variation.
        tempo: 1.0 is a controlled pace; 2.0 twice as fast.
        body: anny phenotype name -> 0..1 (`PHENOTYPES`).
    """

    exercise: str
    reps: int = 3
    side: str = "left"
    faults: dict[str, float] = field(default_factory=dict)
    view: str | None = None
    azimuth: float | None = None
    distance: float = 3.2
    height: float = 1.0
    fov: float = 55.0
    width: int = 640
    image_height: int = 480
    fps: float = 15.0
    seed: int = 0
    tempo: float = 1.0
    body: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.exercise not in MOTIONS:
            raise FormcheckError(
                f"unknown exercise {self.exercise!r}; the studio can render {', '.join(MOTIONS)}"
            )
        known_faults = motion_module(self.exercise).FAULTS
        unknown = sorted(set(self.faults) - set(known_faults))
        if unknown:
            raise FormcheckError(
                f"unknown fault {', '.join(unknown)} for {self.exercise}; valid: {', '.join(known_faults)}"
            )
        if self.side not in SIDES:
            raise FormcheckError(f"side must be one of {', '.join(SIDES)}, got {self.side!r}")
        if self.view is not None and self.view not in VIEWS:
            raise FormcheckError(f"view must be one of {', '.join(VIEWS)}, got {self.view!r}")
        if self.view is not None and self.azimuth is not None:
            raise FormcheckError("give a view or an azimuth, not both (a view is a shorthand for an azimuth)")
        if self.azimuth is not None:
            _check_range("azimuth", self.azimuth, RANGES["azimuth"])
        unknown = sorted(set(self.body) - set(PHENOTYPES))
        if unknown:
            raise FormcheckError(
                f"unknown body parameter {', '.join(unknown)}; valid: {', '.join(PHENOTYPES)}"
            )
        for name, value in self.body.items():
            _check_range(f"body {name}", value, (0.0, 1.0))
        for name, value in self.faults.items():
            _check_range(f"fault {name}", value, RANGES["fault"])
        for name in ("reps", "distance", "height", "fov", "width", "image_height", "fps", "tempo"):
            _check_range(name, getattr(self, name), RANGES[name])
        # What only the motion knows (a single-leg exercise asked for both sides): one quick rep.
        try:
            motion_module(self.exercise).motion(
                reps=1, side=self.side, faults=dict(self.faults), seed=self.seed, tempo=self.tempo
            )
        except ValueError as error:
            raise FormcheckError(f"{self.exercise}: {error}") from None

    @property
    def camera_azimuth(self) -> float:
        """The camera's azimuth in degrees: the one given, else that of the (default) view."""
        if self.azimuth is not None:
            return float(self.azimuth)
        working = self.side if self.side in ("left", "right") else "left"
        return view_azimuth(self.view or motion_module(self.exercise).VIEW, working)

    @property
    def camera_view(self) -> str:
        """The view's name: the one given, else the exercise's own, or the one nearest the azimuth."""
        if self.azimuth is not None:
            return view_name(self.azimuth)
        return self.view or motion_module(self.exercise).VIEW

    def to_dict(self) -> dict:
        """Every setting, the default view resolved: the record of how a clip was made."""
        if self.azimuth is not None:
            return asdict(self)
        return {**asdict(self), "view": self.camera_view}

    @classmethod
    def from_dict(cls, values: dict, source: str = "description") -> ClipDescription:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise FormcheckError(
                f"{source}: unknown key {', '.join(unknown)}; valid: {', '.join(sorted(known))}"
            )
        if "exercise" not in values:
            raise FormcheckError(f"{source}: missing key 'exercise'")
        try:
            return cls(**values)
        except TypeError as error:
            raise FormcheckError(f"{source}: {error}") from error

    @classmethod
    def from_toml(cls, path: Path) -> ClipDescription:
        try:
            values = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise FormcheckError(f"cannot read studio description {path}: {error}") from error
        return cls.from_dict(values, source=str(path))


def _check_range(name: str, value, bounds: tuple[float, float]) -> None:
    low, high = bounds
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise FormcheckError(f"{name} must be a number in {low:g}..{high:g}, got {value!r}")
    if not low <= value <= high:
        raise FormcheckError(f"{name} must be in {low:g}..{high:g}, got {value:g}")
