"""The labelling window's loop: show the playhead's frame, read a key, apply it, play on the clip's clock.

`LabelLoop` wires a `Labelling` (the state), the clip's frames, its pose track (the skeleton), the
drawing (`render_labelling`) and a `Display`; it decides nothing about labels itself and writes
through the ``save`` callable it is given.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

import cv2
import numpy as np

from formcheck.analysis.frames import landmark_indices
from formcheck.core.track import PoseTrack
from formcheck.errors import FormcheckError
from formcheck.io.labels import LabelledRep
from formcheck.labelling.state import Effect, Labelling
from formcheck.labelling.view import render_labelling
from formcheck.live.window import Display

# Between frames the loop only waits for keys; short enough that a key feels immediate.
_POLL_MS = 15


class VideoFrames:
    """A video's frames by number: the next one is read on, any other is sought; the last few are kept
    (stepping back and forth over a rep must not decode from the keyframe each time)."""

    def __init__(self, capture: cv2.VideoCapture, image_size: tuple[int, int], keep: int = 48) -> None:
        self._capture = capture
        self._blank = np.zeros((max(image_size[1], 1), max(image_size[0], 1), 3), np.uint8)
        self._keep = keep
        self._kept: OrderedDict[int, np.ndarray] = OrderedDict()
        self._next = 0

    def image(self, number: int) -> np.ndarray:
        """(H, W, 3) BGR frame ``number``; a black frame where the video has none (it ended early)."""
        if number in self._kept:
            self._kept.move_to_end(number)
            return self._kept[number]
        if number != self._next:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, number)
        ok, image = self._capture.read()
        if not ok:
            self._next = -1  # unknown position: seek next time
            return self._blank
        self._next = number + 1
        self._kept[number] = image
        if len(self._kept) > self._keep:
            self._kept.popitem(last=False)
        return image

    def close(self) -> None:
        self._capture.release()


class LabelLoop:
    """One labelling session in a window; call `run` once."""

    def __init__(
        self,
        state: Labelling,
        *,
        frames: VideoFrames,
        track: PoseTrack,
        display: Display,
        exercise: str,
        clip: str,
        key_landmarks: tuple[str, ...],
        min_visibility: float,
        save: Callable[[list[LabelledRep]], str],
    ) -> None:
        """``save`` writes the labels it is given and says where (for the message); a
        `FormcheckError` it raises is said in the window, and the changes stay unsaved."""
        self._state = state
        self._frames = frames
        self._track = track
        self._display = display
        self._exercise = exercise
        self._clip = clip
        self._key_names = key_landmarks
        self._min_visibility = min_visibility
        self._save = save
        self._frame_s = 1.0 / track.fps if track.fps > 0 else 1.0 / 30

    def run(self) -> None:
        """Until the quit key (which asks once more while changes are unsaved)."""
        changed, last_step = True, time.monotonic()
        while True:
            key = self._display.show(self._canvas()) if changed else self._display.poll(_POLL_MS)
            changed = False
            if key >= 0:
                changed = True
                was_playing = self._state.playing
                effect = self._state.press(chr(key & 0xFF))
                if effect is Effect.QUIT:
                    return
                if effect is Effect.SAVE:
                    self._write()
                if self._state.playing and not was_playing:
                    last_step = time.monotonic()
            now = time.monotonic()
            if self._state.playing and now - last_step >= self._frame_s:
                # On the clip's clock; when drawing falls behind, play slower rather than jump.
                last_step = max(last_step + self._frame_s, now - self._frame_s)
                self._state.advance()
                changed = True

    def _write(self) -> None:
        try:
            where = self._save(self._state.labels())
        except FormcheckError as error:
            self._state.message = str(error)
        else:
            self._state.saved(where)

    def _canvas(self) -> np.ndarray:
        state = self._state
        pose = self._track.frame(state.frame)
        side = state.reps[state.current].side if state.current is not None else None
        keys = landmark_indices(self._key_names, side if side in ("left", "right") else None)
        return render_labelling(
            self._frames.image(int(self._track.index[state.frame])),
            pose,
            state,
            exercise=self._exercise,
            clip=self._clip,
            key_landmarks=keys,
            min_visibility=self._min_visibility,
        )
