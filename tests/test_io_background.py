"""iterate_in_background: same items, same order, errors in place, bounded, stoppable."""

from __future__ import annotations

import threading
import time

import pytest

from formcheck.io.background import iterate_in_background


def test_items_arrive_in_order():
    assert list(iterate_in_background(range(100), depth=3, thread_name="t")) == list(range(100))


def test_an_error_while_producing_is_raised_after_the_items_before_it():
    def produce():
        yield from (1, 2)
        raise OSError("disk gone")

    received = []
    with pytest.raises(OSError, match="disk gone"):
        for item in iterate_in_background(produce(), depth=2, thread_name="t"):
            received.append(item)
    assert received == [1, 2]


def test_the_producer_runs_at_most_depth_items_ahead():
    produced = []

    def produce():
        for i in range(50):
            produced.append(i)
            yield i

    items = iterate_in_background(produce(), depth=3, thread_name="t")
    assert next(items) == 0
    time.sleep(0.3)  # time for the producer to run ahead as far as it can
    # One handed over, three queued, one waiting to be queued.
    assert len(produced) <= 1 + 3 + 1
    items.close()


def test_closing_early_stops_the_worker():
    def endless():
        i = 0
        while True:
            yield i
            i += 1

    items = iterate_in_background(endless(), depth=2, thread_name="endless producer")
    assert next(items) == 0
    items.close()
    assert not any(thread.name == "endless producer" for thread in threading.enumerate())


def test_depth_must_be_positive():
    with pytest.raises(ValueError, match="depth"):
        next(iterate_in_background([1], depth=0, thread_name="t"))
