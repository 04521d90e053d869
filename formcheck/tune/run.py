"""Tuning one exercise: per rule the threshold that agrees best with the labels, its honest
(cross-validated) accuracy beside the default's, and the counting thresholds likewise.

Everything here works on values already measured: the labelled samples are analysed once with the
current thresholds, and every candidate threshold re-judges those values (rules) or re-runs the rep
switch on the cached measures (counting). Nothing here reads files or looks names up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.analysis.exercise import Exercise, ExerciseThresholds, Rule
from formcheck.tune.counting import CountingSample, CountingTable, counting_table
from formcheck.tune.crossval import CrossValidation, Fold, blocked_folds, cross_validate, leave_one_group_out
from formcheck.tune.examples import RuleExamples
from formcheck.tune.search import Search, best_threshold

TABLE_BLOCKS = 5
"""Frame tables: each recording is cut into this many contiguous blocks, one held out per fold."""
TABLE_GAP_FRAMES = 30
"""Frame tables: frames this close to a held-out block are left out of training (neighbouring
frames are near copies of each other, ~1 s at 30 frames/s)."""


@dataclass(frozen=True)
class RuleTuning:
    """One rule tuned.

    Attributes:
        rule: the rule. examples: its labelled examples.
        search: the threshold chosen on all examples (``search.too_few`` says when none could be).
        cv: cross-validated counts for the tuned and the default threshold; None with too few labels.
        folds: how the folds were made, in words.
    """

    rule: Rule
    examples: RuleExamples
    search: Search
    cv: CrossValidation | None
    folds: str


@dataclass(frozen=True)
class Tuning:
    """An exercise tuned: the rules, the counting (None without labelled clips), the thresholds."""

    exercise: Exercise
    start: ExerciseThresholds
    rules: tuple[RuleTuning, ...]
    counting: CountingTable | None

    def thresholds(self) -> ExerciseThresholds:
        """The starting thresholds with every tuned value in place (rules with too few labels keep theirs)."""
        rules = {t.rule.id: t.search.threshold for t in self.rules if t.search.too_few is None}
        values = {}
        if self.counting is not None:
            values = self.counting.candidates[self.counting.chosen()]
        return self.start.replace(values=values, thresholds=rules)


def folds_for(examples: RuleExamples, frame_table: bool) -> tuple[list[Fold], str]:
    _, _, groups, _ = examples.arrays()
    if frame_table:
        recordings = np.unique(groups, return_inverse=True)[1]
        folds = blocked_folds(recordings, TABLE_BLOCKS, TABLE_GAP_FRAMES)
        how = (
            f"{TABLE_BLOCKS} contiguous blocks within each of {len(np.unique(groups))} recordings, "
            f"{TABLE_GAP_FRAMES} frames left out beside each test block"
        )
        return folds, how
    return leave_one_group_out(groups), f"leave one clip out ({len(np.unique(groups))} clips)"


def tune_rule(
    rule: Rule, examples: RuleExamples, default: float, objective: str, *, frame_table: bool = False
) -> RuleTuning:
    values, faulty, groups, _ = examples.arrays()
    search = best_threshold(values, faulty, str(rule.limit), default, objective)
    cv, how = None, ""
    if search.too_few is None and len(np.unique(groups)) >= 2:
        folds, how = folds_for(examples, frame_table)
        cv = cross_validate(values, faulty, str(rule.limit), default, folds, objective)
    return RuleTuning(rule, examples, search, cv, how)


def tune(
    exercise: Exercise,
    start: ExerciseThresholds,
    examples: dict[str, RuleExamples],
    *,
    objective: str = "f1",
    rule_ids: tuple[str, ...] = (),
    counting: list[CountingSample] | None = None,
    frame_table: bool = False,
) -> Tuning:
    """Tune the rules of ``exercise`` that have ``examples`` (only ``rule_ids`` when given) and, with
    labelled clips in ``counting``, its counting thresholds."""
    chosen = [
        rule for rule in exercise.rules if rule.id in examples and (not rule_ids or rule.id in rule_ids)
    ]
    rules = tuple(
        tune_rule(rule, examples[rule.id], start.threshold(rule.id), objective, frame_table=frame_table)
        for rule in chosen
    )
    table = counting_table(exercise, start, counting) if counting else None
    return Tuning(exercise, start, rules, table)
