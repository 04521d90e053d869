"""Leg identity: undo the pose model's left/right swaps of the legs, frame by frame (numpy only).

Seen side-on, MediaPipe often gives the left leg's name to the right leg's joints for a stretch
of frames and then swaps back (measured on the studio: ``benchmarks/README.md``, "Leg identity").
What it swaps is the legs' positions, in the picture and in its world landmarks; their depth
(``z`` and world z) and visibility stay with the name (on the studio's side-on clips the "left"
knee stays the nearer and the more visible one while it sits on the far leg). So no single
frame tells a swap, and a correction exchanges the positions only. Time tells it, by two cues:

- continuity: each leg's joints (hip, knee, ankle, heel, toe) move on from where that leg was,
  at the speed it had, so a frame whose two legs each sit where the *other* leg was predicted is
  a swap, and is swapped back;
- the model's own vote: when the continuity chain has started from a swapped frame, the model
  disagrees with it while the body moves with the legs apart (where it names them right, and
  where a name is worth something). The chain follows the vote, with a margin, so it changes
  its mind rarely and only on strong evidence — in practice once, early in the first movement.
  Before that movement, a track that starts swapped stays swapped: nothing in a still frame
  tells;
- legs drawn together: the model sometimes puts both legs onto one for most of a second while
  the true legs stand apart. The chain holds its last sure positions for a moment, then takes
  the frames up; the labelling it carries on from there is chance, so if the legs stand apart
  again at the next sure frame, feet that clearly stand where they stood before name the legs
  (a split stance, a hinge's planted feet), and offline the stretch from there is named by the
  model's own vote over it where that vote is clear.

`LegIdentity` holds that state for live mode (one frame at a time), which cannot take back a
frame it has shown. `keep_leg_identity` runs it over a whole track and then does what live mode
cannot: it undoes the chain's turnovers, which leaves one labelling carried by continuity from
the chain's first frame to its last, and names the legs of the whole chain by the model's vote
over all of it. Without that, a clip that starts swapped has its first rep judged on the other
leg (on the studio's side-on hinges, the first rep of most clips: `knee_over_toes` 1.2 shin
lengths for a true -0.44, `balance` 1.4 for 0; benchmarks/README.md, "Leg identity"), and a
long swap in mid-set that turns the chain over names every frame after it wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck.core.landmarks import Landmark as L
from formcheck.core.track import PoseFrame, PoseTrack

LEG_JOINTS = ("HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
LEFT_LEG = np.array([L[f"LEFT_{joint}"] for joint in LEG_JOINTS])
RIGHT_LEG = np.array([L[f"RIGHT_{joint}"] for joint in LEG_JOINTS])
_LEG_ORDER = np.arange(len(L))
_LEG_ORDER[LEFT_LEG], _LEG_ORDER[RIGHT_LEG] = RIGHT_LEG, LEFT_LEG
LEG_SWAP_ORDER: tuple[int, ...] = tuple(int(i) for i in _LEG_ORDER)
"""``landmarks[LEG_SWAP_ORDER]`` swaps the two legs (hip to toe) and leaves the rest alone."""

# A frame is a swap when its crossed labelling fits the prediction better by this share of a
# leg length (distances summed over both legs' joints): the model's jitter (about 1 % of the
# picture) stays far below it, a swap of legs a thigh apart far above.
SWAP_MARGIN = 0.25
# The vote counts a frame's duration, in full once the body moves at SPEED_FULL (leg lengths a
# second; the model's jitter stays under SPEED_FLOOR) and the legs stand SEPARATION_FULL apart
# (leg lengths, mean over knee, ankle, heel, toe). Legs folded together say nothing about their
# names, and the model names them worst while the person stands still (on the studio's side-on
# hinges and split squats it swaps them at rest and names them right as the body moves).
SPEED_FLOOR = 0.1
SPEED_FULL = 0.25
SEPARATION_FULL = 0.3
# Time constant of the smoothing of the joints' velocity, seconds.
VELOCITY_S = 0.15
# The chain turns over when the model's weighted disagreement exceeds its agreement by this many
# seconds of full evidence.
VOTE_MARGIN = 0.5
# A frame whose better labelling puts the joints this far on average (leg lengths) from where
# they were going is one the model is swapping through.
UNSURE_FIT = 0.08
# ... and so is a frame whose legs come this much closer together than they were.
COLLAPSED = 0.6
# The longest such a hold lasts, seconds (the model's switches take 2-3 frames at 15 frames/s).
MAX_HOLD_S = 0.25
# After this long without a person the legs' state is forgotten: whoever comes back starts anew.
MAX_GAP_S = 0.5


def _leg_length(points: np.ndarray) -> float:
    """Mean hip-to-ankle distance of the two legs in ``points`` (33, 2) pixels; NaN if unseen."""
    lengths = np.linalg.norm(
        points[[L.LEFT_HIP, L.RIGHT_HIP]] - points[[L.LEFT_ANKLE, L.RIGHT_ANKLE]], axis=1
    )
    return float(np.nanmean(lengths)) if np.isfinite(lengths).any() else float("nan")


def _ramp(value: float, low: float, high: float) -> float:
    """0 at or below ``low``, 1 at or above ``high``, linear between."""
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def _separation(points: np.ndarray) -> float:
    """Mean distance (pixels) between the two legs' knee, ankle, heel and toe in ``points`` (33, 2)."""
    apart = np.linalg.norm(points[LEFT_LEG[1:]] - points[RIGHT_LEG[1:]], axis=1)
    return float(np.nanmean(apart)) if np.isfinite(apart).any() else 0.0


