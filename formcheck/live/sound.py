"""Optional sound for rep verdicts: a short tone, or the cue spoken by an offline voice.

Sound is off by default. It depends on things outside formcheck (an audio device, the
PortAudio library, a speech engine), so opening it never fails a session: `open_sound`
returns a silent player and a one-line warning instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from formcheck.io.mailbox import LatestMailbox, MailboxClosed

SOUND_MODES = ("off", "tone", "speech")

_SAMPLE_RATE = 22050
_PASS_TONE_HZ = 880.0
_FAIL_TONE_HZ = 330.0


def rep_passed(rep: dict[str, Any]) -> bool:
    """A complete rep with no failed rule."""
    return bool(rep.get("complete")) and all(rule.get("status") != "failed" for rule in rep.get("rules", ()))


def rep_phrase(rep: dict[str, Any]) -> str:
    """What to say about a rep: the first failed rule's cue, else a short confirmation."""
    if not rep.get("complete"):
        return "Partial rep"
    for rule in rep.get("rules", ()):
        if rule.get("status") == "failed" and rule.get("cue"):
            return str(rule["cue"])
    return "Good rep"


class RepSound(Protocol):
    def rep(self, rep: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class Silent:
    def rep(self, rep: dict[str, Any]) -> None:
        pass

    def close(self) -> None:
        pass


def tone(frequency_hz: float, duration_s: float) -> np.ndarray:
    """(N,) float32 samples at 22.05 kHz of a sine with 10 ms fades (no clicks)."""
    n = int(_SAMPLE_RATE * duration_s)
    samples = 0.3 * np.sin(2 * np.pi * frequency_hz * np.arange(n) / _SAMPLE_RATE)
    fade = min(n // 2, int(0.01 * _SAMPLE_RATE))
    ramp = np.linspace(0.0, 1.0, fade)
    samples[:fade] *= ramp
    samples[n - fade :] *= ramp[::-1]
    return samples.astype(np.float32)


class TonePlayer:
    """A high beep for a good rep, a low one for a rep with a fault (sounddevice, non-blocking)."""

    def __init__(self) -> None:
        # sounddevice raises OSError at import when the PortAudio library is missing.
        import sounddevice

        sounddevice.check_output_settings(samplerate=_SAMPLE_RATE, channels=1, dtype="float32")
        self._sounddevice = sounddevice
        self._good = tone(_PASS_TONE_HZ, 0.15)
        self._bad = np.concatenate(
            [tone(_FAIL_TONE_HZ, 0.12), np.zeros(800, np.float32), tone(_FAIL_TONE_HZ, 0.12)]
        )

    def rep(self, rep: dict[str, Any]) -> None:
        self._sounddevice.play(self._good if rep_passed(rep) else self._bad, _SAMPLE_RATE)

    def close(self) -> None:
        self._sounddevice.stop()


class SpeechPlayer:
    """Speaks each rep's cue with pyttsx3 (espeak-ng on Linux) on its own thread.

    Speaking takes longer than a rep can: only the newest phrase waits, older ones are
    dropped rather than queued, so the voice never lags behind the person.
    """

    def __init__(self) -> None:
        import pyttsx3

        self._engine = pyttsx3.init()
        self._phrases: LatestMailbox[str] = LatestMailbox()
        self._thread = threading.Thread(target=self._speak_forever, name="formcheck-speech", daemon=True)
        self._thread.start()

    def _speak_forever(self) -> None:
        while True:
            try:
                phrase = self._phrases.take()
            except MailboxClosed:
                return
            self._engine.say(phrase)
            self._engine.runAndWait()

    def rep(self, rep: dict[str, Any]) -> None:
        self._phrases.put(rep_phrase(rep))

    def close(self) -> None:
        self._phrases.close()
        self._thread.join(timeout=2.0)


_PLAYERS: dict[str, tuple[Callable[[], RepSound], str]] = {
    "tone": (TonePlayer, "needs an audio output and the PortAudio library (apt install libportaudio2)"),
    "speech": (SpeechPlayer, "needs `pip install pyttsx3` and an offline voice (apt install espeak-ng)"),
}


def open_sound(mode: str) -> tuple[RepSound, str | None]:
    """The player for `mode` (off|tone|speech) and a one-line warning when it had to fall back to silence."""
    if mode == "off":
        return Silent(), None
    make, requirement = _PLAYERS[mode]
    try:
        return make(), None
    except (ImportError, OSError, RuntimeError, ValueError) as error:
        # sounddevice.PortAudioError is a RuntimeError; pyttsx3 raises RuntimeError/OSError without a voice.
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return Silent(), f"sound off: --sound {mode} {requirement} ({reason})"
