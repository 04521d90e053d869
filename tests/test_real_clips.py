"""Real clips: pose tracks of real people, counted and judged by the engine.

How the expected counts were made: frames of each clip were dumped with OpenCV into contact
sheets (every 10th frame for the goblet squats, every 4th for the deadlift) and looked at.
- squat/ambaks_goblet_squat_front.mp4 (CC0, front view, 365 frames): standing at frames
  0-10, 70-80, 140-160, 210-230, 290-310 and 360; at the bottom around 30-40, 100-120,
  170-190, 250-260 and 320-340 -> 5 complete squats, all to depth.
- hinge/posereader_deadlift_good.mp4 (side view, 62 frames): starts at the bottom with the
  bar on the floor and stands up by frame ~48 -> only the lift, no descent from standing,
  so no complete hinge rep (a rep is down from standing and back up).
- synthetic/render_banded-walk.mp4 (rendered anatomical figure, band round the ankles, filmed
  three-quarter front, 300 frames): a contact sheet of every 8th frame and a leg crop of every
  6th were looked at. The stance is wide at 12-30, 72-96, 132-156, 192-216, 252-270 and
  narrow at 48-60, 108-120, 168-180, 228-240, 282-294: the figure walks one step each way in
  turn. Frames 0-54: the right foot steps out (already under way at frame 0) and the left
  follows; 54-114: the left leads, the right follows; then right, left, right again to 288,
  and a sixth step (left) has only just begun when the clip ends -> 5 steps, leading legs
  R, L, R, L, R. The camera is about 45 deg off front-on, so the front-view rules are not judged.

The goblet-squat track (derived from a CC0 clip) ships in tests/data; the others are extracted
with the real model at test time (slow) when the pose extractor is available.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.io.track_files import load_npz
from formcheck.pose.tracking import track_from_video
from tests.conftest import shared_file

DATA = Path(__file__).parent / "data"


def test_goblet_squats_front_view_five_good_reps():
    report, _ = analyze_track(load_npz(DATA / "ambaks_goblet_squat_front.npz"), "squat")
    reps = report.reps
    assert [(rep.complete, rep.side, rep.view) for rep in reps] == [(True, "both", "front")] * 5
    # Bottoms seen on the contact sheet, in seconds at 30 fps.
    for rep, (low, high) in zip(
        reps, [(1.0, 1.4), (3.3, 4.0), (5.6, 6.4), (8.3, 8.7), (10.6, 11.4)], strict=True
    ):
        assert low - 0.5 <= rep.peak_s <= high + 0.5
    depth = [next(r for r in rep.rules if r.id == "depth") for rep in reps]
    assert all(r.status == "passed" for r in depth)
    # Side-view rules are not guessed from a front view.
    assert all(next(r for r in rep.rules if r.id == "knee_over_toes").status == "not_judged" for rep in reps)


@pytest.mark.slow
def test_deadlift_from_the_floor_is_not_a_complete_hinge(tmp_path):
    track, _ = track_from_video(shared_file("clips/hinge/posereader_deadlift_good.mp4"))
    report, _ = analyze_track(track, "hip_hinge")
    assert report.summary()["reps_total"] == 0


@pytest.mark.slow
def test_rendered_band_walk_counts_five_steps_each_on_its_leading_leg():
    track, _ = track_from_video(shared_file("clips/synthetic/render_banded-walk.mp4"))
    report, _ = analyze_track(track, "band_walk")
    complete = [rep for rep in report.reps if rep.complete]
    assert [rep.side for rep in complete] == ["right", "left", "right", "left", "right"]
    # Widest stance of each step on the sheet (frames, 30 fps), each within a few frames.
    for rep, (low, high) in zip(
        complete, [(12, 36), (72, 96), (132, 156), (192, 216), (252, 270)], strict=True
    ):
        assert low - 6 <= rep.peak_s * 30 <= high + 6
    # Three-quarter view: the front-view rules say so rather than guess.
    assert all(
        r.status == "not_judged" and r.reason.startswith("wrong camera view")
        for rep in complete
        for r in rep.rules
    )
    assert report.summary()["per_set"][0]["reps"] == 5
