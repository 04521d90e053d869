"""Figures about the live loop: frame rate, glass-to-glass latency, dropped frames, and which stage
holds it back when it cannot keep up with its source."""

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


# Below this share of the source's frame rate the loop is not keeping up (a camera's rate wobbles
# by a few per cent on its own).
KEEPING_UP = 0.9
# Time constant of the stages' running means, in frames.
STAGE_FRAMES = 30


@dataclass
class StageClock:
    """A running mean of one stage's seconds per frame (exponential, over about `STAGE_FRAMES`)."""

    mean_s: float = 0.0
    samples: int = 0

    def add(self, seconds: float) -> None:
        self.samples += 1
        self.mean_s += (seconds - self.mean_s) / min(self.samples, STAGE_FRAMES)


def bottleneck_note(source_fps: float, shown_fps: float, pose_s: float, main_s: float) -> str | None:
    """What to show when the loop shows fewer frames than the source gives: the slower of the two
    stages that run beside each other (the pose model on its thread; engine, drawing and window on
    the main thread) with its time against the frame period, and what the person can do. None
    while it keeps up, or before the figures exist."""
    if source_fps <= 0 or shown_fps <= 0 or shown_fps >= KEEPING_UP * source_fps or max(pose_s, main_s) <= 0:
        return None
    period_ms = 1000 / source_fps
    if pose_s >= main_s:
        return (
            f"pose model {1000 * pose_s:.0f} ms/frame (source needs {period_ms:.0f}): close other "
            "programs, lower the camera resolution, or --model pose_landmarker_lite.task"
        )
    return (
        f"drawing {1000 * main_s:.0f} ms/frame (source needs {period_ms:.0f}): close other programs "
        "or lower the camera resolution"
    )
