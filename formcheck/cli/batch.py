"""Running `formcheck analyze` over many inputs under the one ``--workers`` budget (design.md §8: the
number of pose models running at once), with one overall progress bar; a failing input is kept with
a one-line reason and never stops the others.

Where the jobs run is an `Executor`: local processes (`formcheck.cli.local_pool`) or a Dask cluster
(`formcheck.cli.cluster`). `run_all` does the rest, the same for both: the bar, and each input's
output or failure handled in this process as it ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Protocol

from tqdm import tqdm

from formcheck.cli.inputs import Input
from formcheck.errors import FormcheckError

# What a job gives back: its output (the input's rep table), or the exception it raised.
Outcome = str | Exception


class WorkerDied(Exception):
    """The process running an input died (a decoder or model crash, or the job killed it)."""


class Executor(Protocol):
    """Where a batch's jobs run: local processes or a cluster."""

    def outcomes(self, items: list[Input], work: Callable[[Input], str]) -> Iterator[tuple[Input, Outcome]]:
        """Run ``work`` on every item and yield each item with its `Outcome` as it ends (in the order
        they end). An exception raised by ``work`` is yielded, not raised; a job whose process dies
        is yielded with `WorkerDied`. On Ctrl-C the queued items are dropped and the interrupt goes
        on to the caller."""
        ...

    def close(self) -> None:
        """Let go of the processes or the connection (after the last `outcomes`)."""
        ...


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, which containers and `taskset` narrow)."""
    return len(os.sched_getaffinity(0))


def reason(item: Input, error: BaseException) -> str:
    """One line saying why ``item`` failed, starting with its path."""
    if isinstance(error, FormcheckError):
        text = str(error)
    elif isinstance(error, WorkerDied):
        text = "the worker process analysing it died (the file may crash the decoder or the pose model)"
    else:
        # Not an input problem formcheck knows: keep the type so the cause can be found and reported.
        text = f"{type(error).__name__}: {error}"
    text = " ".join(text.split())
    return text if text.startswith(str(item.path)) else f"{item.path}: {text}"


def run_all(
    items: list[Input],
    work: Callable[[Input], str],
    executor: Executor,
    *,
    finished: Callable[[Input, str], None],
) -> list[tuple[Input, str]]:
    """Run ``work`` on every item with ``executor`` and call ``finished(item, output)`` in this
    process as each one ends (in the order they end); returns the failures with their reasons."""
    failures: list[tuple[Input, str]] = []
    bar = tqdm(total=len(items), unit="input", desc="analyze", disable=None if len(items) > 1 else True)
    with bar:
        for item, outcome in executor.outcomes(items, work):
            if isinstance(outcome, Exception):
                failures.append((item, reason(item, outcome)))
            else:
                finished(item, outcome)
            bar.update()
    return failures
