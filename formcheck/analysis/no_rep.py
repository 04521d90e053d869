"""Why a session counted no complete rep, in one line a person can act on.

`CountingSeen` keeps running totals of what the rep switch was shown (frames with a person, frames
with the key landmarks, the range of the primary signal), a few numbers per batch, so a live
session that keeps no history can say it as well as an offline analysis.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from formcheck.analysis.exercise import Exercise
from formcheck.analysis.reps import NO_PERSON, VISIBLE, Counting
from formcheck.analysis.results import Rep, Setup

SEEN_SHARE = 0.5
"""Below this share of frames with a person (or with the key landmarks) that is the reason given."""


class CountingSeen:
    """Running totals of the frames and primary signal a session saw."""

    def __init__(self, exercise: Exercise, counting: Counting) -> None:
        self.exercise, self.counting = exercise, counting
        self.frames = 0
        self.with_person = 0
        self.with_landmarks = 0
        self.low = math.inf
        self.high = -math.inf

    def add(self, visibility: np.ndarray, primary: np.ndarray) -> None:
        """One batch: (N,) visibility codes and (N,) smoothed primary signal (NaN where unseen)."""
        self.frames += len(visibility)
        self.with_person += int(np.sum(visibility != NO_PERSON))
        visible = visibility == VISIBLE
        self.with_landmarks += int(np.sum(visible))
        values = primary[visible & np.isfinite(primary)]
        if len(values):
            self.low, self.high = min(self.low, float(values.min())), max(self.high, float(values.max()))

    def why_no_rep(self, reps: Sequence[Rep], setups: Sequence[Setup]) -> str:
        """One line on why no complete rep was counted; "" when one was."""
        if any(rep.complete for rep in reps):
            return ""
        if self.frames == 0:
            return "no rep: no frames"
        share = self.with_person / self.frames
        if share < SEEN_SHARE:
            return f"no rep: person seen in {share:.0%} of frames"
        share = self.with_landmarks / self.frames
        if share < SEEN_SHARE:
            names = ", ".join(self.exercise.key_landmarks)
            return f"no rep: the landmarks counting needs ({names}) seen in {share:.0%} of frames"
        if reps:
            reasons = Counter(rep.reason for rep in reps)
            listed = ", ".join(f"{n} {reason}" for reason, n in reasons.items())
            return f"no complete rep: {len(reps)} partial ({listed})"
        if setups:
            return f"no rep: got into position at {setups[-1].end_s:.1f} s, then no rep followed"
        return self._signal_line()

    def _signal_line(self) -> str:
        c, name, unit = self.counting, self.exercise.primary.replace("_", " "), self.exercise.primary_unit
        unit = "°" if unit == "deg" else f" {unit}"
        rising = c.direction > 0
        if not math.isfinite(self.low):
            return f"no rep: {name} could not be measured on any frame"
        if c.from_rest:
            moved = self.high - self.low
            return f"no rep: {name} moved {moved:.0f}{unit} at most, a rep moves {c.start:g}{unit} from rest"
        extreme = self.high if rising else self.low
        word = "rose past" if rising else "fell below"
        if (extreme - c.start) * c.direction <= 0:
            return f"no rep: {name} never {word} {c.start:g}{unit} (reached {extreme:.0f}{unit})"
        near = self.low if rising else self.high
        if self.exercise.rest_at_either_end and (near - c.end) * c.direction >= 0:
            # Resting at the bottom the whole time: never stood up.
            return (
                f"no rep: {name} stayed past {c.end:g}{unit} (the bottom) "
                f"and never came back to {c.start:g}{unit} (reached {near:.0f}{unit})"
            )
        return (
            f"no rep: the movement was smaller than {c.min_range:g}{unit} "
            f"({name} {self.low:.0f}-{self.high:.0f}{unit})"
        )
