"""Offline analysis of a whole pose track: the same `ExerciseSession` as live, fed in one batch.

A sequence (a track with times) is smoothed, segmented into reps and judged; a set of
independent poses (a landmark table without times) is judged row by row on the single-frame
rules, without smoothing, one verdict row per input row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.analysis.body import VIEWS
from formcheck.analysis.exercise import Exercise, ExerciseThresholds
from formcheck.analysis.frames import FrameMeasures, frame_verdicts
from formcheck.analysis.results import Report
from formcheck.analysis.session import ExerciseSession, measure_track
from formcheck.analysis.vocabulary import Side, Status
from formcheck.core.track import PoseTrack


@dataclass(frozen=True)
class FrameTable:
    """Per-frame results: the rows of ``--frames-csv``.

    Attributes:
        t: (N,) seconds, or None for independent poses.
        names: K signal names; signals: (N, K) (smoothed for sequences, raw for poses).
        verdicts: rule id -> (N,) ``passed`` / ``failed`` / ``not_judged`` for each single-frame rule.
        views: (N,) view names (``front``, ``side``, ``oblique``, ``back``, ``unknown``).
        view_angle_deg: (N,) the camera's signed azimuth around the body, degrees (NaN unknown).
    """

    t: np.ndarray | None
    names: tuple[str, ...]
    signals: np.ndarray
    verdicts: dict[str, np.ndarray]
    views: np.ndarray
    view_angle_deg: np.ndarray


def analyze_track(
    track: PoseTrack,
    exercise: Exercise,
    thresholds: ExerciseThresholds,
    *,
    side: Side | None = None,
    measures: FrameMeasures | None = None,
) -> tuple[Report, FrameTable]:
    """Reps and verdicts of ``track`` (a sequence) or per-row verdicts (independent poses).

    ``measures``: the track's raw signals from `measure_track`, to re-count a track under other
    counting thresholds without measuring it again (they must come from the same exercise,
    side and ``min_visibility``).
    """
    if not track.is_sequence:
        return judge_poses(track, exercise, thresholds, side=side, measures=measures)
    session = ExerciseSession(
        exercise, thresholds, side=side, source=track.source, fps=track.fps, keep_history=True
    )
    session.feed(track, measures)
    report = session.finish()
    names, t, signals, verdicts, views, azimuths = session.history()
    table = FrameTable(t, names, signals, verdicts, np.asarray(VIEWS)[views], azimuths)
    return report, table


def judge_poses(
    track: PoseTrack,
    exercise: Exercise,
    thresholds: ExerciseThresholds,
    *,
    side: Side | None = None,
    measures: FrameMeasures | None = None,
) -> tuple[Report, FrameTable]:
    """Judge each row of a table of independent poses on the single-frame rules."""
    if measures is None:
        measures = measure_track(track, exercise, thresholds, side=side)
    verdicts = frame_verdicts(
        exercise,
        thresholds.rule_thresholds(),
        measures.names,
        measures.signals,
        measures.views,
        measures.rule_visible,
        measures.azimuths,
        thresholds.view_envelopes,
    )
    counts = {
        rule_id: {str(status): int(np.sum(statuses == status)) for status in Status}
        for rule_id, statuses in verdicts.items()
    }
    report = Report(
        exercise=exercise.name,
        source=track.source,
        fps=0.0,
        frames=len(track),
        reps=(),
        frame_verdicts=counts,
        thresholds=thresholds.to_dict(),
        counting=exercise.counting_record(),
    )
    table = FrameTable(
        None, measures.names, measures.signals, verdicts, np.asarray(VIEWS)[measures.views], measures.azimuths
    )
    return report, table
