"""Figures about the live loop: frame rate, glass-to-glass latency, dropped frames."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np


@dataclass
class LoopMeter:
    """Collects one (captured_at, displayed_at) pair per shown frame, monotonic seconds.

    `recent_fps` and `last_latency_ms` feed the overlay; `summary` the benchmark.
    """

    window: int = 30
    latencies_s: list[float] = field(default_factory=list)
    _recent_displays: deque[float] = field(default_factory=deque)
    _first_display: float = 0.0
    _last_display: float = 0.0

    def record(self, captured_at: float, displayed_at: float) -> None:
        if not self.latencies_s:
            self._first_display = displayed_at
        self._last_display = displayed_at
        self.latencies_s.append(displayed_at - captured_at)
        self._recent_displays.append(displayed_at)
        if len(self._recent_displays) > self.window:
            self._recent_displays.popleft()

    @property
    def frames(self) -> int:
        return len(self.latencies_s)

    @property
    def recent_fps(self) -> float:
        if len(self._recent_displays) < 2:
            return 0.0
        span = self._recent_displays[-1] - self._recent_displays[0]
        return (len(self._recent_displays) - 1) / span if span > 0 else 0.0

    @property
    def last_latency_ms(self) -> float:
        return 1000.0 * self.latencies_s[-1] if self.latencies_s else 0.0

    def summary(self) -> dict[str, float]:
        """Frames shown, their rate over the whole run (per second), latency median and p95 (ms)."""
        latencies = np.array(self.latencies_s) * 1000.0
        if latencies.size == 0:
            return {
                "frames": 0,
                "fps": 0.0,
                "latency_median_ms": float("nan"),
                "latency_p95_ms": float("nan"),
            }
        span = self._last_display - self._first_display
        return {
            "frames": int(latencies.size),
            "fps": round((latencies.size - 1) / span, 2) if span > 0 else 0.0,
            "latency_median_ms": round(float(np.median(latencies)), 1),
            "latency_p95_ms": round(float(np.percentile(latencies, 95)), 1),
        }
