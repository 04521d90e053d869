"""The rep switch, table-driven: a primary signal per frame in, rep events out."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analysis.reps import (
    LANDMARKS_HIDDEN,
    NO_PERSON,
    NOTE_CUT_SHORT,
    NOTE_ENDED_AT_TOP,
    NOTE_FROM_BOTTOM,
    REASON_BEGAN_UNSEEN,
    REASON_HIDDEN,
    REASON_LEFT_FRAME,
    REASON_NOT_DEEP,
    REASON_STOPPED,
    VISIBLE,
    Counting,
    RepSegmenter,
)

COUNTING = Counting(start=20.0, end=40.0, min_dwell_s=0.1, min_range=10.0, max_gap_s=0.5)
DT = 1 / 30


def run(values, codes=None, counting=COUNTING, close=False):
    segmenter = RepSegmenter(counting)
    codes = codes if codes is not None else [VISIBLE] * len(values)
    events = [segmenter.step(i * DT, v, c) for i, (v, c) in enumerate(zip(values, codes, strict=True))]
    events = [e for e in events if e is not None]
    if close:
        last = segmenter.close()
        events += [last] if last is not None else []
    return events


def hold(value, seconds):
    return [float(value)] * round(seconds * 30)


def ramp(a, b, seconds):
    return list(np.linspace(a, b, round(seconds * 30)))


REP = ramp(0, 60, 1) + hold(60, 0.3) + ramp(60, 0, 1)
SHALLOW = ramp(0, 30, 1) + ramp(30, 0, 1)

CASES = [
    ("one full rep", hold(0, 1) + REP + hold(0, 1), [(True, "")]),
    ("three reps", hold(0, 1) + (REP + hold(0, 0.5)) * 3, [(True, "")] * 3),
    ("shallow rep is partial", hold(0, 1) + SHALLOW + hold(0, 1), [(False, REASON_NOT_DEEP)]),
    ("jitter across start never starts a rep", hold(0, 1) + [0, 25, 0, 25, 0, 25, 0] * 5 + hold(0, 1), []),
    (
        "spike past end without dwell is not deep",
        hold(0, 1) + hold(30, 0.5) + [45] + hold(30, 0.5) + hold(0, 1),
        [(False, REASON_NOT_DEEP)],
    ),
    ("movement smaller than min range is noise", hold(15, 1) + hold(22, 1) + hold(15, 1), []),
    (
        # Small fast pumps whose rest between them stays just short of start (a frog pump).
        "a rep that comes nearly back to rest and goes deep again is two reps",
        hold(15, 1) + ramp(15, 60, 1) + ramp(60, 22, 1) + ramp(22, 60, 1) + ramp(60, 15, 1) + hold(15, 1),
        [(True, "")] * 2,
    ),
    (
        "a bounce at the bottom is one rep",
        hold(0, 1) + ramp(0, 60, 1) + ramp(60, 40, 0.5) + ramp(40, 60, 0.5) + ramp(60, 0, 1) + hold(0, 1),
        [(True, "")],
    ),
    (
        "between thresholds nothing ends the rep",
        hold(0, 1) + ramp(0, 60, 1) + hold(30, 1) + ramp(30, 60, 0.5) + ramp(60, 0, 1) + hold(0, 1),
        [(True, "")],
    ),
]


@pytest.mark.parametrize(("name", "values", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rep_events(name, values, expected):
    events = run(values)
    assert [(e.complete, e.reason) for e in events] == expected, name


def test_rep_start_is_dated_back_to_the_movement_onset_and_peak_is_the_deepest_frame():
    values = hold(0, 1) + REP + hold(0, 1)
    (event,) = run(values)
    onset = 30  # first frame of the ramp
    assert abs(event.start_index - onset) <= 4
    assert values[event.peak_index] == max(values)
    assert values[event.end_index] >= COUNTING.start  # last frame before settling back below start


def test_falling_signal_with_direction_minus_one():
    counting = Counting(start=160.0, end=140.0, direction=-1, min_dwell_s=0.1, min_range=10.0)
    values = [180 - v for v in hold(0, 1) + REP + hold(0, 1) + SHALLOW + hold(0, 1)]
    assert [(e.complete, e.reason) for e in run(values, counting=counting)] == [
        (True, ""),
        (False, REASON_NOT_DEEP),
    ]


def test_losing_the_person_mid_rep_ends_it_as_partial():
    values = hold(0, 1) + ramp(0, 60, 1) + hold(np.nan, 1) + hold(0, 1)
    codes = [VISIBLE] * 60 + [NO_PERSON] * 30 + [VISIBLE] * 30
    assert [(e.complete, e.reason) for e in run(values, codes)] == [(False, REASON_LEFT_FRAME)]


HIDDEN = [np.nan] * 30  # a second of key joints hidden (a plate passing), the person still found
HIDDEN_CASES = [
    # name, values, expected (complete, reason) with close
    (
        "seen at its start, bottom and end: counted",
        hold(0, 1) + ramp(0, 60, 1) + HIDDEN + hold(0, 1),
        [(True, "")],
    ),
    (
        "bottom hidden: partial, not 'not deep enough'",
        hold(0, 1) + ramp(0, 30, 0.5) + HIDDEN + ramp(30, 0, 0.5) + hold(0, 1),
        [(False, REASON_HIDDEN)],
    ),
    ("hidden when the stream ends", hold(0, 1) + ramp(0, 60, 1) + HIDDEN, [(False, REASON_HIDDEN)]),
]


@pytest.mark.parametrize(("name", "values", "expected"), HIDDEN_CASES, ids=[c[0] for c in HIDDEN_CASES])
def test_a_rep_survives_hidden_key_joints_while_the_person_is_in_view(name, values, expected):
    codes = [LANDMARKS_HIDDEN if v != v else VISIBLE for v in values]
    assert [(e.complete, e.reason) for e in run(values, codes, close=True)] == expected, name


def test_short_gap_is_bridged():
    values = hold(0, 1) + ramp(0, 60, 1) + hold(np.nan, 0.2) + ramp(60, 0, 1) + hold(0, 1)
    codes = [VISIBLE] * 60 + [NO_PERSON] * 6 + [VISIBLE] * 60
    assert [(e.complete, e.reason) for e in run(values, codes)] == [(True, "")]


@pytest.mark.parametrize("code", [NO_PERSON, LANDMARKS_HIDDEN])
def test_a_rep_first_seen_past_start_is_partial_and_dated_from_the_first_seen_frame(code):
    # The pose model found nobody while the person rested (as MediaPipe on a body lying seen
    # from the feet); they came into sight mid-rep: its beginning and rest level are unknown.
    values = (
        hold(np.nan, 1) + ramp(40, 60, 0.5) + hold(60, 0.3) + ramp(60, 0, 1) + hold(0, 1) + REP + hold(0, 1)
    )
    codes = [code] * 30 + [VISIBLE] * (len(values) - 30)
    events = run(values, codes)
    assert [(e.complete, e.reason) for e in events] == [(False, REASON_BEGAN_UNSEEN), (True, "")]
    assert events[0].start_index == 30


def test_a_track_starting_past_start_counts_from_where_it_starts():
    # A recording starts wherever the person is, e.g. a deadlift from its set-up lean.
    values = hold(30, 0.5) + ramp(30, 60, 0.5) + ramp(60, 0, 1) + hold(0, 1) + REP + hold(0, 1)
    assert [(e.complete, e.reason) for e in run(values)] == [(True, ""), (True, "")]


def test_close_mid_rep_gives_a_partial_rep_and_nothing_at_rest():
    assert [(e.complete, e.reason) for e in run(hold(0, 1) + ramp(0, 60, 1), close=True)] == [
        (False, REASON_STOPPED)
    ]
    assert run(hold(0, 1) + REP + hold(0, 1), close=True)[-1].complete


def test_counting_rejects_thresholds_in_the_wrong_order():
    with pytest.raises(ValueError, match="beyond start"):
        Counting(start=40.0, end=20.0)


KNEES_FROM_REST = Counting(start=12.0, end=20.0, min_dwell_s=0.1, min_range=8.0, from_rest=True)


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        # Knees held 20 deg apart at rest by the thighs: absolute thresholds would never see a rest.
        ("counts up from a raised rest level", hold(20, 1) + (ramp(20, 55, 1) + ramp(55, 20, 1)) * 2, 2),
        # Each rep's rest is where the signal settled after the last one (an incomplete close at 26).
        (
            "a rest level that drifts between reps",
            hold(16, 1) + ramp(16, 50, 1) + ramp(50, 26, 1) + ramp(26, 50, 1) + ramp(50, 25, 1),
            2,
        ),
        ("too small a rise above rest", hold(20, 1) + ramp(20, 30, 1) + ramp(30, 20, 1), 0),
    ],
)
def test_thresholds_counted_from_rest(name, values, expected):
    events = run(values, counting=KNEES_FROM_REST)
    assert [e.complete for e in events] == [True] * expected, name


def test_absolute_thresholds_never_see_a_raised_rest():
    values = hold(20, 1) + (ramp(20, 55, 1) + ramp(55, 20, 1)) * 2
    absolute = Counting(start=12.0, end=20.0, min_dwell_s=0.1, min_range=8.0)
    assert run(values, counting=absolute) == []


def test_the_rest_level_is_the_lowest_value_at_rest():
    segmenter = RepSegmenter(KNEES_FROM_REST)
    for i, v in enumerate(hold(19, 0.3) + hold(17, 0.3) + hold(18, 0.3)):
        segmenter.step(i * DT, v, VISIBLE)
    assert segmenter.rest_level == 17.0


def test_a_stream_ending_just_after_the_return_counts_the_rep():
    # Back below start for two frames, short of the 0.1 s dwell, when the clip ends.
    (event,) = run(hold(0, 1) + ramp(0, 60, 1) + ramp(60, 10, 1)[:-28] + [10, 10], close=True)
    assert (event.complete, event.reason) == (True, "")
    (event,) = run(hold(0, 1) + ramp(0, 60, 1) + hold(30, 0.5), close=True)
    assert (event.complete, event.reason) == (False, REASON_STOPPED)


FROM_REST = Counting(start=0.5, end=0.7, min_dwell_s=0.1, min_range=0.5, from_rest=True)


@pytest.mark.parametrize("rest", [1.0, 2.5], ids=["narrow stance", "wide stance"])
def test_thresholds_from_rest_count_the_same_steps_whatever_the_resting_level(rest):
    step = ramp(rest, rest + 1.2, 0.5) + hold(rest + 1.2, 0.2) + ramp(rest + 1.2, rest, 0.5) + hold(rest, 0.4)
    events = run(hold(rest, 0.5) + step * 3, counting=FROM_REST)
    assert [e.complete for e in events] == [True, True, True]
    # The same steps against fixed levels only count where they happen to cross them.
    fixed = Counting(start=1.5, end=1.7, min_dwell_s=0.1, min_range=0.5)
    assert len(run(hold(rest, 0.5) + step * 3, counting=fixed)) == (3 if rest == 1.0 else 0)


def test_from_rest_a_small_widening_is_partial_and_a_shuffle_is_nothing():
    small = ramp(2.0, 2.6, 0.5) + ramp(2.6, 2.0, 0.5) + hold(2.0, 0.4)
    shuffle = ramp(2.0, 2.3, 0.5) + ramp(2.3, 2.0, 0.5) + hold(2.0, 0.4)
    events = run(hold(2.0, 0.5) + small + shuffle, counting=FROM_REST)
    assert [(e.complete, e.reason) for e in events] == [(False, REASON_NOT_DEEP)]


def test_from_rest_thresholds_must_be_positive_distances():
    with pytest.raises(ValueError, match="0 < start < end"):
        Counting(start=0.0, end=0.7, from_rest=True)


def test_a_recording_opening_past_end_began_out_of_view_but_one_opening_below_end_did_not():
    (event,) = run(hold(45, 0.3) + ramp(45, 60, 0.5) + ramp(60, 0, 1) + hold(0, 1))
    assert (event.complete, event.reason) == (False, REASON_BEGAN_UNSEEN)
    (event,) = run(hold(25, 0.3) + ramp(25, 60, 1) + ramp(60, 0, 1) + hold(0, 1))
    assert (event.complete, event.reason) == (True, "")


def test_a_frame_missed_at_rest_keeps_the_rest_level():
    values = [*hold(0, 1), np.nan, *ramp(0, 60, 1), *ramp(60, 0, 1), *hold(0, 1)]
    codes = [VISIBLE] * 30 + [NO_PERSON] + [VISIBLE] * (len(values) - 31)
    assert [(e.complete, e.reason) for e in run(values, codes)] == [(True, "")]


EITHER_END = Counting(start=20.0, end=40.0, min_dwell_s=0.1, min_range=10.0, rest_at_either_end=True)
FLOOR = hold(60, 1)
PULL = ramp(60, 0, 1) + hold(0, 0.5) + ramp(0, 60, 1) + hold(60, 0.5)
DESCENT = ramp(0, 60, 1)

EITHER_END_CASES = [
    # name, values, close, expected (complete, reason, counted_from, setup)
    (
        "deadlifts from the floor: floor, lockout, floor",
        FLOOR + PULL * 2,
        False,
        [(True, "", "bottom", False)] * 2,
    ),
    (
        "a clip that starts at the bottom and stands up once",
        FLOOR + ramp(60, 0, 1) + hold(0, 0.5),
        True,
        [(True, "", "bottom", False)],
    ),
    (
        "a pull that never reaches the top",
        FLOOR + ramp(60, 30, 1) + hold(30, 0.5) + ramp(30, 60, 1) + FLOOR,
        False,
        [(False, REASON_NOT_DEEP, "bottom", False)],
    ),
    (
        "standing first counts from the top as ever",
        hold(0, 1) + REP + hold(0, 1),
        False,
        [(True, "", "top", False)],
    ),
    (
        "an RDL pausing at the bottom is a rep from the top",
        hold(0, 1) + DESCENT + hold(60, 0.6) + ramp(60, 0, 1) + hold(0, 1),
        False,
        [(True, "", "top", False)],
    ),
    (
        "getting down to the bar is a set-up, then the pull is the rep",
        hold(0, 1) + DESCENT + hold(60, 2) + ramp(60, 0, 1) + hold(0, 0.5),
        True,
        [(False, "", "top", True), (True, "", "bottom", False)],
    ),
    ("no dwell at all: one pull from the opening frame", ramp(60, 0, 1), True, [(True, "", "bottom", False)]),
    (
        "a swing passing through the bottom after opening higher counts from the top",
        hold(30, 0.2) + ramp(30, 60, 0.3) + ramp(60, 0, 0.5) + hold(0, 0.5) + REP + hold(0, 0.5),
        False,
        [(True, "", "top", False)] * 2,
    ),
]


@pytest.mark.parametrize(
    ("name", "values", "close", "expected"), EITHER_END_CASES, ids=[c[0] for c in EITHER_END_CASES]
)
def test_rest_at_either_end(name, values, close, expected):
    events = run(values, counting=EITHER_END, close=close)
    assert [(e.complete, e.reason, e.counted_from, e.setup) for e in events] == expected, name


def test_reps_from_the_bottom_say_so_and_peak_at_the_top():
    events = run(FLOOR + PULL + ramp(60, 0, 1) + hold(0, 0.5), counting=EITHER_END, close=True)
    assert [e.note for e in events] == [NOTE_FROM_BOTTOM, f"{NOTE_FROM_BOTTOM}; {NOTE_ENDED_AT_TOP}"]
    values = FLOOR + PULL
    assert values[events[0].peak_index] == 0  # the far position from the floor is the lockout
    assert events[0].start_index >= 30 - 4  # the pull, not the wait on the floor


def test_set_up_spans_the_descent_and_the_switch_decides_on_the_first_dwell():
    segmenter = RepSegmenter(EITHER_END)
    values = hold(0, 1) + DESCENT + hold(60, 2)
    decided = []
    for i, v in enumerate(values):
        event = segmenter.step(i * DT, v, VISIBLE)
        decided.append(segmenter.counted_from)
        if event is not None:
            setup = event
    assert decided[0] == "top"  # seen standing first: no rest at the bottom
    assert decided[-1] == "bottom" and setup.setup
    # Live sessions keep frames only from here: the switch counting from the bottom starts late.
    assert segmenter.earliest_needed_index > setup.peak_index
    assert abs(setup.start_index - 30) <= 4 and values[setup.peak_index] == 60


def test_without_rest_at_either_end_a_clip_opening_at_the_bottom_is_a_partial_rep_not_nothing():
    # Before, the unknown rest level made min_range drop it and the report was empty.
    events = run(FLOOR + ramp(60, 0, 1) + hold(0, 1))
    assert [(e.complete, e.reason) for e in events] == [(False, REASON_BEGAN_UNSEEN)]


def test_rest_at_either_end_needs_levels_not_distances_from_rest():
    with pytest.raises(ValueError, match="rest at the start position"):
        Counting(start=5.0, end=10.0, from_rest=True, rest_at_either_end=True)


FLOOR_COUNTING = Counting(
    start=20.0,
    end=35.0,
    min_dwell_s=0.1,
    min_range=10.0,
    rest_at_either_end=True,
    floor_start=90.0,
    floor_end=30.0,
)


def run_with_floor(trunk, hips, close=True):
    segmenter = RepSegmenter(FLOOR_COUNTING)
    events = [segmenter.step(i * DT, v, VISIBLE, h) for i, (v, h) in enumerate(zip(trunk, hips, strict=True))]
    events.append(segmenter.close() if close else None)
    return [e for e in events if e is not None]


def test_from_the_floor_the_hips_tell_a_lockout_from_a_squat_down_to_the_bar():
    # Seen from the front the trunk reads 25 deg at the lockout, and as little in a squat down to
    # the bar with the chest up: the hips opening to 20 deg make the one a pull, the other not.
    trunk = hold(70, 1) + ramp(70, 25, 0.8) + hold(25, 0.6) + ramp(25, 70, 0.8) + hold(70, 0.5)
    lockout = hold(120, 1) + ramp(120, 20, 0.8) + hold(20, 0.6) + ramp(20, 120, 0.8) + hold(120, 0.5)
    squatted = hold(120, 1) + ramp(120, 110, 0.8) + hold(110, 0.6) + ramp(110, 120, 0.8) + hold(120, 0.5)
    (pull,) = run_with_floor(trunk, lockout)
    assert (pull.complete, pull.counted_from) == (True, "bottom")
    assert lockout[pull.peak_index] == 20  # the far position is where the hips open most
    assert not any(e.complete for e in run_with_floor(trunk, squatted))
    # Dropping the bar at the knees (the hips bend to 60 only) and standing up is not a second pull.
    dropped = ramp(20, 60, 0.3) + ramp(60, 5, 0.5)
    events = run_with_floor(trunk[:75] + ramp(25, 40, 0.3) + ramp(40, 5, 0.5), lockout[:75] + dropped)
    assert [e.complete for e in events] == [True]


def test_a_pull_the_recording_cuts_just_before_the_lockout_counts_while_still_rising():
    trunk = hold(70, 1) + ramp(70, 30, 0.6)
    (cut,) = run_with_floor(trunk, hold(120, 1) + ramp(120, 45, 0.6))  # 83 % of the way, rising
    assert (cut.complete, cut.note) == (True, f"{NOTE_FROM_BOTTOM}; {NOTE_CUT_SHORT}")
    stopped = hold(120, 1) + ramp(120, 60, 0.4) + hold(60, 0.2)  # 67 % and halted: bent over
    assert not run_with_floor(trunk, stopped)[0].complete
    creeping = hold(120, 1) + ramp(120, 80, 0.4) + ramp(80, 50, 3)  # 78 %, but at 0.1 of the way a second
    assert not run_with_floor(hold(70, 1) + ramp(70, 30, 0.4) + hold(30, 3), creeping)[0].complete
    # From the top a rep counts only once seen back at the top: a squat cut on its way up is partial.
    (squat,) = run(hold(0, 1) + ramp(0, 60, 1) + ramp(60, 25, 0.6), close=True)
    assert (squat.complete, squat.reason) == (False, REASON_STOPPED)


def test_floor_levels_come_in_pairs_in_the_lifts_direction():
    with pytest.raises(ValueError, match="go together"):
        Counting(start=20.0, end=35.0, rest_at_either_end=True, floor_start=90.0)
    with pytest.raises(ValueError, match="before floor_start"):
        Counting(start=20.0, end=35.0, rest_at_either_end=True, floor_start=30.0, floor_end=90.0)
    with pytest.raises(ValueError, match="rest at either end"):
        Counting(start=20.0, end=35.0, floor_start=90.0, floor_end=30.0)
