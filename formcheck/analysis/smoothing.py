"""The One Euro filter (Casiez, Roussel & Vogel, CHI 2012), for several signals at once.

It is a low-pass filter whose cutoff rises with the signal's speed: still poses lose their
jitter, fast movements keep little lag. It uses each sample's own time step, so it works on
a camera's uneven frame times as well as a video's. The per-frame work is a handful of float
operations per channel, so the same code runs a live frame and a whole saved track.
"""

from __future__ import annotations

import math

import numpy as np

TWO_PI = 2.0 * math.pi


class OneEuroFilter:
    """Filters K channels sample by sample; keeps its state between calls.

    Args:
        channels: K, the number of signals.
        min_cutoff_hz: cutoff when the signal is still (lower = smoother, more lag).
        beta: how fast the cutoff rises with speed (per unit of the signal per second).
        derivative_cutoff_hz: cutoff of the speed estimate.
        reset_after_s: a gap in a channel (NaN samples) longer than this restarts it, so that
            a person who walks back into view is not dragged from where they left.
    """

    def __init__(
        self,
        channels: int,
        *,
        min_cutoff_hz: float,
        beta: float,
        derivative_cutoff_hz: float = 1.0,
        reset_after_s: float = 0.5,
    ) -> None:
        self.channels = channels
        self.min_cutoff_hz = min_cutoff_hz
        self.beta = beta
        self.derivative_cutoff_hz = derivative_cutoff_hz
        self.reset_after_s = reset_after_s
        self.reset()

    def reset(self) -> None:
        self._value: list[float | None] = [None] * self.channels
        self._speed = [0.0] * self.channels
        self._last_t = [0.0] * self.channels

    def filter(self, t: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Filter samples x (n, K) taken at times t (n,), in time order; NaN stays NaN."""
        out = np.full(x.shape, np.nan)
        times = t.tolist()
        for k in range(self.channels):
            out[:, k] = self._filter_channel(k, times, x[:, k].tolist())
        return out

    def _filter_channel(self, k: int, times: list[float], samples: list[float]) -> list[float]:
        value, speed, last_t = self._value[k], self._speed[k], self._last_t[k]
        min_cutoff, beta, d_cutoff, reset_after = (
            self.min_cutoff_hz,
            self.beta,
            self.derivative_cutoff_hz,
            self.reset_after_s,
        )
        out = [math.nan] * len(samples)
        for i, (t, x) in enumerate(zip(times, samples, strict=True)):
            if x != x:  # NaN: keep the state, restart later if the gap grows long
                continue
            dt = t - last_t
            if value is None or dt > reset_after:
                value, speed = x, 0.0
            elif dt > 0.0:
                # Smoothing factor of a cutoff f over dt: 1 / (1 + tau / dt), tau = 1 / (2 pi f),
                # written out here because this loop runs once per sample and channel.
                a = TWO_PI * d_cutoff * dt
                speed += a / (1.0 + a) * ((x - value) / dt - speed)
                a = TWO_PI * (min_cutoff + beta * abs(speed)) * dt
                value += a / (1.0 + a) * (x - value)
            last_t = t
            out[i] = value
        self._value[k], self._speed[k], self._last_t[k] = value, speed, last_t
        return out
