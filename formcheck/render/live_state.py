"""What a live display shows after each frame: the gauge, the prompt and the cue, from the
engine's `FrameState`.

The session counts and judges; this module says it: where the primary signal sits against its
thresholds, what to ask of the person when the view or distance is wrong, and which cue to give.
Live mode and an annotated-video writer both present a session through `live_state`.
"""

from __future__ import annotations

from dataclasses import dataclass

from formcheck.analysis.body import judged_as
from formcheck.analysis.reps import NO_PERSON, VISIBLE
from formcheck.analysis.scoring import view_allows
from formcheck.analysis.session import ExerciseSession, FrameState
from formcheck.analysis.turning import turn_needed, turn_words

PROMPT_STEP_IN = "Step into view"
PROMPT_STEP_BACK = "Step back so your whole body is in view"


@dataclass(frozen=True)
class Gauge:
    """The primary signal against its thresholds, for a live bar.

    Attributes:
        name: signal name; value: its smoothed value now (NaN when not seen); unit.
        start_threshold, end_threshold: where a rep starts and where it is deep enough.
        target: the ideal depth (the depth rule's threshold), or None.
    """

    name: str
    value: float
    unit: str
    start_threshold: float
    end_threshold: float
    target: float | None


@dataclass(frozen=True)
class LiveState:
    """What a live display needs after one frame.

    Attributes:
        frame: the engine's state after the frame (counts, phase, timers, view, …).
        gauge: the primary signal against its thresholds.
        prompt: what to change when the view or distance is wrong, else None.
        cue: the cue of the first rule failing on this frame during a rep, else None.
        min_visibility: the exercise's visibility below which a landmark counts as not seen.
    """

    frame: FrameState
    gauge: Gauge
    prompt: str | None
    cue: str | None
    min_visibility: float


def gauge(session: ExerciseSession, frame: FrameState) -> Gauge:
    """The primary signal now against the session's counting thresholds and its target rule."""
    exercise, counting = session.exercise, session.counting
    # Thresholds measured from the rest level sit beyond wherever that level is now; so does
    # a target whose rule measures from the rep's start (the clamshell's opening).
    base = frame.rest_level
    direction = counting.direction if counting.from_rest else 1
    target = session.rule_thresholds.get(exercise.target_rule) if exercise.target_rule else None
    if target is not None and exercise.target_from_rest:
        target = base + direction * target
    return Gauge(
        name=exercise.primary,
        value=frame.signals[exercise.primary],
        unit=exercise.primary_unit,
        start_threshold=base + direction * counting.start,
        end_threshold=base + direction * counting.end,
        target=target,
    )


def headline_rules_judged(session: ExerciseSession, frame: FrameState) -> bool:
    """Every headline rule (the heaviest) can be judged from this view and angle, within its
    measured envelope: then a turn would not be asked for."""
    rules = session.exercise.rules
    heaviest = max((rule.weight for rule in rules), default=0.0)
    envelopes = session.thresholds.view_envelopes
    return all(
        view_allows(rule, frame.view, frame.view_angle_deg, envelopes.get(rule.id))
        for rule in rules
        if rule.weight == heaviest
    )


def prompt(session: ExerciseSession, frame: FrameState) -> str | None:
    """What to ask of the person: step in, step back, or turn (naming the view seen, and which way
    and how far to the exercise's preferred view), else None."""
    if frame.seen == NO_PERSON:
        return PROMPT_STEP_IN
    if frame.seen != VISIBLE:
        return PROMPT_STEP_BACK
    exercise = session.exercise
    if (
        judged_as(frame.view) not in exercise.views
        and frame.view != "unknown"
        and not headline_rules_judged(session, frame)
    ):
        # Naming the view seen says why the advice comes ("oblique view: turn about 45 degrees
        # to your right"); where the azimuth is unknown, the exercise's own words ("turn side-on").
        turn = turn_words(turn_needed(frame.view_angle_deg, exercise.views[:1]))
        advice = exercise.view_prompt
        return f"{frame.view} view: {turn or advice[:1].lower() + advice[1:]}"
    return None


def live_state(session: ExerciseSession, frame: FrameState) -> LiveState:
    """The display's state after `frame`, the value `session.update` returned."""
    cue = session.exercise.rule(frame.failing[0]).cue if frame.failing else None
    return LiveState(
        frame=frame,
        gauge=gauge(session, frame),
        prompt=prompt(session, frame),
        cue=cue,
        min_visibility=session.min_visibility,
    )
