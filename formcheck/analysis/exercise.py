"""The plug-in types of the engine: what an exercise is made of, and the thresholds it is judged by.

The engine (`formcheck.analysis`) takes an `Exercise` and its `ExerciseThresholds` as values and
never looks a name up: the catalogue (`formcheck.exercises`) builds the exercises, the threshold
loader (`formcheck.exercises.thresholds`) reads the TOML files, and only the command line and the
studio turn names into these values. That lets tuning judge the same rep under thousands of
candidate thresholds in-process.

Adding an exercise is one module in `formcheck.exercises` that builds an `Exercise`, one TOML file
with its default thresholds (``<name>.toml``, section ``[<name>]``, one sub-table per rule) and a
line in `formcheck.exercises.EXERCISES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from formcheck.analysis.body import Body
from formcheck.analysis.vocabulary import Limit, Side

Value = float | int | bool | str
"""A threshold value as TOML gives it."""

HOLD_BAND = 0.1
"""Share of a rep's range below its peak that still counts as holding at the peak."""


@dataclass(frozen=True)
class RepWindow:
    """The smoothed signals over one rep, for rules to measure.

    Attributes:
        t: (n,) seconds of the rep's frames.
        signals: name -> (n,) smoothed signal.
        peak: index into the window of the deepest frame.
        side: working side of the rep.
        direction: +1 if the primary signal rises into the rep.
        primary: name of the primary signal.
    """

    t: np.ndarray
    signals: dict[str, np.ndarray]
    peak: int
    side: Side
    direction: int
    primary: str

    def at_start(self, name: str) -> float:
        """The first measured value of the rep (NaN if the signal was never measured)."""
        values = self.signals[name]
        finite = np.flatnonzero(np.isfinite(values))
        return float(values[finite[0]]) if len(finite) else float("nan")

    def at_peak(self, name: str) -> float:
        return float(self.signals[name][self.peak])

    def change(self, name: str) -> float:
        """Peak value minus start value."""
        return self.at_peak(name) - self.at_start(name)

    def largest(self, name: str) -> float:
        return float(np.nanmax(self.signals[name])) if np.isfinite(self.signals[name]).any() else float("nan")

    def smallest(self, name: str) -> float:
        return float(np.nanmin(self.signals[name])) if np.isfinite(self.signals[name]).any() else float("nan")

    def largest_rise(self, name: str) -> float:
        """Largest value above the start value at any frame of the rep (0 if it only fell)."""
        values = self.signals[name]
        if not np.isfinite(values).any():
            return float("nan")
        return float(max(np.nanmax(values - self.at_start(name)), 0.0))

    def largest_change(self, name: str) -> float:
        """Largest distance from the start value at any frame of the rep."""
        values = self.signals[name]
        if not np.isfinite(values).any():
            return float("nan")
        return float(np.nanmax(np.abs(values - self.at_start(name))))

    def at_top(self) -> np.ndarray:
        """(n,) bool: the primary signal is within 10% of the rep's range of its peak (the hold)."""
        primary = self.signals[self.primary] * self.direction
        peak, low = primary[self.peak], np.nanmin(primary)
        return primary >= peak - HOLD_BAND * (peak - low)

    def lowering_s(self) -> float:
        """Time from the rep's start to the first frame of the hold at the peak."""
        return float(self.t[int(np.argmax(self.at_top()))] - self.t[0])

    def returning_s(self) -> float:
        """Time from the last frame of the hold at the peak to the rep's end."""
        top = self.at_top()
        return float(self.t[-1] - self.t[len(top) - 1 - int(np.argmax(top[::-1]))])

    def hold_s(self) -> float:
        """Time the primary signal stays at its peak (within 10% of the rep's range)."""
        top = np.flatnonzero(self.at_top())
        return float(self.t[top[-1]] - self.t[top[0]])


@dataclass(frozen=True)
class Rule:
    """One check of form, judged per rep.

    Attributes:
        id: stable id used in configs and reports.
        description: what it checks, for the catalogue.
        cue: what to tell the person when it fails, short and positive.
        unit: unit of the value and threshold.
        limit: `Limit.MAX` (the value must not exceed the threshold) or `Limit.MIN` (must reach
            it); the plain strings ``"max"`` / ``"min"`` are accepted and stored as a `Limit`.
        views: camera views it can be judged from.
        landmarks: landmark names it needs visible; a bare name (``knee``) means that landmark
            on either side, e.g. ``("hip", "knee", "ankle", "foot_index")``, or unsided (``nose``).
        frame_signal: the signal whose value on one frame is judged on that frame; the rep's
            value is then its largest over the rep's judgeable frames. None for rules that
            need the course of the whole rep (then ``measure`` gives the value).
        measure: value of a rep from its window (rules without a ``frame_signal``).
        weight: share in the rep score.
    """

    id: str
    description: str
    cue: str
    unit: str
    limit: Limit
    views: tuple[str, ...]
    landmarks: tuple[str, ...]
    frame_signal: str | None = None
    measure: Callable[[RepWindow], float] | None = None
    weight: float = 1.0

    def __post_init__(self) -> None:
        if self.limit not in tuple(Limit):
            raise ValueError(f"rule {self.id}: limit must be 'max' or 'min', got {self.limit!r}")
        object.__setattr__(self, "limit", Limit(self.limit))
        if (self.frame_signal is None) == (self.measure is None):
            raise ValueError(f"rule {self.id}: give exactly one of frame_signal and measure")
        if self.frame_signal is not None and self.limit != Limit.MAX:
            raise ValueError(f"rule {self.id}: a per-frame rule is a 'max' limit (a value not to exceed)")

    def fails(self, value: float | np.ndarray, threshold: float | np.ndarray):
        """True where ``value`` fails ``threshold``; broadcasts, so (m, 1) candidate thresholds
        against (n,) measured values give an (m, n) table of verdicts in one step."""
        return value > threshold if self.limit == Limit.MAX else value < threshold


