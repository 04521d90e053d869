"""Judging a rep: every rule's verdict on the rep's window, and the rep's 0-100 score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from formcheck.analysis.body import VIEW_CODE, VIEWS, judged_as
from formcheck.analysis.exercise import Exercise, RepWindow, Rule
from formcheck.analysis.frames import rule_judgeable
from formcheck.analysis.results import NOT_JUDGED_HIDDEN, NOT_JUDGED_VIEW, Rep, RuleResult
from formcheck.analysis.turning import circular_mean_deg, degrees_off, turn_needed, turn_words
from formcheck.analysis.vocabulary import Status

MIN_VISIBLE_SHARE = 0.5
"""A rule is judged only if its landmarks are visible on at least this share of the rep's frames."""


def dominant_view(views: np.ndarray) -> str:
    """The view most of the frames had, ignoring frames where it was unknown."""
    known = views[views != VIEW_CODE["unknown"]]
    if len(known) == 0:
        return "unknown"
    return VIEWS[int(np.bincount(known, minlength=len(VIEWS)).argmax())]


def view_advice(exercise: Exercise, reps: Sequence[Rep]) -> str:
    """One line on what the complete reps' camera view could not judge — each rule with the view it
    needs — and, where that includes headline rules (the heaviest), which way and how far to turn
    for them; "" when the view judged every rule it could see."""
    complete = [rep for rep in reps if rep.complete]
    unjudged = dict.fromkeys(
        result.id
        for rep in complete
        for result in rep.rules
        if result.status == Status.NOT_JUDGED and result.reason.startswith(NOT_JUDGED_VIEW)
    )
    if not unjudged:
        return ""
    views = [rep.view for rep in complete]
    seen = max(dict.fromkeys(views), key=views.count)
    needs = ", ".join(
        f"{rule_id} (needs {' or '.join(exercise.rule(rule_id).views)})" for rule_id in unjudged
    )
    line = f"from this {seen} view not judged: {needs}"
    heaviest = max(rule.weight for rule in exercise.rules)
    headline = [rule for rule in exercise.rules if rule.weight == heaviest and rule.id in unjudged]
    if headline:
        azimuth, _ = circular_mean_deg(np.array([rep.view_angle_deg for rep in complete], dtype=np.float64))
        turn = turn_words(turn_needed(azimuth, headline[0].views))
        if turn:
            line += f"; for {', '.join(rule.id for rule in headline)}: {turn}"
    return line


BORDERLINE_FAULT_WEIGHT = 0.5
"""A borderline fault costs the score half of a clear one: the metric's error could have flipped it."""


def view_allows(rule: Rule, view: str, azimuth_deg: float, envelope: float | None) -> bool:
    """A rep (or a moment) seen from ``view`` at ``azimuth_deg`` can be judged on ``rule``: the view
    is one it names, or the azimuth lies within its measured ``envelope`` of them."""
    if judged_as(view) in rule.views:
        return True
    if envelope is None or not np.isfinite(azimuth_deg):
        return False
    return bool(degrees_off(np.array([azimuth_deg]), rule.views)[0] <= envelope)


def judge_rep(
    exercise: Exercise,
    thresholds: Mapping[str, float],
    window: RepWindow,
    views: np.ndarray,
    rule_visible: np.ndarray,
    metric_errors: Mapping[str, Mapping[str, float]] | None = None,
    azimuths: np.ndarray | None = None,
    envelopes: Mapping[str, float] | None = None,
) -> tuple[RuleResult, ...]:
    """Verdict of every rule of ``exercise`` on one rep.

    ``views`` (n,) view codes, ``rule_visible`` (n, R) and ``azimuths`` (n,) camera azimuths of
    the rep's frames; ``thresholds`` maps rule id -> threshold; ``metric_errors`` rule id -> view
    -> measured metric error (`ExerciseThresholds.metric_errors`), which each verdict carries for
    the rep's view; ``envelopes`` rule id -> degrees off its views it is judged up to
    (`ExerciseThresholds.view_envelopes`). A rule the rep's view cannot judge says which way to
    turn and by how much.
    """
    view = dominant_view(views)
    if azimuths is None:
        azimuths = np.full(len(views), np.nan)
    azimuth, _ = circular_mean_deg(azimuths)
    results = []
    for r, rule in enumerate(exercise.rules):
        threshold = thresholds[rule.id]
        error = (metric_errors or {}).get(rule.id, {}).get(judged_as(view))
        envelope = (envelopes or {}).get(rule.id)

        def not_judged(reason: str, rule=rule, threshold=threshold) -> RuleResult:
            return RuleResult(
                rule.id,
                Status.NOT_JUDGED,
                float("nan"),
                threshold,
                rule.unit,
                rule.cue,
                reason,
                rule.limit,
                rule.views,
            )

        if not view_allows(rule, view, azimuth, envelope):
            turn = turn_words(turn_needed(azimuth, rule.views))
            reason = f"{NOT_JUDGED_VIEW}: {view}, needs {' or '.join(rule.views)}" + (
                f": {turn}" if turn else ""
            )
            results.append(not_judged(reason))
            continue
        visible = rule_visible[:, r]
        if visible.mean() < MIN_VISIBLE_SHARE:
            results.append(not_judged(NOT_JUDGED_HIDDEN))
            continue
        if rule.frame_signal is not None:
            values = window.signals[rule.frame_signal][
                visible & rule_judgeable(rule, views, azimuths, envelope)
            ]
            values = values[np.isfinite(values)]
            value = float(values.max()) if len(values) else float("nan")
        else:
            value = float(rule.measure(window))
        if not np.isfinite(value):
            results.append(not_judged(NOT_JUDGED_HIDDEN))
            continue
        status = Status.FAILED if rule.fails(value, threshold) else Status.PASSED
        results.append(
            RuleResult(
                rule.id, status, value, threshold, rule.unit, rule.cue, "", rule.limit, rule.views, error
            )
        )
    return tuple(results)


def score(exercise: Exercise, results: tuple[RuleResult, ...]) -> float | None:
    """0-100: the weighted share of judged rules that passed, a borderline fault costing
    `BORDERLINE_FAULT_WEIGHT` of a clear one; None when nothing could be judged."""
    weights = {rule.id: rule.weight for rule in exercise.rules}
    judged = [r for r in results if r.status != Status.NOT_JUDGED]
    total = sum(weights[r.id] for r in judged)
    if total == 0:
        return None
    lost = sum(
        weights[r.id] * (BORDERLINE_FAULT_WEIGHT if r.borderline else 1.0)
        for r in judged
        if r.status == Status.FAILED
    )
    return 100.0 * (total - lost) / total


def rejudge(exercise: Exercise, rep: Rep, thresholds: Mapping[str, float]) -> Rep:
    """``rep`` judged again under other rule ``thresholds`` (rule id -> threshold; rules not named
    keep theirs), from the values already measured: no signal is re-measured and no rep re-cut,
    so tuning can try thousands of candidates on a rep in-process. This is exact because a rule's
    value never depends on its threshold."""

    def again(result: RuleResult) -> RuleResult:
        if result.status == Status.NOT_JUDGED or result.id not in thresholds:
            return result
        threshold = float(thresholds[result.id])
        failed = exercise.rule(result.id).fails(result.value, threshold)
        return replace(result, status=Status.FAILED if failed else Status.PASSED, threshold=threshold)

    results = tuple(again(result) for result in rep.rules)
    return replace(rep, rules=results, score=score(exercise, results))
