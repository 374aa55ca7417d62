"""The callers of the tokens this process has checked, kept so that a request does not cost a
query to learn who sends it.

A caller is kept while the database says that nothing about tokens or users changed (every
write to them is notified: app.storage.access_changes) and for a minute at most; a token
past its expiry is not served from here. Nothing is kept while the notifications may be
missed (the listening connection is down), nor from a look-up that a notification overtook.
Tokens that name no one are not kept: they are looked up each time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from app.storage.access_changes import AccessChanges

LIFETIME_S = 60.0
MAX_CALLERS = 10_000


class KnownCallers:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, tuple[Any, float]] = OrderedDict()
        self._generation = 0  # counts what was forgotten: a look-up older than that is stale
        self.changes = AccessChanges(self.forget_all)

    def forget_all(self) -> None:
        with self._lock:
            self._kept.clear()
            self._generation += 1

    def generation(self) -> int:
        """Read before a look-up, given back to ``keep``."""
        self.changes.start()
        return self._generation

    def get(self, token_hash: str) -> Any | None:
        """The holder kept for the token (None: look it up)."""
        if not self.changes.listening.is_set():
            return None
        with self._lock:
            found = self._kept.get(token_hash)
            if found is None:
                return None
            holder, kept_at = found
            expires_at = holder.expires_at
            if time.monotonic() - kept_at > LIFETIME_S or (
                expires_at is not None and expires_at <= datetime.now(UTC)
            ):
                del self._kept[token_hash]
                return None
            return holder

    def keep(self, token_hash: str, holder: Any, generation: int) -> None:
        """Keep what a look-up begun at ``generation`` found, unless a change came since."""
        if not self.changes.listening.is_set():
            return
        with self._lock:
            if generation != self._generation:
                return
            self._kept[token_hash] = (holder, time.monotonic())
            while len(self._kept) > MAX_CALLERS:
                self._kept.popitem(last=False)


known_callers = KnownCallers()
