"""Running an iterator on a worker thread, a bounded number of items ahead of its consumer.

Used so that decoding the next video frames overlaps pose inference on the current one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class _Failure:
    error: BaseException


_END = object()


def iterate_in_background(items: Iterable[T], *, depth: int, thread_name: str) -> Iterator[T]:
    """Yield the items of ``items``, produced on a daemon thread at most ``depth`` items ahead.

    An exception raised while producing is raised here, in the consumer, at the point in
    the sequence where it happened.  Closing this generator early (``break``, an error or
    Ctrl-C in the consumer) stops the worker at its next item and waits for it.
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    handoff: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        # Poll rather than block forever, so that a consumer that went away is noticed.
        while not stop.is_set():
            try:
                handoff.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            put(_Failure(error))
            return
        put(_END)

    worker = threading.Thread(target=produce, name=thread_name, daemon=True)
    worker.start()
    try:
        while True:
            item = handoff.get()
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
