"""`formcheck studio` refuses bad input with one line that lists what is valid (no extra needed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from formcheck.cli import main
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
