"""Labelled samples for tuning: finding them, and measuring them into examples.

A sample is a clip or pose track with a label file (`formcheck.io.labels`): ``NAME.labels.json``,
or a studio ``NAME.truth.json``. A folder is searched for label files; a clip or track named on
the command line must have one beside it. Each sample is analysed once with the starting
thresholds (its pose from the pose cache); tuning then only re-judges the measured values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from formcheck.analysis.exercise import Exercise, ExerciseThresholds
from formcheck.analysis.pipeline import analyze_track, judge_poses
from formcheck.analysis.session import measure_track
from formcheck.analysis.vocabulary import Status
from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.io.labels import LABELS_SUFFIX, TRUTH_SUFFIX, Labels, check_labels, load_labels, truth_labels
from formcheck.io.track_files import load_track
from formcheck.tune.counting import CountingSample
from formcheck.tune.crossval import recordings_by_jumps
from formcheck.tune.examples import RuleExamples, rep_examples, row_examples

VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".gif")
TRACK_SUFFIXES = (".npz", ".csv")


@dataclass
class Found:
    """What a search for samples found.

    Attributes:
        samples: (labels, media path) of each sample for this exercise.
        other_exercise: label files in folders that are for other exercises (skipped), by exercise.
        absent: label files whose clip is not on this machine (e.g. a shared clip), skipped.
    """

    samples: list[tuple[Labels, Path]] = field(default_factory=list)
    other_exercise: dict[str, int] = field(default_factory=dict)
    absent: list[Path] = field(default_factory=list)


def _read(path: Path, exercise: Exercise, start: ExerciseThresholds) -> Labels:
    if path.name.endswith(TRUTH_SUFFIX):
        names = {rule.id for rule in exercise.rules}

        def passes_default(rule_id: str, value: float) -> bool:
            return rule_id in names and not exercise.rule(rule_id).fails(value, start.threshold(rule_id))

        return truth_labels(path, passes_default)
    return load_labels(path)


def _stem(label_file: Path) -> str:
    for suffix in (LABELS_SUFFIX, TRUTH_SUFFIX):
        if label_file.name.endswith(suffix):
            return label_file.name[: -len(suffix)]
    raise AssertionError(label_file)


def media_of(labels: Labels) -> Path | None:
    """The clip or track ``labels`` describe: its ``clip`` (beside the label file, or under a
    ``shared/clips/`` folder next to one of its parent folders), else a file of the same name."""
    folder = labels.path.parent
    if labels.clip:
        candidates = [folder / labels.clip]
        for parent in labels.path.resolve().parents:
            candidates.append(parent / "shared" / "clips" / labels.clip)
        return next((c for c in candidates if c.exists()), None)
    stem = _stem(labels.path)
    for suffix in VIDEO_SUFFIXES + TRACK_SUFFIXES:
        if (folder / f"{stem}{suffix}").exists():
            return folder / f"{stem}{suffix}"
    return None


def label_file_of(media: Path) -> Path | None:
    """The label file beside a clip or track: ``NAME.labels.json``, else ``NAME.truth.json``."""
    truth_track = media.name.endswith(".truth.npz")
    stem = media.name[: -len(".truth.npz")] if truth_track else media.with_suffix("").name
    for suffix in (LABELS_SUFFIX, TRUTH_SUFFIX):
        if (media.parent / f"{stem}{suffix}").exists():
            return media.parent / f"{stem}{suffix}"
    return None


def find_samples(inputs: Sequence[Path], exercise: Exercise, start: ExerciseThresholds) -> Found:
    """The labelled samples for ``exercise`` among ``inputs`` (folders, label files, clips, tracks).

    In a folder, labels for other exercises are skipped and counted, and so are labels whose clip is
    absent; a file named on the command line that is not for ``exercise`` is an error.
    """
    found = Found()
    rule_ids = tuple(rule.id for rule in exercise.rules)
    for path in inputs:
        if not path.exists():
            raise FormcheckError(f"{path}: no such file or folder; give clips, tracks or folders of them")
        if path.is_dir():
            files = sorted(path.rglob(f"*{LABELS_SUFFIX}"))
            labelled = {_stem(f) for f in files}
            files += [f for f in sorted(path.rglob(f"*{TRUTH_SUFFIX}")) if _stem(f) not in labelled]
            named = False
        else:
            label_file = path if path.name.endswith((LABELS_SUFFIX, TRUTH_SUFFIX)) else label_file_of(path)
            if label_file is None:
                raise FormcheckError(
                    f"{path}: no labels beside it ({path.with_suffix('').name}{LABELS_SUFFIX}); "
                    f"make them with `formcheck label {path} --exercise {exercise.name}`"
                )
            files, named = [label_file], True
        for label_file in files:
            labels = _read(label_file, exercise, start)
            if labels.exercise != exercise.name and not named:
                found.other_exercise[labels.exercise] = found.other_exercise.get(labels.exercise, 0) + 1
                continue
            check_labels(labels, exercise=exercise.name, rule_ids=rule_ids)
            media = path if named and not path.name.endswith(".json") else media_of(labels)
            if media is None:
                if named:
                    raise FormcheckError(f"{label_file}: the clip it labels ({labels.clip}) is not here")
                found.absent.append(label_file)
                continue
            found.samples.append((labels, media))
    return found


@dataclass
class Measured:
    """Every sample measured: per rule its examples, and per clip what counting tuning needs."""

    examples: dict[str, RuleExamples] = field(default_factory=dict)
    counting: list[CountingSample] = field(default_factory=list)
    reps_labelled: int = 0
    cached: int = 0


def measure_samples(
    samples: Sequence[tuple[Labels, Path]],
    exercise: Exercise,
    start: ExerciseThresholds,
    load_video,
) -> Measured:
    """Analyse each sample once with ``start``; ``load_video(path) -> (track, from_cache)``."""
    measured = Measured()
    for labels, media in samples:
        if media.suffix.lower() in TRACK_SUFFIXES:
            track = load_track(media)
        else:
            track, hit = load_video(media)
            measured.cached += hit
        duration = float(track.t[-1]) if track.is_sequence and len(track) else None
        check_labels(
            labels, exercise=exercise.name, rule_ids=tuple(r.id for r in exercise.rules), duration_s=duration
        )
        if not track.is_sequence:
            raise FormcheckError(
                f"{media}: a table without times has no reps to match {labels.path.name}; "
                "tune a frame table with --label-rule ID --fault-label VALUE"
            )
        measures = measure_track(track, exercise, start)
        report, _ = analyze_track(track, exercise, start, measures=measures)
        name = str(media)
        rep_examples(exercise, name, labels.reps, report.reps, measured.examples)
        measured.counting.append(CountingSample(name, track, measures, labels.reps))
        measured.reps_labelled += len(labels.reps)
    return measured


def table_examples(
    track: PoseTrack, exercise: Exercise, start: ExerciseThresholds, rule_id: str, fault_label: str
) -> dict[str, RuleExamples]:
    """A frame table's rows as examples of ``rule_id``: rows whose ``label`` is ``fault_label``
    have the fault, the others are clean for it; recordings are split at the jumps in the landmarks."""
    where = track.source or "table"
    rule = next((r for r in exercise.rules if r.id == rule_id), None)
    if rule is None:
        raise FormcheckError(
            f"--label-rule {rule_id}: not a rule of {exercise.name}; "
            f"valid rules: {', '.join(r.id for r in exercise.rules)}"
        )
    if rule.frame_signal is None:
        raise FormcheckError(
            f"--label-rule {rule_id}: judged over a whole rep, not per row; label clips for it instead"
        )
    if track.labels is None:
        raise FormcheckError(
            f"{where}: no 'label' column; add one (e.g. L / C per row) or label clips instead"
        )
    present = sorted(set(track.labels.tolist()))
    if fault_label not in present:
        raise FormcheckError(
            f"{where}: no row is labelled {fault_label!r}; the label column holds {', '.join(present)}"
        )
    _, table = judge_poses(track, exercise, start)
    values = table.signals[:, table.names.index(rule.frame_signal)]
    judged = table.verdicts[rule_id] != Status.NOT_JUDGED
    examples: dict[str, RuleExamples] = {}
    recordings = recordings_by_jumps(track.image_xy)
    row_examples(rule_id, values, judged, track.labels == fault_label, recordings, examples)
    return examples
