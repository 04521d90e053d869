"""The README's first screen gets a newcomer from nothing to a live window and an analysed video."""

from __future__ import annotations

import re

from formcheck.exercises import EXERCISES
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
FIRST_SCREEN = README.split("\n# Reference\n", 1)[0]


def test_the_first_screen_has_both_commands_and_how_to_run_formcheck_by_name():
    for command in ("bash scripts/demo.sh", "bash scripts/test.sh", "source .venv/bin/activate"):
        assert command in FIRST_SCREEN, command
    assert "formcheck analyze myclip.mp4 --exercise" in FIRST_SCREEN


def test_the_first_screen_shows_a_picture_that_exists():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", FIRST_SCREEN)
    assert pictures and all((REPO / picture).is_file() for picture in pictures)


def test_every_exercise_has_a_camera_placement():
    rows = {line.split("|")[1].strip(" `") for line in FIRST_SCREEN.splitlines() if line.startswith("| `")}
    assert rows == set(EXERCISES)


def test_the_known_limits_have_their_own_page_linked_from_the_readme():
    assert "(docs/limits.md)" in README and "## Known limits\n\n- " not in README
    assert (REPO / "docs" / "limits.md").read_text(encoding="utf-8").startswith("# Known limits")
