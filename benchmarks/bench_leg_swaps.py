"""How often MediaPipe swaps the legs, before and after `formcheck.pose.legs`, on studio ground truth.

Clips: the side-on hinge, split squat, squat and march samples of ``samples/studio/`` (their
``*.truth.npz`` hold the exact landmarks), plus renders of other bodies and camera placements
(``RENDERS``, made with the sample studio into ``--out`` if absent). Each clip's pose is
extracted with the bundled model as ``formcheck extract`` does, without the leg correction, and
corrected afterwards with `keep_leg_identity` — frame by frame, as live mode does. Renders and
raw tracks are kept in ``--out``, so an interrupted run resumes and a re-run only measures.

A frame counts where the person is found and the true legs stand apart in the picture (mean
knee and ankle distance between the two legs over ``APART_PX``, about four times the model's
median landmark error): where the legs overlap, a swap changes nothing and cannot be told. It
is *swapped* when the left/right assignment of the detected knees and ankles nearest the true
ones is the crossed one; reported over all such frames and over those inside the true reps
(what the rules judge). Results go to ``--out``/leg_swaps.jsonl as each clip is measured; the
tables are printed as Markdown.

    nice -n 10 .venv/bin/python benchmarks/bench_leg_swaps.py [--out DIR] [--tables FILE]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from formcheck.core.landmarks import Landmark as L
from formcheck.core.track import PoseTrack
from formcheck.io.track_files import load_npz, save_npz
from formcheck.pose.legs import keep_leg_identity
from formcheck.pose.tracking import track_from_video
from formcheck.studio.description import REFERENCE_BODIES, ClipDescription
from formcheck.studio.truth import read_truth, truth_azimuth, truth_paths

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "studio"
SAMPLE_CLIPS = (
    "hip_hinge_clean",
    "hip_hinge_hinge_depth",
    "hip_hinge_knee_over_toes",
    "split_squat_clean",
    "split_squat_knee_over_toes",
    "split_squat_knee_tracking",
    "squat_clean",
    "squat_knee_tracking",
    "hip_flexor_march_clean",
    "hip_flexor_march_height",
)
_COMMON = {"reps": 2, "fps": 15.0, "seed": 1}
_MAN, _OLDER = REFERENCE_BODIES["man"], REFERENCE_BODIES["older"]
RENDERS: dict[str, dict] = {
    "hinge_man_right_75": {"exercise": "hip_hinge", "side": "right", "azimuth": -75.0, "body": _MAN},
    "hinge_older_105_high": {"exercise": "hip_hinge", "azimuth": 105.0, "height": 1.5, "body": _OLDER},
    "split_man_100_near": {"exercise": "split_squat", "azimuth": 100.0, "distance": 2.6, "body": _MAN},
    "split_older_right_80": {"exercise": "split_squat", "side": "right", "azimuth": -80.0, "body": _OLDER},
    "squat_man_75": {"exercise": "squat", "side": "both", "azimuth": 75.0, "body": _MAN},
    "march_older_right": {
        "exercise": "hip_flexor_march",
        "side": "both",
        "azimuth": -90.0,
        "distance": 2.6,
        "body": _OLDER,
    },
}
"""Extra clips: name -> `ClipDescription` settings (with ``_COMMON``): other bodies, the other
side, 10-15 degrees off side-on, nearer, higher."""
APART_PX = 15.0
LEFT, RIGHT = [L.LEFT_KNEE, L.LEFT_ANKLE], [L.RIGHT_KNEE, L.RIGHT_ANKLE]


def swapped_frames(detected: PoseTrack, truth: PoseTrack) -> tuple[np.ndarray, np.ndarray]:
    """(counted, swapped): (N,) bools, the frames that count and those whose legs are swapped."""
    scale = np.array(truth.image_size, dtype=np.float64)

    def distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.linalg.norm((a - b) * scale, axis=2).sum(axis=1)

    d, t = detected.image_xy, truth.image_xy
    straight = distance(d[:, LEFT], t[:, LEFT]) + distance(d[:, RIGHT], t[:, RIGHT])
    crossed = distance(d[:, LEFT], t[:, RIGHT]) + distance(d[:, RIGHT], t[:, LEFT])
    apart = np.linalg.norm((t[:, LEFT] - t[:, RIGHT]) * scale, axis=2).mean(axis=1) > APART_PX
    counted = apart & detected.person_found
    return counted, counted & (crossed < straight)


def clip_paths(name: str, out: Path) -> Path:
    """The video of clip ``name``: a sample, or a render in ``out`` (made now if absent)."""
    if name in SAMPLE_CLIPS:
        return SAMPLES / f"{name}.mp4"
    video = out / f"{name}.mp4"
    if not truth_paths(video)[1].exists():
        from formcheck.studio.clip import render_clip

        print(f"rendering {name}", flush=True)
        render_clip(ClipDescription(**_COMMON, **RENDERS[name]), video)
    return video


def measure(name: str, out: Path) -> dict:
    video = clip_paths(name, out)
    truth_json, truth_npz = truth_paths(video)
    document = read_truth(truth_json)
    raw_path = out / f"{name}.raw.npz"
    if raw_path.exists():
        raw = load_npz(raw_path)
    else:
        raw = track_from_video(video, leg_identity=False)[0]
        save_npz(raw, raw_path)
    truth = load_npz(truth_npz)
    counted, before = swapped_frames(raw, truth)
    _, after = swapped_frames(keep_leg_identity(raw), truth)
    in_rep = np.zeros(len(truth), dtype=bool)
    for rep in document["reps"]:
        in_rep |= (truth.t >= rep["start_s"]) & (truth.t <= rep["end_s"])
    return {
        "clip": name,
        "exercise": document["exercise"],
        "body": document["description"].get("body", {}),
        "azimuth_deg": truth_azimuth(document),
        "frames": len(truth),
        "counted": int(counted.sum()),
        "swapped_before": int(before.sum()),
        "swapped_after": int(after.sum()),
        "counted_in_reps": int((counted & in_rep).sum()),
        "swapped_before_in_reps": int((before & in_rep).sum()),
        "swapped_after_in_reps": int((after & in_rep).sum()),
    }


def tables(results: list[dict]) -> str:
    def share(r: dict, key: str, suffix: str = "") -> str:
        return f"{r[key + suffix] / max(r['counted' + suffix], 1):.1%}"

    lines = [
        "| clip | exercise | body | azimuth | frames counted | swapped before | after "
        "| in reps: before | after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    keys = ("counted", "swapped_before", "swapped_after")
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in results:
        body = " ".join(f"{k}={v:g}" for k, v in r["body"].items()) or "default"
        lines.append(
            f"| {r['clip']} | {r['exercise']} | {body} | {r['azimuth_deg']:g} | {r['counted']}/{r['frames']} "
            f"| {share(r, 'swapped_before')} | {share(r, 'swapped_after')} "
            f"| {share(r, 'swapped_before', '_in_reps')} | {share(r, 'swapped_after', '_in_reps')} |"
        )
        for group in (r["exercise"], "all"):
            for key in keys:
                totals[group][key] += r[key]
                totals[group][key + "_in_reps"] += r[key + "_in_reps"]
    lines += [
        "",
        "| exercise | frames counted | swapped before | after | in reps: before | after |",
        "|---|---|---|---|---|---|",
    ]
    for group, t in sorted(totals.items(), key=lambda item: item[0] == "all"):
        lines.append(
            f"| {group} | {t['counted']} | {share(t, 'swapped_before')} | {share(t, 'swapped_after')} "
            f"| {share(t, 'swapped_before', '_in_reps')} | {share(t, 'swapped_after', '_in_reps')} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench_legs")
    parser.add_argument("--tables", type=Path, help="Reprint the tables of a results file and exit.")
    args = parser.parse_args()
    if args.tables:
        print(tables([json.loads(line) for line in args.tables.read_text().splitlines()]))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    results_path = args.out / "leg_swaps.jsonl"
    results_path.write_text("")
    results = []
    for name in (*SAMPLE_CLIPS, *RENDERS):
        result = measure(name, args.out)
        results.append(result)
        with results_path.open("a") as handle:
            handle.write(json.dumps(result) + "\n")
        print(f"{name}: {result['swapped_before']} -> {result['swapped_after']} swapped", flush=True)
    print(tables(results))


if __name__ == "__main__":
    main()
