"""The HTML report: made by `analyze --html` from the JSON and the frames CSV beside it, rebuilt
identically by `formcheck report`, self-contained, and saying left against right in words."""

from __future__ import annotations

import re

import pytest

from formcheck.cli import main
from formcheck.io.track_files import save_npz
from formcheck.render.page import SAFETY_NOTE, side_gap_sentence
from formcheck.synth.motions import motion
from formcheck.synth.skeleton import camera_for, pose_track
from tests.conftest import read_report


def _track(tmp_path, exercise, side, faults, name, looking_from="left"):
    pose, _ = motion(exercise, reps=3, side=side, faults=faults, seed=2)
    track = pose_track(
        pose, camera_for("side", looking_from=looking_from), noise_px=1.0, source=f"{name}.mp4"
    )
    path = tmp_path / f"{name}.npz"
    save_npz(track, path)
    return path


@pytest.fixture
def split_squat_page(tmp_path):
    path = _track(tmp_path, "split_squat", "left", {"knee_over_toes": 0.15}, "lunges")
    out = tmp_path / "out"
    assert main(["analyze", str(path), "-e", "split_squat", "--out", str(out), "--html"]) == 0
    return out


@pytest.mark.parametrize(
    ("left_vs_right", "expected"),
    [
        (
            {
                "left": {"reps": 5, "mean_score": 62.0},
                "right": {"reps": 5, "mean_score": 80.0},
                "score_gap": -18.0,
            },
            "Your left side scored 18 points lower: start sets with the left.",
        ),
        (
            {
                "left": {"reps": 4, "mean_score": 90.0},
                "right": {"reps": 5, "mean_score": 82.5},
                "score_gap": 7.5,
            },
            "Your right side scored 8 points lower: start sets with the right.",
        ),
        (
            {
                "left": {"reps": 4, "mean_score": 80.0},
                "right": {"reps": 4, "mean_score": 77.0},
                "score_gap": 3.0,
            },
            "Your two sides scored alike (left 80, right 77).",
        ),
        (
            {
                "left": {"reps": 3, "mean_score": 50.0},
                "right": {"reps": 0, "mean_score": None},
                "score_gap": None,
            },
            "Only your left side did complete reps here: film the right side too to compare them.",
        ),
        (
            {
                "left": {"reps": 0, "mean_score": None},
                "right": {"reps": 2, "mean_score": 75.0},
                "score_gap": None,
            },
            "Only your right side did complete reps here: film the left side too to compare them.",
        ),
        ({}, None),  # Two-sided work: no comparison.
    ],
)
def test_the_left_right_gap_in_words(left_vs_right, expected):
    assert side_gap_sentence(left_vs_right) == expected


def test_analyze_html_writes_a_self_contained_page_beside_the_json(split_squat_page):
    out = split_squat_page
    report = read_report(out / "lunges.json")
    assert (out / "lunges.frames.csv").exists()  # --html implies the frames CSV it plots.
    page = (out / "lunges.html").read_text()
    for section in ("summary", "media", "reps", "signal", "rules", "safety"):
        assert f'id="{section}"' in page
    # The signal over time, and one plot per rule that was judged on some rep.
    judged = {r["id"] for rep in report["reps"] for r in rep["rules"] if r["status"] != "not_judged"}
    assert page.count("<svg") == 1 + len(judged)
    assert {m for m in re.findall(r'data-rule="([a-z_]+)"', page)} == judged
    # Every rule of every rep in the table, with its cue where it failed.
    rows = re.findall(r"<td class='(passed|failed|not_judged)( borderline)?'>([a-z ]+)</td>", page)
    assert len(rows) == sum(len(rep["rules"]) for rep in report["reps"])
    # A borderline verdict is marked and says so; the others read as before.
    verdicts = [r for rep in report["reps"] for r in rep["rules"]]
    assert [bool(mark) for _, mark, _ in rows] == [r["borderline"] for r in verdicts]
    assert all(word.startswith("borderline") == bool(mark) for _, mark, word in rows)
    assert (
        page.count("Keep your front knee behind your toes")
        == report["summary"]["faults"]["knee_over_toes"]
        == 3
    )
    assert "Only your left side did complete reps here" in page
    assert SAFETY_NOTE in page
    # A pose track has no frames: the Video section says so, and no rep links to a video.
    assert "No video frames were saved with this analysis" in page and "data-seek" not in page
    # Offline: nothing fetched from anywhere (the SVG's http: strings are XML namespaces only).
    assert (
        "<script" not in page and "<link" not in page and not re.search(r"""(src|href)=["']?https?:""", page)
    )


def test_report_rebuilds_the_same_page_from_the_saved_analysis(split_squat_page, capsys):
    page = split_squat_page / "lunges.html"
    first = page.read_text()
    page.unlink()
    assert main(["report", str(split_squat_page / "lunges.json")]) == 0
    assert page.read_text() == first


def test_report_without_the_frames_csv_says_how_to_get_the_plot(split_squat_page):
    (split_squat_page / "lunges.frames.csv").unlink()
    assert main(["report", str(split_squat_page / "lunges.json")]) == 0
    page = (split_squat_page / "lunges.html").read_text()
    assert "No frames CSV beside the report" in page and page.count("<svg") == 3


def test_two_sided_work_has_no_side_comparison(tmp_path):
    path = _track(tmp_path, "squat", "both", {}, "squats")
    assert main(["analyze", str(path), "-e", "squat", "--out", str(tmp_path), "--html"]) == 0
    assert read_report(tmp_path / "squats.json")["summary"]["reps_per_side"] == {"both": 3}
    page = (tmp_path / "squats.html").read_text()
    assert 'id="side-gap"' not in page and "<svg" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("{", "not a JSON report"), ('{"exercise": "squat"}', "not a formcheck report")],
)
def test_report_of_a_bad_file_is_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "clip.json"
    if content is not None:
        path.write_text(content)
    assert main(["report", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err
