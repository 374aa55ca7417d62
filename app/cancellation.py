"""The database work of the request being answered, stopped when its client leaves.

A request's connection is attached to its ``RequestWork`` while the request holds it. When
the client disconnects (app.api.disconnect), the statement running on it is cancelled by the
server, and any statement the request would start next is refused before it reaches the
database: a report the client gave up on does not keep the database busy for minutes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Protocol


class Cancellable(Protocol):
    def cancel_safe(self, *, timeout: float = ...) -> None: ...


class ClientGone(Exception):
    """The client left before the answer was ready: its work was stopped."""


class RequestWork:
    """The connections a request holds, and whether its client has gone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: list[Cancellable] = []
        self.client_gone = False

    @contextmanager
    def attached(self, connection: Cancellable) -> Iterator[None]:
        """``connection`` is this request's until the block ends (then back to the pool,
        where a cancel meant for this request must not reach it)."""
        with self._lock:
            self._connections.append(connection)
        try:
            yield
        finally:
            with self._lock:
                self._connections.remove(connection)

    def stop(self) -> None:
        """The client has gone: cancel what runs, refuse what would run next."""
        with self._lock:
            self.client_gone = True
            for connection in self._connections:
                # A cancel that fails leaves the statement to its timeout.
                with suppress(Exception):
                    connection.cancel_safe(timeout=5.0)


_current: ContextVar[RequestWork | None] = ContextVar("request_work", default=None)


def begin_request() -> RequestWork:
    """A request's work, current in its task and in the threads it runs handlers in."""
    work = RequestWork()
    _current.set(work)
    return work


def current_work() -> RequestWork | None:
    return _current.get()


def refuse_if_client_gone() -> None:
    """Before a statement: none is started for a client that has gone."""
    work = _current.get()
    if work is not None and work.client_gone:
        raise ClientGone("the client disconnected")
