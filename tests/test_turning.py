"""The camera's signed azimuth around the body, and the turn a person is asked for.

Checked against the studio's ground truth: the exact landmarks of committed renders filmed from
known azimuths (design.md §8), standing and lying; then the turn arithmetic and its words.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis.body import Body
from formcheck.analysis.turning import circular_mean_deg, turn_needed, turn_words, wrap_deg
from formcheck.io.track_files import load_npz
from formcheck.studio.description import ClipDescription

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.mark.parametrize(
    "clip",
    [
        "studio/hip_hinge_clean",  # side-on, left side to the camera: +90
        "tune/hip_hinge/hip_hinge_balance_moderate",  # the right side: -90
        "studio/band_walk_clean",  # facing the camera: 0
        "tune/split_squat/split_squat_clean_front_b",
        "studio/hip_flexor_march_clean",  # lying on the back, seen from the side
    ],
)
def test_the_azimuth_of_exact_landmarks_is_the_cameras(clip):
    truth_json = SAMPLES / f"{clip}.truth.json"
    truth = json.loads(truth_json.read_text())
    expected = ClipDescription.from_dict(truth["description"]).camera_azimuth
    track = load_npz(truth_json.with_name(truth["track"]))
    body = Body.from_arrays(track.image_xy, track.z, track.world, track.visibility, track.image_size)
    mean, spread = circular_mean_deg(body.azimuth())
    assert abs(wrap_deg(mean - expected)) < 16.0, (mean, expected)
    assert spread < 10.0


def test_circular_mean_goes_the_short_way_round():
    mean, spread = circular_mean_deg(np.array([170.0, -170.0, np.nan]))
    assert abs(wrap_deg(mean - 180.0)) < 1e-6 and spread == pytest.approx(10.0, abs=0.2)
    assert np.isnan(circular_mean_deg(np.array([np.nan]))[0])


@pytest.mark.parametrize(
    ("azimuth", "views", "turn"),
    [
        (40.0, ("side",), 50.0),  # left side part-way to the camera: keep turning right
        (-30.0, ("side",), -60.0),
        (60.0, ("front",), -60.0),  # back round to face the camera, to the left
        (170.0, ("front",), 10.0),  # a back view is judged as the front
        (20.0, ("side", "front"), -20.0),
        (float("nan"), ("side",), None),
    ],
)
def test_the_turn_is_the_smallest_to_the_middle_of_a_needed_view(azimuth, views, turn):
    assert turn_needed(azimuth, views) == (None if turn is None else pytest.approx(turn))


def test_turn_words_round_to_five_degrees_and_skip_small_turns():
    assert turn_words(47.0) == "turn about 45 degrees to your right"
    assert turn_words(-31.0) == "turn about 30 degrees to your left"
    assert turn_words(6.0) == "" and turn_words(None) == ""
