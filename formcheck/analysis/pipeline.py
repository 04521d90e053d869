"""Offline analysis of a whole pose track: the same `ExerciseSession` as live, fed in one batch.

A sequence (a track with times) is smoothed, segmented into reps and judged; a set of
independent poses (a landmark table without times) is judged row by row on the single-frame
rules, without smoothing, one verdict row per input row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.analysis.frames import frame_verdicts, measure_frames
from formcheck.analysis.results import Report
from formcheck.analysis.session import ExerciseSession
from formcheck.core.track import PoseTrack
from formcheck.exercises import get_exercise
from formcheck.exercises.thresholds import Thresholds


@dataclass(frozen=True)
class FrameTable:
    """Per-frame results: the rows of ``--frames-csv``.

    Attributes:
        t: (N,) seconds, or None for independent poses.
        names: K signal names; signals: (N, K) (smoothed for sequences, raw for poses).
        verdicts: rule id -> (N,) ``passed`` / ``failed`` / "" for each single-frame rule.
    """

    t: np.ndarray | None
    names: tuple[str, ...]
    signals: np.ndarray
    verdicts: dict[str, np.ndarray]


def analyze_track(
    track: PoseTrack, exercise: str, *, config: Thresholds | None = None, side: str | None = None
) -> tuple[Report, FrameTable]:
    """Reps and verdicts of ``track`` (a sequence) or per-row verdicts (independent poses)."""
    if not track.is_sequence:
        return judge_poses(track, exercise, config=config, side=side)
    session = ExerciseSession(
        exercise, config=config, side=side, source=track.source, fps=track.fps, keep_history=True
    )
    session.feed(track)
    report = session.finish()
    names, t, signals, verdicts = session.history()
    return report, FrameTable(t=t, names=names, signals=signals, verdicts=verdicts)


def judge_poses(
    track: PoseTrack, exercise: str, *, config: Thresholds | None = None, side: str | None = None
) -> tuple[Report, FrameTable]:
    """Judge each row of a table of independent poses on the single-frame rules."""
    spec = get_exercise(exercise)
    thresholds = (config or Thresholds.defaults()).for_exercise(spec.name)
    measures = measure_frames(
        spec,
        image_xy=track.image_xy,
        z=track.z,
        world=track.world,
        visibility=track.visibility,
        image_size=track.image_size,
        side=side,
        min_visibility=float(thresholds["min_visibility"]),
    )
    rule_thresholds = {rule.id: thresholds.threshold(rule.id) for rule in spec.rules}
    verdicts = frame_verdicts(
        spec, rule_thresholds, measures.names, measures.signals, measures.views, measures.rule_visible
    )
    counts = {
        rule_id: {
            "passed": int(np.sum(status == "passed")),
            "failed": int(np.sum(status == "failed")),
            "not_judged": int(np.sum(status == "")),
        }
        for rule_id, status in verdicts.items()
    }
    report = Report(
        exercise=spec.name,
        source=track.source,
        fps=0.0,
        frames=len(track),
        reps=(),
        frame_verdicts=counts,
        thresholds=thresholds.to_dict(),
    )
    return report, FrameTable(t=None, names=measures.names, signals=measures.signals, verdicts=verdicts)
