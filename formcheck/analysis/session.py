"""`ExerciseSession`: frames in, reps and live feedback out — for a camera and for a saved track.

Live mode calls `ExerciseSession.update` once per frame; offline analysis feeds a whole track
through `ExerciseSession.feed` in one batch. Both go through the same code: signals are
measured vectorised over the batch (`measure_frames`), then each frame takes a few float
operations in the One Euro filter and the rep switch, and each finished rep is judged on
its window of smoothed signals. The session never reads the clock: time comes with the frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.analysis.body import VIEWS
from formcheck.analysis.exercise import Exercise, ExerciseThresholds, RepWindow
from formcheck.analysis.frames import FrameMeasures, frame_verdicts, landmark_indices, measure_frames
from formcheck.analysis.no_rep import CountingSeen
from formcheck.analysis.reps import (
    BOTTOM,
    NO_PERSON,
    VISIBLE,
    Counting,
    RepEvent,
    RepSegmenter,
)
from formcheck.analysis.results import Rep, Report, Setup, reps_per_side
from formcheck.analysis.scoring import dominant_view, judge_rep, score, view_advice, view_allows
from formcheck.analysis.smoothing import OneEuroFilter
from formcheck.analysis.turning import circular_mean_deg
from formcheck.analysis.vocabulary import LEG_SIDES, Side, Status
from formcheck.core.track import PoseFrame, PoseTrack
from formcheck.errors import FormcheckError


@dataclass(frozen=True)
class FrameState:
    """Where the session stands after one frame: the engine's facts, for a live display to present
    (`formcheck.render.live_state` turns them into the gauge, prompt and cue).

    Attributes:
        t: frame time, seconds.
        signals: smoothed signals now, by name.
        phase: ``rest``, ``down``, ``bottom`` or ``up`` (see `formcheck.analysis.reps.PHASES`);
            counted from the bottom they follow the rep: ``rest`` on the floor, ``bottom`` at the
            lockout.
        rest_level: the level thresholds measured from rest sit beyond (0 for exercises that
            count on levels, or while the rest level is unknown).
        seen: VISIBLE, LANDMARKS_HIDDEN or NO_PERSON (`formcheck.analysis.reps`) on this frame.
        working_side: side of the rep under way (or of the last rep), or None.
        view: ``front``, ``side``, ``oblique``, ``back`` or ``unknown``: during a rep, the view most of its
            frames so far had (the view it will be judged in); at rest, this frame's.
        view_angle_deg: the camera's signed azimuth (`formcheck.analysis.turning`), over the rep so
            far during a rep, else this frame's; NaN where unknown.
        failing: ids of the single-frame rules failing on this frame during a rep, among those
            judged in `view` (in the exercise's rule order).
        reps_per_side: complete reps so far in this set, by side.
        set_index: 1-based set number.
        hold_s: time spent past the end threshold in the rep under way, else None.
        rest_s: time since the last rep ended while at rest, else None.
        completed: reps (complete or partial) that ended on this frame.
        key_landmarks: landmark indices the exercise's rules use (to highlight).
        set_elapsed_s: time since the set's first frame with a person, else None.
        set_target_s: the set's target duration for timed sets (``set_duration_s``), else None.
        counted_from: ``top`` or ``bottom``, the end reps are counted from, once the switch has
            decided (on the first frames for a hinge: see `formcheck.analysis.reps`), else None.
    """

    t: float
    signals: dict[str, float]
    phase: str
    rest_level: float
    seen: int
    working_side: Side | None
    view: str
    failing: tuple[str, ...]
    reps_per_side: dict[str, int]
    set_index: int
    hold_s: float | None
    rest_s: float | None
    completed: tuple[Rep, ...]
    key_landmarks: tuple[int, ...]
    set_elapsed_s: float | None = None
    set_target_s: float | None = None
    counted_from: str | None = None
    view_angle_deg: float = float("nan")


def measure_track(
    track: PoseTrack, exercise: Exercise, thresholds: ExerciseThresholds, *, side: Side | None = None
) -> FrameMeasures:
    """The raw signals, views and visibility of every frame of ``track`` for ``exercise``."""
    return measure_frames(
        exercise,
        image_xy=track.image_xy,
        z=track.z,
        world=track.world,
        visibility=track.visibility,
        image_size=track.image_size,
        side=side,
        min_visibility=float(thresholds["min_visibility"]),
    )


COLUMNS = ("t", "signals", "views", "azimuths", "rule_visible")
"""What `_History` keeps per frame."""


class _History:
    """Smoothed signals, views and rule visibility of recent frames, addressed by absolute frame number."""

    def __init__(self, channels: int, rules: int) -> None:
        self.first = 0
        self.size = 0
        self.t = np.empty(0)
        self.signals = np.empty((0, channels))
        self.views = np.empty(0, dtype=np.int8)
        self.azimuths = np.empty(0)
        self.rule_visible = np.empty((0, rules), dtype=bool)

    def append(
        self,
        t: np.ndarray,
        signals: np.ndarray,
        views: np.ndarray,
        azimuths: np.ndarray,
        rule_visible: np.ndarray,
    ) -> None:
        needed = self.size + len(t)
        if needed > len(self.t):
            capacity = max(needed, 2 * len(self.t), 256)
            for name in COLUMNS:
                old = getattr(self, name)
                grown = np.empty((capacity, *old.shape[1:]), dtype=old.dtype)
                grown[: self.size] = old[: self.size]
                setattr(self, name, grown)
        rows = slice(self.size, needed)
        self.t[rows], self.signals[rows], self.views[rows] = t, signals, views
        self.azimuths[rows], self.rule_visible[rows] = azimuths, rule_visible
        self.size = needed

    def rows(self, start: int, end: int) -> slice:
        """Buffer rows of absolute frames start..end inclusive."""
        return slice(start - self.first, end - self.first + 1)

    def drop_before(self, frame: int) -> None:
        drop = min(max(frame - self.first, 0), self.size)
        if drop == 0:
            return
        for name in COLUMNS:
            array = getattr(self, name)
            array[: self.size - drop] = array[drop : self.size]
        self.size -= drop
        self.first += drop


class ExerciseSession:
    """Counts and judges the reps of one exercise, frame by frame or a batch at a time.

    Args:
        exercise: what to measure, count and judge.
        thresholds: its thresholds (counting, smoothing and every rule's).
        side: ``left`` / ``right`` to fix the working side, None to detect it.
        source, fps: recorded in the `Report`.
        keep_history: keep every frame's smoothed signals (for a per-frame table); live
            sessions keep only the rep under way.
    """

    def __init__(
        self,
        exercise: Exercise,
        thresholds: ExerciseThresholds,
        *,
        side: Side | None = None,
        source: str = "",
        fps: float = 0.0,
        keep_history: bool = False,
    ) -> None:
        if thresholds.exercise != exercise.name:
            raise FormcheckError(
                f"thresholds are for {thresholds.exercise}, not {exercise.name}; give that exercise's own"
            )
        self.exercise, self.thresholds = exercise, thresholds
        self.source, self.fps, self.keep_history = source, fps, keep_history
        values = self.thresholds.values
        self.counting = Counting(
            start=float(values["start"]),
            end=float(values["end"]),
            direction=self.exercise.direction,
            min_dwell_s=float(values["min_dwell_s"]),
            min_range=float(values["min_range"]),
            max_gap_s=float(values["max_gap_s"]),
            from_rest=self.exercise.counted_from_rest,
            rest_at_either_end=self.exercise.rest_at_either_end,
            setup_dwell_s=float(values.get("setup_dwell_s", Counting.setup_dwell_s)),
            **(
                {"floor_start": float(values["floor_start"]), "floor_end": float(values["floor_end"])}
                if self.exercise.floor_signal
                else {}
            ),
        )
        self.min_visibility = float(values["min_visibility"])
        # Timed sets (optional keys; 0 = untimed): target duration, and the rest that ends a set.
        self.set_duration_s = float(values.get("set_duration_s", 0.0))
        self.set_break_s = float(values.get("set_break_s", 0.0))
        self.rule_thresholds = thresholds.rule_thresholds()
        self._check_side(side)
        self.side = side
        self.names: tuple[str, ...] = ()
        self.reset()

    # --- public API -------------------------------------------------------------------------

    def update(self, frame: PoseFrame) -> FrameState:
        """Feed one frame (in time order; a frame without a person is all NaN); returns where things stand."""
        measures = measure_frames(
            self.exercise,
            image_xy=frame.image_xy[None],
            z=frame.z[None],
            world=frame.world[None],
            visibility=frame.visibility[None],
            image_size=frame.image_size,
            side=self.side,
            min_visibility=self.min_visibility,
        )
        self._start_history(measures)
        t = np.array([frame.t], dtype=np.float64)
        completed = self._advance(t, measures)
        return self._frame_state(frame.t, measures, completed)

    def feed(self, track: PoseTrack, measures: FrameMeasures | None = None) -> list[Rep]:
        """Feed a whole sequence of frames in one batch; returns the reps that ended in it.

        ``measures``: the track's raw signals already measured for this exercise and side
        (`measure_track`), e.g. to re-count one track under many candidate counting thresholds;
        they depend only on the exercise, the side and ``min_visibility``.
        """
        if not track.is_sequence:
            raise FormcheckError(
                f"{track.source or 'track'}: rows without times are independent poses, not a sequence; "
                "judge them with `judge_poses`"
            )
        if not self.source:
            self.source, self.fps = track.source, track.fps
        if measures is None:
            measures = measure_track(track, self.exercise, self.thresholds, side=self.side)
        self._start_history(measures)
        return self._advance(track.t, measures)

    def finish(self) -> Report:
        """Close a rep in progress (as partial, "stopped mid-rep") and report the whole session."""
        self._close_rep()
        return Report(
            exercise=self.exercise.name,
            source=self.source,
            fps=self.fps,
            frames=self._frames,
            reps=tuple(self._reps),
            thresholds=self.thresholds.to_dict(),
            counting=self.exercise.counting_record(),
            setup=tuple(self._setups),
            no_rep_reason=self._seen.why_no_rep(self._reps, self._setups),
            view_advice=view_advice(self.exercise, self._reps),
        )

    def reset(self) -> None:
        """Forget every rep and frame; keep exercise, thresholds and side."""
        self._filter: OneEuroFilter | None = None
        self._segmenter = RepSegmenter(self.counting)
        # The switch numbers frames from its own start; this is that start in our numbering.
        self._segmenter_origin = 0
        self._history: _History | None = None
        self._reps: list[Rep] = []
        self._setups: list[Setup] = []
        self._seen = CountingSeen(self.exercise, self.counting)
        self._frames = 0
        self._set_index = 1
        self._set_started_t: float | None = None
        self._last_rep_end_t: float | None = None
        self._bottom_since_t: float | None = None
        self._last_side: Side | None = None

    def set_side(self, side: Side | None) -> None:
        """Fix the working side (``left``/``right``) or go back to detecting it (None)."""
        self._check_side(side)
        if side != self.side:
            self._close_rep()
            self.side = side

    def next_set(self) -> None:
        """Start the next set: a rep under way ends as partial; the set timer restarts."""
        self._close_rep()
        self._set_index += 1
        self._set_started_t = None
        self._last_rep_end_t = None

    @property
    def reps(self) -> tuple[Rep, ...]:
        return tuple(self._reps)

    def history(
        self,
    ) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """All frames kept (``keep_history=True``): names, t (N,), smoothed signals (N, K),
        verdicts, views (N,) int8 codes and azimuths (N,) degrees."""
        h = self._history
        if h is None:
            return (
                self.names,
                np.empty(0),
                np.empty((0, len(self.names))),
                {},
                np.empty(0, np.int8),
                np.empty(0),
            )
        rows = slice(0, h.size)
        verdicts = frame_verdicts(
            self.exercise,
            self.rule_thresholds,
            self.names,
            h.signals[rows],
            h.views[rows],
            h.rule_visible[rows],
            h.azimuths[rows],
            self.thresholds.view_envelopes,
        )
        return (
            self.names,
            h.t[rows].copy(),
            h.signals[rows].copy(),
            verdicts,
            h.views[rows].copy(),
            h.azimuths[rows].copy(),
        )

    # --- the shared per-batch path ----------------------------------------------------------

    def _check_side(self, side: Side | None) -> None:
        if side is not None and side not in LEG_SIDES:
            raise FormcheckError(f"side must be one of {', '.join(LEG_SIDES)} (or unset), got {side!r}")

    def _start_history(self, measures: FrameMeasures) -> None:
        """On the first batch: the signal columns, the filter and the history they fill."""
        if self._history is None:
            self.names = measures.names
            self._primary_column = self.names.index(self.exercise.primary)
            floor = self.exercise.floor_signal
            self._floor_column = self.names.index(floor) if floor else self._primary_column
            self._filter = OneEuroFilter(
                len(self.names),
                min_cutoff_hz=float(self.thresholds["smoothing_min_cutoff_hz"]),
                beta=float(self.thresholds["smoothing_beta"]),
            )
            self._history = _History(len(self.names), len(self.exercise.rules))

    def _advance(self, t: np.ndarray, measures: FrameMeasures) -> list[Rep]:
        history = self._history
        signals = measures.signals.copy()
        # Frames whose key landmarks are hidden must not drag the filter toward garbage values.
        signals[measures.visibility != VISIBLE] = np.nan
        smoothed = self._filter.filter(t, signals)
        history.append(t, smoothed, measures.views, measures.azimuths, measures.rule_visible)
        self._frames += len(t)
        self._seen.add(measures.visibility, smoothed[:, self._primary_column])
        if self._set_started_t is None:
            seen = np.flatnonzero(measures.visibility != NO_PERSON)
            if len(seen):
                self._set_started_t = float(t[seen[0]])
        completed = []
        segmenter = self._segmenter
        primary = smoothed[:, self._primary_column].tolist()
        floor = smoothed[:, self._floor_column].tolist()
        codes = measures.visibility.tolist()
        for time, value, floor_value, code in zip(t.tolist(), primary, floor, codes, strict=True):
            event = segmenter.step(time, value, code, floor_value)
            if event is not None and event.setup:
                self._add_setup(event)
            elif event is not None:
                completed.append(self._make_rep(event))
            if segmenter.phase != "bottom":
                self._bottom_since_t = None
            elif self._bottom_since_t is None:
                self._bottom_since_t = time
        if not self.keep_history:
            history.drop_before(segmenter.earliest_needed_index + self._segmenter_origin)
        return completed

    def _make_rep(self, event: RepEvent) -> Rep:
        h = self._history
        start, peak, end = (
            index + self._segmenter_origin for index in (event.start_index, event.peak_index, event.end_index)
        )
        rows = h.rows(start, end)
        frames, judged_peak = self._judged_frames(event, h.signals[rows, self._primary_column], peak - start)
        t = h.t[rows]
        start_s, peak_s, end_s = float(t[0]), float(t[peak - start]), float(t[-1])
        # Played backwards from the lockout, times still run forward so that durations stay positive.
        judged_t = start_s + (peak_s - t[frames]) if event.counted_from == BOTTOM else t
        window = RepWindow(
            t=judged_t,
            signals={name: h.signals[rows, k][frames] for k, name in enumerate(self.names)},
            peak=judged_peak,
            side="both",
            direction=self.counting.direction,
            primary=self.exercise.primary,
        )
        side = self.side or self.exercise.rep_side(window, self.thresholds.values)
        self._start_set_after_a_break(start_s)
        window = RepWindow(**{**window.__dict__, "side": side})
        views = h.views[rows][frames]
        azimuth, azimuth_spread = circular_mean_deg(h.azimuths[rows])
        results = judge_rep(
            self.exercise,
            self.rule_thresholds,
            window,
            views,
            h.rule_visible[rows][frames],
            self.thresholds.metric_errors,
            h.azimuths[rows][frames],
            self.thresholds.view_envelopes,
        )
        primary = window.signals[self.exercise.primary]
        rep = Rep(
            exercise=self.exercise.name,
            index=len(self._reps) + 1,
            side=side,
            complete=event.complete,
            reason=event.reason,
            start_s=start_s,
            peak_s=peak_s,
            end_s=end_s,
            set_index=self._set_index,
            view=dominant_view(h.views[rows]),
            view_angle_deg=azimuth,
            view_angle_spread_deg=azimuth_spread,
            metrics={
                f"peak_{self.exercise.primary}": float(primary[window.peak]),
                "range": float(abs(primary[window.peak] - primary[0])),
                "duration_s": end_s - start_s,
                "lowering_s": window.lowering_s(),
                "returning_s": window.returning_s(),
                "hold_s": window.hold_s(),
            },
            rules=results,
            score=score(self.exercise, results),
            counted_from=event.counted_from,
            note=event.note,
        )
        self._reps.append(rep)
        self._last_rep_end_t = rep.end_s
        self._last_side = side
        return rep

    def _judged_frames(self, event: RepEvent, primary: np.ndarray, peak: int) -> tuple[np.ndarray, int]:
        """The rep's frames (indices into its window) as the rules read them, and the deepest one.

        The rules measure from standing to the deepest point (a hinge's hips travel back as the
        trunk tips). A rep from the bottom starts at the deepest point, so its rules read the lift
        played backwards, from the lockout (its far position) to the floor.
        """
        if event.counted_from != BOTTOM:
            return np.arange(len(primary)), peak
        frames = np.arange(peak, -1, -1)
        lift = primary[frames] * self.counting.direction
        return frames, int(np.nanargmax(lift)) if np.isfinite(lift).any() else len(frames) - 1

    def _add_setup(self, event: RepEvent) -> None:
        h = self._history
        start, end = (
            index + self._segmenter_origin - h.first for index in (event.start_index, event.end_index)
        )
        self._setups.append(Setup(float(h.t[start]), float(h.t[end]), "got down into the start position"))

    def _start_set_after_a_break(self, rep_start_t: float) -> None:
        """A rep after a rest longer than ``set_break_s`` opens the next set (recorded videos
        have no key to press between sets)."""
        if (
            self.set_break_s > 0
            and self._last_rep_end_t is not None
            and rep_start_t - self._last_rep_end_t > self.set_break_s
        ):
            self._set_index += 1
            self._set_started_t = rep_start_t

    def _close_rep(self) -> None:
        if self._history is None:
            return
        event = self._segmenter.close()
        if event is not None:
            self._make_rep(event)
        # A fresh switch for what follows; its frame numbers start after what we have seen.
        self._segmenter = RepSegmenter(self.counting)
        self._segmenter_origin = self._history.first + self._history.size
        self._bottom_since_t = None

    # --- frame state -------------------------------------------------------------------------

    def _frame_state(self, t: float, measures: FrameMeasures, completed: list[Rep]) -> FrameState:
        h = self._history
        now = h.signals[h.size - 1]
        phase = self._segmenter.phase
        view = VIEWS[int(measures.views[0])]
        azimuth = float(measures.azimuths[0])
        if phase != "rest":
            # One frame's view flickers at the limits between views; the rep is judged in the
            # view most of its frames have, so what is said live follows that one.
            start = self._segmenter.earliest_needed_index + self._segmenter_origin
            rows = h.rows(start, h.first + h.size - 1)
            view = dominant_view(h.views[rows])
            azimuth = circular_mean_deg(h.azimuths[rows])[0]
        rest_level = self._segmenter.rest_level if self.counting.from_rest else 0.0
        return FrameState(
            t=t,
            signals={name: float(now[k]) for k, name in enumerate(self.names)},
            phase=phase,
            rest_level=rest_level if np.isfinite(rest_level) else 0.0,
            seen=int(measures.visibility[0]),
            working_side=self.side or self._last_side,
            view=view,
            view_angle_deg=azimuth,
            failing=self._failing(measures, now, view, azimuth) if phase != "rest" else (),
            reps_per_side=self._reps_per_side(),
            set_index=self._set_index,
            hold_s=t - self._bottom_since_t if self._bottom_since_t is not None else None,
            rest_s=t - self._last_rep_end_t if phase == "rest" and self._last_rep_end_t is not None else None,
            completed=tuple(completed),
            key_landmarks=self._key_landmarks(),
            set_elapsed_s=t - self._set_started_t if self._set_started_t is not None else None,
            set_target_s=self.set_duration_s or None,
            counted_from=self._segmenter.counted_from,
        )

    def _failing(
        self, measures: FrameMeasures, smoothed_now: np.ndarray, view: str, azimuth: float
    ) -> tuple[str, ...]:
        """The single-frame rules failing on this frame among those judged in `view` at `azimuth`."""
        verdicts = frame_verdicts(
            self.exercise,
            self.rule_thresholds,
            self.names,
            smoothed_now[None],
            measures.views,
            measures.rule_visible,
            measures.azimuths,
            self.thresholds.view_envelopes,
        )
        envelopes = self.thresholds.view_envelopes
        return tuple(
            rule.id
            for rule in self.exercise.frame_rules
            if view_allows(rule, view, azimuth, envelopes.get(rule.id))
            and verdicts[rule.id][0] == Status.FAILED
        )

    def _reps_per_side(self) -> dict[str, int]:
        return reps_per_side(rep for rep in self._reps if rep.set_index == self._set_index)

    def _key_landmarks(self) -> tuple[int, ...]:
        side = self.side or (self._last_side if self._last_side in LEG_SIDES else None)
        return tuple(sorted(set(landmark_indices(self.exercise.judged_landmarks, side))))
