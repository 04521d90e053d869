"""Rep segmentation: a two-threshold switch with hysteresis, minimum dwell and minimum range.

The primary signal of an exercise (e.g. trunk lean in a hinge) rises from a rest level into
the rep and falls back. A rep starts when the signal stays past ``start`` for ``min_dwell_s``
(and is dated back to where the movement left the rest level);
it is deep enough once it stays past ``end``; it ends when the signal stays back below
``start``. Between the two thresholds nothing changes state — the hysteresis that stops
jitter from counting. A movement whose range (peak minus the rest level before it) is below
``min_range`` is noise and produces nothing. Everything else produces a `RepEvent`: complete,
or partial with the reason why (not deep enough, left the frame — no person for longer than
``max_gap_s`` — landmarks hidden, stopped, or
began out of view: the rep was under way before it could be seen — after a stretch without the
person or the key landmarks they came back into sight already past ``start``, or the recording
opened already past ``end`` — so the rep's beginning and its rest level were not seen).
A deep rep that comes nearly back to its rest level (`RETURN_SHARE`) and goes deep again without
first passing back below ``start`` was two small, fast reps: it is cut at the lowest point between
them. Shorter gaps change nothing. With the person in view but the key joints hidden (a plate, an arm)
a rep goes on however long they stay hidden, and is complete if it was seen past ``end`` and back
at rest — its start, its bottom and its end — as a person watching would count it; else it is
partial, "landmarks not visible".

Which end is the rest: most exercises rest at the start position (standing, lying) and go out
to the far position (the bottom of a squat) and back; the switch then counts "from the top".
A deadlift from the floor rests at the far end (the bar on the floor): floor, lockout, floor.
With ``rest_at_either_end`` the switch decides online which end the rest is at, from where the
signal first dwells: a stream that opens past ``end`` and stays there for ``min_dwell_s`` counts
"from the bottom"; one seen anywhere else first counts from the top as above (coming down into
the bottom from higher up is a rep under way, such as a swing). From the bottom a rep leaves it
when the signal stays back before ``end``, is complete once it stays before ``start`` (the top),
and ends when it settles past ``end`` again — or when the stream ends at the top, since the
lift, not the lowering, is the rep. With ``Counting.floor_start`` and ``floor_end``, reps from the
bottom are cut on a second signal fed beside the primary (the hinge's hip bend: from the front the
model reads a locked-out trunk 21-31° off vertical, and a lifter who squats down to the bar with
the chest up leans the trunk as little, while the hips tell the two apart: open at a lockout, bent
past 100° at the bar). Until that first dwell both ways are followed side by side
(a few comparisons each), so the choice made on the frame of the first dwell needs no look-back
and a frame-by-frame feed gives exactly the events of one batch. Counting from the top, a rep
that comes down and then stays past ``end`` for ``setup_dwell_s`` after its deepest point was
getting down to the bar (an RDL turns at its deepest point and comes straight back up): it is
reported as a set-up movement (``RepEvent.setup``), and counting goes on from the bottom. There
is no way back to counting from the top within a set.

A phone clip of a lift is often trimmed at the lockout, and the smoothed signal trails the
movement by about a tenth of a second: counting from the bottom, a lift still rising fast when
the stream ends (`CUT_LIFT_SPEED`) and at least `CUT_LIFT_SHARE` of the way from the floor to
the top is complete, and its note says so. From the top a rep is complete only once seen back
at rest, as a person counting along counts it.

With ``from_rest`` the two thresholds are distances from the rest level (the lowest value
since the last rep) instead of fixed levels: for a movement whose resting value depends on the
person, such as the stance width between the steps of a band walk.

The per-frame work is a few float comparisons, so one `RepSegmenter.step` per frame costs
about a microsecond, live or offline.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

VISIBLE, LANDMARKS_HIDDEN, NO_PERSON = 0, 1, 2
"""Per-frame visibility codes fed to `RepSegmenter.step`."""

REASON_NOT_DEEP = "not deep enough"
REASON_LEFT_FRAME = "left the frame"
REASON_HIDDEN = "landmarks not visible"
REASON_STOPPED = "stopped mid-rep"
REASON_BEGAN_UNSEEN = "began out of view"

TOP, BOTTOM = "top", "bottom"
"""Which end a rep is counted from (`RepEvent.counted_from`)."""
NOTE_FROM_BOTTOM = "began at the bottom"
NOTE_ENDED_AT_TOP = "ended at the top, the lowering not seen"
NOTE_CUT_SHORT = "the recording ended just short of the top"

CUT_LIFT_SHARE = 0.75
"""Counting from the bottom, a lift this share of the way from the floor to the complete level when
the stream ends, still rising fast, is complete: the pull of ``03y_deadlift1.mp4``, locked out in
its last 0.1 s as the camera shows it, reads 87 % on its last frame; a lifter halted half bent over
(``posereader_deadlift_arm_bend.mp4``) reads 89 % but sinks back (-0.2 a second)."""

CUT_LIFT_SPEED = 1.0
"""...rising at least this share of that way per second over the last ``min_dwell_s`` (a pull
takes about a second from the floor to the lockout): deadlift1 ends rising at 1.5 a second;
``posereader_deadlift_rdl.mp4``, which halts bent over at 69 %, creeps at 0.1."""

_PAST_START, _PAST_END, _BACK_AT_REST = 1, 2, 3

ONSET_SHARE = 0.25
"""A rep's movement starts at the last rest frame within this share of the way from the rest level
to ``start`` — so a rep's start time and its start-to-peak changes include the whole movement."""

