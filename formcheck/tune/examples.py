"""From labelled samples to tuning examples: per rule, the measured value of every labelled rep
(or table row) beside its label, and the clip (or recording) it came from.

A labelled rep is matched to the rep the engine found over the same stretch of time; a rule counts
as an example of that rep only where the labels say something about it (`faults` or `clean`) and
the engine could judge it. Reps the engine missed, and rules it could not judge, are counted so
the person sees what the figures leave out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from formcheck.analysis.exercise import Exercise
from formcheck.analysis.results import Rep
from formcheck.analysis.vocabulary import Status

MIN_OVERLAP = 0.5
"""A found rep matches a labelled one when they share at least this share of the shorter of the two."""


def match_reps(labelled: Sequence, found: Sequence[Rep]) -> list[Rep | None]:
    """For each labelled rep, the engine's rep that overlaps it most (each found rep used once,
    best overlaps first); None where no found rep overlaps it by `MIN_OVERLAP`."""
    pairs = []
    for i, truth in enumerate(labelled):
        for j, rep in enumerate(found):
            shared = min(truth.end_s, rep.end_s) - max(truth.start_s, rep.start_s)
            shorter = min(truth.end_s - truth.start_s, rep.end_s - rep.start_s)
            if shorter > 0 and shared / shorter >= MIN_OVERLAP:
                pairs.append((shared / shorter, i, j))
    matched: list[Rep | None] = [None] * len(labelled)
    used: set[int] = set()
    for _, i, j in sorted(pairs, reverse=True):
        if matched[i] is None and j not in used:
            matched[i] = found[j]
            used.add(j)
    return matched


@dataclass
class RuleExamples:
    """The labelled examples of one rule.

    Attributes:
        values: (n,) measured values (finite: examples the engine could not judge are left out
            and counted in ``not_judged``).
        faulty: (n,) bool, the label: True = the rule's fault is present.
        groups: (n,) str, the clip (or recording) of each example; cross-validation never splits one.
        sides: (n,) str, the working side of each example (``left``, ``right``, ``both``; ``""`` for rows).
        not_judged: labelled examples the engine could not judge (wrong view, hidden landmarks).
        missed: labelled reps the engine did not find at all.
    """

    values: list[float] = field(default_factory=list)
    faulty: list[bool] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    sides: list[str] = field(default_factory=list)
    not_judged: int = 0
    missed: int = 0

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (
            np.asarray(self.values, dtype=np.float64),
            np.asarray(self.faulty, dtype=bool),
            np.asarray(self.groups, dtype=str),
            np.asarray(self.sides, dtype=str),
        )


def rep_examples(
    exercise: Exercise, clip: str, labelled: Sequence, found: Sequence[Rep], into: dict[str, RuleExamples]
) -> None:
    """Add the examples of one clip's labelled reps to ``into`` (rule id -> examples)."""
    for truth, rep in zip(labelled, match_reps(labelled, found), strict=True):
        for rule in exercise.rules:
            if rule.id not in truth.faults and rule.id not in truth.clean:
                continue
            examples = into.setdefault(rule.id, RuleExamples())
            if rep is None:
                examples.missed += 1
                continue
            result = next(r for r in rep.rules if r.id == rule.id)
            if result.status == Status.NOT_JUDGED or not np.isfinite(result.value):
                examples.not_judged += 1
                continue
            examples.values.append(float(result.value))
            examples.faulty.append(rule.id in truth.faults)
            examples.groups.append(clip)
            examples.sides.append(rep.side)


def row_examples(
    rule_id: str,
    values: np.ndarray,
    judged: np.ndarray,
    faulty: np.ndarray,
    recordings: np.ndarray,
    into: dict[str, RuleExamples],
) -> None:
    """Add a frame table's rows as examples of ``rule_id``: ``values`` (N,) the rule's per-frame
    signal, ``judged`` (N,) bool where the engine could judge the row, ``faulty`` (N,) bool labels,
    ``recordings`` (N,) the recording each row belongs to (for blocked folds)."""
    examples = into.setdefault(rule_id, RuleExamples())
    keep = judged & np.isfinite(values)
    examples.values.extend(values[keep].tolist())
    examples.faulty.extend(faulty[keep].tolist())
    examples.groups.extend(str(r) for r in recordings[keep])
    examples.sides.extend([""] * int(keep.sum()))
    examples.not_judged += int((~keep).sum())
