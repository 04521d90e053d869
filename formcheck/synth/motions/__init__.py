"""Exercise motions as joint-angle curves, with seeded rep-to-rep variation and injectable faults.

Every exercise module here exposes::

    VIEW: str                     # camera view its rules are judged from ("side" / "front")
    FAULTS: dict[str, str]        # rule id -> what the fault size means (units)
    def motion(reps, side, faults, seed, tempo) -> (BodyPose, list[RepTruth])

and `motion(exercise, ...)` picks the module by exercise id. A fault is injected into every
rep at the given size (e.g. ``{"knee_over_toes": 0.15}``: the knee passes the toes by 0.15
shin lengths); an empty dict gives clean reps. ``tempo`` 1.0 is a controlled pace (about
3-4 s a rep); 2.0 is twice as fast. ``side`` is the working leg, or ``both`` for bilateral
work where the exercise allows it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np

from formcheck.synth.body_pose import BodyPose
from formcheck.synth.camera import Camera
from formcheck.synth.skeleton import camera_for

FPS = 30.0
MOTIONS: tuple[str, ...] = (
    "hip_hinge",
    "clamshell",
    "split_squat",
    "squat",
    "glute_bridge",
    "hip_flexor_march",
    "band_walk",
    "mountain_climber",
    "hip_internal_rotation",
)
"""Exercises with a motion module here (a module per exercise id, imported on demand)."""


@dataclass(frozen=True)
class RepTruth:
    """What one synthetic rep really was.

    Attributes:
        start_s, peak_s, end_s: movement start, middle of the hold, movement end (seconds).
        side: working side (``left``, ``right`` or ``both``).
        depth: the rep's depth relative to the clean nominal depth (rep-to-rep variation).
        faults: rule id -> injected fault size.
    """

    start_s: float
    peak_s: float
    end_s: float
    side: str
    depth: float
    faults: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Schedule:
    """When each rep moves: (R,) arrays of phase start times and per-rep depth factors."""

    start: np.ndarray
    down_s: np.ndarray
    hold_s: np.ndarray
    up_s: np.ndarray
    depth: np.ndarray
    duration_s: float

    def progress(self, t: np.ndarray) -> np.ndarray:
        """(N,) 0 at rest .. 1 at the hold, smooth (cosine) ramps between, times each rep's depth."""
        p = np.zeros_like(t)
        for start, down, hold, up, depth in zip(
            self.start, self.down_s, self.hold_s, self.up_s, self.depth, strict=True
        ):
            ramp_down = np.clip((t - start) / down, 0, 1)
            ramp_up = np.clip((t - start - down - hold) / up, 0, 1)
            rep = (0.5 - 0.5 * np.cos(np.pi * ramp_down)) - (0.5 - 0.5 * np.cos(np.pi * ramp_up))
            p = np.maximum(p, rep * depth)
        return p

    def truths(self, side: str, faults: dict[str, float]) -> list[RepTruth]:
        return [
            RepTruth(
                start_s=float(s),
                peak_s=float(s + d + h / 2),
                end_s=float(s + d + h + u),
                side=side,
                depth=float(depth),
                faults=dict(faults),
            )
            for s, d, h, u, depth in zip(
                self.start, self.down_s, self.hold_s, self.up_s, self.depth, strict=True
            )
        ]


def schedule(
    reps: int, seed: int, tempo: float, *, down_s: float, hold_s: float, up_s: float, rest_s: float = 1.0
) -> Schedule:
    """Rep timings with +-10% time and +-4% depth variation from rep to rep (seeded)."""
    rng = np.random.default_rng(seed)
    scale = rng.uniform(0.9, 1.1, (4, reps)) / tempo
    down, hold, up, rest = (value * s for value, s in zip((down_s, hold_s, up_s, rest_s), scale, strict=True))
    start = rest_s + np.concatenate([[0.0], np.cumsum(down + hold + up + rest)[:-1]])
    depth = np.clip(rng.normal(1.0, 0.04, reps), 0.92, 1.08)
    return Schedule(start, down, hold, up, depth, float(start[-1] + down[-1] + hold[-1] + up[-1] + rest_s))


def times(duration_s: float) -> np.ndarray:
    return np.arange(0.0, duration_s, 1.0 / FPS)


def check_faults(faults: dict[str, float] | None, known: dict[str, str]) -> dict[str, float]:
    faults = dict(faults or {})
    unknown = sorted(set(faults) - set(known))
    if unknown:
        raise ValueError(f"unknown fault(s) {unknown}; this motion can inject {sorted(known)}")
    return faults


def motion(
    exercise: str,
    reps: int = 5,
    side: str = "left",
    faults: dict[str, float] | None = None,
    seed: int = 0,
    tempo: float = 1.0,
) -> tuple[BodyPose, list[RepTruth]]:
    """The motion of ``exercise``: see the module docstring."""
    return motion_module(exercise).motion(reps=reps, side=side, faults=faults, seed=seed, tempo=tempo)


def motion_module(exercise: str):
    """The module of ``exercise`` (it has ``VIEW``, ``FAULTS`` and ``motion``)."""
    if exercise not in MOTIONS:
        raise ValueError(f"no motion for {exercise!r}; motions exist for {', '.join(MOTIONS)}")
    return importlib.import_module(f"formcheck.synth.motions.{exercise}")


def exercise_camera(exercise: str, view: str, side: str = "left") -> Camera:
    """The camera that films ``exercise`` from ``view``: the motion's own ``camera()`` where it has
    one (a side-lying clamshell, a supine body seen from high beyond the feet), else a level
    camera from ``view``, side-on from the working ``side`` (the left for bilateral work)."""
    module = motion_module(exercise)
    if hasattr(module, "camera"):
        return module.camera()
    return camera_for(view, looking_from=side if side in ("left", "right") else "left")
