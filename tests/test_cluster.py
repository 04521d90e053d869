"""`formcheck analyze --cluster`: a batch on a real Dask cluster (a scheduler and two single-thread
workers started here on 127.0.0.1 with Dask's own commands, then stopped) gives the reports of the
local run, writes index.html and reps.csv, reports a corrupt input without stopping the others,
keeps to the ``--workers`` budget and survives a worker that dies."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path, PurePosixPath

import pytest

from formcheck.cli import main
from formcheck.cli.batch import run_all
from formcheck.cli.inputs import Input
from tests.conftest import REPO, read_report
from tests.test_cli_batch import _dies_on_crash, _save

pytest.importorskip("distributed", reason="the cluster extra is not installed: pip install '.[cluster]'")

from formcheck.cli.cluster import DaskCluster

STUDIO = REPO / "samples" / "studio"
# Pose tracks of the bundled renders (no model needed), named by exercise.
TRACKS = ("squat_clean", "split_squat_knee_over_toes", "hip_hinge_knee_over_toes", "clamshell_clean")
MAPPING = "".join(f'"{ex}_*" = "{ex}"\n' for ex in ("squat", "split_squat", "hip_hinge", "clamshell"))


def _dask(tool: str, *args: str, log: Path, env: dict) -> subprocess.Popen:
    """``dask scheduler`` / ``dask worker`` as their modules, in the interpreter that has formcheck."""
    return subprocess.Popen(
        [sys.executable, "-m", f"distributed.cli.dask_{tool}", *args],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        cwd=REPO,
        start_new_session=True,  # Its own process group: stopping it stops the nanny's workers too.
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The scheduler's address, with two workers of one thread each attached."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("cluster")
    env = {key: value for key, value in os.environ.items() if key != "FORMCHECK_CACHE_DIR"}
    # The workers import the helper jobs below from this file; they know no pose cache of their own,
    # so a cache entry can only come from the batch's --cache-dir (or the client's variable).
    # pytest imports this file as `test_cluster` (tests/ has no __init__.py), and its jobs are
    # pickled under that name.
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "tests")])
    # One retry for a task whose worker dies (default 3), so the crash test restarts fewer workers.
    env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "1"
    scheduler_file = folder / "scheduler.json"
    scheduler = _dask(
        "scheduler",
        *("--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)),
        log=folder / "scheduler.log",
        env=env,
    )
    workers = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline and scheduler.poll() is None:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        workers = _dask(
            "worker",
            address,
            *("--nworkers", "2", "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"),
            *("--local-directory", str(folder / "workers")),
            log=folder / "workers.log",
            env=env,
        )
        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        if workers is not None:
            _stop(workers)
        _stop(scheduler)


@pytest.fixture(scope="module")
def tracks(tmp_path_factory):
    """A folder of pose tracks and one corrupt file, and the exercise mapping for it."""
    root = tmp_path_factory.mktemp("tracks")
    for name in TRACKS:
        (root / f"{name}.npz").symlink_to(STUDIO / f"{name}.truth.npz")
    (root / "squat_broken.npz").write_bytes(b"not a track")
    mapping = root.parent / "map.toml"
    mapping.write_text(MAPPING)
    return root, mapping


def _contents(out: Path) -> dict[str, object]:
    """Every file a batch wrote, by path inside ``out``: JSON as data, the rest as text."""
    return {
        str(path.relative_to(out)): json.loads(path.read_text())
        if path.suffix == ".json"
        else path.read_text()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_a_batch_on_the_cluster_writes_what_the_local_run_writes(cluster, tracks, tmp_path, capsys):
    root, mapping = tracks
    args = ["analyze", str(root), "--exercises", str(mapping), "--html"]
    assert main([*args, "--out", str(tmp_path / "local"), "--workers", "1"]) == 1
    local_err = capsys.readouterr().err
    assert main([*args, "--out", str(tmp_path / "cluster"), "--cluster", cluster]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"formcheck: 1 of 5 input(s) failed; the others are in {tmp_path / 'cluster'}"
    assert len(err) == 2
    assert err[0].startswith(f"formcheck: error: {root / 'squat_broken.npz'}: not a formcheck pose track")
    assert "Traceback" not in local_err + "\n".join(err)
    local, remote = _contents(tmp_path / "local"), _contents(tmp_path / "cluster")
    assert sorted(remote) == sorted(local)
    assert {"index.html", "reps.csv", *(f"{name}.json" for name in TRACKS)} <= set(remote)
    for name, content in local.items():
        # The pages and the index name no output folder, so they match byte for byte too.
        assert remote[name] == content, name
    for name in TRACKS:
        read_report(tmp_path / "cluster" / f"{name}.json")
    assert (
        read_report(tmp_path / "cluster" / "split_squat_knee_over_toes.json")["summary"]["faults"][
            "knee_over_toes"
        ]
        == 2
    )


def _exclusive(item: Input, folder: Path) -> str:
    """A job that says how many jobs ran beside it: each holds a marker file for a second."""
    marker = folder / item.name.name
    marker.touch()
    time.sleep(1.0)
    beside = len(list(folder.iterdir()))
    marker.unlink()
    return str(beside)


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_bounds_the_jobs_in_flight_on_the_cluster(cluster, tmp_path, workers):
    items = [Input(Path(f"{k}.mp4"), PurePosixPath(f"job{k}"), "squat") for k in range(4)]
    outputs = []
    with closing(DaskCluster(cluster, workers)) as executor:
        failures = run_all(
            items,
            functools.partial(_exclusive, folder=tmp_path),
            executor,
            finished=lambda item, output: outputs.append(int(output)),
        )
    assert failures == [] and len(outputs) == 4
    # Two workers are free: with a budget of 2 the jobs overlap, with 1 never.
    assert max(outputs) == workers


def test_a_worker_that_dies_fails_only_its_own_input_on_the_cluster(cluster):
    items = [Input(Path(f"{name}.mp4"), PurePosixPath(name), "squat") for name in ("a", "b", "crash", "c")]
    done = []
    with closing(DaskCluster(cluster, None)) as executor:
        failures = run_all(items, _dies_on_crash, executor, finished=lambda item, output: done.append(output))
    assert sorted(done) == ["a", "b", "c"]
    assert [(item.name.name, why) for item, why in failures] == [
        (
            "crash",
            "crash.mp4: the worker process analysing it died "
            "(the file may crash the decoder or the pose model)",
        )
    ]


def test_ctrl_c_stops_a_cluster_batch_without_a_traceback_and_resume_does_the_rest(cluster, tmp_path):
    folder = tmp_path / "clips"
    for k in range(12):
        _save(folder / f"squat{k:02d}.npz", "squat", "both", seed=k)
    out = tmp_path / "out"
    args = [str(REPO / ".venv" / "bin" / "formcheck"), "analyze", str(folder), "-e", "squat"]
    args += ["--out", str(out), "--cluster", cluster, "--workers", "1"]
    process = subprocess.Popen([*args, "--html"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(out.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)  # The client only: the workers run elsewhere.
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and err.decode().strip().splitlines()[-1] == "formcheck: interrupted"
    assert "Traceback" not in err.decode()
    kept = sorted(out.glob("*.json"))
    assert 0 < len(kept) < 12
    for path in kept:
        read_report(path)
    resumed = subprocess.run([*args, "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"--resume: {len(kept)} input(s) already analysed" in resumed.stderr
    assert len(list(out.glob("*.json"))) == 12


@pytest.mark.slow  # the pose model runs on a studio clip, on a worker and here
def test_a_video_on_the_cluster_runs_the_model_on_a_worker_into_the_shared_cache(
    cluster, tmp_path, monkeypatch, capsys
):
    video = STUDIO / "band_walk_clean.mp4"
    args = ["analyze", str(video), str(STUDIO / "squat_clean.truth.npz"), "-e", "band_walk"]
    # The client's FORMCHECK_CACHE_DIR is the batch's --cache-dir; the workers have none of their own.
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "shared-cache"))
    assert main([*args, "--out", str(tmp_path / "cluster"), "--cluster", cluster]) == 0
    assert len(list((tmp_path / "shared-cache").glob("*.npz"))) == 1
    monkeypatch.delenv("FORMCHECK_CACHE_DIR")
    local_cache = tmp_path / "local-cache"
    assert main([*args, "--out", str(tmp_path / "local"), "--cache-dir", str(local_cache)]) == 0
    assert len(list(local_cache.glob("*.npz"))) == 1  # The model ran here too, not from the cache.
    capsys.readouterr()
    remote = read_report(tmp_path / "cluster" / "band_walk_clean.json")
    assert remote == read_report(tmp_path / "local" / "band_walk_clean.json")
    assert remote["source"] == str(video) and remote["frames"] == 67
    assert (tmp_path / "cluster" / "reps.csv").read_text() == (tmp_path / "local" / "reps.csv").read_text()
