"""Rep counts on the labelled real clips: formcheck's complete reps against a person's count.

For every ``samples/real/*.labels.json`` (counted by watching; design §8), the clip's pose comes
from the committed track where the licence allows one, else from the shared video under
``../shared/`` through the pose cache (`formcheck.pose.cache`: the first run extracts each video
once, later runs take seconds). A clip whose video is absent is skipped with a line. Prints one
row per clip and the share counted exactly and within one. Equal counts can hide two wrongs
(a rep merged with the next, a partial one taken for complete), so each row also says how many
of the labelled complete reps formcheck found: a complete rep of its own whose peak lies within
the labelled rep, each used once.

    .venv/bin/python benchmarks/bench_real_counts.py [--markdown] [--max-fps F]

``--max-fps F`` extracts the videos at most F frames a second (`formcheck analyze --max-fps`);
committed tracks are used as they are.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from formcheck.analysis.pipeline import analyze_track
from formcheck.exercises import configured
from formcheck.io.labels import load_labels
from formcheck.io.track_files import load_track
from formcheck.tune.samples import TRACK_SUFFIXES, media_of

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "real"
LABEL_ROUNDING_S = 0.01


def matched(labelled: list[tuple[float, float]], peaks: list[float]) -> int:
    """How many labelled (start_s, end_s) reps hold a distinct peak of ``peaks``, taken in time order."""
    free = sorted(peaks)
    found = 0
    for start, end in labelled:
        # Label times are written to 0.01 s (a pull peaking on a clip's last frame, 2.033 s, ends at 2.03).
        inside = [peak for peak in free if start - LABEL_ROUNDING_S <= peak <= end + LABEL_ROUNDING_S]
        if inside:
            free.remove(inside[0])
            found += 1
    return found


def measured_counts(label_file: Path, max_fps: float | None = None) -> tuple[str, int, int, int] | None:
    """(where the pose came from, complete reps, partial reps, labelled complete reps found) by
    formcheck, or None where there is no pose."""
    labels = load_labels(label_file)
    # The committed track beside the labels, else the video under ../shared/clips (`clip`).
    media = media_of(labels)
    if media is None:
        return None
    if media.suffix.lower() in TRACK_SUFFIXES:
        track, source = load_track(media), "track"
    else:
        # Imported here: a fresh clone without ../shared never loads MediaPipe.
        from formcheck.pose.cache import cached_track

        track, source = cached_track(media, max_fps=max_fps)[0], "video"
    report, _ = analyze_track(track, *configured(labels.exercise))
    complete = sum(rep.complete for rep in report.reps)
    found = matched(
        [(rep.start_s, rep.end_s) for rep in labels.reps if rep.complete],
        [rep.peak_s for rep in report.reps if rep.complete],
    )
    return source, complete, len(report.reps) - complete, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    parser.add_argument(
        "--max-fps", type=float, default=None, help="extract videos at most this many frames/s"
    )
    args = parser.parse_args()
    rows, skipped = [], []
    for label_file in sorted(SAMPLES.glob("*.labels.json")):
        labels = load_labels(label_file)
        name = label_file.name.removesuffix(".labels.json")
        counted = measured_counts(label_file, args.max_fps)
        if counted is None:
            skipped.append(
                f"skipped {name}: {labels.clip} is absent (no ../shared/clips beside the repository)"
            )
            continue
        source, complete, partial, found = counted
        by_eye = sum(rep.complete for rep in labels.reps)
        rows.append((name, labels.exercise, by_eye, complete, partial, found, source))
    if args.markdown:
        print("| clip | exercise | counted by eye | formcheck (complete) | partial | reps found | pose |")
        print("|---|---|---|---|---|---|---|")
        for name, exercise, truth, complete, partial, found, source in rows:
            flag = "" if complete == truth else " ✗"
            cells = [f"`{name}`", exercise, truth, f"{complete}{flag}", partial, f"{found}/{truth}", source]
            print("| " + " | ".join(map(str, cells)) + " |")
    else:
        print(f"{'clip':<38} {'exercise':<13} {'eye':>4} {'formcheck':>9} {'partial':>7} {'found':>6}  pose")
        for name, exercise, truth, complete, partial, found, source in rows:
            flag = "" if complete == truth else "  <- miss"
            print(
                f"{name:<38} {exercise:<13} {truth:>4} {complete:>9} {partial:>7} {found:>3}/{truth:<2}  "
                f"{source}{flag}"
            )
    for line in skipped:
        print(line)
    if rows:
        exact = sum(complete == truth for _, _, truth, complete, *_ in rows)
        within = sum(abs(complete - truth) <= 1 for _, _, truth, complete, *_ in rows)
        found, total = sum(row[5] for row in rows), sum(row[2] for row in rows)
        print(
            f"\nexact: {exact}/{len(rows)} ({exact / len(rows):.0%}), within one: {within}/{len(rows)} "
            f"({within / len(rows):.0%}); labelled complete reps found: {found}/{total}"
        )
        misses = [
            f"{name} {complete} vs {truth}" for name, _, truth, complete, *_ in rows if complete != truth
        ]
        print("misses: " + ("; ".join(misses) if misses else "none"))


if __name__ == "__main__":
    main()
