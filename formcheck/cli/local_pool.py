"""The batch's local `Executor`: ``--workers`` processes on this machine (or this process alone)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from formcheck.cli.batch import Outcome, WorkerDied
from formcheck.cli.inputs import Input


class LocalProcesses:
    """Runs a batch in ``workers`` processes, or in this process when one is enough.

    More than one worker run in spawned processes (a fresh interpreter each, not a fork of this one
    and its threads), each loading the pose model once for all its inputs. On Ctrl-C the queued
    inputs are dropped and those in progress finish and write their files (a re-run with
    ``--resume`` takes them).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def outcomes(self, items: list[Input], work: Callable[[Input], str]) -> Iterator[tuple[Input, Outcome]]:
        if self.workers <= 1 or len(items) <= 1:
            for item in items:
                try:
                    yield item, work(item)
                except Exception as error:  # One input's failure must not stop the batch.
                    yield item, error
            return
        crashed: list[Input] = []
        yield from _in_pool(items, work, min(self.workers, len(items)), crashed)
        # A worker that dies (a decoder or model crash) takes every input then in the pool with it:
        # run those again one per fresh process, so only the input that kills its process fails.
        for item in crashed:
            again: list[Input] = []
            yield from _in_pool([item], work, 1, again)
            if again:
                yield item, WorkerDied()

    def close(self) -> None:
        """Nothing to let go: each `outcomes` call shuts its own pool down."""


def _in_pool(
    items: list[Input], work: Callable[[Input], str], workers: int, crashed: list[Input]
) -> Iterator[tuple[Input, Outcome]]:
    """The outcomes of ``items`` in a pool of ``workers`` processes; those lost to a dead worker go
    to ``crashed`` instead."""
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
                yield item, error
            else:
                yield item, output
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C reaches every process of the terminal's group; only the parent acts on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
