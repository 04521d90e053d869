"""Running `formcheck analyze` over many inputs: in parallel processes under the one ``--workers``
budget (design.md §8: the number of pose models running at once), with one overall progress bar;
a failing input is kept with a one-line reason and never stops the others."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from tqdm import tqdm

from formcheck.cli.inputs import Input
from formcheck.errors import FormcheckError


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, which containers and `taskset` narrow)."""
    return len(os.sched_getaffinity(0))


def _in_pool(
    items: list[Input],
    work: Callable[[Input], str],
    workers: int,
    finished: Callable[[Input, str], None],
    failures: list[tuple[Input, str]],
    bar: tqdm,
) -> list[Input]:
    """Run ``items`` in a pool of ``workers`` processes as `run_all` does; returns those lost to a
    dead worker (not yet counted on ``bar``)."""
    crashed = []
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=_ignore_interrupts
    )
    try:
        futures = {pool.submit(work, item): item for item in items}
        for future in as_completed(futures):
            item = futures[future]
            try:
                output = future.result()
            except BrokenProcessPool:
                crashed.append(item)
                continue
            except Exception as error:  # As in one process: reported at the end, the others go on.
                failures.append((item, reason(item, error)))
            else:
                finished(item, output)
            bar.update()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return crashed


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C reaches every process of the terminal's group; only the parent acts on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def reason(item: Input, error: BaseException) -> str:
    """One line saying why ``item`` failed, starting with its path."""
    if isinstance(error, FormcheckError):
        text = str(error)
    elif isinstance(error, BrokenProcessPool):
        text = "the worker process analysing it died (the file may crash the decoder or the pose model)"
    else:
        # Not an input problem formcheck knows: keep the type so the cause can be found and reported.
        text = f"{type(error).__name__}: {error}"
    text = " ".join(text.split())
    return text if text.startswith(str(item.path)) else f"{item.path}: {text}"


def run_all(
    items: list[Input],
    work: Callable[[Input], str],
    *,
    workers: int,
    finished: Callable[[Input, str], None],
) -> list[tuple[Input, str]]:
    """Run ``work`` on every item, ``workers`` at a time, and call ``finished(item, output)`` in this
    process as each one ends (in the order they end); returns the failures with their reasons.

    One worker runs in this process. More run in spawned processes (a fresh interpreter each, not a
    fork of this one and its threads), each loading the pose model once for all its inputs. On
    Ctrl-C the queued inputs are dropped and those in progress finish and are written (a re-run
    with ``--resume`` takes them), then the interrupt goes on to the caller.
    """
    failures: list[tuple[Input, str]] = []
    bar = tqdm(total=len(items), unit="input", desc="analyze", disable=None if len(items) > 1 else True)
    with bar:
        if workers <= 1 or len(items) <= 1:
            for item in items:
                try:
                    output = work(item)
                except Exception as error:  # One input's failure must not stop the batch.
                    failures.append((item, reason(item, error)))
                else:
                    finished(item, output)
                bar.update()
            return failures
        crashed = _in_pool(items, work, min(workers, len(items)), finished, failures, bar)
        # A worker that dies (a decoder or model crash) takes every input then in the pool with it:
        # run those again one per fresh process, so only the input that kills its process fails.
        for item in crashed:
            if _in_pool([item], work, 1, finished, failures, bar):
                failures.append((item, reason(item, BrokenProcessPool())))
                bar.update()
    return failures
