"""`PoseDetector`: one image in, one person's landmarks out, via MediaPipe's PoseLandmarker.

Running mode: VIDEO, for files and for live use alike.  Live mode's pose thread calls
`detect` on the newest camera frame and waits for the answer; VIDEO mode does exactly that
(synchronous, timestamps only need to increase) and tracks the person from the previous
frame, as LIVE_STREAM would.  LIVE_STREAM mode would add a callback thread and may drop
frames on its own, so live and offline results would differ for no gain when the caller
already keeps only the newest frame.
"""

from __future__ import annotations

import time

import cv2
import numpy as np

from formcheck.core.landmarks import NUM_LANDMARKS
from formcheck.core.track import PoseFrame
from formcheck.errors import FormcheckError
from formcheck.pose.mediapipe_tasks import BaseOptions, PoseLandmarker, PoseLandmarkerOptions, RunningMode, mp
from formcheck.pose.model import PoseModel, model_error
from formcheck.pose.selection import PersonSelector
from formcheck.quiet import native_stderr_silenced

# One person asked of MediaPipe by default, measured on the 30 shared clips: asking for 2
# makes it run its person detector on every frame while it tracks fewer than 2 people, and
# those fresh detections then displace the tracked pose — the torso jumped by more than 10%
# of the frame 47 times (0 with 1), one clip lost its person in 38% of frames (1% with 1),
# and every frame took about 1.5x as long.  With 1, MediaPipe follows the person it found
# from frame to frame by itself (and picked the near person on both two-person clips).
DEFAULT_NUM_POSES = 1
# The stages of `PoseDetector.detect`: BGR to RGB, the copy into MediaPipe's image, the model, and
# choosing the person and copying out the landmarks.
STAGES = ("colour", "mp_image", "inference", "selection")


class PoseDetector:
    """Finds the landmarks of one person per image, the same person from frame to frame.

    With ``num_poses`` = 1 MediaPipe's own tracking keeps to one person.  With more,
    `PersonSelector` picks the most prominent person first and then follows them (at a
    cost in speed and steadiness, see `DEFAULT_NUM_POSES`).

    Use as a context manager, or call `close`.
    """

    def __init__(
        self,
        model: PoseModel,
        *,
        num_poses: int = DEFAULT_NUM_POSES,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        if num_poses < 1:
            raise FormcheckError(f"num_poses must be at least 1, got {num_poses}")
        options = PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=model.data),
            running_mode=RunningMode.VIDEO,
            num_poses=num_poses,
            min_pose_detection_confidence=min_detection_confidence,
            min_pose_presence_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        try:
            with native_stderr_silenced():
                self._landmarker = PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise model_error(model.origin, f"could not be loaded as a pose model ({reason})") from error
        self.model_name = model.name
        self._selector = PersonSelector()
        self._last_timestamp_ms = -1
        self._anyone_seen = False
        self._rgb: np.ndarray | None = None
        self.stage_s: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        """Seconds spent so far in each stage of `detect` (`STAGES`), over `frames` calls: where the
        time goes (``benchmarks/bench_extract.py``; live mode's bottleneck note)."""
        self.frames = 0

    def detect(self, image_bgr: np.ndarray, t: float, index: int) -> PoseFrame:
        """Landmarks of the tracked person in ``image_bgr``, or `PoseFrame.empty` if nobody is seen.

        Args:
            image_bgr: (H, W, 3) uint8 in OpenCV's BGR order, as every formcheck frame source gives.
            t: the frame's time in seconds; must increase from call to call (a repeat is
                nudged forward by 1 ms, as MediaPipe needs strictly increasing timestamps).
            index: the frame's number in its source, copied into the result.
        """
        if image_bgr.ndim != 3 or image_bgr.shape[2] != 3 or image_bgr.dtype != np.uint8:
            raise ValueError(
                f"expected an (H, W, 3) uint8 BGR image, got {image_bgr.shape} {image_bgr.dtype}"
            )
        height, width = image_bgr.shape[:2]
        started = time.perf_counter()
        if self._rgb is None or self._rgb.shape != image_bgr.shape:
            self._rgb = np.empty_like(image_bgr)
        cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB, dst=self._rgb)
        converted = time.perf_counter()
        timestamp_ms = max(round(t * 1000), self._last_timestamp_ms + 1)
        self._last_timestamp_ms = timestamp_ms
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=self._rgb)
        imaged = time.perf_counter()
        if self._anyone_seen:
            result = self._landmarker.detect_for_video(image, timestamp_ms)
        else:
            # The first run of the landmark network (on the first frame with a person) logs
            # alignment warnings from C++; after that MediaPipe is quiet.
            with native_stderr_silenced():
                result = self._landmarker.detect_for_video(image, timestamp_ms)
        inferred = time.perf_counter()
        self.frames += 1
        self.stage_s["colour"] += converted - started
        self.stage_s["mp_image"] += imaged - converted
        self.stage_s["inference"] += inferred - imaged
        if not result.pose_landmarks:
            return PoseFrame.empty(t=t, index=index, image_size=(width, height))
        pose = self._chosen(result, t, index, width, height)
        self.stage_s["selection"] += time.perf_counter() - inferred
        return pose

    def _chosen(self, result, t: float, index: int, width: int, height: int) -> PoseFrame:
        """The followed person's `PoseFrame` from a MediaPipe result with at least one person; an
        empty frame when none of them can be that person (`PersonSelector.choose`)."""
        self._anyone_seen = True
        people = np.array(
            [
                [(p.x, p.y, p.z, _or_nan(p.visibility), _or_nan(p.presence)) for p in person]
                for person in result.pose_landmarks
            ],
            dtype=np.float64,
        ).reshape(-1, NUM_LANDMARKS, 5)
        chosen = self._selector.choose(people[:, :, :2] * (width, height), people[:, :, 3], t)
        if chosen is None:
            # Only someone else is in view (a bystander while the person is hidden or away).
            return PoseFrame.empty(t=t, index=index, image_size=(width, height))
        world = np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks[chosen]], dtype=np.float64)
        person = people[chosen]
        return PoseFrame(
            t=t,
            index=index,
            image_xy=person[:, :2].copy(),
            z=person[:, 2].copy(),
            visibility=person[:, 3].copy(),
            presence=person[:, 4].copy(),
            world=world,
            image_size=(width, height),
        )

    def close(self) -> None:
        with native_stderr_silenced():
            self._landmarker.close()

    def __enter__(self) -> PoseDetector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _or_nan(value: float | None) -> float:
    return np.nan if value is None else value
