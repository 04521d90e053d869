"""`formcheck studio` refuses bad input with one line that lists what is valid (no extra needed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from formcheck.cli import main
from formcheck.studio.description import ClipDescription
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--exercise", "burpee"], "unknown exercise 'burpee'; the studio can render hip_hinge"),
        (
            ["--exercise", "glute_bridge", "--fault", "wobble=3"],
            "unknown fault wobble for glute_bridge; valid:",
        ),
        (["--exercise", "squat", "--fault", "depth"], "--fault takes NAME=NUMBER"),
        (["--exercise", "squat", "--size", "100x100"], "width must be in 160..1920, got 100"),
        (["--exercise", "squat", "--size", "big"], "--size takes WIDTHxHEIGHT"),
        (["--exercise", "squat", "--fps", "500"], "fps must be in 5..60"),
        (["--exercise", "squat", "--view", "top"], "view must be one of front, side, oblique"),
        (["--exercise", "squat", "--azimuth", "200"], "azimuth must be in -180..180, got 200"),
        (["--exercise", "squat", "--view", "side", "--azimuth", "30"], "give a view or an azimuth, not both"),
        (["--exercise", "squat", "--body", "height=0.9"], "unknown body parameter height; valid: gender"),
        (["--exercise", "squat", "--body", "gender=2"], "body gender must be in 0..1, got 2"),
        (["--exercise", "squat", "--side", "up"], "side must be one of left, right, both"),
        (["--exercise", "glute_bridge", "--side", "both"], "glute_bridge is single-leg: side must be left"),
        ([], "give --exercise"),
    ],
)
def test_bad_input_is_one_line_naming_what_is_valid(capsys, arguments, message):
    assert main(["studio", *arguments]) == 1
    error = capsys.readouterr().err.strip()
    assert message in error
    assert len(error.splitlines()) == 1


def test_a_description_file_with_an_unknown_key_is_refused(tmp_path, capsys):
    description = tmp_path / "clip.toml"
    description.write_text('exercise = "squat"\nrepz = 3\n')
    assert main(["studio", "--description", str(description)]) == 1
    assert "unknown key repz; valid:" in capsys.readouterr().err


def test_list_names_every_exercise_and_fault(capsys):
    assert main(["studio", "--list"]) == 0
    listing = capsys.readouterr().out
    for name in ("glute_bridge", "pelvis_drop", "band_walk", "knee_valgus", "mountain_climber", "hips_pike"):
        assert name in listing


def test_without_the_extra_the_error_says_how_to_install_it():
    # A fresh interpreter in which importing torch fails, as it does where the extra is absent.
    code = (
        "import sys; sys.modules['torch'] = None; sys.modules['anny'] = None\n"
        "from formcheck.cli import main\n"
        "sys.exit(main(['studio', '--exercise', 'squat', '-o', 'never.mp4']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    # The same install as the README's, command for command, in the same order.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Sample studio", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [
        line.replace("apt-get install -y", "apt-get install").replace(".venv/bin/", "")
        for line in block.splitlines()
    ]
    assert commands == [
        "apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri",
        "pip install torch==2.13.0",
        "pip install -e '.[studio]'",
    ]
    positions = [done.stderr.find(command) for command in commands]
    assert -1 not in positions and positions == sorted(positions), done.stderr


def test_a_description_file_gives_every_setting_and_options_override_it(tmp_path):
    from formcheck.cli.studio import description_from

    path = tmp_path / "clip.toml"
    settings = 'exercise = "glute_bridge"\nreps = 2\nview = "front"\n'
    path.write_text(settings + "[faults]\npelvis_drop = 12.0\n[body]\ngender = 1.0\n")
    description = description_from(path, size="800x600", faults=("hold=0.5",), body=(), reps=None)
    assert description.exercise == "glute_bridge" and description.reps == 2 and description.view == "front"
    assert description.faults == {"pelvis_drop": 12.0, "hold": 0.5}
    assert description.body == {"gender": 1.0}
    assert (description.width, description.image_height) == (800, 600)


def test_an_azimuth_on_the_command_line_replaces_the_files_view(tmp_path):
    from formcheck.cli.studio import description_from

    path = tmp_path / "clip.toml"
    path.write_text('exercise = "hip_hinge"\nview = "front"\n')
    description = description_from(path, size=None, azimuth=-30.0)
    assert (description.view, description.camera_azimuth, description.camera_view) == (None, -30.0, "oblique")
    # The record of the clip reads back as the same clip.
    assert ClipDescription.from_dict(description.to_dict()) == description


@pytest.mark.parametrize(
    ("settings", "azimuth", "view"),
    [
        ({"exercise": "hip_hinge"}, 90.0, "side"),
        ({"exercise": "hip_hinge", "side": "right"}, -90.0, "side"),
        ({"exercise": "split_squat", "side": "right", "view": "oblique"}, -45.0, "oblique"),
        ({"exercise": "squat", "side": "both", "view": "back"}, 180.0, "back"),
        ({"exercise": "band_walk"}, 0.0, "front"),
        ({"exercise": "squat", "azimuth": 120.0}, 120.0, "oblique"),
    ],
)
def test_the_view_names_an_azimuth_from_the_working_side(settings, azimuth, view):
    description = ClipDescription(**settings)
    assert (description.camera_azimuth, description.camera_view) == (azimuth, view)
    assert ClipDescription.from_dict(description.to_dict()).camera_azimuth == azimuth


def test_sample_truth_files_made_before_the_azimuth_still_load_and_say_it():
    from formcheck.studio.truth import read_truth, truth_azimuth

    samples = REPO / "samples" / "studio"
    side_on = read_truth(samples / "hip_hinge_clean.truth.json")
    front_on = read_truth(samples / "squat_knee_tracking.truth.json")
    assert "azimuth_deg" not in side_on
    assert (truth_azimuth(side_on), truth_azimuth(front_on)) == (90.0, 0.0)
