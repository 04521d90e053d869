"""Words and numbers for people: rule values with their units, scores with what they rest on, views.

Shared by the live overlay and `formcheck analyze`'s rep table, so that both say the same
thing the same way. Pure functions of engine results; no drawing here.
"""

from __future__ import annotations

from formcheck.analysis.results import NOT_JUDGED_VIEW, Rep, RuleResult
from formcheck.analysis.turning import turn_needed, turn_words
from formcheck.analysis.vocabulary import Status

UNIT_DECIMALS = {"deg": 0, "s": 1, "frame": 0}
"""Decimals a value deserves, by unit: whole degrees and frames, tenths of seconds; lengths and
ratios (shin lengths, thigh lengths, hip widths, ratio) default to hundredths, the precision
their thresholds are set in."""
DEFAULT_DECIMALS = 2

VIEW_ADVICE = {"side": "turn side-on", "front": "face the camera", "oblique": "turn half-way to the camera"}
"""What to do to reach a view a rule needs, in the order tried (side-on first)."""


def _number(value: float, unit: str) -> str:
    number = f"{value:.{UNIT_DECIMALS.get(unit, DEFAULT_DECIMALS)}f}"
    # "-0.00" would read as a negative measurement where the value is zero to the shown precision.
    return number.lstrip("-") if float(number) == 0 else number


def format_value(value: float, unit: str) -> str:
    """``0.34 ratio``, ``69 deg``, ``1.1 s``: the value with its unit and the decimals the unit deserves."""
    return f"{_number(value, unit)} {unit}"


def view_advice(needed: tuple[str, ...]) -> str:
    """How to turn so that a rule needing one of ``needed`` views can be judged."""
    for view, advice in VIEW_ADVICE.items():
        if view in needed:
            return advice
    return "change the camera view"


def measured(rule: RuleResult) -> str:
    """``0.13 shin lengths (max 0.00)``: what was measured against the rule's limit."""
    return f"{format_value(rule.value, rule.unit)} ({rule.limit} {_number(rule.threshold, rule.unit)})"


def verdict_word(status: str, borderline: bool) -> str:
    """``passed``, ``failed``, ``not judged``, or ``borderline pass`` / ``borderline fail``: one
    verdict in words, for the rep tables of the terminal and the page."""
    if borderline:
        return {Status.PASSED: "borderline pass", Status.FAILED: "borderline fail"}[Status(status)]
    return Status(status).replace("_", " ")


def rule_lines(
    rule: RuleResult, view: str, needed_views: tuple[str, ...], azimuth_deg: float = float("nan")
) -> tuple[str, str]:
    """Two lines for one rule of a rep seen mostly from ``view``.

    Passed: the rule's name, then what was measured against its limit. Failed: the cue, then
    the name and what was measured. Not judged: the name, then why, with which way to turn when
    the rep's azimuth is known ("oblique view: turn about 45 degrees to your right").
    A borderline verdict says so first, where a cut line cannot lose it ("borderline: Knee back").
    """
    name = rule.id.replace("_", " ")
    if rule.status == Status.NOT_JUDGED:
        if rule.reason.startswith(NOT_JUDGED_VIEW):
            turn = turn_words(turn_needed(azimuth_deg, needed_views))
            return name, f"{view} view: {turn or view_advice(needed_views)}"
        return name, f"not judged: {rule.reason or 'no measurement'}"
    close = "borderline: " if rule.borderline else ""
    if rule.status == Status.FAILED:
        return close + (rule.cue or name), f"{name}: {measured(rule)}"
    return close + name, measured(rule)


def judged_count(rep: Rep) -> tuple[int, int]:
    """(rules judged, rules in all) of one rep."""
    return sum(1 for rule in rep.rules if rule.status != Status.NOT_JUDGED), len(rep.rules)


def thinly_judged(rep: Rep) -> bool:
    """Fewer than half the rep's rules were judged: its score rests on too little to trust."""
    judged, total = judged_count(rep)
    return 2 * judged < total


def score_text(rep: Rep) -> str:
    """``score 67 · 2 of 3 rules judged`` (``·`` as ``-``, which OpenCV's fonts can draw); ``only``
    marks a rep with fewer than half its rules judged; a partial rep says why it is partial."""
    if not rep.complete:
        return f"partial: {rep.reason or 'incomplete'}"
    judged, total = judged_count(rep)
    rules = f"{'only ' if thinly_judged(rep) else ''}{judged} of {total} rules judged"
    if rep.score is None:
        return f"no score - {rules}"
    return f"score {rep.score:.0f} - {rules}"
