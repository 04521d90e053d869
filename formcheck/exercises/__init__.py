"""The exercise catalogue: a plain dict from exercise id to its `Exercise`."""

from __future__ import annotations

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
from formcheck.exercises.base import Exercise

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
