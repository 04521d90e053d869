"""A one-slot mailbox between two threads: the taker always gets the newest item.

Live capture must never queue frames: a queue that grows while inference is slow makes
the feedback lag further and further behind the person. The mailbox holds one item; a new
item replaces the unread one, and the replaced item is counted as dropped.

For deterministic playback (every frame processed, e.g. to compare with offline analysis)
the mailbox can instead make the putter wait until its item has been taken.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class MailboxClosed(Exception):
    """Raised by `take` once the mailbox is closed and its last item has been taken."""


class LatestMailbox(Generic[T]):
    """One slot, newest wins.

    Attributes:
        dropped: items replaced before anyone took them.
        delivered: items taken.
    """

    def __init__(self, *, wait_when_full: bool = False) -> None:
        self._wait_when_full = wait_when_full
        self._condition = threading.Condition()
        self._item: T | None = None
        self._full = False
        self._closed = False
        self.dropped = 0
        self.delivered = 0

    def put(self, item: T) -> bool:
        """Post `item`; returns False (and drops it) when the mailbox is closed."""
        with self._condition:
            if self._wait_when_full:
                self._condition.wait_for(lambda: not self._full or self._closed)
            if self._closed:
                return False
            if self._full:
                self.dropped += 1
            self._item = item
            self._full = True
            self._condition.notify_all()
            return True

    def take(self, timeout: float | None = None) -> T | None:
        """The newest item, waiting up to `timeout` seconds; None when none arrived in time.

        Raises MailboxClosed once the mailbox is closed and empty.
        """
        with self._condition:
            self._condition.wait_for(lambda: self._full or self._closed, timeout=timeout)
            if not self._full:
                if self._closed:
                    raise MailboxClosed
                return None
            item, self._item, self._full = self._item, None, False
            self.delivered += 1
            self._condition.notify_all()
            return item

    def close(self) -> None:
        """No more items: wakes every waiter; an unread item can still be taken."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed
