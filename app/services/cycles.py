"""Pausing Python's cycle collector during bulk work.

An import or a rebuild keeps hundreds of thousands of objects alive (features, pieces,
geometries). The collector's default thresholds then run a collection every 700 new objects,
and each older-generation collection walks the whole live set: about a tenth of an import's
time went to collections that found almost nothing. While paused, the caller collects the
young generations itself at points where a batch's garbage is done with.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_pausing = 0  # bulk tasks running with the collector paused
_paused_here = False  # whether the collector was running when the first one began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Automatic collections off for the duration (also with several bulk tasks at once);
    the previous state is restored when the last one ends."""
    global _pausing, _paused_here
    with _lock:
        if _pausing == 0:
            _paused_here = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if _pausing == 0 and _paused_here:
                gc.enable()


def collect_young() -> None:
    """Collect the two young generations: the cycles a finished batch left behind."""
    gc.collect(1)


def collecting_every(items: Iterable[T], count: int) -> Iterator[T]:
    """``items``, collecting the young generations after every ``count`` of them."""
    for i, item in enumerate(items, start=1):
        yield item
        if i % count == 0:
            collect_young()