RETURN_SHARE = 0.25
"""A deep rep that comes back within this share of its range (rest level to peak) of its rest level
and then goes past ``end`` again was two reps: small fast ones (a frog pump) whose rest between
them stays a little short of ``start``. It is cut at the lowest point between the two, which is the
second one's rest level; a bounce at the bottom (back up a quarter of the way, say) stays one rep."""

PHASES = ("rest", "down", "bottom", "up")
"""``rest``: at the start position; ``down``: into the rep; ``bottom``: past the end threshold;
``up``: returning after the bottom. (Named for a squat; for a clamshell read "opening", "top".)"""


@dataclass(frozen=True)
class Counting:
    """How reps are cut from the primary signal.

    Attributes:
        start: signal level that starts (and, coming back, ends) a rep, in the signal's unit.
        end: level a rep must reach to be complete.
        direction: +1 if the signal rises into the rep, -1 if it falls.
        min_dwell_s: a crossing counts only after the signal stays past it this long.
        min_range: smallest peak-minus-rest movement that is a rep attempt at all.
        max_gap_s: longest stretch without a visible person a rep survives.
        from_rest: ``start`` and ``end`` are distances moved from the rest level into the rep
            (both positive), not levels of the signal: for signals whose resting value depends on
            the person, such as the knees of a clamshell, held apart at rest by the thighs.
        rest_at_either_end: the rest may be at the far end (a deadlift from the floor): decide
            from the first dwell which end reps are counted from (see the module docstring).
        setup_dwell_s: with ``rest_at_either_end``, a rep from the top that stays past ``end``
            this long after its deepest point is a set-up movement (getting down to the bar).
        floor_start, floor_end: with ``rest_at_either_end``, reps from the bottom are cut on the
            second signal given to `RepSegmenter.step` (``floor_value``, same direction as the
            primary): a rep leaves the bottom once it stays before ``floor_start`` and is
            complete once it stays before ``floor_end``. None: on the primary, at ``end`` and
            ``start``.
    """

    start: float
    end: float
    direction: int = 1
    min_dwell_s: float = 0.1
    min_range: float = 5.0
    max_gap_s: float = 0.5
    from_rest: bool = False
    rest_at_either_end: bool = False
    setup_dwell_s: float = 1.2
    floor_start: float | None = None
    floor_end: float | None = None

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise ValueError(f"direction must be +1 or -1, got {self.direction}")
        if (self.floor_start is None) != (self.floor_end is None):
            raise ValueError("floor_start and floor_end go together")
        if self.floor_start is not None:
            if not self.rest_at_either_end:
                raise ValueError("floor levels need the rest at either end")
            if (self.floor_start - self.floor_end) * self.direction <= 0:
                raise ValueError(
                    f"floor_end ({self.floor_end}) must lie before floor_start ({self.floor_start}) "
                    f"on the way up from the bottom (direction {self.direction:+d})"
                )
        if self.from_rest and self.rest_at_either_end:
            raise ValueError("thresholds measured from the rest level need the rest at the start position")
        if self.from_rest:
            if not 0 < self.start < self.end:
                raise ValueError(
                    f"measured from rest, start ({self.start}) and end ({self.end}) "
                    "must satisfy 0 < start < end"
                )
        elif (self.end - self.start) * self.direction <= 0:
            raise ValueError(
                f"end ({self.end}) must lie beyond start ({self.start}) "
                f"in the rep's direction ({self.direction:+d})"
            )