_LEGS = np.concatenate([LEFT_LEG, RIGHT_LEG])
_FEET = np.concatenate([LEFT_LEG[2:], RIGHT_LEG[2:]])  # ankle, heel, toe


def _fit(points: np.ndarray, predicted: np.ndarray, joints: np.ndarray = _LEGS) -> float:
    """Summed distance (pixels) between ``joints`` of ``points`` and ``predicted`` (both (33, 2))."""
    distances = np.linalg.norm(points[joints] - predicted[joints], axis=1)
    return float(np.nansum(distances))


@dataclass
class _State:
    t: float  # the last sure frame's time: where ``points`` were
    points: np.ndarray  # (33, 2) pixels, the output labelling
    velocity: np.ndarray  # (33, 2) pixels a second, smoothed
    swapped: bool  # the output is the model's labelling with the legs swapped
    vote: float  # weighted agreement of the model with the chain so far
    seen: float  # the last frame's time with the person in it (held through or not)
    # The last sure positions before the chain was taken up from legs drawn together, kept
    # through the held frames that follow and looked at by the next sure frame (if its legs
    # stand apart); None otherwise.
    before: np.ndarray | None = None


class LegIdentity:
    """Corrects the leg labels of successive `PoseFrame`s of one person (see the module docstring).

    Feed frames in time order with `correct`; each comes back with the legs named as the chain
    names them (the frame itself when no swap was needed).
    """

    def __init__(self) -> None:
        self._state: _State | None = None
        self.chain = 0
        """How many times the chain has started afresh (a new person, or one back after a gap)."""
        self.stretch = 0
        """How many times the chain has been taken up from legs drawn together, in all."""
        self.turnovers = 0
        """How many times the model's vote has turned the chain over, in all."""
        self.frame_swapped = False
        """Whether the last frame came out with its legs swapped against the model's names."""
        self.frame_weight = 0.0
        """How much the last frame counted in the model's vote (seconds of full evidence)."""

    def correct(self, frame: PoseFrame) -> PoseFrame:
        self.frame_swapped, self.frame_weight = False, 0.0
        if not frame.has_person:
            if self._state is not None and frame.t - self._state.seen > MAX_GAP_S:
                self._state = None
            return frame
        scale = np.array(frame.image_size, dtype=np.float64) if min(frame.image_size) > 0 else np.ones(2)
        raw = frame.image_xy * scale
        crossed = raw[list(LEG_SWAP_ORDER)]
        state = self._state
        if state is None or frame.t - state.seen > MAX_GAP_S:
            self._state = _State(frame.t, raw, np.zeros_like(raw), swapped=False, vote=0.0, seen=frame.t)
            self.chain += 1
            return frame
        dt = frame.t - state.t
        length = _leg_length(raw)
        if not np.isfinite(length) or length <= 0:
            length = 1.0
        # Continuity: which labelling of this frame carries the chain on.
        # Where the legs were going, or where they were (after a hold, or when they stopped): the
        # guess that fits the frame better in either labelling.
        guesses = (state.points + state.velocity * dt, state.points)
        straight_fit, crossed_fit = min(
            ((_fit(raw, guess), _fit(crossed, guess)) for guess in guesses), key=min
        )
        keep, turn = (crossed_fit, straight_fit) if state.swapped else (straight_fit, crossed_fit)
        swapped = state.swapped ^ (turn + SWAP_MARGIN * length < keep)
        before = state.before
        if before is not None and _separation(raw) >= COLLAPSED * _separation(before):
            # The legs stand apart again after the chain was taken up from legs drawn together,
            # whose labelling is chance. Feet that clearly stand where they stood before name
            # the legs (a split stance, a hinge's planted feet); feet side by side tell nothing,
            # and continuity goes on (a march, whose legs truly came together and took turns).
            straight_feet, crossed_feet = _fit(raw, before, _FEET), _fit(crossed, before, _FEET)
            if abs(straight_feet - crossed_feet) > SWAP_MARGIN * length:
                swapped = crossed_feet < straight_feet
            before = None
        output = crossed if swapped else raw
        # The model swaps over two or three frames in which both legs slide towards the middle:
        # such a frame fits neither labelling, so the chain keeps its last sure positions through
        # it (for a moment only: legs that truly moved that far are followed, from rest).
        collapsed = _separation(raw) < COLLAPSED * _separation(state.points)
        if collapsed or min(keep, turn) > UNSURE_FIT * length * 2 * len(LEG_JOINTS):
            self.frame_swapped = swapped
            if dt < MAX_HOLD_S:
                self._state = replace(state, seen=frame.t)
                return _swap_legs(frame) if swapped else frame
            # Taken up with the legs drawn together, the chain's labelling from here on is
            # chance: the frame names neither leg. A new stretch begins (see keep_leg_identity).
            self.stretch += collapsed
            self._state = replace(
                state,
                t=frame.t,
                points=output,
                velocity=np.zeros_like(output),
                swapped=swapped,
                seen=frame.t,
                before=(state.points if before is None else before) if collapsed else None,
            )
            return _swap_legs(frame) if swapped else frame
        step = np.where(np.isfinite(output - state.points), (output - state.points) / dt, state.velocity)
        velocity = state.velocity + dt / (VELOCITY_S + dt) * (step - state.velocity)
        # The model's vote on the chain, weighted by how much this frame can tell: how fast the
        # body moves (the mid-shoulder and mid-hip points, which no swap moves) and how far apart
        # the legs are.
        centres = np.stack(
            [
                velocity[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER]].mean(axis=0),
                velocity[[L.LEFT_HIP, L.RIGHT_HIP]].mean(axis=0),
            ]
        )
        speed = float(np.nanmax(np.linalg.norm(centres, axis=1))) / length
        separation = _separation(output) / length
        weight = dt * _ramp(speed, SPEED_FLOOR, SPEED_FULL) * _ramp(separation, 0.0, SEPARATION_FULL)
        vote = state.vote + (-weight if swapped else weight)
        if vote < -VOTE_MARGIN:
            # The model has named the legs the other way, clearly, for longer: follow it.
            order = list(LEG_SWAP_ORDER)
            swapped, vote, output, velocity = not swapped, -vote, output[order], velocity[order]
            self.turnovers += 1
        self._state = _State(frame.t, output, velocity, swapped, vote, seen=frame.t)
        self.frame_swapped, self.frame_weight = swapped, weight
        return _swap_legs(frame) if swapped else frame


