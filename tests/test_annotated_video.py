"""The annotated video and the key frame, from a bundled studio clip and its exact pose track (no
model needed): every input frame drawn by live mode's overlay and encoded as browser-ready H.264."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.session import ExerciseSession
from formcheck.exercises import configured
from formcheck.io.mp4 import Mp4Writer
from formcheck.io.sources import VideoSource
from formcheck.io.track_files import load_track
from formcheck.render.annotated import annotate, key_frame, worst_rep, write_media
from formcheck.render.overlay import CANVAS_HEIGHT, canvas_width
from formcheck.render.presenter import SessionPresenter
from tests.conftest import REPO

CLIP = REPO / "samples" / "studio" / "split_squat_knee_over_toes.mp4"
TRUTH = CLIP.with_name("split_squat_knee_over_toes.truth.npz")


@pytest.fixture(scope="module")
def analysed():
    """The clip's exact track (named after the clip) and its analysis."""
    track = load_track(TRUTH)
    spec, thresholds = configured("split_squat")
    report, _ = analyze_track(track, spec, thresholds)
    assert report.summary()["reps_total"] == 2
    return track, spec, thresholds, report


def _fresh(spec, thresholds, track) -> SessionPresenter:
    return SessionPresenter(ExerciseSession(spec, thresholds, fps=track.fps), spec.name)


def _frames_of(path) -> tuple[str, list[np.ndarray], dict]:
    """The mp4's codec name, its frames as (H, W, 3) RGB, and its stream's facts, read by PyAV."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        facts = {
            "pix_fmt": stream.codec_context.pix_fmt,
            "rate": float(stream.average_rate),
            "size": (stream.width, stream.height),
        }
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(stream)]
        return stream.codec_context.name, frames, facts


def test_the_video_has_every_input_frame_in_h264_at_the_overlay_canvas_size(analysed, tmp_path):
    track, spec, thresholds, report = analysed
    record = write_media(CLIP, track, report.reps, ExerciseSession(spec, thresholds, fps=track.fps),
                         tmp_path / "clip.json", video=True)  # fmt: skip
    assert record["video"] == "clip.mp4" and not (tmp_path / "clip.mp4.partial").exists()
    codec, frames, facts = _frames_of(tmp_path / "clip.mp4")
    capture = cv2.VideoCapture(str(CLIP))
    input_frames = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    width, height = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
    assert codec == "h264" and facts["pix_fmt"] == "yuv420p"
    assert len(frames) == input_frames == len(track) == 137
    assert facts["rate"] == pytest.approx(15.0)
    # The live window's canvas for a 640x480 input: the image at 720 px high and the side bar.
    assert (
        facts["size"] == (canvas_width(round(width * CANVAS_HEIGHT / height)), CANVAS_HEIGHT) == (1420, 720)
    )
    # The moov index before the media data (+faststart), so a browser can seek before it has it all.
    head = (tmp_path / "clip.mp4").read_bytes()[:4096]
    moov, mdat = head.find(b"moov"), head.find(b"mdat")
    assert moov >= 0 and (mdat < 0 or moov < mdat)


def test_each_frame_is_live_modes_overlay_on_that_input_frame(analysed, tmp_path):
    """The video's frame k is `render_overlay` of input frame k with the engine's state at k."""
    track, spec, thresholds, report = analysed
    canvases = []

    class Keep:
        size = None

        def write(self, canvas):
            canvases.append(canvas)

    with VideoSource(CLIP) as source:
        annotate(source, track, _fresh(spec, thresholds, track), video=Keep(), key=None)
    with Mp4Writer(tmp_path / "v.mp4", 15.0) as writer:
        for canvas in canvases:
            writer.write(canvas)
    _, frames, _ = _frames_of(tmp_path / "v.mp4")
    for k in (0, 40, 136):
        drawn = cv2.cvtColor(canvases[k], cv2.COLOR_BGR2RGB)
        assert np.abs(frames[k].astype(int) - drawn).mean() < 4  # Only the encoder's loss between them.
    # The counter advances with the clip: the side bar at the end shows two reps the start did not.
    assert np.abs(canvases[0][:, 960:].astype(int) - canvases[136][:, 960:]).mean() > 1
    # A second presenter replaying the frames one by one counts the reps the batch analysis counted.
    presenter = _fresh(spec, thresholds, track)
    for pose in track:
        presenter.update(pose)
    assert [(r.side, r.start_s, r.end_s, r.score) for r in presenter.session.reps] == [
        (r.side, r.start_s, r.end_s, r.score) for r in report.reps
    ]


def test_the_key_frame_is_the_worst_reps_deepest_frame_with_its_own_rules(analysed, tmp_path):
    track, spec, thresholds, report = analysed
    worst = worst_rep(report.reps)
    assert worst.score == min(r.score for r in report.reps if r.complete) and worst is report.reps[0]
    key = key_frame(report.reps, track)
    assert key.rep is worst and key.t == pytest.approx(worst.peak_s)
    record = write_media(CLIP, track, report.reps, ExerciseSession(spec, thresholds, fps=track.fps),
                         tmp_path / "clip.json", video=False)  # fmt: skip
    assert record == {"video": None, "key_frame": {"file": "clip.keyframe.jpg", "rep": 1, "t_s": key.t}}
    image = cv2.imread(str(tmp_path / "clip.keyframe.jpg"))
    assert image.shape == (720, 1420, 3)
    # The rule panel of rep 1 (drawn before the rep has ended): its failed knee_over_toes light is red.
    red = np.all(np.abs(image[300:520, 970:1010].astype(int) - (40, 40, 230)) < 40, axis=2)
    assert red.sum() > 100
    assert not (tmp_path / "clip.mp4").exists()


def test_no_scored_rep_means_no_key_frame(analysed, tmp_path):
    track, spec, thresholds, _ = analysed
    record = write_media(CLIP, track, (), ExerciseSession(spec, thresholds, fps=track.fps),
                         tmp_path / "clip.json", video=False)  # fmt: skip
    assert record == {"video": None, "key_frame": None} and list(tmp_path.iterdir()) == []


def test_an_interrupted_video_leaves_no_file(tmp_path):
    target = tmp_path / "clip.mp4"
    with pytest.raises(KeyboardInterrupt), Mp4Writer(target, 15.0) as writer:
        writer.write(np.zeros((720, 1420, 3), np.uint8))
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
