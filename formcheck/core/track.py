"""Pose data: one frame (`PoseFrame`) and a sequence of frames (`PoseTrack`).

Missing values are NaN, never 0: a frame where nobody was found has NaN everywhere,
so that every later stage can tell "not seen" from "at the origin".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.core.landmarks import NUM_LANDMARKS


def _check_shape(name: str, array: np.ndarray, expected: tuple[int, ...]) -> None:
    if array.shape != expected:
        raise ValueError(f"{name} must have shape {expected}, got {array.shape}")


def _check_kind(name: str, array: np.ndarray, kinds: str, expected: str) -> None:
    # Integer landmarks or string times would pass the shape check and then fail far away.
    if array.dtype.kind not in kinds:
        raise ValueError(f"{name} must hold {expected}, got dtype {array.dtype}")


@dataclass(frozen=True)
class PoseFrame:
    """The landmarks of one person in one frame.

    Attributes:
        t: time in seconds (video: index / fps; camera: monotonic clock at capture).
        index: frame number in its source.
        image_xy: (33, 2) x, y normalised to the frame width and height (0..1 inside).
        z: (33,) MediaPipe's relative depth, same scale as x; smaller is nearer.
        visibility: (33,) probability the landmark is visible (not occluded), 0..1.
        presence: (33,) probability the landmark is in the frame, 0..1.
        world: (33, 3) metres, origin between the hips, y pointing down.
        image_size: (width, height) of the frame in pixels.
    """

    t: float
    index: int
    image_xy: np.ndarray
    z: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    world: np.ndarray
    image_size: tuple[int, int]

    def __post_init__(self) -> None:
        _check_shape("image_xy", self.image_xy, (NUM_LANDMARKS, 2))
        for name in ("z", "visibility", "presence"):
            _check_shape(name, getattr(self, name), (NUM_LANDMARKS,))
        _check_shape("world", self.world, (NUM_LANDMARKS, 3))

    @property
    def has_person(self) -> bool:
        return bool(np.isfinite(self.image_xy).any())

    @classmethod
    def empty(cls, t: float, index: int, image_size: tuple[int, int]) -> PoseFrame:
        """A frame in which nobody was found."""
        nan = np.full(NUM_LANDMARKS, np.nan)
        return cls(
            t=t,
            index=index,
            image_xy=np.full((NUM_LANDMARKS, 2), np.nan),
            z=nan.copy(),
            visibility=nan.copy(),
            presence=nan.copy(),
            world=np.full((NUM_LANDMARKS, 3), np.nan),
            image_size=image_size,
        )


@dataclass(frozen=True)
class PoseTrack:
    """Landmarks of one person over N frames, stacked.

    Attributes:
        t: (N,) seconds, increasing — or None when the rows are independent poses
            (e.g. a labelled table of still images), which must not be smoothed or
            segmented into reps.
        index: (N,) frame number in the source.
        image_xy: (N, 33, 2) normalised image coordinates.
        z: (N, 33) relative depth.
        visibility: (N, 33), 0..1.
        presence: (N, 33), 0..1.
        world: (N, 33, 3) metres, hip-centred.
        image_size: (width, height) in pixels; (0, 0) when unknown.
        fps: frames per second of the source; 0.0 when unknown or not a sequence.
        source: where the frames came from (a path, ``camera:0`` …).
        model: name of the pose model that produced the landmarks.
        labels: (N,) optional per-row label strings (from a labelled table), else None.
    """

    t: np.ndarray | None
    index: np.ndarray
    image_xy: np.ndarray
    z: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    world: np.ndarray
    image_size: tuple[int, int] = (0, 0)
    fps: float = 0.0
    source: str = ""
    model: str = ""
    labels: np.ndarray | None = field(default=None)

    def __post_init__(self) -> None:
        n = len(self.index)
        _check_kind("index", self.index, "iu", "integers")
        if self.t is not None:
            _check_shape("t", self.t, (n,))
            _check_kind("t", self.t, "f", "floats (seconds)")
            steps = np.diff(self.t)
            if not np.isfinite(self.t).all() or (steps <= 0).any():
                bad = int(np.argmax(~(steps > 0))) + 1 if len(steps) else 0
                after = f" after {float(self.t[bad - 1])}" if bad else ""
                raise ValueError(
                    f"t must be finite and increase from frame to frame; frame {bad} has "
                    f"t={float(self.t[bad])}{after}"
                )
        _check_shape("image_xy", self.image_xy, (n, NUM_LANDMARKS, 2))
        for name in ("z", "visibility", "presence"):
            _check_shape(name, getattr(self, name), (n, NUM_LANDMARKS))
        _check_shape("world", self.world, (n, NUM_LANDMARKS, 3))
        for name in ("image_xy", "z", "visibility", "presence", "world"):
            _check_kind(name, getattr(self, name), "f", "floats (NaN where missing)")
        if self.labels is not None:
            _check_shape("labels", self.labels, (n,))

    def __getitem__(self, frames: slice) -> PoseTrack:
        """The frames ``frames`` (a slice) as a track of their own, e.g. ``track[100:200]``."""
        if not isinstance(frames, slice):
            raise TypeError("a track is sliced with a slice (track[a:b]); use track.frame(i) for one frame")
        arrays = {
            name: None if getattr(self, name) is None else getattr(self, name)[frames]
            for name in ("t", "index", "image_xy", "z", "visibility", "presence", "world", "labels")
        }
        return replace(self, **arrays)

    def __len__(self) -> int:
        return len(self.index)

    @property
    def is_sequence(self) -> bool:
        """True for frames in time order; False for a set of independent poses."""
        return self.t is not None

    @property
    def person_found(self) -> np.ndarray:
        """(N,) bool: a person was found in the frame."""
        return np.isfinite(self.image_xy).any(axis=(1, 2))

    def frame(self, i: int) -> PoseFrame:
        return PoseFrame(
            t=float(self.t[i]) if self.t is not None else float("nan"),
            index=int(self.index[i]),
            image_xy=self.image_xy[i],
            z=self.z[i],
            visibility=self.visibility[i],
            presence=self.presence[i],
            world=self.world[i],
            image_size=self.image_size,
        )

    def __iter__(self) -> Iterator[PoseFrame]:
        return (self.frame(i) for i in range(len(self)))

    @classmethod
    def from_frames(cls, frames: Iterable[PoseFrame], *, fps: float, source: str, model: str) -> PoseTrack:
        frames = list(frames)
        image_size = frames[0].image_size if frames else (0, 0)

        def stack(attribute: str, shape: tuple[int, ...]) -> np.ndarray:
            if not frames:
                return np.empty((0, *shape))
            return np.stack([getattr(f, attribute) for f in frames]).astype(np.float64)

        return cls(
            t=np.array([f.t for f in frames], dtype=np.float64),
            index=np.array([f.index for f in frames], dtype=np.int64),
            image_xy=stack("image_xy", (NUM_LANDMARKS, 2)),
            z=stack("z", (NUM_LANDMARKS,)),
            visibility=stack("visibility", (NUM_LANDMARKS,)),
            presence=stack("presence", (NUM_LANDMARKS,)),
            world=stack("world", (NUM_LANDMARKS, 3)),
            image_size=image_size,
            fps=fps,
            source=source,
            model=model,
        )