def _swap_legs(frame: PoseFrame) -> PoseFrame:
    """``frame`` with the two legs' positions exchanged: image x, y and world x, y. Depth (``z``
    and world z), visibility and presence stay with the name: the model gets those right for
    the name even while it puts the name on the other leg (see the module docstring)."""
    order = list(LEG_SWAP_ORDER)
    world = frame.world.copy()
    world[:, :2] = frame.world[order, :2]
    return replace(frame, image_xy=frame.image_xy[order], world=world)


def _vote(swapped: np.ndarray, weight: np.ndarray, frames: np.ndarray) -> float:
    """The model's weighted agreement with the labelling ``swapped`` over ``frames`` (seconds of
    full evidence; negative: it names the legs the other way)."""
    return float(np.sum(np.where(swapped[frames], -weight[frames], weight[frames])))


def keep_leg_identity(track: PoseTrack) -> PoseTrack:
    """``track`` with its legs named as `LegIdentity`'s chains name them, each chain one way from
    its first frame to its last: the way the model's vote over the whole chain says (see the
    module docstring). Where the chain never turned over and the vote agrees, every frame is
    exactly what live mode showed.

    A set of independent poses (``t`` None) is returned as it is: without time there is no
    continuity to follow.
    """
    if not track.is_sequence or len(track) == 0:
        return track
    identity = LegIdentity()
    chain, stretch, continuity, weight = np.zeros((4, len(track)))
    for i, frame in enumerate(track):
        identity.correct(frame)
        # Undoing the turnovers so far leaves the labelling continuity alone carries on.
        continuity[i] = identity.frame_swapped ^ (identity.turnovers % 2)
        chain[i], stretch[i], weight[i] = identity.chain, identity.stretch, identity.frame_weight
    swapped = continuity.astype(bool)
    for number in np.unique(chain):
        frames = chain == number
        # The model's vote over the chain: its weighted agreement with the continuity labelling.
        if _vote(swapped, weight, frames) < 0:
            swapped[frames] = ~swapped[frames]
        # A stretch taken up from legs drawn together carries chance's labelling: where the
        # model's vote over that stretch alone is clear, it names the stretch's legs.
        for part in np.unique(stretch[frames])[1:]:
            inside = frames & (stretch == part)
            if _vote(swapped, weight, inside) < -VOTE_MARGIN:
                swapped[inside] = ~swapped[inside]
    frames = [
        _swap_legs(frame) if turn and frame.has_person else frame
        for frame, turn in zip(track, swapped, strict=True)
    ]
    return replace(
        track,
        image_xy=np.stack([f.image_xy for f in frames]),
        world=np.stack([f.world for f in frames]),
    )
