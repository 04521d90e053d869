"""The streaming API: frame by frame gives the same reps as one batch; live state; set control."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.session import ExerciseSession, FrameState
from formcheck.core.track import PoseFrame
from formcheck.errors import FormcheckError
from formcheck.exercises import configured
from formcheck.render.live_state import LiveState, live_state
from formcheck.synth.motions import exercise_camera, motion
from formcheck.synth.skeleton import camera_for, pose_track


def _track(exercise="split_squat", reps=3, faults=None, view="side", seed=4):
    pose, _ = motion(exercise, reps=reps, side="left", faults=faults or {}, seed=seed)
    return pose_track(pose, camera_for(view), noise_px=1.0, seed=seed)


def _live(session: ExerciseSession, frame: PoseFrame) -> LiveState:
    """One frame through the session, presented as live mode shows it."""
    return live_state(session, session.update(frame))


def test_frame_by_frame_equals_one_batch():
    track = _track(faults={"knee_over_toes": 0.15})
    live = ExerciseSession(*configured("split_squat"))
    states = [live.update(frame) for frame in track]
    batch, _ = analyze_track(track, *configured("split_squat"))
    streamed = live.finish()
    assert streamed.to_dict()["reps"] == batch.to_dict()["reps"]
    completed = [rep for state in states for rep in state.completed]
    assert [rep.index for rep in completed] == [1, 2, 3]
    assert states[-1].reps_per_side == {"left": 3}


def test_live_state_follows_the_rep():
    track = _track(reps=1)
    session = ExerciseSession(*configured("split_squat"))
    lives = [_live(session, frame) for frame in track]
    states: list[FrameState] = [live.frame for live in lives]
    phases = [s.phase for s in states]
    assert phases[0] == "rest" and "down" in phases and "bottom" in phases and "up" in phases
    assert phases.index("down") < phases.index("bottom") < phases.index("up")
    bottom = [s for s in states if s.phase == "bottom"]
    assert bottom[-1].hold_s > bottom[0].hold_s >= 0
    assert all(s.frame.view == "side" and s.prompt is None for s in lives)
    assert states[-1].rest_s is not None and states[-1].rest_s > 0
    gauge = lives[len(lives) // 2].gauge
    assert (gauge.name, gauge.start_threshold, gauge.end_threshold, gauge.target) == (
        "front_knee_flexion",
        40.0,
        55.0,
        75.0,
    )
    assert set(states[0].key_landmarks) >= {25, 26, 31, 32}


def test_live_cue_names_the_failing_rule_during_the_rep():
    track = _track(reps=1, faults={"knee_over_toes": 0.2})
    session = ExerciseSession(*configured("split_squat"))
    cues = {_live(session, frame).cue for frame in track}
    assert "Keep your front knee behind your toes; drop straight down" in cues


def test_wrong_view_and_empty_frames_prompt_the_person():
    session = ExerciseSession(*configured("hip_hinge"))
    front = _track("hip_hinge", reps=1, view="front")
    # Facing the camera, a quarter turn either way reaches side-on; the nearer one is named.
    assert _live(session, front.frame(0)).prompt in (
        "front view: turn about 90 degrees to your left",
        "front view: turn about 90 degrees to your right",
    )
    state = _live(session, PoseFrame.empty(t=front.t[-1] + 0.1, index=0, image_size=(640, 480)))
    assert state.prompt == "Step into view" and state.frame.view == "unknown"


def test_finish_closes_a_rep_in_progress_as_partial():
    track = _track(reps=1)
    session = ExerciseSession(*configured("split_squat"))
    for frame in list(track)[: int(np.argmax(track.t > 2.0))]:  # stop at the bottom of the rep
        session.update(frame)
    report = session.finish()
    assert [(rep.complete, rep.reason) for rep in report.reps] == [(False, "stopped mid-rep")]
    assert report.summary()["reps_total"] == 0


def test_person_leaving_the_frame_mid_rep_gives_a_partial_rep():
    track = _track(reps=2)
    session = ExerciseSession(*configured("split_squat"))
    reps = []
    for frame in track:
        if 2.0 < frame.t < 3.5:
            frame = PoseFrame.empty(frame.t, frame.index, frame.image_size)
        reps += session.update(frame).completed
    # Back in view on the way up: the end of that rep is reported too, not dropped.
    assert [(r.complete, r.reason) for r in reps] == [
        (False, "left the frame"),
        (False, "began out of view"),
        (True, ""),
    ]


def test_next_set_reset_and_set_side():
    track = _track(reps=2)
    session = ExerciseSession(*configured("split_squat"))
    session.feed(track)
    session.next_set()
    later = _track(reps=1, seed=5)
    shifted = type(later)(**{**later.__dict__, "t": later.t + track.t[-1] + 1.0})
    session.feed(shifted)
    report = session.finish()
    assert [rep.set_index for rep in report.reps] == [1, 1, 2]
    session.set_side("right")
    assert session.side == "right"
    session.reset()
    assert session.finish().reps == ()
    with pytest.raises(FormcheckError, match="side must be one of left, right"):
        session.set_side("middle")


def test_unknown_exercise_lists_the_valid_ones():
    with pytest.raises(FormcheckError, match=r"valid exercises: .*clamshell.*hip_hinge"):
        ExerciseSession(*configured("plank"))


def test_the_json_contract_keys():
    report, _ = analyze_track(_track(reps=2), *configured("split_squat"))
    data = report.to_dict()
    assert {"exercise", "source", "fps", "frames", "reps", "summary"} <= set(data)
    rep = data["reps"][0]
    assert {"index", "side", "complete", "reason", "start_s", "end_s", "score", "rules"} <= set(rep)
    assert {"id", "status", "value", "threshold", "cue"} <= set(rep["rules"][0])
    assert {"reps_total", "reps_per_side", "faults"} <= set(data["summary"])
    assert data["summary"]["reps_total"] == 2 and data["summary"]["reps_per_side"] == {"left": 2}
    assert data["summary"]["left_vs_right"]["left"]["reps"] == 2


@pytest.mark.parametrize(
    ("exercise", "side", "moves_with_rest"),
    [("clamshell", "right", True), ("hip_flexor_march", "left", False)],
)
def test_gauge_target_sits_above_the_rest_level_only_for_a_rule_measured_from_it(
    exercise, side, moves_with_rest
):
    pose, _ = motion(exercise, reps=1, side=side, seed=4)
    track = pose_track(pose, exercise_camera(exercise, "side", side), noise_px=1.0, seed=4)
    session = ExerciseSession(*configured(exercise))
    gauge = [_live(session, frame) for frame in track][-1].gauge
    threshold = session.rule_thresholds[session.exercise.target_rule]
    rest = gauge.start_threshold - session.counting.start
    assert rest != 0.0
    assert gauge.target == pytest.approx(rest + threshold if moves_with_rest else threshold)


def test_the_live_cue_comes_only_from_rules_judged_in_the_view_of_the_rep_under_way():
    # Filmed half-turned, with every fourth frame side-on: the rep is judged in the oblique view,
    # about 34 deg off side-on on average, beyond the squat's `knee_over_toes` envelope (30), so no
    # frame may cue it.
    pose, _ = motion("squat", reps=1, side="both", faults={"knee_over_toes": 0.2}, seed=4)
    oblique, side = (pose_track(pose, camera_for(view), noise_px=1.0, seed=4) for view in ("oblique", "side"))
    session = ExerciseSession(*configured("squat"))
    cue = next(rule.cue for rule in session.exercise.rules if rule.id == "knee_over_toes")
    states = [_live(session, side.frame(i) if i % 4 == 0 else oblique.frame(i)) for i in range(len(pose))]
    [rep] = session.finish().reps
    knee = next(rule for rule in rep.rules if rule.id == "knee_over_toes")
    assert rep.view == "oblique" and knee.status == "not_judged"
    assert all(state.cue != cue for state in states)
    during = [state.frame for state in states if state.frame.phase != "rest"]
    assert during and all(state.view == "oblique" for state in during), "the rep's view, not each frame's"
    assert all("knee_over_toes" not in state.failing for state in during)


@pytest.mark.parametrize("opens_at", ["standing", "the bottom"])
def test_a_hinge_counted_from_either_end_gives_the_same_reps_frame_by_frame_as_in_one_batch(opens_at):
    pose, truth = motion("hip_hinge", reps=3, side="left", seed=4)
    track = pose_track(pose, camera_for("side"), noise_px=1.0, seed=4)
    # Cut at the first rep's deepest point: the clip opens bent over, as a deadlift from the floor.
    track = track[round(truth[0].peak_s * track.fps) :] if opens_at == "the bottom" else track
    live = ExerciseSession(*configured("hip_hinge"))
    states = [live.update(frame) for frame in track]
    batch, _ = analyze_track(track, *configured("hip_hinge"))
    assert live.finish().to_dict()["reps"] == batch.to_dict()["reps"]
    expected = "bottom" if opens_at == "the bottom" else "top"
    # Live decides on the first frames: the first frame standing, 0.1 s (the dwell) bent over.
    decided = next(i for i, state in enumerate(states) if state.counted_from is not None)
    assert states[decided].counted_from == expected and decided <= 3
    assert batch.summary()["counted_from"] == expected
    assert [rep.counted_from for rep in batch.reps] == [expected] * 3
    assert all(rep.complete for rep in batch.reps)


def test_a_session_without_a_rep_says_why_in_one_line():
    track = _track(reps=2)
    report, _ = analyze_track(track[:20], *configured("split_squat"))
    assert report.reps == () and report.no_rep_reason.startswith("no rep: front knee flexion never rose past")
    empty = type(track)(**{**track.__dict__, "image_xy": np.full_like(track.image_xy, np.nan)})
    report, _ = analyze_track(empty, *configured("split_squat"))
    assert report.to_dict()["summary"]["no_rep_reason"] == "no rep: person seen in 0% of frames"
    report, _ = analyze_track(track, *configured("split_squat"))
    assert report.no_rep_reason == "" and report.to_dict()["summary"]["no_rep_reason"] is None
