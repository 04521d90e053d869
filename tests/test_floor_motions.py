"""The five floor/plank/band motions of the studio: each moves like its exercise, and each fault
changes the body the way its table says. Checked on the stick skeleton (numpy only)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from formcheck.core.landmarks import Landmark as L
from formcheck.synth.motions import motion
from formcheck.synth.motions.floor import two_link, yaw_pitch_roll
from formcheck.synth.rotations import pelvis_matrix
from formcheck.synth.skeleton import world_landmarks


def _points(exercise: str, **kwargs):
    pose, reps = motion(exercise, reps=2, seed=1, **kwargs)
    return pose, reps, world_landmarks(pose)


def _at(pose, seconds: float) -> int:
    return int(np.argmin(np.abs(pose.t - seconds)))


def _hip_height(points):
    return (points[:, L.LEFT_HIP, 1] + points[:, L.RIGHT_HIP, 1]) / 2


def test_glute_bridge_lifts_the_hips_into_a_straight_line_and_keeps_the_foot_planted():
    pose, reps, points = _points("glute_bridge", side="left")
    peak, rest = _at(pose, reps[0].peak_s), 0
    assert _hip_height(points)[peak] - _hip_height(points)[rest] > 0.15
    # Seen from the side (y, z): the shoulders are wider than the hips.
    shoulder, hip, knee = (points[peak, L[f"LEFT_{name}"], 1:] for name in ("SHOULDER", "HIP", "KNEE"))
    trunk, thigh = hip - shoulder, knee - hip
    cos = trunk @ thigh / np.linalg.norm(trunk) / np.linalg.norm(thigh)
    assert np.degrees(np.arccos(cos)) < 8  # shoulders, hip and knee in line at the top
    ankle = points[:, L.LEFT_ANKLE]
    assert np.ptp(ankle[:, 2]) < 0.01 and np.ptp(ankle[:, 1]) < 0.01


def test_glute_bridge_pelvis_drop_lowers_the_free_side_by_about_the_fault():
    pose, reps, points = _points("glute_bridge", side="left", faults={"pelvis_drop": 15.0})
    peak = _at(pose, reps[0].peak_s)
    hips = points[peak, L.RIGHT_HIP] - points[peak, L.LEFT_HIP]
    tilt = np.degrees(np.arcsin(hips[1] / np.linalg.norm(hips)))
    assert tilt == pytest.approx(-15.0, abs=2.0)


def test_march_alternates_legs_to_about_90_degrees_and_counts_each_leg():
    pose, reps, points = _points("hip_flexor_march", side="both")
    assert [rep.side for rep in reps] == ["left", "right", "left", "right"]
    for rep in reps:
        peak = _at(pose, rep.peak_s)
        hip, knee = points[peak, L[f"{rep.side.upper()}_HIP"]], points[peak, L[f"{rep.side.upper()}_KNEE"]]
        thigh = knee - hip
        assert np.degrees(np.arctan2(thigh[1], thigh[2])) == pytest.approx(90.0, abs=3.0)  # thigh vertical
        other = "RIGHT" if rep.side == "left" else "LEFT"
        assert points[peak, L[f"{other}_ANKLE"], 1] < 0.15  # the other foot stays down


def test_march_height_fault_stops_short():
    pose, reps, points = _points("hip_flexor_march", side="left", faults={"march_height": 30.0})
    peak = _at(pose, reps[0].peak_s)
    thigh = points[peak, L.LEFT_KNEE] - points[peak, L.LEFT_HIP]
    assert np.degrees(np.arctan2(thigh[1], thigh[2])) == pytest.approx(60.0, abs=3.0)


def test_band_walk_travels_one_step_per_rep_towards_the_side():
    _, reps, points = _points("band_walk", side="right")
    hips = (points[:, L.LEFT_HIP] + points[:, L.RIGHT_HIP]) / 2
    assert hips[-1, 0] - hips[0, 0] == pytest.approx(-0.25 * len(reps), abs=0.02)
    ankles = points[:, L.LEFT_ANKLE, 0] - points[:, L.RIGHT_ANKLE, 0]
    assert ankles[0] == pytest.approx(0.40, abs=0.03)
    assert ankles.max() > 0.55  # wider after the lead step


def test_band_walk_knee_valgus_brings_the_knees_in_over_the_feet():
    clean = _points("band_walk")[2]
    caved = _points("band_walk", faults={"knee_valgus": 15.0})[2]

    def knee_gap_over_ankle_gap(points):
        return (points[0, L.LEFT_KNEE, 0] - points[0, L.RIGHT_KNEE, 0]) / (
            points[0, L.LEFT_ANKLE, 0] - points[0, L.RIGHT_ANKLE, 0]
        )

    assert knee_gap_over_ankle_gap(caved) < knee_gap_over_ankle_gap(clean) - 0.15


def _hips_above_line(points, frame: int) -> float:
    """Metres the hips sit above (+) or below (-) the straight shoulder-ankle line, seen from the side."""
    shoulder, hip, ankle = (points[frame, L[f"LEFT_{name}"]] for name in ("SHOULDER", "HIP", "ANKLE"))
    along = (hip[2] - shoulder[2]) / (ankle[2] - shoulder[2])
    return float(hip[1] - (shoulder[1] + along * (ankle[1] - shoulder[1])))


@pytest.mark.parametrize(("fault", "sign"), [("hips_pike", 1.0), ("hips_sag", -1.0)])
def test_mountain_climber_plank_line_and_its_faults(fault, sign):
    clean = _points("mountain_climber", side="both")[2]
    assert abs(_hips_above_line(clean, 0)) < 0.01
    faulty = _points("mountain_climber", side="both", faults={fault: 12.0})[2]
    # 12 degrees about the shoulders moves the hips about trunk x sin(12) = 0.1 m off the line.
    assert sign * _hips_above_line(faulty, 0) == pytest.approx(0.1, abs=0.03)


def test_mountain_climber_drives_each_knee_towards_the_chest():
    pose, reps, points = _points("mountain_climber", side="both")
    assert [rep.side for rep in reps] == ["left", "right", "left", "right"]
    for rep in reps:
        peak = _at(pose, rep.peak_s)
        knee = points[peak, L[f"{rep.side.upper()}_KNEE"], 2]
        hip = points[peak, L[f"{rep.side.upper()}_HIP"], 2]
        assert knee - hip > 0.2  # the knee has come forward, under the trunk


def test_hip_internal_rotation_parts_the_feet_with_the_knees_together():
    pose, reps, points = _points("hip_internal_rotation", side="both")
    peak = _at(pose, reps[0].peak_s)

    def gap(points, name, frame):
        return abs(points[frame, L[f"LEFT_{name}"], 0] - points[frame, L[f"RIGHT_{name}"], 0])

    assert gap(points, "ANKLE", peak) - gap(points, "ANKLE", 0) > 0.2
    assert abs(gap(points, "KNEE", peak) - gap(points, "KNEE", 0)) < 0.03
    apart = _points("hip_internal_rotation", side="both", faults={"knees_apart": 12.0})[2]
    assert gap(apart, "KNEE", peak) - gap(points, "KNEE", peak) > 0.1


@pytest.mark.parametrize(
    ("exercise", "fault"),
    [
        ("glute_bridge", "nonsense"),
        ("band_walk", "pelvis_drop"),
    ],
)
def test_unknown_faults_are_refused_with_the_valid_names(exercise, fault):
    with pytest.raises(ValueError, match="can inject"):
        motion(exercise, faults={fault: 1.0})


@given(
    yaw=st.floats(-170, 170),
    pitch=st.floats(-175, -5) | st.floats(5, 175),
    roll=st.floats(-170, 170),
)
def test_yaw_pitch_roll_recovers_the_rotation(yaw, pitch, roll):
    rotation = pelvis_matrix(np.array([[yaw, pitch, roll]]))
    recovered = yaw_pitch_roll(rotation, np.array([pitch]))
    np.testing.assert_allclose(pelvis_matrix(recovered), rotation, atol=1e-9)
    assert recovered[0, 1] == pytest.approx(pitch, abs=1e-6)


@given(
    reach=st.floats(0.1, 0.85),
    angle=st.floats(-180, 180),
)
def test_two_link_joins_the_ends(reach, angle):
    start = np.zeros((1, 2))
    end = start + reach * np.array([[-np.cos(np.radians(angle)), np.sin(np.radians(angle))]])
    upper, lower = two_link(start, end, 0.43, 0.43)
    radians_u, radians_l = np.radians(upper), np.radians(lower)
    joined = 0.43 * np.stack([-np.cos(radians_u), np.sin(radians_u)], 1) + 0.43 * np.stack(
        [-np.cos(radians_l), np.sin(radians_l)], 1
    )
    np.testing.assert_allclose(joined, end, atol=1e-6)
