"""Counting thresholds tuned against labelled reps: the ``start`` and ``end`` levels that make the
engine's complete-rep count agree with the labels on the most clips.

Every candidate re-runs the rep switch on each clip's cached measures (`measure_track`), never the
model. The engine's results for each (candidate, clip) pair are computed once, so the
leave-one-clip-out estimate only re-selects on that table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.exercise import Exercise, ExerciseThresholds
from formcheck.analysis.frames import FrameMeasures
from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.results import Rep
from formcheck.core.track import PoseTrack
from formcheck.tune.examples import match_reps

SCALES = np.round(np.linspace(0.6, 1.4, 9), 2)
"""Candidates for ``start`` and for ``end``: these multiples of their defaults (81 pairs)."""


@dataclass(frozen=True)
class CountingSample:
    """One labelled clip for counting.

    Attributes:
        name: the clip, for the table. track: its pose track. measures: its raw signals
        (`formcheck.analysis.session.measure_track`). labelled: its labelled reps (``complete``,
        ``start_s``, ``end_s``). side: the working side to fix, or None to detect.
    """

    name: str
    track: PoseTrack
    measures: FrameMeasures
    labelled: Sequence
    side: str | None = None

    @property
    def labelled_complete(self) -> int:
        return sum(1 for rep in self.labelled if rep.complete)


@dataclass(frozen=True)
class Outcome:
    """The engine's count on one clip under one candidate.

    Attributes:
        found: complete reps found. labelled: complete reps labelled.
        boundary_s: mean |start difference| + |end difference| over the matched complete reps
            (NaN when none matched).
    """

    found: int
    labelled: int
    boundary_s: float

    @property
    def exact(self) -> bool:
        return self.found == self.labelled


def candidate_values(exercise: Exercise, thresholds: ExerciseThresholds) -> list[dict[str, float]]:
    """Every valid (``start``, ``end``) pair of the grid, the default first."""
    start, end = float(thresholds["start"]), float(thresholds["end"])
    pairs = [{"start": start, "end": end}]
    for a in SCALES:
        for b in SCALES:
            s, e = round(start * a, 3), round(end * b, 3)
            beyond = (e - s) * exercise.direction > 0 and (not exercise.counted_from_rest or 0 < s < e)
            if beyond and {"start": s, "end": e} not in pairs:
                pairs.append({"start": s, "end": e})
    return pairs


def outcome(exercise: Exercise, thresholds: ExerciseThresholds, sample: CountingSample) -> Outcome:
    report, _ = analyze_track(sample.track, exercise, thresholds, side=sample.side, measures=sample.measures)
    found = [rep for rep in report.reps if rep.complete]
    labelled = [rep for rep in sample.labelled if rep.complete]
    errors = [
        abs(rep.start_s - truth.start_s) + abs(rep.end_s - truth.end_s)
        for truth, rep in zip(labelled, match_reps(labelled, found), strict=True)
        if isinstance(rep, Rep)
    ]
    return Outcome(len(found), len(labelled), float(np.mean(errors)) if errors else float("nan"))


@dataclass(frozen=True)
class CountingTable:
    """The engine's outcome for every candidate on every clip: ``outcomes[c][k]`` for candidate c
    (``candidates[c]``, 0 = the defaults) and clip k."""

    candidates: list[dict[str, float]]
    outcomes: list[list[Outcome]]

    def best(self, clips: Sequence[int]) -> int:
        """The candidate with the most exact counts over ``clips``; ties go to the smaller total
        count error, then to the defaults (candidate 0: counts are the evidence, so thresholds that
        count no better do not move), then to the smaller boundary error."""

        def key(c: int) -> tuple:
            rows = [self.outcomes[c][k] for k in clips]
            boundary = [o.boundary_s for o in rows if np.isfinite(o.boundary_s)]
            return (
                -sum(o.exact for o in rows),
                sum(abs(o.found - o.labelled) for o in rows),
                c != 0,
                round(float(np.mean(boundary)), 2) if boundary else np.inf,
                c,
            )

        return min(range(len(self.candidates)), key=key)

    def chosen(self) -> int:
        """The candidate to use: the best on every clip, but only if choosing that way also counts
        more clips exactly when each clip is left out in turn than the defaults do (which were not
        fitted to any clip); otherwise the defaults (0), since the gain would not carry to new clips."""
        clips = range(len(self.outcomes[0]))
        default_exact = sum(o.exact for o in self.outcomes[0])
        held_out_exact = sum(o.exact for o in self.held_out())
        return self.best(list(clips)) if held_out_exact > default_exact else 0

    def held_out(self) -> list[Outcome]:
        """Leave-one-clip-out: for each clip, its outcome under the candidate chosen on the others."""
        clips = range(len(self.outcomes[0]))
        return [self.outcomes[self.best([j for j in clips if j != k])][k] for k in clips]


def counting_table(
    exercise: Exercise, thresholds: ExerciseThresholds, samples: Sequence[CountingSample]
) -> CountingTable:
    candidates = candidate_values(exercise, thresholds)
    outcomes = [
        [outcome(exercise, thresholds.replace(values=values), sample) for sample in samples]
        for values in candidates
    ]
    return CountingTable(candidates, outcomes)
