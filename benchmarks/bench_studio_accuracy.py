"""End-to-end accuracy on studio clips: render -> MediaPipe -> exercise engine, against ground truth.

For a grid of exercises x faults x views x bodies, each clip is rendered by the sample studio,
its pose extracted with the bundled MediaPipe model exactly as `formcheck extract` does, and
analysed as `formcheck analyze` does. Reported per exercise and rule:

- rep count exactness (share of clips whose complete reps equal the true reps),
- fault precision and recall (a rep's rule failed vs the fault injected into that rep),
- metric error (rule value from MediaPipe's landmarks minus the value the engine measures on
  the exact landmarks of the rendered body),
- MediaPipe's landmark error against the projected joints (12 limb joints, pixels at 640x480,
  each frame in its better left/right labelling, since side-on the legs are often swapped).

Exercises without rules in the engine yet get the landmark error only. Each clip's result is
appended to a JSON-lines file as it finishes (an interruption keeps what was done), and a run
resumes after the clips already in its folder (``--fresh`` starts over); the tables are printed
as Markdown at the end, with false alarms per 100 clean reps and the detection rate by fault size.
``--headline`` runs the headline rules' grid (`headline_grid`: 3 bodies x 3 camera placements x
clean and each headline fault at two sizes, 4 reps a clip; 225 clips, hours on 2 cores) into
``benchmarks/results/headline_grid/``, which is committed so that a later session goes on from it;
``--headline --angles 30 45`` the same grid with the camera turned 30 and 45 degrees from each
view instead (`headline_angle_grid`, every rule judged from every view, into
``benchmarks/results/headline_angles/``).
The default grid takes about 20 minutes on 2 cores; ``--quick`` renders one clip per exercise.
``--samples FOLDER ...`` measures the renders committed there (``samples/studio``,
``samples/tune``: no studio extra needed) instead of rendering new ones.

``--write-errors`` writes the measured metric errors (median |MediaPipe - exact| per exercise,
rule and the view the engine saw) as the package's error table,
``formcheck/exercises/measured/metric_errors.toml``, which makes verdicts within them
``borderline`` (design.md §8).

    .venv/bin/python benchmarks/bench_studio_accuracy.py [--quick | --headline] [--out DIR] [--fresh]
    .venv/bin/python benchmarks/bench_studio_accuracy.py --samples samples/studio samples/tune --write-errors
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import tomlkit
from bench_leg_swaps import swapped_frames

from formcheck.analysis.body import VIEWS
from formcheck.analysis.exercise import Exercise
from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.reps import REASON_NOT_DEEP
from formcheck.analysis.turning import turn_needed
from formcheck.core.landmarks import MIRROR_ORDER
from formcheck.core.landmarks import Landmark as L
from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.exercises import EXERCISES, configured, get_exercise
from formcheck.exercises.measured import ENVELOPES_PATH, ERRORS_PATH
from formcheck.exercises.thresholds import Thresholds
from formcheck.io.atomic import write_text
from formcheck.io.track_files import load_npz, save_npz
from formcheck.pose.legs import keep_leg_identity
from formcheck.pose.model import PoseModel, load_model
from formcheck.pose.tracking import track_from_video
from formcheck.studio.description import REFERENCE_BODIES, ClipDescription
from formcheck.studio.truth import read_truth
from formcheck.synth.camera import view_azimuth
from formcheck.synth.motions import MOTIONS, motion_module

# Headline faults per exercise, each well past its rule's default threshold.
FAULTS: dict[str, list[dict[str, float]]] = {
    "hip_hinge": [{"hinge_depth": 30.0}, {"knee_over_toes": 0.15}, {"knee_quiet": 25.0}],
    "clamshell": [{"pelvis_still": 20.0}, {"heels_together": 1.0}],
    "split_squat": [{"knee_over_toes": 0.2}, {"depth": 30.0}],
    "squat": [{"depth": 35.0}, {"knee_over_toes": 0.2}],
    "glute_bridge": [{"pelvis_drop": 15.0}, {"hip_extension": 25.0}],
    "hip_flexor_march": [{"march_height": 30.0}],
    "band_walk": [{"knee_valgus": 15.0}],
    "mountain_climber": [{"hips_pike": 15.0}, {"hips_sag": 10.0}],
    "hip_internal_rotation": [{"knees_apart": 12.0}],
}
# Faults judged from another view than the exercise's own: rendered from there, with a clean twin.
FAULT_VIEWS = {"knee_tracking": "front"}
SETTINGS: dict[str, dict] = {
    "clamshell": {"distance": 2.6},
    "glute_bridge": {"distance": 2.6},
    "hip_flexor_march": {"distance": 2.6, "side": "both"},
    "mountain_climber": {"distance": 2.6, "side": "both"},
    # High beyond the feet, looking down: from lower the knees cannot be placed (not judged).
    "hip_internal_rotation": {"distance": 1.0, "height": 2.6, "side": "both"},
    "squat": {"side": "both"},
}

HEADLINE_FAULTS: dict[str, dict[str, tuple[float, float]]] = {
    # Two sizes each, both past the rule's threshold where a physiotherapist would call it: trunk
    # lean 40 and 30 deg against the 45 deg depth; knee bend gained 0.6-0.9 of the hip bend (a
    # squatted hinge) against 0.5; knees 0.1-0.3 shin lengths past the toes; valgus of 20-30 deg
    # (at 10 the rendered knee of a squat sits on its hip-ankle line, 0.02 shin lengths inside
    # the clean one: no caving a physiotherapist would call, and the split squat's sits on the
    # 0.1 threshold); the pelvis rolling 15-30 deg against 10; a band walk's hips turning in 15-25
    # deg (knees caving against the band).
    "hip_hinge": {"hinge_depth": (30.0, 40.0), "knee_quiet": (40.0, 60.0), "knee_over_toes": (0.1, 0.2)},
    "squat": {"knee_over_toes": (0.15, 0.3), "knee_tracking": (20.0, 30.0)},
    "split_squat": {"knee_over_toes": (0.15, 0.3), "knee_tracking": (20.0, 30.0)},
    "clamshell": {"pelvis_still": (15.0, 30.0)},
    "band_walk": {"knee_valgus": (15.0, 25.0)},
}
"""The headline grid's faults (`--headline`) and their sizes, in the units of each motion's FAULTS."""
PLACEMENTS: dict[str, dict[str, float]] = {
    "ideal": {},
    "near_high": {"distance_scale": 0.8, "height_up": 0.5},
    "turned": {"azimuth_off": 12.0},
}
"""Camera placements of the headline grid: the exercise's own, a fifth nearer and 0.5 m higher,
and 12 degrees round from the ideal view towards the other one."""
HEADLINE_REPS = 4
LIMB_JOINTS = [
    L[f"{side}_{name}"]
    for side in ("LEFT", "RIGHT")
    for name in ("SHOULDER", "ELBOW", "WRIST", "HIP", "KNEE", "ANKLE")
]


def grid(quick: bool, exercises: tuple[str, ...]) -> list[ClipDescription]:
    clips = []
    for exercise in exercises:
        base = {"exercise": exercise, "reps": 2, **SETTINGS.get(exercise, {})}
        cases = [{}] if quick else [{}, *FAULTS[exercise]]
        clips += [ClipDescription(**base, faults=faults) for faults in cases]
        if not quick:
            for fault in [name for name in motion_module(exercise).FAULTS if name in FAULT_VIEWS]:
                view = FAULT_VIEWS[fault]
                clips.append(ClipDescription(**base, view=view))
                clips.append(ClipDescription(**base, view=view, faults={fault: 15.0}))
            clips.append(ClipDescription(**base, body=REFERENCE_BODIES["man"]))
            clips.append(ClipDescription(**base, view="oblique"))
    return clips


def placed(base: dict, view_azimuth_deg: float, placement: dict[str, float]) -> dict:
    """``base`` clip settings with the camera at ``view_azimuth_deg`` moved as ``placement`` says
    (`PLACEMENTS`): turned towards the front from a side view, towards the side from the front."""
    settings = {**base, "azimuth": view_azimuth_deg}
    defaults = ClipDescription(exercise=base["exercise"])
    if "distance_scale" in placement:
        settings["distance"] = base.get("distance", defaults.distance) * placement["distance_scale"]
    if "height_up" in placement:
        settings["height"] = base.get("height", defaults.height) + placement["height_up"]
    if "azimuth_off" in placement:
        # Side-on (beyond 45 deg) turns back towards 0, front-on out towards 90.
        away_from_zero = 1.0 if abs(view_azimuth_deg) <= 45.0 else -1.0
        side = 1.0 if view_azimuth_deg >= 0 else -1.0
        settings["azimuth"] = view_azimuth_deg + side * away_from_zero * placement["azimuth_off"]
    return settings


def headline_grid(placements: Iterable[dict[str, float]] = PLACEMENTS.values()) -> list[ClipDescription]:
    """The headline rules' grid: 3 bodies x ``placements`` (`PLACEMENTS`) x each exercise clean
    and with each headline fault at two sizes, `HEADLINE_REPS` reps a clip; a fault judged from
    another view (`FAULT_VIEWS`) is filmed from there with its own clean twin."""
    clips = []
    for body in REFERENCE_BODIES.values():
        for placement in placements:
            for exercise, faults in HEADLINE_FAULTS.items():
                own = motion_module(exercise).VIEW
                base = {
                    **SETTINGS.get(exercise, {}),
                    "exercise": exercise,
                    "reps": HEADLINE_REPS,
                    "body": body,
                }
                working = (
                    base.get("side", "left") if base.get("side", "left") in ("left", "right") else "left"
                )
                fault_views = {fault: FAULT_VIEWS.get(fault, own) for fault in faults}
                for view in sorted({own, *fault_views.values()}):
                    settings = placed(base, view_azimuth(view, working), placement)
                    clips.append(ClipDescription(**settings))
                    for fault, sizes in faults.items():
                        if fault_views[fault] == view:
                            clips += [ClipDescription(**settings, faults={fault: size}) for size in sizes]
    return clips


def headline_angle_grid(offsets: list[float]) -> list[ClipDescription]:
    """The headline grid with the camera turned ``offsets`` degrees from each view instead of the
    three placements (``--headline --angles 30 45``): side-on towards the front, front-on towards
    the side. With the headline grid's own 0 and 12 degrees it makes the per-angle table of the
    headline rules over 3 bodies and both fault sizes."""
    return headline_grid([{"azimuth_off": offset} for offset in offsets])


ANGLE_EXERCISES = ("squat", "hip_hinge", "split_squat")
"""The exercises of the per-angle grid (``--angles``), headline side-on rules first."""


def angle_grid(offsets: list[float], exercises: tuple[str, ...]) -> list[ClipDescription]:
    """Each exercise clean and with each headline fault, filmed ``offsets`` degrees round from
    its own view towards the front (side-on 90 -> 60 at 30), and each front-on fault's pair
    (clean, faulty) from the front turned the same amounts towards the side."""
    clips = []
    for exercise in exercises:
        base = {"exercise": exercise, "reps": 2, **SETTINGS.get(exercise, {})}
        working = base.get("side", "left") if base.get("side", "left") in ("left", "right") else "left"
        own = view_azimuth(motion_module(exercise).VIEW, working)
        for offset in offsets:
            towards_front = own - offset if own > 0 else own + offset
            for faults in [{}, *FAULTS[exercise]]:
                clips.append(ClipDescription(**base, faults=faults, azimuth=towards_front))
            for fault in [name for name in motion_module(exercise).FAULTS if name in FAULT_VIEWS]:
                front = view_azimuth(FAULT_VIEWS[fault], working) + offset
                clips.append(ClipDescription(**base, azimuth=front))
                clips.append(ClipDescription(**base, azimuth=front, faults={fault: 15.0}))
    return clips


def every_view(exercise: Exercise) -> Exercise:
    """``exercise`` with every rule judged from every view: what each rule would say at any
    angle, so the per-angle grid measures where its verdicts hold rather than where they are allowed."""
    views = tuple(view for view in VIEWS if view != "unknown")
    return replace(exercise, rules=tuple(replace(rule, views=views) for rule in exercise.rules))


def extract(video: Path, model: PoseModel) -> PoseTrack | None:
    """The clip's raw pose track, as `formcheck extract` makes it before the legs are named (a
    fresh detector per clip: MediaPipe's tracking and landmark smoothing run on each clip's own
    clock); None if nobody is found. `measure` names the legs, so a cached track measures a
    later change to leg identity too."""
    try:
        return track_from_video(video, model, leg_identity=False)[0]
    except FormcheckError:
        return None


def landmark_errors(detected: PoseTrack, truth: PoseTrack) -> tuple[np.ndarray, float, float]:
    """Per-frame mean limb-joint error in pixels (better labelling), detection rate, swapped share."""
    scale = np.array(truth.image_size, dtype=np.float64)
    errors, swapped = [], 0
    found = detected.person_found
    for i in np.flatnonzero(found):
        true_xy = truth.image_xy[i, LIMB_JOINTS]
        straight = np.linalg.norm((detected.image_xy[i, LIMB_JOINTS] - true_xy) * scale, axis=1)
        mirrored_xy = detected.image_xy[i][list(MIRROR_ORDER)]
        mirrored = np.linalg.norm((mirrored_xy[LIMB_JOINTS] - true_xy) * scale, axis=1)
        swapped += mirrored.mean() < straight.mean()
        errors.append(min(straight.mean(), mirrored.mean()))
    return np.array(errors), float(found.mean()), swapped / max(int(found.sum()), 1)


def _matching(reps: list, true_rep: dict):
    """The counted rep whose peak falls within ``true_rep`` (half a second either side), or None."""
    match = [rep for rep in reps if true_rep["start_s"] - 0.5 <= rep.peak_s <= true_rep["end_s"] + 0.5]
    return match[0] if match else None


DEPTH_RULES = {"hip_hinge": "hinge_depth", "squat": "depth", "split_squat": "depth"}
"""The rule whose fault a rep left partial as "not deep enough" shows: the engine tells the person
the rep was too shallow instead of judging it, so for scoring that partial rep is the rule failed."""


def judge(
    description: ClipDescription, detected: PoseTrack, truth: dict, exact: PoseTrack, all_views: bool = False
) -> dict:
    """Rep count and per-rule verdicts/values of the analysed clip, matched to the true reps.

    The true value of a rule is what today's engine measures on the ``exact`` landmarks of the
    rendered body (not the value the truth file recorded at render time, which a later change
    to the rule's metric would leave stale)."""
    side = description.side if description.side in ("left", "right") else None
    exercise, thresholds = configured(description.exercise)
    if all_views:
        exercise = every_view(exercise)
    report, _ = analyze_track(detected, exercise, thresholds, side=side)
    exact_report, _ = analyze_track(exact, exercise, thresholds, side=side)
    complete = [rep for rep in report.reps if rep.complete]
    exact_complete = [rep for rep in exact_report.reps if rep.complete]
    partial = [rep for rep in report.reps if not rep.complete and rep.reason == REASON_NOT_DEEP]
    exact_partial = [rep for rep in exact_report.reps if not rep.complete and rep.reason == REASON_NOT_DEEP]
    rules = {}
    depth_rule = DEPTH_RULES.get(description.exercise)
    for true_rep in truth["reps"]:
        match = _matching(complete, true_rep)
        shallow = _matching(partial, true_rep) if match is None else None
        exact_rep = _matching(exact_complete, true_rep) or _matching(exact_partial, true_rep)
        exact_values = {
            rule.id: rule.value
            for rule in (exact_rep.rules if exact_rep else ())
            if rule.status != "not_judged" and np.isfinite(rule.value)
        }
        # A rep cut short ("not deep enough") is still shown with its other rules' verdicts (the
        # knees caving on a shallow squat are called too): they count like a complete rep's.
        judged = match or shallow
        for rule in judged.rules if judged else ():
            if match is None and rule.id == depth_rule:
                continue
            entry = rules.setdefault(rule.id, [])
            true_value = exact_values.get(rule.id)
            entry.append(
                {
                    "fault": rule.id in true_rep["faults"],
                    "status": rule.status,
                    "value": rule.value,
                    "true_value": true_value,
                    "view": judged.view,
                    "borderline": rule.borderline,
                }
            )
        if depth_rule and shallow is not None:
            # The person hears "not deep enough" for this rep: the depth rule's red light.
            rules.setdefault(depth_rule, []).append(
                {
                    "fault": depth_rule in true_rep["faults"],
                    "status": "failed",
                    "value": None,
                    "true_value": None,
                    "view": shallow.view,
                    "partial": True,
                    # The exact landmarks' rep too: the rendered body did stop short.
                    "exact_partial": _matching(exact_partial, true_rep) is not None,
                }
            )
    return {"reps_found": len(complete), "reps_true": len(truth["reps"]), "rules": rules}


@dataclass(frozen=True)
class StudioClip:
    """A rendered clip with its ground truth: the video, its truth file and exact-landmark track."""

    description: ClipDescription
    video: Path
    truth_json: Path
    truth_track: Path


def rendered(descriptions: list[ClipDescription]) -> Iterator[StudioClip]:
    """Each clip rendered by the studio into a temporary folder, removed once it is measured."""
    # Imported here: rendering needs the studio extra (torch, pyrender), --samples does not.
    from formcheck.studio.clip import render_clip

    for description in descriptions:
        with tempfile.TemporaryDirectory() as folder:
            clip = render_clip(description, Path(folder) / "clip.mp4")
            yield StudioClip(description, clip.video, clip.truth_json, clip.truth_track)


def committed(folders: list[Path]) -> list[StudioClip]:
    """The studio renders committed under ``folders`` (every ``*.truth.json`` with its video)."""
    clips = []
    for truth_json in sorted(path for folder in folders for path in folder.rglob("*.truth.json")):
        truth = read_truth(truth_json)
        description = ClipDescription.from_dict(truth["description"], source=str(truth_json))
        clips.append(
            StudioClip(
                description,
                truth_json.with_name(truth["video"]),
                truth_json,
                truth_json.with_name(truth["track"]),
            )
        )
    return clips


RESULTS_FILE = "studio_accuracy.jsonl"
DEFAULT_OUT = Path("out/bench_studio")
# Committed, so that the long headline grid resumes in a later session on another machine.
HEADLINE_OUT = Path(__file__).resolve().parent / "results" / "headline_grid"
HEADLINE_ANGLES_OUT = HEADLINE_OUT.parent / "headline_angles"


def measured_before(out: Path) -> list[dict]:
    """The results already appended in ``out`` (a run resumes after them), in order."""
    path = out / RESULTS_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def still_to_measure(descriptions: list[ClipDescription], before: list[dict]) -> list[ClipDescription]:
    """``descriptions`` without those measured before (same description, same order)."""
    done = {_key(result["description"]) for result in before}
    return [d for d in descriptions if _key(d.to_dict()) not in done]


def _key(description: dict) -> str:
    """A clip description as one comparable string."""
    return json.dumps(description, sort_keys=True)


TRACK_CACHE = Path("out/bench_studio/tracks")
"""Where each measured clip's tracks are kept by default (``--tracks``): MediaPipe's raw track,
the exact landmarks' and the truth file, one folder per clip description, so that ``--rejudge``
measures a change to the rules or to leg identity on every clip again in seconds instead of
rendering and extracting it again. Not committed."""


def cached(description: ClipDescription, tracks: Path) -> Path:
    """The folder under ``tracks`` (`TRACK_CACHE`) of the clip ``description``."""
    key = hashlib.sha1(_key(description.to_dict()).encode()).hexdigest()[:16]
    return tracks / key


def measure(
    description: ClipDescription,
    truth: dict,
    true_track: PoseTrack,
    raw: PoseTrack | None,
    all_views: bool,
) -> dict:
    """The result line of one clip from its ``raw`` pose track (`extract`): MediaPipe's landmark
    error, and the engine's reps and verdicts."""
    result: dict = {"description": description.to_dict()}
    detected = keep_leg_identity(raw) if raw is not None else None
    if detected is None:
        result.update(landmark_error_px=None, detection_rate=0.0, swapped_share=0.0)
        if description.exercise in EXERCISES:
            result.update(reps_found=0, reps_true=len(truth["reps"]), rules={})
        return result
    errors, detection_rate, swapped = landmark_errors(detected, true_track)
    legs_counted, legs_swapped = swapped_frames(detected, true_track)
    result.update(
        landmark_error_px=float(np.median(errors)) if len(errors) else None,
        detection_rate=detection_rate,
        swapped_share=swapped,
        # The legs alone (bench_leg_swaps.py's measure), over the frames where they stand apart.
        legs_counted=int(legs_counted.sum()),
        legs_swapped=int(legs_swapped.sum()),
    )
    if description.exercise in EXERCISES:
        result.update(judge(description, detected, truth, true_track, all_views))
    return result


def run(
    clips: Iterable[StudioClip], count: int, out: Path, all_views: bool = False, tracks: Path = TRACK_CACHE
) -> list[dict]:
    results_path = out / RESULTS_FILE
    results = []
    model = load_model()
    for number, clip in enumerate(clips, 1):
        description = clip.description
        truth = read_truth(clip.truth_json)
        true_track = load_npz(clip.truth_track)
        raw = extract(clip.video, model)
        folder = cached(description, tracks)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(clip.truth_json, folder / "truth.json")
        shutil.copyfile(clip.truth_track, folder / "exact.npz")
        if raw is not None:
            save_npz(raw, folder / "raw.npz")
        result = measure(description, truth, true_track, raw, all_views)
        results.append(result)
        with results_path.open("a") as handle:
            handle.write(json.dumps(result) + "\n")
        faults = ",".join(description.faults) or "clean"
        error = result["landmark_error_px"]
        print(
            f"[{number}/{count}] {description.exercise} {faults} {description.camera_view}: "
            + (f"{error:.1f} px" if error is not None else "nobody found"),
            flush=True,
        )
    return results


def with_collateral_faults(results: list[dict]) -> list[dict]:
    """``results`` with every rule entry marked ``faulty``: the fault was injected into the rep, or
    another fault injected into the clip makes the body commit this one too, so the rule fails on
    the exact landmarks of the rendered body (a squatted hinge also keeps the hips from travelling
    back, and pushes the knees over the toes). On a clean clip only an injected fault counts, so a
    rule that fails a clean body's exact landmarks still counts as a false alarm."""
    defaults = Thresholds.defaults()
    marked = []
    for result in results:
        exercise = result["description"]["exercise"]
        injected = bool(result["description"]["faults"])
        rules = {}
        for rule_id, entries in result.get("rules", {}).items():
            spec = get_exercise(exercise).rule(rule_id)
            threshold = defaults.for_exercise(exercise).threshold(rule_id)
            rules[rule_id] = [
                {
                    **e,
                    "faulty": e["fault"] or (injected and _exact_fails(e, spec, threshold)),
                    "clean_clip": not injected,
                }
                for e in entries
            ]
        marked.append({**result, "rules": rules})
    return marked


def _exact_fails(entry: dict, spec, threshold: float) -> bool:
    """Whether the rule fails ``entry``'s rep on the exact landmarks of the rendered body (for the
    depth rules: the exact rep too was left partial as not deep enough)."""
    if entry.get("exact_partial", False):
        return True
    return _finite(entry["true_value"]) and bool(spec.fails(entry["true_value"], threshold))


def faulty_reps(result: dict, rule: str) -> int:
    """The reps of ``result`` faulty for ``rule`` (`with_collateral_faults`): every true rep of a
    clip the fault was injected into (a rep the engine did not count is missed), and each counted
    rep the clip's other faults made commit it."""
    if rule in result["description"]["faults"]:
        return result["reps_true"]
    return sum(e["faulty"] for e in result.get("rules", {}).get(rule, []))


def rejudge(out: Path, all_views: bool, tracks: Path = TRACK_CACHE) -> list[dict]:
    """Every result in ``out`` judged again by today's engine from the clip's tracks kept under
    ``tracks``, the results file rewritten; a clip not kept there keeps its old line (counted)."""
    before = measured_before(out)
    results, stale = [], 0
    for result in before:
        description = ClipDescription.from_dict(result["description"])
        folder = cached(description, tracks)
        if not (folder / "exact.npz").exists():
            results.append(result)
            stale += 1
            continue
        raw = load_npz(folder / "raw.npz") if (folder / "raw.npz").exists() else None
        truth = read_truth(folder / "truth.json")
        results.append(measure(description, truth, load_npz(folder / "exact.npz"), raw, all_views))
    write_text(out / RESULTS_FILE, "".join(json.dumps(result) + "\n" for result in results))
    print(f"{len(results) - stale} of {len(results)} clips judged again from {tracks}"
          + (f"; {stale} not cached kept as measured" if stale else ""), flush=True)  # fmt: skip
    return results


def tables(results: list[dict]) -> str:
    by_exercise: dict[str, list[dict]] = defaultdict(list)
    for result in results:
        by_exercise[result["description"]["exercise"]].append(result)
    lines = [
        "| exercise | clips | landmark error (px, median) | legs swapped | person found | reps exact |",
        "|---|---|---|---|---|---|",
    ]
    for exercise, items in by_exercise.items():
        counted = [r for r in items if "reps_found" in r]
        exact = sum(r["reps_found"] == r["reps_true"] for r in counted)
        seen = [r["landmark_error_px"] for r in items if r["landmark_error_px"] is not None]
        error = np.median(seen) if seen else float("nan")
        legs = [r for r in items if "legs_counted" in r]
        swapped = (
            sum(r["legs_swapped"] for r in legs) / max(sum(r["legs_counted"] for r in legs), 1)
            if legs
            else np.mean([r["swapped_share"] for r in items])
        )
        found = np.mean([r["detection_rate"] for r in items])
        reps = f"{exact}/{len(counted)}" if counted else "no rules yet"
        lines.append(f"| {exercise} | {len(items)} | {error:.1f} | {swapped:.0%} | {found:.0%} | {reps} |")
    lines += [
        "",
        "| exercise | rule | reps judged | false alarms | of them borderline | on clean clips "
        "| per 100 clean reps | faulty reps | precision | recall | recall on exact landmarks "
        "| not judged | metric error (median abs) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    defaults = Thresholds.defaults()
    by_exercise = {exercise: with_collateral_faults(items) for exercise, items in by_exercise.items()}
    for exercise, items in by_exercise.items():
        per_rule: dict[str, list[dict]] = defaultdict(list)
        for result in items:
            for rule, entries in result.get("rules", {}).items():
                per_rule[rule] += entries
        for rule, entries in per_rule.items():
            spec = get_exercise(exercise).rule(rule)
            threshold = defaults.for_exercise(exercise).threshold(rule)
            judged = [e for e in entries if e["status"] != "not_judged"]
            false_alarms = sum(e["status"] == "failed" and not e["faulty"] for e in judged)
            # Of them, those the engine marked borderline (amber, not red: design.md §8).
            amber = sum(
                e["status"] == "failed" and not e["faulty"] and e.get("borderline", False) for e in judged
            )
            # ... and those on clips with no fault injected at all.
            on_clean = sum(e["status"] == "failed" and e["clean_clip"] for e in judged)
            clean = sum(not e["faulty"] for e in judged)
            per_100 = f"{100 * false_alarms / clean:.0f}" if clean else "-"
            faulty = sum(faulty_reps(r, rule) for r in items)
            precision, recall = precision_recall(judged, faulty)
            exact_flags = sum(e["faulty"] and _exact_fails(e, spec, threshold) for e in entries)
            exact_recall = exact_flags / faulty if faulty else None
            error = median_error(entries)
            error = f"{error:.3g} {spec.unit}" if error is not None else "-"
            lines.append(
                f"| {exercise} | {rule} | {len(judged)} | {false_alarms} | {amber} | {on_clean} | {per_100} "
                f"| {faulty} | "
                f"{_fmt(precision)} | {_fmt(recall)} | {_fmt(exact_recall)} | {len(entries) - len(judged)} "
                f"| {error} |"
            )
    return "\n".join(lines + detection_by_size(by_exercise))


def detection_by_size(by_exercise: dict[str, list[dict]]) -> list[str]:
    """Markdown rows: per exercise, rule and injected fault size, the faulty reps (true reps of
    the clips with that fault) and how many of them the rule failed, so the smallest fault caught
    reliably can be read off; empty when no clip had a fault."""
    caught: dict[tuple[str, str, float], list[int]] = defaultdict(lambda: [0, 0])
    for exercise, items in by_exercise.items():
        for result in items:
            for rule, size in result["description"]["faults"].items():
                cell = caught[(exercise, rule, float(size))]
                cell[0] += result["reps_true"]
                cell[1] += sum(
                    e["fault"] and e["status"] == "failed" for e in result.get("rules", {}).get(rule, [])
                )
    if not caught:
        return []
    lines = [
        "",
        "| exercise | rule | fault size | faulty reps | caught | detection rate |",
        "|---|---|---|---|---|---|",
    ]
    for (exercise, rule, size), (faulty, found) in sorted(caught.items()):
        rate = f"{found / faulty:.2f}" if faulty else "-"
        lines.append(f"| {exercise} | {rule} | {size:g} | {faulty} | {found} | {rate} |")
    return lines


MIN_ERROR_REPS = 2
"""A view's error rests on at least this many reps; from a single rep it stays unknown."""


def angle_off_ideal(description: dict, rule_views: tuple[str, ...]) -> float:
    """Degrees the clip's camera stands from the nearest azimuth ideal for ``rule_views``."""
    turn = turn_needed(float(description["azimuth"]), rule_views)
    return abs(turn) if turn is not None else float("nan")


def angle_cells(results: list[dict]) -> tuple[dict, dict]:
    """(exercise, rule, angle off its view rounded to 5°) -> the rule's entries, and -> faulty reps."""
    cells: dict[tuple[str, str, float], list[dict]] = defaultdict(list)
    faulty: dict[tuple[str, str, float], int] = defaultdict(int)
    for result in with_collateral_faults(results):
        description = result["description"]
        if description.get("azimuth") is None:
            continue
        exercise = get_exercise(description["exercise"])
        for rule in exercise.rules:
            angle = round(angle_off_ideal(description, rule.views) / 5) * 5
            key = (exercise.name, rule.id, angle)
            cells[key] += result.get("rules", {}).get(rule.id, [])
            faulty[key] += faulty_reps(result, rule.id)
    return cells, faulty


def precision_recall(entries: list[dict], faulty: int) -> tuple[float | None, float | None]:
    """Precision of the rule's failed verdicts and recall of the ``faulty`` reps (None: no evidence)."""
    flagged = [e for e in entries if e["status"] == "failed"]
    hits = sum(e["faulty"] for e in flagged)
    return (hits / len(flagged) if flagged else None), (hits / faulty if faulty else None)


ENVELOPE_MIN = 0.9
"""Precision and recall a rule must keep at an angle to be judged there (issue: "≥ 0.9")."""
MAX_ENVELOPE_DEG = 45.0
"""No envelope reaches past half-way to the other view: beyond it the rule's view is the other one,
and a rule measured there only on clean reps would be trusted on too little."""


def envelopes(results: list[dict]) -> dict[str, dict[str, tuple[float, str]]]:
    """Exercise -> rule -> (largest angle off its view up to which the rule holds at every angle
    measured, the evidence in words). Where there are faulty reps, holding is precision and recall
    at least `ENVELOPE_MIN`; where there are only clean reps (a rule the grid injects no fault
    for), a metric error below the clean reps' own margin from the threshold (median, on the
    exact landmarks), so the camera's error cannot flip a clean verdict, and false alarms no more
    frequent than at the rule's own view (where another injected fault sets them off, as knees
    past the toes do `heels_down`'s, they are the rule's at every angle, not the angle's)."""
    cells, faulty = angle_cells(results)
    defaults = Thresholds.defaults()
    found: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
    for exercise, rule_id in sorted({(e, r) for e, r, _ in cells}):
        rule = get_exercise(exercise).rule(rule_id)
        threshold = defaults.for_exercise(exercise).threshold(rule_id)
        held, evidence, own_alarm_rate = None, [], None
        for angle in sorted(a for e, r, a in cells if (e, r) == (exercise, rule_id)):
            if angle > MAX_ENVELOPE_DEG:
                break
            entries = [e for e in cells[exercise, rule_id, angle] if e["status"] != "not_judged"]
            if faulty[exercise, rule_id, angle]:
                precision, recall = precision_recall(entries, faulty[exercise, rule_id, angle])
                evidence.append(f"{angle:.0f}°: P {_fmt(precision)} R {_fmt(recall)}")
                holds = (
                    precision is not None and recall is not None and min(precision, recall) >= ENVELOPE_MIN
                )
            else:
                clean = [
                    e for e in entries if not e["faulty"] and _finite(e["true_value"]) and _finite(e["value"])
                ]
                sign = 1.0 if rule.limit == "max" else -1.0
                margins = [sign * (threshold - e["true_value"]) for e in clean]
                margin = float(np.median(margins)) if clean else float("nan")
                error = (
                    np.median([abs(e["value"] - e["true_value"]) for e in clean]) if clean else float("nan")
                )
                alarms = sum(e["status"] == "failed" for e in entries)
                rate = alarms / len(entries) if entries else 0.0
                own_alarm_rate = rate if own_alarm_rate is None else own_alarm_rate
                evidence.append(
                    f"{angle:.0f}°: {alarms} false alarms in {len(entries)}, "
                    f"error {error:.3g} < margin {margin:.3g}"
                )
                holds = bool(clean) and rate <= own_alarm_rate and error < margin
            if not holds:
                evidence[-1] = evidence[-1].replace("<", "vs") + " (fails)"
                break
            held = angle
        if held:  # 0 would widen nothing beyond the views the rule names
            found[exercise][rule_id] = (held, "; ".join(evidence))
    return found


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def write_envelopes(results: list[dict], path: Path) -> None:
    """The view envelopes as the package's TOML, each with its per-angle evidence."""
    document = tomlkit.document()
    document.add(
        tomlkit.comment("Made by benchmarks/bench_studio_accuracy.py --write-envelopes; do not edit.")
    )
    document.add(tomlkit.comment("[exercise] rule = degrees off the rule's own view up to which its"))
    document.add(tomlkit.comment(f"precision and recall stayed >= {ENVELOPE_MIN} on the per-angle grid."))
    for exercise, rules in envelopes(results).items():
        section = tomlkit.table()
        for rule, (angle, evidence) in rules.items():
            section.add(rule, angle)
            section[rule].comment(evidence)
        document.add(exercise, section)
    write_text(path, tomlkit.dumps(document))


def angle_table(results: list[dict]) -> str:
    """Per rule and angle from the rule's own ideal view: reps judged, false alarms on clean reps,
    precision, recall and metric error, every rule judged from every view (`every_view`)."""
    cells, faulty = angle_cells(results)
    lines = [
        "| exercise | rule | angle off its view | reps judged | false alarms | faulty reps | precision "
        "| recall | metric error (median abs) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (exercise, rule, angle), entries in sorted(cells.items()):
        judged = [e for e in entries if e["status"] != "not_judged"]
        faults = faulty[exercise, rule, angle]
        precision, recall = precision_recall(judged, faults)
        false_alarms = sum(e["status"] == "failed" and not e["faulty"] for e in judged)
        error = median_error(entries)
        error = f"{error:.3g}" if error is not None else "-"
        lines.append(
            f"| {exercise} | {rule} | {angle:.0f}° | {len(judged)} | {false_alarms} | {faults} | "
            f"{_fmt(precision)} | {_fmt(recall)} | {error} |"
        )
    return "\n".join(lines)


def median_error(entries: list[dict]) -> float | None:
    """Median |MediaPipe - exact| of a rule's value over the entries measured both ways, or None."""
    differences = [
        abs(e["value"] - e["true_value"]) for e in entries if _finite(e["value"]) and _finite(e["true_value"])
    ]
    return float(np.median(differences)) if differences else None


def _finite(value: float | None) -> bool:
    """A measured number (JSON lines carry a rule not judged as null or NaN)."""
    return value is not None and bool(np.isfinite(value))


def error_table(results: list[dict]) -> dict[str, dict[str, dict[str, tuple[float, int]]]]:
    """Exercise -> rule -> view -> (median |MediaPipe - exact| of the rule's value, reps it is
    from), over every judged rep whose exact value is known."""
    differences: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for result in results:
        exercise = result["description"]["exercise"]
        for rule, entries in result.get("rules", {}).items():
            for e in entries:
                if _finite(e["value"]) and _finite(e["true_value"]) and e.get("view"):
                    differences[exercise, rule, e["view"]].append(abs(e["value"] - e["true_value"]))
    table: dict[str, dict[str, dict[str, tuple[float, int]]]] = defaultdict(lambda: defaultdict(dict))
    for (exercise, rule, view), values in sorted(differences.items()):
        if len(values) >= MIN_ERROR_REPS:
            table[exercise][rule][view] = (float(np.median(values)), len(values))
    return table


def write_errors(results: list[dict], path: Path) -> None:
    """The error table as the package's TOML, each value with the reps it is measured on. Rows
    (exercise, rule, view) these results measure replace the table's; the others stay as they
    were, so a run of part of the catalogue (the headline grid) updates that part only."""
    if path.exists():
        document = tomlkit.parse(path.read_text())
    else:
        document = tomlkit.document()
        document.add(
            tomlkit.comment("Made by benchmarks/bench_studio_accuracy.py --write-errors; do not edit.")
        )
        document.add(tomlkit.comment("[exercise.rule] view = median |MediaPipe - exact| of the rule's value"))
        document.add(tomlkit.comment("(in the rule's unit) over the studio reps judged from that view."))
    for exercise, rules in error_table(results).items():
        if exercise not in document:
            document.add(exercise, tomlkit.table(is_super_table=True))
        for rule, views in rules.items():
            if rule not in document[exercise]:
                document[exercise].add(rule, tomlkit.table())
            entry = document[exercise][rule]
            for view, (error, reps) in views.items():
                entry[view] = round(error, 4)
                entry[view].comment(f"{reps} reps")
    write_text(path, tomlkit.dumps(document))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one clean clip per exercise")
    parser.add_argument("--exercises", nargs="+", choices=MOTIONS, default=MOTIONS, help="default: all")
    parser.add_argument(
        "--tables", type=Path, nargs="+", help="only print the tables of earlier runs' JSON lines"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"folder for the JSON lines (default {DEFAULT_OUT}; {HEADLINE_OUT} with --headline, "
        f"{HEADLINE_ANGLES_OUT} with --headline --angles)",
    )
    parser.add_argument(
        "--headline",
        action="store_true",
        help="the headline rules' grid: 3 bodies x 3 camera placements x faults at 2 sizes, 4 reps a clip",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="forget the results in the folder instead of resuming after them"
    )
    parser.add_argument(
        "--samples", type=Path, nargs="+", help="measure the renders committed in these folders instead"
    )
    parser.add_argument(
        "--angles",
        type=float,
        nargs="+",
        metavar="DEG",
        help="the per-angle grid instead: each exercise's own view turned by these degrees, every "
        "rule judged from every view (e.g. --angles 0 15 30 45)",
    )
    parser.add_argument(
        "--write-errors", action="store_true", help=f"write the metric errors measured to {ERRORS_PATH}"
    )
    parser.add_argument(
        "--write-envelopes",
        action="store_true",
        help=f"write the per-angle grid's view envelopes to {ENVELOPES_PATH}",
    )
    parser.add_argument(
        "--rejudge",
        action="store_true",
        help="judge the clips measured in the folder again from their kept tracks (--tracks) "
        "(a change to the rules measured without rendering or extracting again)",
    )
    parser.add_argument(
        "--tracks",
        type=Path,
        default=TRACK_CACHE,
        help=f"where the clips' tracks are kept (default {TRACK_CACHE})",
    )
    arguments = parser.parse_args()
    if arguments.tables:
        results = [json.loads(line) for path in arguments.tables for line in path.read_text().splitlines()]
    else:
        out = (
            arguments.out
            if arguments.out is not None
            else HEADLINE_ANGLES_OUT
            if arguments.headline and arguments.angles
            else HEADLINE_OUT
            if arguments.headline
            else DEFAULT_OUT
        )
        out.mkdir(parents=True, exist_ok=True)
        if arguments.fresh:
            (out / RESULTS_FILE).unlink(missing_ok=True)
        before = measured_before(out)
        if arguments.rejudge:
            before, new = [], rejudge(out, all_views=bool(arguments.angles), tracks=arguments.tracks)
        elif arguments.samples:
            clips = committed(arguments.samples)
            todo = still_to_measure([clip.description for clip in clips], before)
            clips = [clip for clip in clips if clip.description in todo]
            new = run(clips, len(clips), out, tracks=arguments.tracks)
        else:
            if arguments.headline and arguments.angles:
                descriptions = headline_angle_grid(arguments.angles)
            elif arguments.angles:
                exercises = tuple(e for e in ANGLE_EXERCISES if e in arguments.exercises)
                descriptions = angle_grid(arguments.angles, exercises)
            elif arguments.headline:
                descriptions = headline_grid()
            else:
                descriptions = grid(arguments.quick, tuple(arguments.exercises))
            todo = still_to_measure(descriptions, before)
            in_grid = {_key(d.to_dict()) for d in descriptions}
            dropped = [r for r in before if _key(r["description"]) not in in_grid]
            if dropped:
                # Clips of an earlier version of the grid (a fault size changed since).
                print(f"{len(dropped)} results in {out} are of clips no longer in this grid: "
                      "left out of the tables", flush=True)  # fmt: skip
                before = [r for r in before if _key(r["description"]) in in_grid]
            if before:
                done = len(descriptions) - len(todo)
                print(f"{done} of {len(descriptions)} clips measured before in {out}; "
                      f"measuring the other {len(todo)} (--fresh starts over)", flush=True)  # fmt: skip
            new = run(
                rendered(todo), len(todo), out, all_views=bool(arguments.angles), tracks=arguments.tracks
            )
        results = before + new
    print(tables(results))
    if any(r["description"].get("azimuth") is not None for r in results):
        print(angle_table(results))
    if arguments.write_errors:
        write_errors(results, ERRORS_PATH)
        print(f"metric errors written to {ERRORS_PATH}")
    if arguments.write_envelopes:
        write_envelopes([r for r in results if r["description"].get("azimuth") is not None], ENVELOPES_PATH)
        print(f"view envelopes written to {ENVELOPES_PATH}")


if __name__ == "__main__":
    main()
