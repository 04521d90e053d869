"""The batch's cluster `Executor`: the same per-input jobs on a running Dask distributed cluster
(``--cluster tcp://HOST:8786``), from the optional extra ``formcheck[cluster]``.

The workers run `formcheck.cli.analyze.analyze_input` themselves, so they need formcheck installed
and reach the inputs, ``--out`` and the pose cache by the same paths as this process (shared
storage); the paths are made absolute before they are sent. ``--workers N`` bounds the jobs in
flight on the whole cluster: N are submitted, and one more as each ends, so at most N pose models
run at once for this batch; without it, as many as the cluster has worker threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from itertools import islice
from typing import TYPE_CHECKING

from formcheck.cli.batch import Outcome, WorkerDied
from formcheck.cli.inputs import Input
from formcheck.errors import FormcheckError

if TYPE_CHECKING:
    from distributed import Client

CONNECT_TIMEOUT_S = 5
# How long a cluster without workers may take to get its first one before the batch gives up.
FIRST_WORKER_TIMEOUT_S = 10
INSTALL_HINT = "pip install 'formcheck[cluster]'"


class DaskCluster:
    """Runs a batch on the Dask cluster whose scheduler is at ``address``.

    Connecting fails in a few seconds with a `FormcheckError` when nothing answers there, when the
    address is malformed, or when the extra is not installed.
    """

    def __init__(self, address: str, workers: int | None) -> None:
        try:
            import distributed
            from distributed.comm import get_address_host_port
            from distributed.comm.addressing import normalize_address
        except ImportError:
            raise FormcheckError(f"--cluster needs the cluster extra: {INSTALL_HINT}") from None
        try:
            # Checked first: a Client made for a malformed address fails, then hangs on closing.
            get_address_host_port(normalize_address(address))
        except ValueError as error:
            raise FormcheckError(
                f"--cluster {address}: not a scheduler address ({_one_line(error)}); give tcp://HOST:PORT"
            ) from None
        # Dask logs its own view of a lost scheduler or worker on stderr; formcheck says it once,
        # in its one line per input.
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        try:
            self.client: Client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except OSError as error:  # Nothing answers there (Dask's connection timeout is an OSError).
            raise FormcheckError(
                f"--cluster {address}: cannot reach a Dask scheduler there ({_one_line(error)}); "
                "start one with `dask scheduler` and give its tcp://HOST:PORT"
            ) from None
        self.address = address
        self.workers = workers

    def _window(self) -> int:
        """How many jobs may be in flight at once: ``--workers``, else the cluster's worker threads."""
        try:
            self.client.wait_for_workers(1, timeout=FIRST_WORKER_TIMEOUT_S)
        except TimeoutError:
            raise FormcheckError(
                f"--cluster {self.address}: the scheduler has no workers; start some with "
                f"`dask worker {self.address}`"
            ) from None
        return self.workers or sum(self.client.nthreads().values())

    def outcomes(self, items: list[Input], work: Callable[[Input], str]) -> Iterator[tuple[Input, Outcome]]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        if not items:
            return
        queue = iter(items)
        running = {}

        def submit(item: Input):
            # pure=False: a fresh key per job, so the scheduler never hands back a result it still
            # holds from an earlier batch instead of running the input again.
            future = self.client.submit(work, item, pure=False)
            running[future] = item
            return future

        # Our own client, not a default one: this process may hold others (tests, notebooks).
        done = as_completed([submit(item) for item in islice(queue, self._window())], loop=self.client.loop)
        try:
            for future in done:
                item = running.pop(future)
                following = next(queue, None)
                if following is not None:
                    done.add(submit(following))
                try:
                    outcome: Outcome = future.result()
                except KilledWorker:  # The scheduler retried it on other workers; each of them died.
                    outcome = WorkerDied()
                except CancelledError:  # The scheduler went away (or was restarted) with the job.
                    outcome = FormcheckError(
                        f"{item.path}: the cluster dropped this input (lost the connection to the "
                        f"scheduler at {self.address}?); run again with --resume"
                    )
                except Exception as error:  # Reported at the end, the others go on.
                    outcome = error
                yield item, outcome
        finally:
            # Ctrl-C, or the caller stopped: the queued jobs are dropped. A job already running
            # finishes on its worker (Dask cannot stop a running thread) and writes its files.
            self.client.cancel(list(running))

    def close(self) -> None:
        self.client.close()


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
