"""What the engine concludes: `RuleResult` per rule, `Rep` per rep, `Report` per analysed source.

`to_dict()` gives the JSON report contract of design.md §5 (``exercise``, ``source``, ``fps``,
``frames``, ``reps`` [{``index``, ``side``, ``complete``, ``reason``, ``start_s``, ``end_s``,
``score``, ``rules`` [{``id``, ``status``, ``value``, ``threshold``, ``cue``}]}], ``summary``
{``reps_total``, ``reps_per_side``, ``faults``}); extra keys are additions, never renames, e.g.
``summary.per_set`` [{``set``, ``reps``, ``reps_per_side``, ``work_s``; timed sets also
``target_s``, ``target_met``}], ``summary.counted_from`` (``top`` / ``bottom``: the end reps
started from, e.g. ``bottom`` for deadlifts from the floor), ``summary.no_rep_reason`` (one line
when no complete rep was found), ``summary.view_advice`` (one line on what the view could not
judge and how to turn), ``setup`` [{``start_s``, ``end_s``, ``what``}] (movements into
position that are not reps), per rep ``counted_from`` and ``note``, and per verdict ``margin``,
``borderline`` and ``error`` (design.md §8: how sure the verdict is).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from formcheck.analysis.vocabulary import LEG_SIDES, Limit, Side, Status

NOT_JUDGED_VIEW = "wrong camera view"
NOT_JUDGED_HIDDEN = "landmarks not visible"


def _number(value: float | None, digits: int = 3) -> float | None:
    """JSON-safe rounding: NaN and None become null."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict on one rep.

    Attributes:
        id: rule id, e.g. ``knee_over_toes``.
        status: passed, failed or not judged.
        value: the measurement (NaN when not judged).
        threshold: the limit it was compared with.
        unit: unit of value and threshold (``deg``, ``shin lengths``, ``s`` …).
        cue: what to tell the person when it fails ("Push your hips back").
        reason: why it was not judged ("" otherwise).
        limit: which way the threshold is a limit.
        views: the camera views the rule can be judged from (to tell a person how to turn).
        error: the metric's measured error from this rep's view (the studio's median
            |MediaPipe - exact|, in ``unit``), or None where it was never measured.
    """

    id: str
    status: Status
    value: float
    threshold: float
    unit: str
    cue: str
    reason: str = ""
    limit: Limit = Limit.MAX
    views: tuple[str, ...] = ()
    error: float | None = None

    @property
    def margin(self) -> float:
        """How far the value is from failing, in ``unit``: positive on the passing side, negative
        by how much it failed (NaN when not judged)."""
        return self.threshold - self.value if self.limit == Limit.MAX else self.value - self.threshold

    @property
    def borderline(self) -> bool:
        """Judged, and so close to the threshold that the metric's own error could flip the verdict
        (|margin| within ``error``); False where the error is unknown."""
        return self.status != Status.NOT_JUDGED and self.error is not None and abs(self.margin) <= self.error

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "value": _number(self.value),
            "threshold": _number(self.threshold),
            "unit": self.unit,
            "limit": self.limit,
            "cue": self.cue,
            "reason": self.reason or None,
            "margin": _number(self.margin),
            "borderline": self.borderline,
            "error": _number(self.error),
        }


@dataclass(frozen=True)
class Rep:
    """One rep, complete or partial.

    Attributes:
        exercise: exercise id.
        index: 1-based number of the rep in its report (partial reps numbered too).
        side: working side.
        complete: False for a partial rep.
        reason: why it is partial ("" when complete).
        start_s, peak_s, end_s: times in seconds.
        set_index: 1-based set number.
        view: camera view most frames of the rep had.
        view_angle_deg: the camera's signed azimuth around the body over the rep (design.md §8:
            0 facing it, +90 left side, -90 right side, 180 back), NaN where unknown;
            view_angle_spread_deg: how much it wandered (circular standard deviation).
        metrics: named measurements over the rep (peak primary signal, durations …).
        rules: the verdict of every rule.
        score: 0-100 from the judged rules; None when none could be judged.
        counted_from: ``top`` or ``bottom``, the end the rep started from (see
            `formcheck.analysis.reps`).
        note: how it was counted, when a person should know ("began at the bottom"), else "".
    """

    exercise: str
    index: int
    side: Side
    complete: bool
    reason: str
    start_s: float
    peak_s: float
    end_s: float
    set_index: int
    view: str
    metrics: dict[str, float]
    rules: tuple[RuleResult, ...]
    score: float | None
    counted_from: str = "top"
    note: str = ""
    view_angle_deg: float = float("nan")
    view_angle_spread_deg: float = float("nan")

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "side": self.side,
            "complete": self.complete,
            "reason": self.reason or None,
            "counted_from": self.counted_from,
            "note": self.note or None,
            "start_s": _number(self.start_s),
            "peak_s": _number(self.peak_s),
            "end_s": _number(self.end_s),
            "set": self.set_index,
            "view": self.view,
            "view_angle_deg": _number(self.view_angle_deg, 1),
            "view_angle_spread_deg": _number(self.view_angle_spread_deg, 1),
            "score": _number(self.score, 1),
            "metrics": {name: _number(value) for name, value in self.metrics.items()},
            "rules": [rule.to_dict() for rule in self.rules],
        }


@dataclass(frozen=True)
class Setup:
    """A movement into position that is not a rep (getting down to the bar).

    Attributes:
        start_s, end_s: times in seconds; what: what it was, in words.
    """

    start_s: float
    end_s: float
    what: str

    def to_dict(self) -> dict:
        return {"start_s": _number(self.start_s), "end_s": _number(self.end_s), "what": self.what}


@dataclass(frozen=True)
class Report:
    """Everything found in one source.

    Attributes:
        exercise: exercise id.
        source: input path (or ``camera:0``).
        fps: frames per second of the source (0 for independent poses).
        frames: number of frames (or table rows) analysed.
        reps: every rep in order.
        frame_verdicts: for independent poses (no reps), rule id -> counts of per-row statuses.
        thresholds: the exercise's thresholds in force, for the record.
        counting: how reps were cut, so a report reads on its own (a page rebuilt from the JSON):
            ``title`` (the exercise's name for people), ``signal`` and ``unit`` (the primary
            signal), ``from_rest`` (thresholds measured above each rep's rest level).
        setup: movements into position, which are not reps.
        no_rep_reason: why no complete rep was found, in one line ("" when one was, or for poses).
        view_advice: what the complete reps' view could not judge and how to turn for the headline
            rules, in one line ("" when it judged every rule; `formcheck.analysis.scoring.view_advice`).
    """

    exercise: str
    source: str
    fps: float
    frames: int
    reps: tuple[Rep, ...]
    frame_verdicts: dict[str, dict[str, int]] = field(default_factory=dict)
    thresholds: dict = field(default_factory=dict)
    counting: dict = field(default_factory=dict)
    setup: tuple[Setup, ...] = ()
    no_rep_reason: str = ""
    view_advice: str = ""

    def summary(self) -> dict:
        complete = [rep for rep in self.reps if rep.complete]
        per_side = reps_per_side(complete)
        rule_ids = list(dict.fromkeys(rule.id for rep in self.reps for rule in rep.rules))
        faults = {
            rule_id: sum(
                1 for rep in complete for r in rep.rules if r.id == rule_id and r.status == Status.FAILED
            )
            for rule_id in rule_ids
        }
        not_judged = {
            rule_id: sum(
                1 for rep in complete for r in rep.rules if r.id == rule_id and r.status == Status.NOT_JUDGED
            )
            for rule_id in rule_ids
        }
        return {
            "reps_total": len(complete),
            "reps_partial": len(self.reps) - len(complete),
            "reps_per_side": per_side,
            "sets": max((rep.set_index for rep in self.reps), default=0),
            "faults": faults,
            "not_judged": not_judged,
            "left_vs_right": self.left_vs_right(),
            "mean_score": _number(_mean([rep.score for rep in complete]), 1),
            "per_set": self.per_set(),
            "counted_from": self.counted_from(),
            "no_rep_reason": self.no_rep_reason or None,
            "view_advice": self.view_advice or None,
        }

    def counted_from(self) -> str | None:
        """The end most reps started from (``top`` / ``bottom``), None without reps."""
        ends = [rep.counted_from for rep in self.reps]
        return max(dict.fromkeys(ends), key=ends.count) if ends else None

    def per_set(self) -> list[dict]:
        """Per set: complete reps (in all and per side) and the time under work, from the first
        rep's start to the last rep's end; timed sets add their target and whether it was met."""
        target = float(self.thresholds.get("set_duration_s", 0.0))
        sets = []
        for number in sorted({rep.set_index for rep in self.reps}):
            reps = [rep for rep in self.reps if rep.set_index == number]
            per_side = reps_per_side(reps)
            work_s = reps[-1].end_s - reps[0].start_s
            entry = {
                "set": number,
                "reps": sum(per_side.values()),
                "reps_per_side": per_side,
                "work_s": _number(work_s, 2),
            }
            if target > 0:
                entry.update(target_s=target, target_met=bool(work_s >= target))
            sets.append(entry)
        return sets

    def left_vs_right(self) -> dict:
        """Reps and mean score per side, and the score gap (left minus right); empty for bilateral work."""
        sides = {}
        for side in LEG_SIDES:
            reps = [rep for rep in self.reps if rep.complete and rep.side == side]
            sides[side] = {"reps": len(reps), "mean_score": _number(_mean([r.score for r in reps]), 1)}
        if not any(entry["reps"] for entry in sides.values()):
            return {}
        left, right = sides["left"]["mean_score"], sides["right"]["mean_score"]
        sides["score_gap"] = None if left is None or right is None else round(left - right, 1)
        return sides

    def to_dict(self) -> dict:
        out = {
            "exercise": self.exercise,
            "source": self.source,
            "fps": _number(self.fps),
            "frames": self.frames,
            "reps": [rep.to_dict() for rep in self.reps],
            "summary": self.summary(),
            "setup": [event.to_dict() for event in self.setup],
            "thresholds": self.thresholds,
            "counting": self.counting,
        }
        if self.frame_verdicts:
            out["frame_verdicts"] = self.frame_verdicts
        return out


def reps_per_side(reps: Iterable[Rep]) -> dict[str, int]:
    """Complete reps by side (partial reps are not counted), in the order the sides first occur."""
    counts: dict[str, int] = {}
    for rep in reps:
        if rep.complete:
            counts[rep.side] = counts.get(rep.side, 0) + 1
    return counts


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