@dataclass(frozen=True)
class RepEvent:
    """One rep (or attempt) found by the segmenter; indices count frames fed since the last reset.

    Attributes:
        start_index: where the movement began (last rest frame near the rest level).
        end_index: the last frame before the signal settled back below ``start``.
        peak_index: frame of the deepest point.
        complete: reached ``end`` and came back; False for partial reps.
        reason: why a partial rep is partial ("" when complete).
        counted_from: `TOP` or `BOTTOM`, the end the rep started from.
        note: what else a person should know about how it was counted ("" when nothing).
        setup: a set-up movement (getting into position), not a rep.
    """

    start_index: int
    end_index: int
    peak_index: int
    complete: bool
    reason: str
    counted_from: str = TOP
    note: str = ""
    setup: bool = False


class RepSegmenter:
    """The switch; feed it one frame at a time with `step`.

    Counts from the top; with ``Counting.rest_at_either_end`` it also follows the count from the
    bottom until the signal first dwells, then keeps the one that matches where it dwelt.
    """

    def __init__(self, counting: Counting) -> None:
        self.counting = counting
        self.reset()

    def reset(self) -> None:
        self._index = -1
        self._top: _Switch | None = _Switch(self.counting, bottom=False)
        self._bottom: _Switch | None = (
            _Switch(self.counting, bottom=True) if self.counting.rest_at_either_end else None
        )
        self._decided = self._bottom is None
        self._bottom_since: float | None = None

    @property
    def _active(self) -> _Switch:
        return self._top if self._top is not None else self._bottom

    @property
    def counted_from(self) -> str | None:
        """`TOP` or `BOTTOM` once decided, else None."""
        if not self._decided:
            return None
        return TOP if self._top is not None else BOTTOM

    @property
    def phase(self) -> str:
        return self._active.phase if self._decided else "rest"

    @property
    def rest_level(self) -> float:
        """The level ``from_rest`` thresholds are measured from, in the signal's unit; NaN if unknown."""
        return self._active.rest_level

    @property
    def earliest_needed_index(self) -> int:
        """The first frame a rep that is under way, or about to start, may still include."""
        return min(s.earliest_needed_index for s in (self._top, self._bottom) if s is not None)

    def step(self, t: float, value: float, visibility: int, floor_value: float = math.nan) -> RepEvent | None:
        """Advance one frame: time ``t`` (s), primary signal ``value``, a visibility code, and
        the floor signal (with ``Counting.floor_start``; unused otherwise)."""
        self._index += 1
        bottom_value = value if self.counting.floor_start is None else floor_value
        events = {
            end: switch.step(t, switch_value, visibility)
            for end, switch, switch_value in ((TOP, self._top, value), (BOTTOM, self._bottom, bottom_value))
            if switch is not None
        }
        seen = visibility == VISIBLE and value == value
        if not self._decided:
            self._decide(t, value if seen else math.nan)
        if self._decided and self._top is not None and self.counting.rest_at_either_end:
            return self._setup_or(events[TOP], t, value if seen else math.nan, bottom_value)
        return events[TOP if self._top is not None else BOTTOM]

    def close(self) -> RepEvent | None:
        """End a rep in progress (the set or the stream ended); see `_Switch.close`."""
        return self._active.close()

    def _end_of(self, value: float) -> str | None:
        """Which end the signal is at (`TOP` before ``start``, `BOTTOM` past ``end``), else None."""
        c = self.counting
        v = value * c.direction
        if v <= c.start * c.direction:
            return TOP
        if v >= c.end * c.direction:
            return BOTTOM
        return None

    def _decide(self, t: float, value: float) -> None:
        """Count from the bottom if the stream opens there and stays ``min_dwell_s``, else from the top.

        Only a stream that opens at the bottom rests there: one that comes down into it after
        opening higher is in a rep from the top (a swing passing its bottom; getting down to the
        bar, which `_setup_or` then recognises).
        """
        if value != value:
            return  # Nothing seen yet, or a frame the model missed: keep waiting.
        end = self._end_of(value)
        if end != BOTTOM:
            self._decided, self._bottom = True, None
            return
        if self._bottom_since is None:
            self._bottom_since = t
        if t - self._bottom_since >= self.counting.min_dwell_s - 1e-9:
            self._decided, self._top = True, None

    def _setup_or(
        self, event: RepEvent | None, t: float, value: float, bottom_value: float
    ) -> RepEvent | None:
        """Counting from the top: a rep that went down and stays down past its deepest point is
        getting into position (an RDL turns at its deepest point and comes straight back)."""
        top = self._top
        if not (top.deep and value == value and self._end_of(value) == BOTTOM):
            return event
        if t - top.peak_t < self.counting.setup_dwell_s - 1e-9:
            return event
        setup = RepEvent(
            start_index=top.start_index,
            end_index=top.peak_index,
            peak_index=top.peak_index,
            complete=False,
            reason="",
            setup=True,
        )
        # From here on the rest is at the bottom; this frame is its first.
        self._top = None
        self._bottom = _Switch(self.counting, bottom=True, first_index=self._index)
        self._bottom.step(t, bottom_value, VISIBLE)
        return setup


