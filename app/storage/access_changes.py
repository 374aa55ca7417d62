"""Listening for word that tokens or users changed (channel ``access_changed``, notified by
every write to them: migration 0018), on a connection of its own in a thread of its own.

While it listens, what a process keeps of its callers holds until the next notification;
when the connection breaks, notifications may be missed: ``on_change`` is called (all is
forgotten), ``listening`` is cleared until it listens again, and nothing may be kept
meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from app.db import engine

CHANNEL = "access_changed"
RETRY_AFTER_S = 1.0

log = logging.getLogger("landrelease.access")


class AccessChanges:
    def __init__(self, on_change: Callable[[], None]) -> None:
        self.on_change = on_change
        self.listening = threading.Event()
        self._started = False
        self._lock = threading.Lock()

    def start(self) -> None:
        """Listen from now on, in a daemon thread (once per process)."""
        if self._started:
            return
        with self._lock:
            if not self._started:
                threading.Thread(target=self._listen, name="access-changes", daemon=True).start()
                self._started = True

    def _listen(self) -> None:
        while True:
            try:
                pooled = engine().raw_connection()
                connection = pooled.driver_connection
                pooled.detach()  # its own: never back in the pool
                assert connection is not None
                connection.autocommit = True
                connection.execute(f"LISTEN {CHANNEL}")
                # What changed before this moment is read anew: forget all, then keep.
                self.on_change()
                self.listening.set()
                for _ in connection.notifies():
                    self.on_change()
            except Exception as error:  # a broken connection, a database away
                log.warning("not hearing of access changes (%r): callers are looked up", error)
            self.listening.clear()
            self.on_change()
            time.sleep(RETRY_AFTER_S)
