"""The engine's one vocabulary: a verdict's status, a rule's limit, a rep's side.

`Status` and `Limit` are string enums, so they compare equal to, and serialise as, the plain
strings of the JSON report (``"passed"``, ``"max"``) while a typo in code fails at once.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Status(StrEnum):
    """A rule's verdict on a rep or on a single frame."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_JUDGED = "not_judged"


class Limit(StrEnum):
    """Which way a rule's threshold is a limit."""

    MAX = "max"
    """The value must not exceed the threshold (e.g. knee past toes)."""
    MIN = "min"
    """The value must reach the threshold (e.g. hinge depth)."""


Side = Literal["left", "right", "both"]
"""The working side of a rep: one leg, or ``both`` for two-sided work (a squat, a bridge on both feet)."""

LEG_SIDES: tuple[Side, Side] = ("left", "right")
"""The sides a person can fix as their working side."""
