"""Rep segmentation: a two-threshold switch with hysteresis, minimum dwell and minimum range.

The primary signal of an exercise (e.g. trunk lean in a hinge) rises from a rest level into
the rep and falls back. A rep starts when the signal stays past ``start`` for ``min_dwell_s``
(and is dated back to where the movement left the rest level);
it is deep enough once it stays past ``end``; it ends when the signal stays back below
``start``. Between the two thresholds nothing changes state — the hysteresis that stops
jitter from counting. A movement whose range (peak minus the rest level before it) is below
``min_range`` is noise and produces nothing. Everything else produces a `RepEvent`: complete,
or partial with the reason why (not deep enough, left the frame, landmarks hidden, stopped, or
began out of view: the rep was under way before it could be seen — after a stretch without the
person or the key landmarks they came back into sight already past ``start``, or the recording
opened already past ``end`` — so the rep's beginning and its rest level were not seen).

With ``from_rest`` the two thresholds are distances from the rest level (the lowest value
since the last rep) instead of fixed levels: for a movement whose resting value depends on the
person, such as the stance width between the steps of a band walk.

The per-frame work is a few float comparisons, so one `RepSegmenter.step` per frame costs
about a microsecond, live or offline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

VISIBLE, LANDMARKS_HIDDEN, NO_PERSON = 0, 1, 2
"""Per-frame visibility codes fed to `RepSegmenter.step`."""

REASON_NOT_DEEP = "not deep enough"
REASON_LEFT_FRAME = "left the frame"
REASON_HIDDEN = "landmarks not visible"
REASON_STOPPED = "stopped mid-rep"
REASON_BEGAN_UNSEEN = "began out of view"

_PAST_START, _PAST_END, _BACK_AT_REST = 1, 2, 3

ONSET_SHARE = 0.25
"""A rep's movement starts at the last rest frame within this share of the way from the rest level
to ``start`` — so a rep's start time and its start-to-peak changes include the whole movement."""

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
    """

    start: float
    end: float
    direction: int = 1
    min_dwell_s: float = 0.1
    min_range: float = 5.0
    max_gap_s: float = 0.5
    from_rest: bool = False

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise ValueError(f"direction must be +1 or -1, got {self.direction}")
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
    """

    start_index: int
    end_index: int
    peak_index: int
    complete: bool
    reason: str


class RepSegmenter:
    """The switch; feed it one frame at a time with `step`."""

    def __init__(self, counting: Counting) -> None:
        self.counting = counting
        self.reset()

    def reset(self) -> None:
        self._index = -1
        self._in_rep = False
        self._deep = False
        self._past_peak = False
        self._pending_kind: int | None = None
        self._pending_since = 0.0
        self._pending_index = 0
        self._rest_low = math.inf
        # None until the first frame is seen (see `step`).
        self._rest_seen: bool | None = None
        self._began_at_rest = True
        self._onset_index = 0
        self._start_index = 0
        self._peak_value = -math.inf
        self._peak_index = 0
        self._last_seen_index = -1
        self._last_seen_t = -math.inf

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
        return self._rest_low * self.counting.direction

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
        if not self._in_rep and (t - self._last_seen_t > c.max_gap_s if seen_before else self._index > 0):
            # What was seen before a long gap (or nothing, when the stream opened unseen) says
            # nothing of the rest level now; a short gap (a frame the model missed) changes
            # nothing, as within a rep.
            self._rest_low = math.inf
            self._rest_seen = False
            self._onset_index = self._index
        self._last_seen_index, self._last_seen_t = self._index, t
        v = value * c.direction
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
                self._begin_rep(v)
            return None
        start, end = self._levels()
        if v > self._peak_value:
            self._peak_value, self._peak_index = v, self._index
        if self._deep and v < end:
            self._past_peak = True
        if v < start:
            if self._held(t, _BACK_AT_REST):
                return self._end_rep(complete=self._deep, reason="" if self._deep else REASON_NOT_DEEP)
        elif not self._deep and v >= end:
            if self._held(t, _PAST_END):
                self._deep = True
                self._pending_kind = None
        else:
            self._held(t, None)
        return None

    def _levels(self) -> tuple[float, float]:
        """The start and end levels in rep-direction units (signal times direction)."""
        c = self.counting
        if c.from_rest:
            return self._rest_low + c.start, self._rest_low + c.end
        return c.start * c.direction, c.end * c.direction

    def close(self) -> RepEvent | None:
        """End a rep in progress (the set or the stream ended): complete if it was deep enough and
        is already back below start — only the dwell was cut short — else partial."""
        if not self._in_rep:
            return None
        if self._deep and self._pending_kind == _BACK_AT_REST:
            return self._end_rep(complete=True, reason="")
        return self._end_rep(complete=False, reason=REASON_STOPPED, end_index=self._last_seen_index)

    def _held(self, t: float, kind: int | None) -> bool:
        """True once the crossing ``kind`` has held for ``min_dwell_s``; remembers where it began.

        ``None`` means no crossing is under way this frame, which cancels a pending one.
        """
        if kind != self._pending_kind:
            self._pending_kind, self._pending_since, self._pending_index = kind, t, self._index
        if kind is None:
            return False
        return t - self._pending_since >= self.counting.min_dwell_s - 1e-9

    def _begin_rep(self, v: float) -> None:
        self._in_rep, self._deep, self._past_peak = True, False, False
        self._start_index = min(self._onset_index, self._pending_index)
        self._began_at_rest = self._rest_seen
        self._peak_value, self._peak_index = v, self._index
        self._pending_kind = None

    def _step_unseen(self, t: float, code: int) -> RepEvent | None:
        self._pending_kind = None
        if not self._in_rep:
            return None
        if t - self._last_seen_t > self.counting.max_gap_s:
            reason = REASON_LEFT_FRAME if code == NO_PERSON else REASON_HIDDEN
            return self._end_rep(complete=False, reason=reason, end_index=self._last_seen_index)
        return None

    def _end_rep(self, *, complete: bool, reason: str, end_index: int | None = None) -> RepEvent | None:
        c = self.counting
        # The rep ends where the signal went back below start (the first frame of the held run).
        end = self._pending_index - 1 if end_index is None else end_index
        rest_low = self._rest_low if math.isfinite(self._rest_low) else c.start * c.direction
        self._in_rep = False
        self._pending_kind = None
        self._rest_low = math.inf
        # Ending normally means the signal has settled back at rest, in sight.
        self._rest_seen = end_index is None
        if self._peak_value - rest_low < c.min_range:
            return None
        if not self._began_at_rest:
            complete, reason = False, REASON_BEGAN_UNSEEN
        return RepEvent(
            start_index=self._start_index,
            end_index=max(end, self._start_index),
            peak_index=self._peak_index,
            complete=complete,
            reason=reason,
        )
