"""What extracting fewer frames a second (``--max-fps``) costs in accuracy.

For every labelled clip with a video — the real clips of ``samples/real/*.labels.json`` (videos
under ``../shared/clips``; absent ones skipped) and the studio renders of ``samples/studio/``
(``*.truth.json``) — the pose is extracted at the full rate and at each ``--rates`` (through the
pose cache, ``--workers`` models at once; the first run extracts, later ones read the cache), and
analysed with the defaults. Per rate it prints, over the clips:

- counts exact: complete reps equal to the labelled count;
- same count as full rate: complete reps equal to the full-rate run's;
- verdict agreement: of the rules judged (passed or failed) on reps matched to a full-rate rep
  (the nearest peak within the rep), the share with the same status;
- metric error: median |value - full-rate value| of those rules, in each rule's unit, over rules
  measured in degrees, in body lengths (shin, thigh, foot lengths, hip widths) and in seconds
  separately.

Results are appended to ``--results`` (JSON lines) as each clip and rate finishes, so a run can be
stopped and resumed; ``--markdown`` prints the table from that file.

    .venv/bin/python benchmarks/bench_max_fps.py [--rates 15 10] [--workers 2] [--only real|studio]
    .venv/bin/python benchmarks/bench_max_fps.py --markdown
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from formcheck.analysis.pipeline import analyze_track
from formcheck.errors import FormcheckError
from formcheck.exercises import configured
from formcheck.io.labels import load_labels
from formcheck.tune.samples import VIDEO_SUFFIXES, media_of

REPOSITORY = Path(__file__).resolve().parents[1]
RESULTS = REPOSITORY / "benchmarks" / "results" / "max_fps.jsonl"
KINDS = {"deg": "deg", "s": "s"}  # every other unit but ratios is a body length


def clips(only: str | None) -> list[tuple[str, Path, Path]]:
    """(set, label file, video) of every labelled clip whose video is on this machine."""
    found = []
    if only in (None, "real"):
        for label_file in sorted((REPOSITORY / "samples" / "real").glob("*.labels.json")):
            media = media_of(load_labels(label_file))
            if media is not None and media.suffix.lower() in VIDEO_SUFFIXES:
                found.append(("real", label_file, media))
    if only in (None, "studio"):
        for truth in sorted((REPOSITORY / "samples" / "studio").glob("*.truth.json")):
            video = truth.with_name(truth.name.removesuffix(".truth.json") + ".mp4")
            if video.exists():
                found.append(("studio", truth, video))
    return found


def measure(label_file: Path, video: Path, rate: float | None, workers: int) -> dict:
    """One clip at one rate: its reps (side, complete, peak, rules' status, value and unit)."""
    from formcheck.pose.cache import cached_track

    labels = load_labels(label_file)
    track, _ = cached_track(video, max_fps=rate, workers=workers, progress=False)
    report, _ = analyze_track(track, *configured(labels.exercise))
    return {
        "clip": str(video.relative_to(video.parents[1])),
        "rate": rate,
        "frames": len(track),
        "labelled": sum(rep.complete for rep in labels.reps),
        "reps": [
            {
                "complete": rep.complete,
                "peak_s": rep.peak_s,
                "rules": {
                    rule.id: [str(rule.status), rule.value, rule.unit]
                    for rule in rep.rules
                    if rule.value is not None
                },
            }
            for rep in report.reps
        ],
    }


def compare(full: dict, reduced: dict) -> tuple[int, int, dict[str, list[float]]]:
    """(rules judged alike, rules judged in both, value errors by kind of unit) on matched reps."""
    same = judged = 0
    errors: dict[str, list[float]] = {"deg": [], "lengths": [], "s": []}
    free = [rep for rep in full["reps"] if rep["complete"]]
    for rep in (r for r in reduced["reps"] if r["complete"]):
        if not free:
            break
        nearest = min(free, key=lambda other: abs(other["peak_s"] - rep["peak_s"]))
        if abs(nearest["peak_s"] - rep["peak_s"]) > 1.0:
            continue
        free.remove(nearest)
        for rule, (status, value, unit) in rep["rules"].items():
            if rule not in nearest["rules"]:
                continue
            full_status, full_value, _ = nearest["rules"][rule]
            if "not_judged" in status or "not_judged" in full_status:
                continue
            judged += 1
            same += status == full_status
            if unit != "ratio":
                errors[KINDS.get(unit, "lengths")].append(abs(value - full_value))
    return same, judged, errors


def table(results: Path) -> list[str]:
    rows = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    rows = [row for row in rows if "error" not in row]
    by_clip: dict[tuple[str, str], dict] = {}
    for row in rows:
        by_clip.setdefault((row["set"], row["clip"]), {})[row["rate"]] = row
    lines = [
        "| clips | rate | frames | counts exact | same count as full rate | verdict agreement "
        "| metric error, median: deg | lengths | s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for group in ("real", "studio"):
        for rate in sorted({row["rate"] or 1000 for row in rows}, reverse=True):
            rate = None if rate == 1000 else rate
            clip_rows = [
                (rates[None], rates[rate])
                for (g, _), rates in by_clip.items()
                if g == group and None in rates and rate in rates
            ]
            if not clip_rows:
                continue
            exact = sum(sum(r["complete"] for r in red["reps"]) == red["labelled"] for _, red in clip_rows)
            same_count = sum(
                sum(r["complete"] for r in red["reps"]) == sum(r["complete"] for r in full["reps"])
                for full, red in clip_rows
            )
            same = judged = 0
            errors: dict[str, list[float]] = {"deg": [], "lengths": [], "s": []}
            for full, red in clip_rows:
                alike, both, found = compare(full, red)
                same, judged = same + alike, judged + both
                for kind, values in found.items():
                    errors[kind] += values
            medians = [
                statistics.median(errors[k]) if errors[k] else float("nan") for k in ("deg", "lengths", "s")
            ]
            frames = sum(red["frames"] for _, red in clip_rows)
            n = len(clip_rows)
            lines.append(
                f"| {group} ({n}) | {'full' if rate is None else f'≤ {rate:g}/s'} | {frames} | {exact}/{n} "
                f"| {same_count}/{n} | {same}/{judged} ({same / max(judged, 1):.1%}) "
                f"| {medians[0]:.2f} | {medians[1]:.3f} | {medians[2]:.2f} |"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", nargs="*", type=float, default=[15.0, 10.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("real", "studio"))
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--markdown", action="store_true", help="print the table of --results and stop")
    args = parser.parse_args()
    if args.markdown:
        print("\n".join(table(args.results)))
        return
    args.results.parent.mkdir(parents=True, exist_ok=True)
    done = set()
    if args.results.exists():
        done = {
            (row["set"], row["clip"], row["rate"])
            for row in map(json.loads, args.results.read_text().splitlines())
        }
    found = clips(args.only)
    if not found:
        raise SystemExit("no labelled clip with its video here (../shared/clips absent, samples/ missing?)")
    for group, label_file, video in found:
        for rate in [None, *args.rates]:
            key = (group, str(video.relative_to(video.parents[1])), rate)
            if key in done:
                continue
            try:
                row = {"set": group, **measure(label_file, video, rate, args.workers)}
            except FormcheckError as error:  # e.g. nobody found: the clip says nothing about rates
                row = {"set": group, "clip": key[1], "rate": rate, "error": str(error)}
                with args.results.open("a") as handle:
                    handle.write(json.dumps(row) + "\n")
                print(f"skipped {key[1]} at rate {rate}: {error}")
                continue
            with args.results.open("a") as handle:
                handle.write(json.dumps(row) + "\n")
            complete = sum(r["complete"] for r in row["reps"])
            print(f"{group} {row['clip']} rate {rate}: {complete} complete reps, labelled {row['labelled']}")
    print("\n".join(table(args.results)))


if __name__ == "__main__":
    main()
