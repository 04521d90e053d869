"""Leg identity (`formcheck.pose.legs`): swaps the model makes are undone, a track without swaps
is left alone, and a whole track is corrected exactly as frame by frame (live)."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.core.landmarks import Landmark as L
from formcheck.io.capture import CapturedFrame
from formcheck.io.mailbox import LatestMailbox, MailboxClosed
from formcheck.live.pose_worker import PoseWorker
from formcheck.pose.legs import LEG_SWAP_ORDER, LegIdentity, keep_leg_identity
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_at, pose_track

_TRACKS = {}


def _track(exercise: str, azimuth: float, seed: int):
    """A side-on (or near it) synthetic track with 1 px of noise; cached per (exercise, azimuth, seed)."""
    key = (exercise, azimuth, seed)
    if key not in _TRACKS:
        pose, _ = motion(exercise, reps=2, side="left", seed=seed)
        _TRACKS[key] = pose_track(pose, camera_at(azimuth), noise_px=1.0, seed=seed)
    return _TRACKS[key]


def _legs_apart(track) -> np.ndarray:
    """(N,) the two legs' knees and ankles are over 10 px apart: where a swap can be told at all."""
    scale = np.array(track.image_size, dtype=np.float64)
    left, right = [L.LEFT_KNEE, L.LEFT_ANKLE], [L.RIGHT_KNEE, L.RIGHT_ANKLE]
    gap = np.linalg.norm((track.image_xy[:, left] - track.image_xy[:, right]) * scale, axis=2).mean(axis=1)
    return gap > 10.0


def _swapped(track, frames: np.ndarray):
    """``track`` with the legs' positions exchanged at ``frames``, as the model swaps them: image
    and world x, y; depth and visibility stay with the name."""
    order = list(LEG_SWAP_ORDER)
    image_xy, world = track.image_xy.copy(), track.world.copy()
    image_xy[frames] = image_xy[frames][:, order]
    world[frames, :, :2] = world[frames][:, order, :2]
    return replace(track, image_xy=image_xy, world=world)


EXERCISES = st.sampled_from([("split_squat", 90.0), ("split_squat", -75.0), ("hip_hinge", 90.0)])


@settings(max_examples=20, deadline=None)
@given(
    EXERCISES, st.integers(0, 3), st.lists(st.tuples(st.floats(0.02, 0.95), st.integers(1, 12)), max_size=4)
)
def test_swaps_injected_at_random_frames_come_out_with_the_original_labelling(case, seed, stretches):
    # Stretches of up to 12 frames at 30 frames/s (0.4 s): shorter than the model's vote needs
    # (VOTE_MARGIN) to outweigh the chain while the body moves; a longer swap while moving is
    # taken as the model correcting itself.
    exercise, azimuth = case
    track = _track(exercise, azimuth, seed)
    apart = _legs_apart(track)
    swapped = np.zeros(len(track), dtype=bool)
    free_from = 1
    for start, length in sorted(stretches):
        first = max(int(start * len(track)), free_from)
        swapped[first : first + length] = True
        free_from = first + length + 12  # stretches apart: each one short
    # The model's swaps begin and end where the legs are apart; where they overlap a swap is void.
    swapped &= apart
    corrected = keep_leg_identity(_swapped(track, np.flatnonzero(swapped)))
    np.testing.assert_array_equal(corrected.image_xy[apart], track.image_xy[apart])
    np.testing.assert_array_equal(corrected.world[apart], track.world[apart])


@settings(max_examples=10, deadline=None)
@given(
    st.sampled_from([("split_squat", 90.0), ("hip_hinge", 90.0), ("squat", 90.0), ("squat", 0.0)]),
    st.integers(0, 3),
)
def test_a_track_without_swaps_is_unchanged(case, seed):
    exercise, azimuth = case
    pose, _ = motion(exercise, reps=2, side="both" if exercise == "squat" else "left", seed=seed)
    track = pose_track(pose, camera_at(azimuth), noise_px=1.0, seed=seed)
    corrected = keep_leg_identity(track)
    for name in ("image_xy", "z", "visibility", "presence", "world"):
        np.testing.assert_array_equal(getattr(corrected, name), getattr(track, name))


@settings(max_examples=10, deadline=None)
@given(EXERCISES, st.integers(0, 3), st.floats(0.05, 0.4))
def test_a_track_that_starts_swapped_comes_out_named_right_from_its_first_frame(case, seed, until):
    # The model names the legs the wrong way from the first frame to a moment in the first of the
    # two reps, then right: the chain starts the wrong way (nothing in a still frame tells), the
    # model's vote turns it over while the body moves, and offline the frames before are named
    # as the model's vote over the whole set says. (Wrong for more than half of the set, the
    # model's majority is the wrong names, and so is the result: the limit of any vote.)
    exercise, azimuth = case
    track = _track(exercise, azimuth, seed)
    apart = _legs_apart(track)
    # The model's own switch back happens where the legs are apart (where they overlap it is void).
    end = int(np.flatnonzero(apart[int(until * len(track)) :])[0]) + int(until * len(track))
    injected = _swapped(track, np.arange(end))
    corrected = keep_leg_identity(injected)
    np.testing.assert_array_equal(corrected.image_xy[apart], track.image_xy[apart])
    # Live mode, which cannot take a frame back, shows the first frames as the model named them.
    identity = LegIdentity()
    live = np.stack([identity.correct(frame).image_xy for frame in injected])
    assert identity.turnovers == 1
    np.testing.assert_array_equal(live[:end][apart[:end]], injected.image_xy[:end][apart[:end]])


