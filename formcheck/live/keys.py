"""The keys of the live window and what they do."""

from __future__ import annotations

from enum import Enum


class Action(Enum):
    QUIT = "quit"
    PAUSE = "pause"
    RESET = "reset"
    SWITCH_SIDE = "switch_side"
    NEXT_SET = "next_set"


_ESCAPE = 27
KEY_ACTIONS: dict[int, Action] = {
    ord("q"): Action.QUIT,
    _ESCAPE: Action.QUIT,
    ord(" "): Action.PAUSE,
    ord("p"): Action.PAUSE,
    ord("r"): Action.RESET,
    ord("s"): Action.SWITCH_SIDE,
    ord("n"): Action.NEXT_SET,
}


def action_for_key(code: int) -> Action | None:
    """The action of a `cv2.waitKey` code (-1 = no key; modifier bits above 0xFF are ignored)."""
    if code < 0:
        return None
    return KEY_ACTIONS.get(code & 0xFF)
