"""Keys, optional sound and loop figures."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.live.keys import Action, action_for_key
from formcheck.live.sound import Silent, open_sound, rep_passed, rep_phrase, tone
from formcheck.live.stats import LoopMeter, StageClock, bottleneck_note


@pytest.mark.parametrize(
    ("key", "action"),
    [
        (ord("q"), Action.QUIT),
        (27, Action.QUIT),
        (ord(" "), Action.PAUSE),
        (ord("p"), Action.PAUSE),
        (ord("r"), Action.RESET),
        (ord("s"), Action.SWITCH_SIDE),
        (ord("n"), Action.NEXT_SET),
        (0x100000 | ord("q"), Action.QUIT),  # Qt adds modifier bits above the key code
        (ord("x"), None),
        (-1, None),
    ],
)
def test_key_actions(key, action):
    assert action_for_key(key) is action


GOOD = {"complete": True, "rules": [{"id": "a", "status": "passed"}, {"id": "b", "status": "not_judged"}]}
BAD = {"complete": True, "rules": [{"id": "a", "status": "failed", "cue": "Push your hips back"}]}
PARTIAL = {"complete": False, "reason": "lost sight of you", "rules": []}


def test_what_a_rep_sounds_like():
    assert rep_passed(GOOD) and not rep_passed(BAD) and not rep_passed(PARTIAL)
    assert rep_phrase(GOOD) == "Good rep"
    assert rep_phrase(BAD) == "Push your hips back"
    assert rep_phrase(PARTIAL) == "Partial rep"


def test_tone_fades_in_and_out():
    samples = tone(880.0, 0.1)
    assert samples.dtype == np.float32 and len(samples) == 2205
    assert abs(samples[0]) < 1e-6 and abs(samples[-1]) < 1e-6
    assert np.max(np.abs(samples)) == pytest.approx(0.3, rel=0.01)


@pytest.mark.parametrize("mode", ["tone", "speech"])
def test_sound_that_cannot_play_falls_back_to_silence_with_one_line(mode):
    # On this machine (no audio device, no PortAudio/voice) this is the real fallback path;
    # where sound works, the player opens and there is no warning.
    player, warning = open_sound(mode)
    if warning is None:
        player.close()
        pytest.skip(f"--sound {mode} works on this machine")
    assert isinstance(player, Silent)
    assert warning.startswith(f"sound off: --sound {mode}") and "\n" not in warning
    player.rep(BAD)


def test_sound_off_is_silent_without_warning():
    player, warning = open_sound("off")
    assert isinstance(player, Silent) and warning is None


def test_loop_meter_rate_and_latency():
    meter = LoopMeter(window=10)
    for i in range(20):
        meter.record(captured_at=i / 30, displayed_at=i / 30 + 0.040 + (0.020 if i == 19 else 0.0))
    assert meter.recent_fps == pytest.approx(30 * 9 / (9 + 0.6), rel=1e-6)
    assert meter.last_latency_ms == pytest.approx(60.0)
    summary = meter.summary()
    assert summary["frames"] == 20
    assert summary["fps"] == pytest.approx(19 / (19 / 30 + 0.02), abs=0.01)
    assert summary["latency_median_ms"] == pytest.approx(40.0)
    assert summary["latency_p95_ms"] > 40.0


@pytest.mark.parametrize(
    ("source_fps", "shown_fps", "pose_ms", "main_ms", "expected"),
    [
        (30.0, 29.5, 25.0, 11.0, None),  # keeping up
        (30.0, 0.0, 25.0, 11.0, None),  # nothing shown yet
        (0.0, 12.0, 25.0, 11.0, None),  # a camera that does not say its rate
        (
            30.0,
            20.0,
            48.0,
            11.0,
            "pose model 48 ms/frame (source needs 33): close other programs, "
            "lower the camera resolution, or --model pose_landmarker_lite.task",
        ),
        (
            30.0,
            20.0,
            20.0,
            45.0,
            "drawing 45 ms/frame (source needs 33): close other programs or lower the camera resolution",
        ),
    ],
)
def test_the_bottleneck_note_names_the_slower_stage_only_when_the_loop_falls_behind(
    source_fps, shown_fps, pose_ms, main_ms, expected
):
    assert bottleneck_note(source_fps, shown_fps, pose_ms / 1000, main_ms / 1000) == expected


def test_a_stage_clock_follows_the_recent_frames():
    clock = StageClock()
    for _ in range(100):
        clock.add(0.010)
    for _ in range(100):
        clock.add(0.040)
    assert clock.mean_s == pytest.approx(0.040, abs=0.002)
