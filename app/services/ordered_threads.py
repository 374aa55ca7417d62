"""Independent pieces of work spread over threads, their results given back in order.

Replays of land that never meets are independent, and nearly all of their time is spent in
GEOS overlays, which release the interpreter's lock: on threads they run on every core, and
beside the caller writing the results already given back (psycopg releases the lock while it
sends). Results come back in the order of the work, so what is written is the same row for
row as without threads; only a bounded number of results waits at any time.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Items handed to a thread at once: most replays (a hazard alone on its land) take well
# under a millisecond, about what handing over one item costs.
CHUNK = 32


def workers() -> int:
    """Threads to replay on: the machine's cores, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def in_order(
    function: Callable[[T], R], items: Iterable[T], threads: int | None = None
) -> Iterator[R]:
    """``function`` of each item, worked out on ``threads`` threads (default: ``workers()``),
    given back in the order of ``items``; at most a few chunks per thread wait."""
    threads = workers() if threads is None else threads
    source = iter(items)
    first = list(islice(source, CHUNK))
    if threads <= 1 or len(first) < CHUNK:  # little work (one fact through the API): no threads
        yield from map(function, first)
        yield from map(function, source)
        return

    def chunk_of(batch: list[T]) -> list[R]:
        return [function(item) for item in batch]

    with ThreadPoolExecutor(threads, thread_name_prefix="replay") as pool:
        pending: deque[Future[list[R]]] = deque([pool.submit(chunk_of, first)])
        while batch := list(islice(source, CHUNK)):
            pending.append(pool.submit(chunk_of, batch))
            if len(pending) >= 2 * threads:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
