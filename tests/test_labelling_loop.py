"""The labelling loop without a window: the bundled clip's frames and its exact pose track, a display
that presses keys on a schedule, and the canvases it was shown."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from formcheck.analysis.pipeline import analyze_track
from formcheck.errors import FormcheckError
from formcheck.exercises import configured
from formcheck.io.labels import LabelledRep
from formcheck.io.sources import open_capture
from formcheck.io.track_files import load_track
from formcheck.labelling.loop import LabelLoop, VideoFrames
from formcheck.labelling.state import Labelling
from formcheck.labelling.view import label_layout

STUDIO = Path(__file__).resolve().parents[1] / "samples" / "studio"
CLIP = STUDIO / "hip_hinge_knee_over_toes.mp4"


class ScriptedDisplay:
    """Presses each (seconds after start, key) of ``script`` once its time has come; keeps what it shows."""

    def __init__(self, script: list[tuple[float, str]], state: Labelling) -> None:
        self._script = list(script)
        self._state = state
        self.messages: list[str] = []
        self._start = time.monotonic()
        self.shown: list[np.ndarray] = []

    def _key(self) -> int:
        if self._script and time.monotonic() - self._start >= self._script[0][0]:
            return ord(self._script.pop(0)[1])
        return -1

    def show(self, canvas: np.ndarray) -> int:
        self.shown.append(canvas)
        self.messages.append(self._state.message)
        return self._key()

    def poll(self, wait_ms: int) -> int:
        time.sleep(wait_ms / 1000)
        return self._key()

    def close(self) -> None:
        pass


def _loop(script: list[tuple[float, str]], save) -> tuple[Labelling, ScriptedDisplay]:
    # The studio's exact landmarks stand in for the model's: the loop is under test, not the pose.
    track = load_track(STUDIO / "hip_hinge_knee_over_toes.truth.npz")
    spec, thresholds = configured("hip_hinge")
    report, _ = analyze_track(track, spec, thresholds)
    state = Labelling.from_report(report, [rule.id for rule in spec.rules], track.t)
    capture = open_capture(CLIP)
    display = ScriptedDisplay(script, state)
    frames = VideoFrames(capture, track.image_size)
    try:
        LabelLoop(
            state,
            frames=frames,
            track=track,
            display=display,
            exercise="hip_hinge",
            clip=CLIP.name,
            key_landmarks=spec.judged_landmarks,
            min_visibility=float(thresholds["min_visibility"]),
            save=save,
        ).run()
    finally:
        frames.close()
    return state, display


def _nowhere(reps: list[LabelledRep]) -> str:
    raise AssertionError("nothing is saved in this test")


def test_space_plays_on_the_clips_clock_and_space_pauses():
    state, display = _loop([(0.0, " "), (1.0, " "), (1.2, "q")], _nowhere)
    # 1 s at 15 fps is 15 frames; a loaded machine may draw slower, never faster.
    assert 5 <= state.frame <= 16, state.frame
    assert not state.playing
    assert len({canvas.tobytes() for canvas in display.shown}) >= 5, "each frame played is drawn"
    layout = label_layout(960, len(state.rule_ids))
    assert display.shown[-1].shape == (layout.height, layout.width, 3)


def test_w_saves_the_labels_and_then_q_quits_at_once():
    saved: list[list[LabelledRep]] = []

    def save(reps: list[LabelledRep]) -> str:
        saved.append(reps)
        return "somewhere.labels.json"

    state, _ = _loop([(0.0, "n"), (0.05, "x"), (0.1, "w"), (0.15, "q")], save)
    assert len(saved) == 1 and len(saved[0]) == 1, "one rep left after dropping the first"
    assert state.saved_to == "somewhere.labels.json" and not state.dirty


def test_a_failed_save_is_said_in_the_window_and_the_changes_stay_unsaved():
    def refuse(reps: list[LabelledRep]) -> str:
        raise FormcheckError("x.labels.json: cannot write the labels (permission denied)")

    state, display = _loop([(0.0, "x"), (0.05, "w"), (0.1, "q"), (0.15, "q")], refuse)
    assert "x.labels.json: cannot write the labels (permission denied)" in display.messages
    assert state.dirty and state.saved_to is None
