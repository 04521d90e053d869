"""Every bad input is one line: a sweep of every command and option for tracebacks.

Each row is a command, its bad arguments and a fragment of the message expected. The real
entry point runs in this process with file descriptor 2 captured (so a native library's log
line, which bypasses ``sys.stderr``, counts too) and must end with exactly one line on stderr,
``formcheck: error: …``, a non-zero exit code and no traceback.

A new command, or a new option of an old one, joins the table with its bad inputs.

Placeholders in the arguments name files the ``bad_files`` fixture makes: ``{track}`` a valid
pose track, ``{video}`` a valid five-frame video, ``{junk}`` a file of junk bytes named .mp4,
``{junk_npz}``, ``{empty_csv}``, ``{columns_csv}`` (unknown columns), ``{empty_dir}``,
``{file}`` (a plain file where a folder is expected), ``{bad_toml}`` (not TOML),
``{unknown_toml}`` (an unknown threshold), ``{unknown_description}`` (an unknown studio key),
``{junk_task}`` (not a model bundle).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.cli import main
from tests.conftest import REPO

FORMCHECK = str(Path(sys.executable).with_name("formcheck"))
TRACK = REPO / "tests" / "data" / "ambaks_goblet_squat_front.npz"
IMPOSSIBLE = "/proc/formcheck-nope"  # cannot be created, even by root
# Without the cluster extra the one line asks for it instead (`test_cluster_without_the_extra...`).
NEEDS_CLUSTER_EXTRA = pytest.mark.skipif(
    importlib.util.find_spec("distributed") is None, reason="the cluster extra is not installed"
)

# (command and bad arguments, fragment of the one-line message)
ROWS = {
    # analyze
    "analyze: missing file": ("analyze missing.npz -e squat", "missing.npz: no such file"),
    "analyze: no input": ("analyze -e squat", "Missing argument"),
    "analyze: unknown exercise": ("analyze {track} -e plank", "unknown exercise 'plank'; valid exercises"),
    "analyze: bad side": ("analyze {track} -e squat --side middle", "'middle' is not one of"),
    "analyze: missing config": ("analyze {track} -e squat --config missing.toml", "check the --config path"),
    "analyze: config not TOML": ("analyze {track} -e squat --config {bad_toml}", "not valid TOML"),
    "analyze: unknown config key": ("analyze {track} -e squat --config {unknown_toml}", "unknown key 'nope'"),
    "analyze: impossible out": (f"analyze {{track}} -e squat --out {IMPOSSIBLE}", "pass another --out DIR"),
    "analyze: out not writable": ("analyze {track} -e squat --out /proc", "pass another --out DIR"),
    "analyze: out is a file": ("analyze {track} -e squat --out {file}", "is a file; give a folder"),
    "analyze: empty folder": ("analyze {empty_dir} -e squat", "holds no videos, pose tracks"),
    "analyze: corrupt video": ("analyze {junk} -e squat", "cannot be read as a video"),
    "analyze: corrupt track": ("analyze {junk_npz} -e squat", "not a formcheck pose track"),
    "analyze: empty table": ("analyze {empty_csv} -e squat", "empty file"),
    "analyze: unknown columns": ("analyze {columns_csv} -e squat", "unknown column(s) foo, bar"),
    "analyze: unknown option": ("analyze {track} -e squat --bogus", "No such option '--bogus'"),
    "analyze: video of a pose track": ("analyze {track} -e squat --video", "a pose track has no frames"),
    "analyze: video over its input": ("analyze {video} -e squat --video --out .", "over the input itself"),
    "analyze: cache dir is a file": ("analyze {track} -e squat --cache-dir {file}", "is a file"),
    "analyze: unreachable cluster": pytest.param(
        "analyze {track} -e squat --cluster tcp://127.0.0.1:1",  # nothing listens on port 1
        "--cluster tcp://127.0.0.1:1: cannot reach a Dask scheduler there",
        marks=NEEDS_CLUSTER_EXTRA,
    ),
    "analyze: not a cluster address": pytest.param(
        "analyze {track} -e squat --cluster nonsense",
        "--cluster nonsense: not a scheduler address",
        marks=NEEDS_CLUSTER_EXTRA,
    ),
    "analyze: negative max fps": ("analyze {video} -e squat --max-fps -5", "not in the range x>0"),
    # extract
    "extract: missing file": ("extract missing.mp4 -o tracks", "missing.mp4 does not exist"),
    "extract: no -o": ("extract {video}", "Missing option '-o'"),
    "extract: empty folder": ("extract {empty_dir} -o tracks", "holds no images"),
    "extract: corrupt video": ("extract {junk} -o tracks", "cannot be read as a video"),
    "extract: impossible out": (f"extract {{video}} -o {IMPOSSIBLE}", "pass another -o"),
    "extract: out is a file": ("extract {video} -o {file}", "is a file"),
    "extract: missing model": ("extract {video} -o tracks --model missing.task", "does not exist"),
    "extract: not a model": ("extract {video} -o tracks --model {junk_task}", "not a MediaPipe .task bundle"),
    "extract: too many poses": ("extract {video} -o tracks --num-poses 9", "not in the range 1<=x<=5"),
    "extract: zero image fps": ("extract {empty_dir} -o tracks --image-fps 0", "not in the range x>0"),
    "extract: zero workers": ("extract {video} -o tracks --workers 0", "not in the range x>=1"),
    "extract: zero max fps": ("extract {video} -o tracks --max-fps 0", "not in the range x>0"),
    "extract: max fps not a number": (
        "extract {video} -o tracks --max-fps fast",
        "'fast' is not a valid float",
    ),
    # live (every row fails before a camera, a window or the model is needed)
    "live: no exercise": ("live --source {video}", "Missing option '--exercise'"),
    "live: unknown exercise": ("live -e plank --source {video} --no-window", "unknown exercise"),
    "live: no camera": ("live -e squat --camera 7", "no camera found at index 7"),
    "live: camera and source": ("live -e squat --camera 1 --source {video}", "not both"),
    "live: no-drop on a camera": ("live -e squat --no-drop", "--no-drop needs a video"),
    "live: missing source": ("live -e squat --source missing.mp4 --no-window", "video not found"),
    "live: source is a folder": ("live -e squat --source {empty_dir} --no-window", "is a folder"),
    "live: corrupt source": ("live -e squat --source {junk} --no-window", "cannot be read as a video"),
    "live: missing fallback": ("live -e squat --camera 7 --fallback-source missing.mp4", "video not found"),
    "live: bad side": ("live -e squat --side middle", "'middle' is not one of"),
    "live: config not TOML": ("live -e squat --source {video} --config {bad_toml}", "not valid TOML"),
    "live: unknown config key": ("live -e squat --source {video} --config {unknown_toml}", "unknown key"),
    "live: missing model": (
        "live -e squat --source {video} --no-window --model missing.task",
        "does not exist",
    ),
    "live: bad sound": ("live -e squat --sound loud", "'loud' is not one of"),
    "live: negative start screen": ("live -e squat --start-screen -1", "not in the range x>=0"),
    "live: impossible log": pytest.param(
        f"live -e squat --source {{video}} --no-window --log {IMPOSSIBLE}",
        "choose another with --log DIR",
        marks=pytest.mark.slow,  # the model is loaded before the log is opened
    ),
    "live: log not writable": pytest.param(
        "live -e squat --source {video} --no-window --log /proc",
        "choose another with --log DIR",
        marks=pytest.mark.slow,
    ),
    # studio
    "studio: nothing to render": ("studio", "give --exercise"),
    "studio: unknown exercise": ("studio --exercise plank", "unknown exercise 'plank'"),
    "studio: unknown fault": ("studio --exercise squat --fault nope=1", "unknown fault nope"),
    "studio: fault without size": ("studio --exercise squat --fault knee_tracking", "NAME=NUMBER"),
    "studio: bad size": ("studio --exercise squat --size 10", "WIDTHxHEIGHT"),
    "studio: bad side": ("studio --exercise squat --side middle", "side must be one of left, right, both"),
    "studio: bad view": ("studio --exercise squat --view top", "view must be one of"),
    "studio: no reps": ("studio --exercise squat --reps 0", "reps must be in 1..30"),
    "studio: unknown body": ("studio --exercise squat --body nope=1", "unknown body parameter nope"),
    "studio: body out of range": ("studio --exercise squat --body gender=5", "must be in 0..1"),
    "studio: zero fps": ("studio --exercise squat --fps 0", "fps must be in 5..60"),
    "studio: zero tempo": ("studio --exercise squat --tempo 0", "tempo must be in"),
    "studio: negative distance": ("studio --exercise squat --distance -1", "distance must be in"),
    "studio: missing description": ("studio --description missing.toml", "cannot read studio description"),
    "studio: description not TOML": ("studio --description {bad_toml}", "cannot read studio description"),
    "studio: unknown description key": ("studio --description {unknown_description}", "unknown key nope"),
    "studio: impossible output": pytest.param(
        f"studio --exercise squat -o {IMPOSSIBLE}/clip.mp4",
        "pass another -o",
        marks=[
            pytest.mark.slow,  # imports torch (about 20 s) before it looks at -o
            # Without the studio extra the one line asks for the extra instead (its own row above).
            pytest.mark.skipif(
                importlib.util.find_spec("anny") is None, reason="the studio extra is not installed"
            ),
        ],
    ),
    # tune
    "tune: missing samples": ("tune missing/ -e squat", "missing: no such file or folder"),
    "tune: zero workers": ("tune {empty_dir} -e squat --workers 0", "not in the range x>=1"),
    "tune: zero max fps": ("tune {empty_dir} -e squat --max-fps 0", "not in the range x>0"),
    "tune: no labels beside a track": ("tune {track} -e squat", "no labels beside it"),
    "tune: no labelled samples in a folder": ("tune {empty_dir} -e squat", "no labelled samples for squat"),
    "tune: unknown exercise": ("tune {empty_dir} -e plank", "unknown exercise 'plank'"),
    "tune: unknown rule": ("tune {empty_dir} -e squat --rule nope", "--rule nope: not a rule of squat"),
    "tune: bad objective": ("tune {empty_dir} -e squat --objective luck", "Invalid value for '--objective'"),
    "tune: label rule alone": ("tune {empty_csv} -e squat --label-rule depth", "give --label-rule ID and"),
    "tune: table without labels": (
        "tune {columns_csv} -e squat --label-rule knee_over_toes --fault-label L",
        "unknown column(s) foo, bar",
    ),
    "tune: config not TOML": ("tune {empty_dir} -e squat --config {bad_toml}", "not valid TOML"),
    # label
    "label: missing clip": ("label missing.mp4 -e squat", "missing.mp4: no such file"),
    "label: unknown exercise": ("label {video} -e plank", "unknown exercise 'plank'"),
    "label: a track, not a video": ("label {track} -e squat", "give the clip itself, not a pose track"),
    "label: no display": ("label {video} -e squat", "label needs a display"),
    # exercises, and the command itself
    "exercises: extra argument": ("exercises squat", "unexpected extra argument"),
    "exercises: unknown option": ("exercises --bogus", "No such option '--bogus'"),
    "unknown command": ("bogus", "No such command 'bogus'"),
}


@pytest.fixture
def bad_files(tmp_path, monkeypatch) -> dict[str, str]:
    # Defaults such as out/ and studio/ land in the test's own folder.
    monkeypatch.chdir(tmp_path)
    files = {
        "junk": tmp_path / "junk.mp4",
        "junk_npz": tmp_path / "junk.npz",
        "junk_task": tmp_path / "junk.task",
        "empty_csv": tmp_path / "empty.csv",
        "columns_csv": tmp_path / "columns.csv",
        "file": tmp_path / "file.txt",
        "bad_toml": tmp_path / "bad.toml",
        "unknown_toml": tmp_path / "unknown.toml",
        "unknown_description": tmp_path / "description.toml",
    }
    contents = {
        "junk": "junk",
        "junk_npz": "junk",
        "junk_task": "junk",
        "empty_csv": "",
        "columns_csv": "foo,bar\n1,2\n",
        "file": "x",
        "bad_toml": "[[[",
        "unknown_toml": "[squat]\nnope = 1\n",
        "unknown_description": 'exercise = "squat"\nnope = 1\n',
    }
    for name, path in files.items():
        path.write_text(contents[name])
    (tmp_path / "empty").mkdir()
    video = tmp_path / "video.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), 15, (64, 64))
    for _ in range(5):
        writer.write(np.zeros((64, 64, 3), np.uint8))
    writer.release()
    return {
        **{name: str(path) for name, path in files.items()},
        "empty_dir": str(tmp_path / "empty"),
        "video": str(video),
        "track": str(TRACK),
    }


@pytest.mark.parametrize(("command", "fragment"), ROWS.values(), ids=ROWS.keys())
def test_bad_input_is_one_line_and_a_non_zero_exit(bad_files, capfd, monkeypatch, command, fragment):
    # No display and no camera here: a row must fail on its own bad input, not on these.
    monkeypatch.delenv("DISPLAY", raising=False)
    code = main([part.format(**bad_files) for part in command.split()])
    out, err = capfd.readouterr()
    assert code != 0
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"stderr must be one line, got:\n{err}"
    assert lines[0].startswith("formcheck: error: ") and fragment in lines[0], lines[0]


def test_cluster_without_the_extra_says_how_to_install_it(bad_files, capfd, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it fails
    code = main(["analyze", bad_files["track"], "-e", "squat", "--cluster", "tcp://127.0.0.1:8786"])
    _, err = capfd.readouterr()
    assert code == 1
    assert err.strip().splitlines() == [
        "formcheck: error: --cluster needs the cluster extra: pip install 'formcheck[cluster]'"
    ]


def test_without_a_display_live_says_so_and_nothing_after_it(bad_files):
    # In a fresh process: MediaPipe's native code logs "INFO: ... DestroyAccelerator" at exit
    # when a loaded model is left to the interpreter to close.
    env = {key: value for key, value in os.environ.items() if key != "DISPLAY"}
    done = subprocess.run(
        [FORMCHECK, "live", "-e", "hip_hinge", "--source", bad_files["video"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "formcheck: error: cannot open a window: no display found (DISPLAY not set or not reachable); "
        "run in a desktop session, or use --no-window"
    ]
