"""A real X display (Xvfb) for the window tests, started and stopped by the tests themselves."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest


def _missing(tool: str) -> None:
    # CI installs these (.ci/run); only a developer machine may lack them.
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is not installed; .ci/run must apt-install it")
    pytest.skip(f"{tool} is not installed (apt-get install xvfb xdotool)")


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    """The DISPLAY name (":N") of a private 1600x1000 Xvfb server."""
    if shutil.which("Xvfb") is None:
        _missing("Xvfb")
    read_end, write_end = os.pipe()
    # -displayfd: Xvfb picks a free display number itself and writes it to the pipe when ready.
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def xdotool() -> str:
    path = shutil.which("xdotool")
    if path is None:
        _missing("xdotool")
    return path