class _Switch:
    """One two-threshold switch counting from one end (`TOP`, or `BOTTOM` when ``bottom``).

    From the bottom it works on the mirrored signal (``-value``, levels ``-end``, ``-start``), so
    the one machine serves both ends. Frames are numbered from ``first_index``.
    """

    def __init__(self, counting: Counting, *, bottom: bool, first_index: int = 0) -> None:
        self.counting = counting
        self.bottom = bottom
        self._first_index = first_index
        self._sign = -counting.direction if bottom else counting.direction
        self.reset()

    def reset(self) -> None:
        self._index = self._first_index - 1
        self._in_rep = False
        self._deep = False
        self._hidden = False
        self._past_peak = False
        self._pending_kind: int | None = None
        self._pending_since = 0.0
        self._pending_index = self._first_index
        self._rest_low = math.inf
        # None until the first frame is seen (see `step`).
        self._rest_seen: bool | None = None
        self._began_at_rest = True
        self._onset_index = self._first_index
        self._start_index = self._first_index
        self._peak_value = -math.inf
        self._peak_index = self._first_index
        self.peak_t = 0.0
        self._returned = False
        self._valley_value = math.inf
        self._valley_index = self._first_index
        self._last_seen_index = self._first_index - 1
        self._last_seen_t = -math.inf
        # From the bottom, the (t, value) of the last ``min_dwell_s`` seen, oldest first: how fast
        # the lift moves as the stream ends (`_nearly_done`).
        self._recent: deque[tuple[float, float]] = deque()

    @property
    def phase(self) -> str:
        if not self._in_rep:
            return "rest"
        if self._past_peak:
            return "up"
        return "bottom" if self._deep else "down"

    @property
    def rest_level(self) -> float:
        """The level ``from_rest`` thresholds are measured from, in the signal's unit; NaN if unknown."""
        if not math.isfinite(self._rest_low):
            return math.nan
        return self._rest_low * self._sign

    @property
    def deep(self) -> bool:
        """A rep is under way and has reached the far position."""
        return self._in_rep and self._deep

    @property
    def start_index(self) -> int:
        return self._start_index

    @property
    def peak_index(self) -> int:
        return self._peak_index

    @property
    def earliest_needed_index(self) -> int:
        """The first frame a rep that is under way, or about to start, may still include."""
        if self._in_rep:
            return self._start_index
        return min(self._onset_index, self._index)

    def step(self, t: float, value: float, visibility: int) -> RepEvent | None:
        """Advance one frame: time ``t`` (s), primary signal ``value``, a visibility code."""
        self._index += 1
        c = self.counting
        if visibility != VISIBLE or value != value:
            return self._step_unseen(t, visibility if visibility != VISIBLE else LANDMARKS_HIDDEN)
        seen_before = math.isfinite(self._last_seen_t)
        opened_unseen = self._index > self._first_index
        if not self._in_rep and (t - self._last_seen_t > c.max_gap_s if seen_before else opened_unseen):
            # What was seen before a long gap (or nothing, when the stream opened unseen) says
            # nothing of the rest level now; a short gap (a frame the model missed) changes
            # nothing, as within a rep.
            self._rest_low = math.inf
            self._rest_seen = False
            self._onset_index = self._index
        self._last_seen_index, self._last_seen_t = self._index, t
        v = value * self._sign
        if self.bottom:
            self._recent.append((t, v))
            while t - self._recent[0][0] > c.min_dwell_s + 1e-9:
                self._recent.popleft()
        if not self._in_rep:
            self._rest_low = min(self._rest_low, v)
            start, end = self._levels()
            if self._rest_seen is None:
                # A recording starts wherever the person is (a hinge may start from its set-up
                # lean), but one that opens already past the complete level caught a rep under way.
                self._rest_seen = v < end
            self._rest_seen |= v <= start
            if v <= self._rest_low + ONSET_SHARE * (start - self._rest_low):
                self._onset_index = self._index
            if self._held(t, _PAST_START if v > start else None):
                self._begin_rep(v, t)
            return None
        start, end = self._levels()
        if v > self._peak_value and not self._returned:
            self._peak_value, self._peak_index, self.peak_t = v, self._index, t
        if self._deep and v < end:
            self._past_peak = True
        if self._past_peak:
            self._follow_valley(v)
        if v < start:
            if self._held(t, _BACK_AT_REST):
                shallow = REASON_HIDDEN if self._hidden else REASON_NOT_DEEP
                return self._end_rep(complete=self._deep, reason="" if self._deep else shallow)
        elif self._returned and v >= end:
            if self._held(t, _PAST_END):
                return self._split_at_valley(v, t)
        elif not self._deep and v >= end:
            if self._held(t, _PAST_END):
                self._deep = True
                self._pending_kind = None
        else:
            self._held(t, None)
        return None

    def _follow_valley(self, v: float) -> None:
        """After the bottom: keep the lowest point so far, and whether it came back near the rest
        level (`RETURN_SHARE`), which the rest level before the rep must be known to tell."""
        if v < self._valley_value:
            self._valley_value, self._valley_index = v, self._index
        if self._began_at_rest and math.isfinite(self._rest_low):
            rest = self._rest_low
            self._returned |= self._valley_value - rest <= RETURN_SHARE * (self._peak_value - rest)

    def _split_at_valley(self, v: float, t: float) -> RepEvent | None:
        """End the rep at its valley (complete: it was deep and came back) and begin the next one
        there, already past ``end``."""
        valley_value, valley_index = self._valley_value, self._valley_index
        event = self._end_rep(complete=True, reason="", end_index=valley_index)
        self._rest_low, self._rest_seen, self._onset_index = valley_value, True, valley_index
        self._begin_rep(v, t)
        self._deep = True
        return event

    def _levels(self) -> tuple[float, float]:
        """The start and end levels in rep-direction units (signal times direction)."""
        c = self.counting
        if c.from_rest:
            return self._rest_low + c.start, self._rest_low + c.end
        if self.bottom and c.floor_start is not None:
            return -c.floor_start * c.direction, -c.floor_end * c.direction
        if self.bottom:
            return -c.end * c.direction, -c.start * c.direction
        return c.start * c.direction, c.end * c.direction

    def close(self) -> RepEvent | None:
        """End a rep in progress (the set or the stream ended): complete if it was deep enough and
        is already back below start — only the dwell was cut short — or, counted from the bottom,
        if it reached the top (the lift is the rep; a clip often ends at the lockout) or was
        nearly there, rising fast (see the module docstring); else partial."""
        if not self._in_rep:
            return None
        if self._deep and self._pending_kind == _BACK_AT_REST:
            return self._end_rep(complete=True, reason="")
        if self._deep and self.bottom:
            return self._end_rep(
                complete=True, reason="", end_index=self._last_seen_index, note=NOTE_ENDED_AT_TOP
            )
        if self._nearly_done():
            return self._end_rep(
                complete=True, reason="", end_index=self._last_seen_index, note=NOTE_CUT_SHORT
            )
        reason = REASON_HIDDEN if self._last_seen_index < self._index else REASON_STOPPED
        return self._end_rep(complete=False, reason=reason, end_index=self._last_seen_index)

    def _nearly_done(self) -> bool:
        """Counting from the bottom, the stream ended with the lift rising fast and nearly at the top."""
        rest = self._rest_low
        if not (self.bottom and self._began_at_rest and math.isfinite(rest)):
            return False
        if self._last_seen_index != self._index or len(self._recent) < 2:
            return False
        way = self._levels()[1] - rest
        (t0, v0), (t1, v1) = self._recent[0], self._recent[-1]
        rising = (v1 - v0) / (t1 - t0) >= CUT_LIFT_SPEED * way
        return rising and v1 - rest >= CUT_LIFT_SHARE * way

    def _held(self, t: float, kind: int | None) -> bool:
        """True once the crossing ``kind`` has held for ``min_dwell_s``; remembers where it began.

        ``None`` means no crossing is under way this frame, which cancels a pending one.
        """
        if kind != self._pending_kind:
            self._pending_kind, self._pending_since, self._pending_index = kind, t, self._index
        if kind is None:
            return False
        return t - self._pending_since >= self.counting.min_dwell_s - 1e-9

    def _begin_rep(self, v: float, t: float) -> None:
        self._in_rep, self._deep, self._past_peak, self._hidden = True, False, False, False
        self._returned, self._valley_value = False, math.inf
        self._start_index = min(self._onset_index, self._pending_index)
        self._began_at_rest = self._rest_seen
        self._peak_value, self._peak_index, self.peak_t = v, self._index, t
        self._pending_kind = None

    def _step_unseen(self, t: float, code: int) -> RepEvent | None:
        self._pending_kind = None
        if not self._in_rep:
            return None
        if t - self._last_seen_t <= self.counting.max_gap_s:
            return None
        if code == NO_PERSON:
            return self._end_rep(complete=False, reason=REASON_LEFT_FRAME, end_index=self._last_seen_index)
        # The person is still in view with the key joints hidden (a plate, an arm, a moving camera):
        # the rep goes on, and counts if it is seen deep enough and back at rest, as a person
        # watching counts it from its start, its bottom and its end.
        self._hidden = True
        return None

    def _end_rep(
        self, *, complete: bool, reason: str, end_index: int | None = None, note: str = ""
    ) -> RepEvent | None:
        c = self.counting
        # The rep ends where the signal went back below start (the first frame of the held run).
        end = self._pending_index - 1 if end_index is None else end_index
        # A rep that began out of view has no rest level before it: with fixed levels its range is
        # measured from the start level it must have come past.
        start_level = self._levels()[0] if not c.from_rest else c.start * c.direction
        known = math.isfinite(self._rest_low) and (self._began_at_rest or c.from_rest)
        rest_low = self._rest_low if known else start_level
        self._in_rep = False
        self._pending_kind = None
        self._rest_low = math.inf
        # Ending normally means the signal has settled back at rest, in sight.
        self._rest_seen = end_index is None
        if self._peak_value - rest_low < c.min_range:
            return None
        if not self._began_at_rest:
            complete, reason = False, REASON_BEGAN_UNSEEN
        if self.bottom:
            note = "; ".join(n for n in (NOTE_FROM_BOTTOM, note) if n)
        return RepEvent(
            start_index=self._start_index,
            end_index=max(end, self._start_index),
            peak_index=self._peak_index,
            complete=complete,
            reason=reason,
            counted_from=BOTTOM if self.bottom else TOP,
            note=note,
        )