@dataclass(frozen=True)
class Exercise:
    """An exercise: how to measure it, count it and judge it.

    Attributes:
        name: id used on the command line, in configs and reports.
        title: human name.
        description: one line on how it is done and filmed.
        views: camera views it is best watched from, preferred first.
        view_prompt: what to ask when the view is not one of ``views`` ("Turn side-on").
        primary: the signal reps are counted on.
        primary_unit: its unit.
        direction: +1 if the primary signal rises into the rep, -1 if it falls.
        target_rule: the rule whose threshold is the gauge's target (e.g. depth), or None.
        key_landmarks: landmark names that must be visible to count (bare names: either side).
        signals: (body, side or None) -> name -> (N,) raw signals; side None = detect per frame.
        rep_side: the working side of a rep from its window and the exercise's counting values.
        rules: every rule, judged on every rep.
        counted_from_rest: the counting thresholds are distances from the rest level before each
            rep rather than levels (see `formcheck.analysis.reps.Counting.from_rest`).
        rest_at_either_end: the person may rest at the far end of the rep (a deadlift from the
            floor rests at the bottom): which end reps are counted from is decided from where the
            signal first dwells (see `formcheck.analysis.reps`).
        floor_signal: with ``rest_at_either_end``, the signal reps from the bottom are cut on
            (levels ``floor_start`` and ``floor_end`` in the thresholds), or None for the primary.
        target_from_rest: the target rule measures from the rep's start (the clamshell's opening
            beyond rest), so the gauge places its target above the rest level too; a target rule
            that measures the signal itself (the march's hip bend) leaves this False.
    """

    name: str
    title: str
    description: str
    views: tuple[str, ...]
    view_prompt: str
    primary: str
    primary_unit: str
    direction: int
    target_rule: str | None
    key_landmarks: tuple[str, ...]
    signals: Callable[[Body, str | None], dict[str, np.ndarray]]
    rep_side: Callable[[RepWindow, Mapping[str, Value]], Side]
    rules: tuple[Rule, ...]
    counted_from_rest: bool = False
    target_from_rest: bool = False
    rest_at_either_end: bool = False
    floor_signal: str | None = None

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def counting_record(self) -> dict:
        """How this exercise's reps are cut, for the report (`Report.counting`)."""
        return {
            "title": self.title,
            "signal": self.primary,
            "unit": self.primary_unit,
            "from_rest": self.counted_from_rest,
        }

    @property
    def judged_landmarks(self) -> tuple[str, ...]:
        """Landmark names counting or any rule uses (bare names: either side), for highlighting."""
        return tuple(dict.fromkeys(self.key_landmarks + tuple(n for r in self.rules for n in r.landmarks)))

    @property
    def frame_rules(self) -> tuple[Rule, ...]:
        """Rules judgeable on a single frame."""
        return tuple(rule for rule in self.rules if rule.frame_signal is not None)


@dataclass(frozen=True)
class ExerciseThresholds:
    """The thresholds of one exercise.

    Attributes:
        exercise: exercise id.
        values: counting and smoothing keys (``start``, ``end``, ``min_dwell_s`` …).
        rules: rule id -> its keys (every rule has ``threshold``).
        metric_errors: rule id -> view -> the rule's metric error measured from that view (the
            studio's median |MediaPipe - exact|, in the rule's unit), which makes a verdict
            within it ``borderline``; a rule or view missing here has no measured error.
        view_envelopes: rule id -> degrees off the rule's own views (their middle azimuths,
            `formcheck.analysis.turning`) up to which it is judged as well, where the per-angle
            grid showed it holds; a rule missing here is judged from its named views only.
    """

    exercise: str
    values: Mapping[str, Value]
    rules: Mapping[str, Mapping[str, Value]]
    metric_errors: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    view_envelopes: Mapping[str, float] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Value:
        return self.values[key]

    def threshold(self, rule_id: str) -> float:
        return float(self.rules[rule_id]["threshold"])

    def rule_thresholds(self) -> dict[str, float]:
        """Rule id -> its threshold, for judging (`formcheck.analysis.scoring.judge_rep`)."""
        return {rule_id: self.threshold(rule_id) for rule_id in self.rules}

    def replace(
        self, *, values: Mapping[str, Value] | None = None, thresholds: Mapping[str, float] | None = None
    ) -> ExerciseThresholds:
        """A copy with some counting ``values`` and some rules' ``thresholds`` changed (tuning's
        candidates); a key this exercise does not have is a `KeyError`, never a silent addition."""
        new_values = dict(self.values)
        for key, value in (values or {}).items():
            if key not in new_values:
                raise KeyError(f"{self.exercise} has no counting key {key!r}")
            new_values[key] = value
        new_rules = {rule_id: dict(keys) for rule_id, keys in self.rules.items()}
        for rule_id, threshold in (thresholds or {}).items():
            if rule_id not in new_rules:
                raise KeyError(f"{self.exercise} has no rule {rule_id!r}")
            new_rules[rule_id]["threshold"] = float(threshold)
        return ExerciseThresholds(
            exercise=self.exercise,
            values=MappingProxyType(new_values),
            rules=MappingProxyType({k: MappingProxyType(v) for k, v in new_rules.items()}),
            metric_errors=self.metric_errors,
            view_envelopes=self.view_envelopes,
        )

    def to_dict(self) -> dict:
        return {**self.values, **{rule: dict(keys) for rule, keys in self.rules.items()}}