def test_a_whole_track_is_corrected_as_live_mode_corrects_it_frame_by_frame():
    # A short swap (0.4 s): live mode's chain undoes it without turning over, and the whole track
    # comes out exactly as live mode showed it.
    track = _track("split_squat", 90.0, 0)
    injected = _swapped(track, np.arange(30, 42))
    identity = LegIdentity()
    live = np.stack([identity.correct(frame).image_xy for frame in injected])
    assert identity.turnovers == 0
    np.testing.assert_array_equal(live, keep_leg_identity(injected).image_xy)
    assert not np.array_equal(live, injected.image_xy)  # the swap was there to undo
    # Depth and visibility stay with the name, as the model gives them.
    corrected = keep_leg_identity(injected)
    for name in ("z", "visibility", "presence"):
        np.testing.assert_array_equal(getattr(corrected, name), getattr(injected, name))
    np.testing.assert_array_equal(corrected.world[..., 2], injected.world[..., 2])


def test_a_long_swap_in_mid_set_that_turns_live_modes_chain_over_is_undone_offline():
    # A second of swapped legs while the body moves: live mode takes it for the model correcting
    # itself and names the legs the other way from then on; offline the vote over the whole set
    # (the model right for the other 8 seconds) names every frame right.
    track = _track("split_squat", 90.0, 0)
    apart = _legs_apart(track)
    injected = _swapped(track, np.arange(30, 60))
    identity = LegIdentity()
    live = np.stack([identity.correct(frame).image_xy for frame in injected])
    assert identity.turnovers >= 1
    assert not np.array_equal(live[60:][apart[60:]], track.image_xy[60:][apart[60:]])
    np.testing.assert_array_equal(keep_leg_identity(injected).image_xy[apart], track.image_xy[apart])


@given(st.integers(0, 3), st.integers(10, 30), st.booleans())
@settings(max_examples=10, deadline=None)
def test_legs_drawn_together_for_long_come_out_named_right_after(seed, frames, then_swapped):
    # As the model does side-on: for 0.3-1 s it draws both legs onto one (each leg's joints at
    # the two legs' mean), then goes on with the legs apart, named right or, for a moment,
    # swapped. The chain must take up neither the drawn-together frames nor chance from them.
    track = _track("hip_hinge", 90.0, seed)
    apart = _legs_apart(track)
    start = int(np.flatnonzero(apart[len(track) // 2 :])[0]) + len(track) // 2
    together = np.arange(start, min(start + frames, len(track) - 20))
    image_xy = track.image_xy.copy()
    image_xy[together] = (image_xy[together] + image_xy[together][:, list(LEG_SWAP_ORDER)]) / 2
    image_xy[together, L.LEFT_KNEE] += 0.002  # the model's jitter: never exactly on one another
    drawn = replace(track, image_xy=image_xy)
    after = np.arange(together[-1] + 1, len(track))
    # A swap of 10 frames (a third of a second) right after: the model's flicker as it lets go.
    injected = _swapped(drawn, after[:10]) if then_swapped else drawn
    corrected = keep_leg_identity(injected)
    later = np.zeros(len(track), dtype=bool)
    later[after] = True
    np.testing.assert_array_equal(corrected.image_xy[later & apart], track.image_xy[later & apart])


def test_frames_without_a_person_pass_through_and_a_long_gap_starts_afresh():
    track = _track("split_squat", 90.0, 1)
    blank = np.zeros(len(track), dtype=bool)
    blank[40:60] = True  # over a second: whoever comes back is taken as the model names them
    arrays = {
        name: getattr(track, name).copy() for name in ("image_xy", "z", "visibility", "presence", "world")
    }
    for values in arrays.values():
        values[blank] = np.nan
    hidden = replace(track, **arrays)
    after_gap = _swapped(hidden, np.arange(60, len(track)))
    corrected = keep_leg_identity(after_gap)
    assert np.isnan(corrected.image_xy[blank]).all()
    np.testing.assert_array_equal(corrected.image_xy[60:], after_gap.image_xy[60:])


class _Replay:
    """A stand-in detector that returns the frames of a track, one per call, in order."""

    def __init__(self, track) -> None:
        self._frames = iter(track)

    def detect(self, image, t, index):
        return next(self._frames)


def test_live_modes_pose_thread_hands_on_the_corrected_legs():
    injected = _swapped(_track("split_squat", 90.0, 2), np.arange(40, 50))
    frames: LatestMailbox = LatestMailbox(wait_when_full=True)
    worker = PoseWorker(_Replay(injected), frames, exact=True).start()
    image = np.zeros((4, 4, 3), dtype=np.uint8)

    def feed() -> None:
        for frame in injected:
            frames.put(CapturedFrame(image, frame.index, frame.t, frame.t))
        frames.close()

    threading.Thread(target=feed, daemon=True).start()
    shown = []
    while True:
        try:
            shown.append(worker.results.take(timeout=10).pose.image_xy)
        except MailboxClosed:
            break
    worker.stop()
    np.testing.assert_array_equal(np.stack(shown), keep_leg_identity(injected).image_xy)
