"""One session as a display shows it, frame by frame: the live window and the annotated video both
present a session through `SessionPresenter`, so a video shows each frame as live mode would have.

The engine (`ExerciseSession`) counts and judges; the presenter keeps what a display needs between
frames — the `LiveState` after the latest frame and the last rep that ended — and makes the
`OverlayInput` that `render_overlay` draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formcheck.render.live_state import LiveState, live_state
from formcheck.render.overlay import KEYS_HELP, LoopStatus, OverlayInput

if TYPE_CHECKING:
    from formcheck.analysis.results import Rep
    from formcheck.analysis.session import ExerciseSession
    from formcheck.core.track import PoseFrame


class SessionPresenter:
    """The display's side of one session.

    Attributes:
        session: the engine, fed one frame at a time by `update`.
        exercise: the exercise id shown in the counter.
        state: the display state after the latest frame, None before the first (or after `reset`).
        last_rep: the most recent rep that ended (complete or partial), for the rule lights.
    """

    def __init__(self, session: ExerciseSession, exercise: str) -> None:
        self.session = session
        self.exercise = exercise
        self.state: LiveState | None = None
        self.last_rep: Rep | None = None
        self._reps_taken = 0

    def update(self, pose: PoseFrame) -> LiveState:
        """Feed one frame to the engine; returns (and keeps) the display state after it."""
        self.state = live_state(self.session, self.session.update(pose))
        return self.state

    def new_reps(self) -> tuple[Rep, ...]:
        """The reps the engine ended since the last call, the latest becoming `last_rep`.

        Reads the engine's rep list rather than `FrameState.completed`, because a switch of side,
        a new set or the end of the session also end a rep (as partial) between frames.
        """
        reps = self.session.reps[self._reps_taken :]
        self._reps_taken += len(reps)
        if reps:
            self.last_rep = reps[-1]
        return reps

    def reset(self) -> None:
        """Forget every rep and frame (the engine's too)."""
        self.session.reset()
        self.state, self.last_rep, self._reps_taken = None, None, 0

    def overlay(
        self,
        pose: PoseFrame | None,
        *,
        status: LoopStatus | None,
        mirror: bool = False,
        banner: str | None = None,
        start_screen: bool = False,
        start_seconds_left: float = 0.0,
        footer: str = KEYS_HELP,
    ) -> OverlayInput:
        """What `render_overlay` draws for the current state, over ``pose`` (None: no skeleton)."""
        return OverlayInput(
            exercise=self.exercise,
            pose=pose,
            state=self.state,
            last_rep=self.last_rep,
            status=status,
            mirror=mirror,
            banner=banner,
            start_screen=start_screen,
            start_seconds_left=start_seconds_left,
            footer=footer,
        )
