"""The exercise catalogue: a plain dict from exercise id to its `Exercise`.

Names are turned into exercises and thresholds here, for the command line and the studio; the
engine (`formcheck.analysis`) only ever receives the values (see `formcheck.analysis.exercise`).
"""

from __future__ import annotations

from formcheck.analysis.exercise import Exercise, ExerciseThresholds
from formcheck.errors import FormcheckError
from formcheck.exercises import (
    band_walk,
    clamshell,
    glute_bridge,
    hip_flexor_march,
    hip_hinge,
    hip_internal_rotation,
    mountain_climber,
    split_squat,
    squat,
)
from formcheck.exercises.thresholds import Thresholds

EXERCISES: dict[str, Exercise] = {
    module.EXERCISE.name: module.EXERCISE
    for module in (
        hip_hinge,
        clamshell,
        split_squat,
        squat,
        glute_bridge,
        hip_flexor_march,
        band_walk,
        mountain_climber,
        hip_internal_rotation,
    )
}


def get_exercise(name: str) -> Exercise:
    """The exercise called ``name``; an unknown name is an error listing the valid ones."""
    try:
        return EXERCISES[name]
    except KeyError:
        raise FormcheckError(
            f"unknown exercise {name!r}; valid exercises: {', '.join(sorted(EXERCISES))}"
        ) from None


def configured(name: str, thresholds: Thresholds | None = None) -> tuple[Exercise, ExerciseThresholds]:
    """The exercise called ``name`` and its thresholds (the defaults, or those of ``thresholds``),
    ready to hand to the engine: ``ExerciseSession(*configured("squat"))``."""
    exercise = get_exercise(name)
    return exercise, (thresholds or Thresholds.defaults()).for_exercise(exercise.name)
