"""Counting requests per key (an address, an account) over a sliding window, in this process.

With several workers each process counts its own, so a caller gets up to the limit times the
number of workers (docs/operations.md). The number of keys is bounded: the longest unused are
forgotten first, so a flood of addresses cannot fill the memory.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque


class SlidingWindow:
    def __init__(self, limit: int, window_s: float, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def wait_s(self, key: str) -> int:
        """Whole seconds before ``key`` may be counted again (0: now)."""
        now = time.monotonic()
        with self._lock:
            hits = self._recent(key, now)
            if hits is None or len(hits) < self.limit:
                return 0
            return max(1, math.ceil(hits[0] + self.window_s - now))

    def add(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._add(key, self._recent(key, now), now)

    def hit(self, key: str) -> int:
        """Count a request of ``key`` unless it is over the limit; the seconds to wait
        when it is (0: counted)."""
        now = time.monotonic()
        with self._lock:
            hits = self._recent(key, now)
            if hits is not None and len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window_s - now))
            self._add(key, hits, now)
            return 0

    def forget(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)

    def _add(self, key: str, hits: deque[float] | None, now: float) -> None:
        if hits is None:
            hits = self._hits[key] = deque()
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
        hits.append(now)
        self._hits.move_to_end(key)

    def _recent(self, key: str, now: float) -> deque[float] | None:
        hits = self._hits.get(key)
        if hits is not None:
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
        return hits
