"""Real clips: pose tracks of real people, counted and judged by the engine.

The counts below are also label files, one per clip, in samples/real/ (benchmarks/bench_real_counts.py);
there a deadlift from the floor counts its pull as one rep.

How the expected counts were made: frames of each clip were dumped with OpenCV into contact
sheets (every 10th frame for the goblet squats, every 4th for the deadlift) and looked at.
- squat/ambaks_goblet_squat_front.mp4 (CC0, front view, 365 frames): standing at frames
  0-10, 70-80, 140-160, 210-230, 290-310 and 360; at the bottom around 30-40, 100-120,
  170-190, 250-260 and 320-340 -> 5 complete squats, all to depth.
- hinge/posereader_deadlift_{good,bad,heellift,rdl,arm_bend}.mp4 (side view, 29-64 frames; every
  4th frame, every 3rd for arm_bend): each starts with the bar on the floor, a deadlift from the
  floor, whose rest is at the bottom. `good`: on the floor 0-12, pull 16-44, locked out 48-61;
  `bad`: the bar just off the floor at 0, standing (head down) by 24-28; `heellift`: on the floor
  0-8, slow pull 12-56, upright 56-63 -> one pull each, counted from the bottom. `rdl`: the knees
  straighten 12-28 with the trunk still bent over, still bent over at the end; `arm_bend`: rises
  to half bent with bent arms and stays bent over -> no complete pull (0).
- hinge/posereader_deadlift_nico_{unblocked,blocked}.mp4 (every 6th frame): standing (0-12,
  0-30), bends down to the bar (18-30, 36-48: getting into position), at the bar (30-78,
  48-102), pulls (84-96, 108-126), standing to the end -> 1 pull each.
- powerlifting/03y_deadlift{4,5,6}.mp4 (front view, phone footage; every 10th frame): at the bar
  (0-110, 0-70, 20-225), the pull (115-150, 75-100, 230-320), locked out (150-200, 100-179,
  330-430); 4 lowers to the knees as the clip ends, 6 drops the bar and later stands up without
  it -> one pull each.
- hinge/dumbbell_rdl_front_oblique.gif (25 fps, every 6th frame): standing, trunk near horizontal
  at frames 60-72, standing again from 102 -> 1 Romanian deadlift.
- clamshell/banded_clamshell.gif (10 fps, 32 frames; every frame looked at, knees and feet
  zoomed): knees together at 0-4, opening from 5, widest 14-20, closed again by 28-31 -> 1
  complete rep; she lies with her left side up (head on the viewer's left, facing the camera),
  so the left leg works; the shoes stay in contact and the trunk does not turn -> every rule passes.
- clamshell/side_lying_clamshell.gif (3.3 fps, 14 frames, every frame zoomed): closed at 0-1,
  open 5-9, closed again at 13 -> 1 complete rep; head on the viewer's right -> right leg on top.
- synthetic/render_clamshell.mp4 (300 frames, every 10th zoomed): open near 50, 110-135,
  185-210 and 260-280, closed (not quite as far as at frame 0) near 75, 165 and 235; the clip
  ends open -> 3 complete reps and a 4th cut off; the figure's right leg is on top.
- squat/darebee_bodyweight_squat_oblique.mp4 (24 fps, every 6th frame): bottoms at 1.0-1.3,
  2.8-3.0, 4.5, 6.0-6.3, 7.8-8.0, 9.5-9.8, 11.3 and 13.0-13.3 s -> 8 squats, all to parallel.
- squat/kaiakol_half_squat_front.mp4 and kaiakol_squat_knees_cave_front.mp4 (33 and 49 frames,
  every 3rd / 5th): one squat each to about parallel, standing at both ends -> 1 rep each.
  (Whether the knees of the second cave in is not asserted: see docs/limits.md.)
- squat/kaiakol_half_squat_side.mp4 (29 frames, every 3rd): down from frame 6, bottom 15-21,
  standing again at 27-28, the clip's last frames -> 1 complete squat.
- lunge/ambaks_lunge_alternating.mp4 (961 frames, every 12th for 16 s, then every 15th): despite
  the name a static split squat, facing right, the same front leg throughout; bottoms at about
  1.8, 4.6, 7.5, 10.3, 13.3, 16.3, 19.6, 22.6, 25.4, 28.4 and 31.2 s, the clip ending on the way
  up -> 10 complete reps and an 11th cut off.
- synthetic/render_banded-walk.mp4 (rendered anatomical figure, band round the ankles, filmed
  three-quarter front, 300 frames): a contact sheet of every 8th frame and a leg crop of every
  6th were looked at. The stance is wide at 12-30, 72-96, 132-156, 192-216, 252-270 and
  narrow at 48-60, 108-120, 168-180, 228-240, 282-294: the figure walks one step each way in
  turn. Frames 0-54: the right foot steps out (already under way at frame 0) and the left
  follows; 54-114: the left leads, the right follows; then right, left, right again to 288,
  and a sixth step (left) has only just begun when the clip ends -> 5 steps, leading legs
  R, L, R, L, R. The camera is about 45 deg off front-on, so the front-view rules are not judged.
- bridge/darebee_glute_bridge_side.mp4 (side view, 232 frames at 23.98 fps; contact sheet of
  every 8th frame, the last 32 frames every 3rd): a TWO-leg bridge, both feet planted. Lying
  at frames 0, 40-48, 88-96, 136-144, 184-192 and 224-231; hips up at 16-24, 64-72, 112-120,
  160-168 and 208-216, lowered straight after (no pause) -> 5 complete bridges, each `both`.
- synthetic/render_singleLegHip.mp4 (rendered anatomical figure, oblique view from the near
  side, 300 frames at 30 fps; every 5th frame, then frames 6/30/75/120/170/215 large with the
  landmarks drawn): single-leg hip thrust, shoulders on a bench; the far leg (the figure's
  left: head at image-left, face up) is planted and bent, the near leg held straight. Hips up
  from the first frames to ~48, down 66-84, up 108-138, down 162-180, up 204-228, down
  258-264, rising again at the end -> 2 complete reps seen from the bottom (66 -> 162 and
  162 -> 258) and one under way when the clip ends; the clip starts with the hips already up.
- synthetic/render_bridge.mp4 (rendered figure, barbell glute bridge, both feet planted,
  side view; every 6th frame): hips up 0-96, lowered by ~114, down to ~150, up 162-258,
  lowered 264-282 -> 1 complete bridge from the floor, plus a lowering from the top at the
  start of the clip.

The goblet-squat track (derived from a CC0 clip) ships in tests/data; the others are extracted
with the real model at test time (slow) when the pose extractor is available.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.exercises import configured
from formcheck.io.track_files import load_npz
from formcheck.pose.tracking import track_from_video
from tests.conftest import shared_file

DATA = Path(__file__).parent / "data"


def test_goblet_squats_front_view_five_good_reps():
    report, _ = analyze_track(load_npz(DATA / "ambaks_goblet_squat_front.npz"), *configured("squat"))
    reps = report.reps
    assert [(rep.complete, rep.side, rep.view) for rep in reps] == [(True, "both", "front")] * 5
    # Bottoms seen on the contact sheet, in seconds at 30 fps.
    for rep, (low, high) in zip(
        reps, [(1.0, 1.4), (3.3, 4.0), (5.6, 6.4), (8.3, 8.7), (10.6, 11.4)], strict=True
    ):
        assert low - 0.5 <= rep.peak_s <= high + 0.5
    # Side-view rules (depth too: front-on the knee bend is MediaPipe's depth guess) are not
    # guessed from a front view; the person is asked to turn.
    for rule_id in ("depth", "knee_over_toes"):
        rules = [next(r for r in rep.rules if r.id == rule_id) for rep in reps]
        assert all(r.status == "not_judged" and r.reason.startswith("wrong camera view") for r in rules)
    # Knees over the feet at every bottom (contact sheet): wider apart than the ankles.
    assert [_rule(rep, "knee_tracking").status for rep in reps] == ["passed"] * 5


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "lockout_s"), [("good", (1.6, 2.04)), ("bad", (0.8, 0.93)), ("heellift", (1.87, 2.1))]
)
def test_a_deadlift_from_the_floor_is_one_pull_counted_from_the_bottom(name, lockout_s):
    report = _clip_report(f"clips/hinge/posereader_deadlift_{name}.mp4", "hip_hinge")
    (rep,) = report.reps
    assert (rep.complete, rep.counted_from, report.summary()["counted_from"]) == (True, "bottom", "bottom")
    assert rep.note.startswith("began at the bottom")
    # The far position of a pull from the floor is the lockout (good: to its last frame, 2.033 s).
    assert lockout_s[0] - 0.2 <= rep.peak_s <= lockout_s[1]
    assert _rule(rep, "hinge_depth").status == "passed"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["rdl", "arm_bend"])
def test_a_pull_that_never_stands_up_is_no_complete_rep_and_says_why(name):
    report = _clip_report(f"clips/hinge/posereader_deadlift_{name}.mp4", "hip_hinge")
    assert report.summary()["reps_total"] == 0
    assert report.no_rep_reason.startswith(
        ("no rep: trunk lean stayed past 35", "no complete rep: 1 partial")
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "pull_s", "setup"),
    [
        ("clips/hinge/posereader_deadlift_nico_unblocked.mp4", (2.6, 3.6), (0, 1)),
        ("clips/hinge/posereader_deadlift_nico_blocked.mp4", (3.4, 4.7), (0, 2)),
    ],
)
def test_getting_down_to_the_bar_then_one_pull(path, pull_s, setup):
    report = _clip_report(path, "hip_hinge")
    (rep,) = report.reps
    assert rep.complete and rep.counted_from == "bottom"
    assert pull_s[0] <= rep.peak_s <= pull_s[1] + 0.05
    # Bending down to the bar from standing is getting into position, not a rep.
    assert [(round(s.start_s), round(s.end_s)) for s in report.setup] == [setup]


@pytest.mark.slow
def test_one_romanian_deadlift_down_from_standing_and_back():
    (rep,) = _clip_report("clips/hinge/dumbbell_rdl_front_oblique.gif", "hip_hinge").reps
    assert rep.complete and rep.counted_from == "top" and 2.1 <= rep.peak_s <= 3.2
    assert _rule(rep, "hinge_depth").status == "passed"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["03y_deadlift4", "03y_deadlift5", "03y_deadlift6"])
def test_powerlifting_deadlifts_from_the_floor_count_their_pull(name):
    report = _clip_report(f"clips/powerlifting/{name}.mp4", "hip_hinge")
    assert report.summary()["reps_total"] == 1 and report.summary()["counted_from"] == "bottom"


def _clip_report(path, exercise):
    track, _ = track_from_video(shared_file(path))
    report, _ = analyze_track(track, *configured(exercise))
    return report


def _rule(rep, rule_id):
    return next(r for r in rep.rules if r.id == rule_id)


@pytest.mark.slow
def test_two_leg_glute_bridge_counts_five_bilateral_reps_without_a_pause_at_the_top():
    report = _clip_report("clips/bridge/darebee_glute_bridge_side.mp4", "glute_bridge")
    reps = report.reps
    assert [(rep.complete, rep.side, rep.view) for rep in reps] == [(True, "both", "side")] * 5
    # Tops seen on the contact sheet (frames 16-24, 64-72, 112-120, 160-168, 208-216 at 23.98 fps).
    for rep, top_frame in zip(reps, (20, 68, 116, 164, 212), strict=True):
        assert abs(rep.peak_s - top_frame / 23.98) < 0.5
    assert all(_rule(rep, "hip_extension").status == "passed" for rep in reps)
    assert all(_rule(rep, "back_arch").status == "passed" for rep in reps)
    # She lowers as soon as the hips are up: no hold at the top.
    assert all(_rule(rep, "hold").status == "failed" for rep in reps)
    # The pelvis is not judged side-on: the person is asked for the view from the feet.
    assert all(_rule(rep, "pelvis_drop").reason.startswith("wrong camera view") for rep in reps)


@pytest.mark.slow
def test_single_leg_hip_thrust_counts_the_planted_left_leg():
    report = _clip_report("clips/synthetic/render_singleLegHip.mp4", "glute_bridge")
    # The clip opens with the hips up, in the middle of a rep: reported as such, not dropped.
    assert [(rep.complete, rep.reason, rep.side) for rep in report.reps] == [
        (False, "began out of view", "left"),
        (True, "", "left"),
        (True, "", "left"),
        (False, "stopped mid-rep", "left"),
    ]
    # Bottoms at frames 66-84, 162-180 and 258-264 bound the two complete reps.
    assert [round(rep.start_s) for rep in report.reps[1:3]] == [3, 6]
    assert all(_rule(rep, "hip_extension").status == "passed" for rep in report.reps[1:3])


@pytest.fixture(scope="module")
def barbell_bridge_report():
    return _clip_report("clips/synthetic/render_bridge.mp4", "glute_bridge")


@pytest.mark.slow
def test_barbell_bridge_counts_the_bridge_from_the_floor(barbell_bridge_report):
    report = barbell_bridge_report
    from_the_floor = [rep for rep in report.reps if rep.start_s > 4.0]
    assert [(rep.complete, rep.side) for rep in from_the_floor] == [(True, "both")]
    assert 150 / 30 < from_the_floor[0].peak_s < 258 / 30
    assert _rule(from_the_floor[0], "hip_extension").status == "passed"


@pytest.mark.slow
def test_barbell_bridge_lowering_from_the_top_at_the_start_is_partial(barbell_bridge_report):
    # The lowering from the top at the start is a rep seen only from its middle.
    assert [(rep.complete, rep.reason) for rep in barbell_bridge_report.reps] == [
        (False, "began out of view"),
        (True, ""),
    ]


def test_banded_clamshell_one_clean_rep_on_the_left():
    (rep,) = _clip_report("clips/clamshell/banded_clamshell.gif", "clamshell").reps
    assert (rep.complete, rep.side) == (True, "left")
    assert [r.status for r in rep.rules] == ["passed"] * len(rep.rules)


def test_side_lying_clamshell_one_rep_on_the_right():
    (rep,) = _clip_report("clips/clamshell/side_lying_clamshell.gif", "clamshell").reps
    assert (rep.complete, rep.side) == (True, "right")
    assert _rule(rep, "knee_opening").status == "passed"


@pytest.mark.slow
def test_rendered_clamshell_three_reps_and_one_cut_off():
    reps = _clip_report("clips/synthetic/render_clamshell.mp4", "clamshell").reps
    assert [(rep.complete, rep.side) for rep in reps] == [(True, "right")] * 3 + [(False, "right")]
    assert reps[-1].reason == "stopped mid-rep"
    for rep, (low, high) in zip(reps, [(1.5, 2.0), (3.5, 4.6), (6.1, 7.0)], strict=False):
        assert low - 0.3 <= rep.peak_s <= high + 0.3


@pytest.mark.slow
def test_bodyweight_squats_oblique_eight_deep_reps():
    report = _clip_report("clips/squat/darebee_bodyweight_squat_oblique.mp4", "squat")
    reps = report.reps
    assert [(rep.complete, rep.side) for rep in reps] == [(True, "both")] * 8
    bottoms = [1.15, 2.9, 4.5, 6.15, 7.9, 9.65, 11.3, 13.15]
    assert all(abs(rep.peak_s - bottom) < 0.5 for rep, bottom in zip(reps, bottoms, strict=True))
    assert all(_rule(rep, "depth").status == "passed" for rep in reps)
    # Filmed about 27° off side-on (azimuth ~63°, her left side towards the camera): within the
    # measured envelopes of the side-on rules (knee_over_toes 30°, heels_down and trunk_angle 45°),
    # so four of the five rules are judged on every rep; knee tracking needs the front and says
    # which way to turn. Trunk lean (43-47°) and heel lift pass on every rep.
    for rep in reps:
        assert 50 < rep.view_angle_deg < 75, rep.view_angle_deg
        judged = [r.id for r in rep.rules if r.status != "not_judged"]
        assert judged == ["depth", "knee_over_toes", "heels_down", "trunk_angle"], (rep.index, judged)
        assert _rule(rep, "trunk_angle").status == _rule(rep, "heels_down").status == "passed"
        assert re.search(
            r"needs front: turn about 6[05] degrees to your left$", _rule(rep, "knee_tracking").reason
        )
    # The report says it once: what this view cannot judge, and the turn for the headline rule.
    assert re.fullmatch(
        r"from this oblique view not judged: knee_tracking \(needs front\); "
        r"for knee_tracking: turn about 6[05] degrees to your left",
        report.summary()["view_advice"],
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "tracking"),
    [("kaiakol_half_squat_front", "passed"), ("kaiakol_squat_knees_cave_front", "failed")],
)
def test_one_front_view_squat_and_its_knees_judged_against_the_ankles(name, tracking):
    (rep,) = _clip_report(f"clips/squat/{name}.mp4", "squat").reps
    assert (rep.complete, rep.view) == (True, "front")
    # By eye: the half squat's knees stay over her feet; in the other clip both knees come inside
    # the feet on the way up (frames 32-34), the knees' gap narrower than the ankles'.
    assert _rule(rep, "knee_tracking").status == tracking, _rule(rep, "knee_tracking").value


@pytest.mark.slow
def test_half_squat_ending_on_the_last_frame_is_complete():
    (rep,) = _clip_report("clips/squat/kaiakol_half_squat_side.mp4", "squat").reps
    assert rep.complete and rep.view == "side"


@pytest.mark.slow
def test_split_squats_one_leg_ten_reps_and_one_cut_off():
    reps = _clip_report("clips/lunge/ambaks_lunge_alternating.mp4", "split_squat").reps
    complete = [rep for rep in reps if rep.complete]
    bottoms = [1.8, 4.6, 7.5, 10.3, 13.3, 16.3, 19.6, 22.6, 25.4, 28.4]
    assert len(complete) == 10 and {rep.side for rep in reps} == {"right"}
    assert all(abs(rep.peak_s - bottom) < 0.6 for rep, bottom in zip(complete, bottoms, strict=True))
    assert all(_rule(rep, "depth").status == "passed" for rep in complete)
    assert reps[-1].reason == "stopped mid-rep"


def test_rendered_band_walk_counts_five_steps_each_on_its_leading_leg():
    track, _ = track_from_video(shared_file("clips/synthetic/render_banded-walk.mp4"))
    report, _ = analyze_track(track, *configured("band_walk"))
    complete = [rep for rep in report.reps if rep.complete]
    assert [rep.side for rep in complete] == ["right", "left", "right", "left", "right"]
    # Widest stance of each step on the sheet (frames, 30 fps), each within a few frames.
    for rep, (low, high) in zip(
        complete, [(12, 36), (72, 96), (132, 156), (192, 216), (252, 270)], strict=True
    ):
        assert low - 6 <= rep.peak_s * 30 <= high + 6
    # Three-quarter view (azimuth about -40): the stance and trunk rules held to 45 deg off the
    # front on the studio's per-angle grid and are judged; knee caving and the half squat only to
    # 10, and they say which way to turn. By eye: each right step opens the feet wide; before
    # each left step (frames 57 and 177) the trailing foot comes in to about hip width.
    for rep in complete:
        assert -50 < rep.view_angle_deg < -30, rep.view_angle_deg
        assert _rule(rep, "trunk_sway").status == "passed"
        for rule_id in ("knee_valgus", "half_squat"):
            assert re.search(r"needs front: turn about 40 degrees to your right$", _rule(rep, rule_id).reason)
    stances = [_rule(rep, "narrow_stance").value for rep in complete]
    assert all(width > 1.4 for width in stances[::2]) and all(0.9 < width < 1.25 for width in stances[1::2])
    assert report.summary()["per_set"][0]["reps"] == 5
