"""The figures and reports anyone may read, kept affordable: an anonymous caller is limited
in requests per address, and its answers come from a cache kept per as-of date and
parameters until the ledger changes (a report of many years is computed once per change,
not once per caller).

Signed-in callers are neither limited nor cached here: they are known, and may see what
anonymous callers do not.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from sqlalchemy import Connection

from app.api.rate_limits import SlidingWindow
from app.api.security import PrincipalDep, check
from app.auth.policy import Action
from app.auth.principal import Principal
from app.errors import TooManyRequests
from app.i18n.language import current_language
from app.settings import rate_settings
from app.storage.versions import figures_version


@cache
def _limits() -> SlidingWindow:
    settings = rate_settings()
    return SlidingWindow(settings.anonymous_reports_per_address, settings.anonymous_window_s)


def figures_reader(request: Request, principal: PrincipalDep) -> Principal:
    """Route dependency: a caller allowed to read the figures, an anonymous one within its
    rate."""
    check(principal, Action.READ_TOTALS)
    if principal.anonymous:
        address = request.client.host if request.client else "unknown"
        wait = _limits().hit(address)
        if wait:
            raise TooManyRequests(
                retry_after_s=wait,
                code="request.rate_limited",
                params={"seconds": wait},
            )
    return principal


FiguresReader = Annotated[Principal, Depends(figures_reader)]


class _Answers:
    """Answers by request, each with the version of the ledger it was computed from."""

    # Requests for the same answer wait for one another (a lock per stripe of keys).
    STRIPES = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple, tuple[tuple[int, ...], Any]] = OrderedDict()
        self._computing = [threading.Lock() for _ in range(self.STRIPES)]

    def computing(self, key: tuple) -> threading.Lock:
        """Held while the answer to ``key`` is computed: many anonymous callers asking for
        the same report at once cost one computation, not one each."""
        return self._computing[hash(key) % self.STRIPES]

    def get(self, key: tuple, version: tuple[int, ...]) -> Any | None:
        with self._lock:
            found = self._kept.get(key)
            if found is None or found[0] != version:
                return None
            self._kept.move_to_end(key)
            return found[1]

    def put(self, key: tuple, version: tuple[int, ...], answer: Any, room: int) -> None:
        with self._lock:
            self._kept[key] = (version, answer)
            self._kept.move_to_end(key)
            while len(self._kept) > room:
                self._kept.popitem(last=False)


_answers = _Answers()


def answered(
    request: Request, principal: Principal, conn: Connection, compute: Callable[[], Any]
) -> Any:
    """``compute()``, or for an anonymous caller the answer kept for the same request since
    the ledger last changed. The version is read in the request's own snapshot, so a kept
    answer is always that of the version it is filed under."""
    room = rate_settings().anonymous_cache_entries
    if not principal.anonymous or room == 0:
        return compute()
    # Today's date is part of the request: an answer "as of today" is not tomorrow's.
    key = (
        request.url.path,
        tuple(sorted(request.query_params.multi_items())),
        date.today(),
        current_language(),
    )
    version = figures_version(conn)
    kept = _answers.get(key, version)
    if kept is None:
        with _answers.computing(key):
            kept = _answers.get(key, version)  # computed meanwhile by another caller
            if kept is None:
                kept = compute()
                _answers.put(key, version, kept, room)
    return _fresh(kept)


def _fresh(answer: Any) -> Any:
    """A kept file answer as a new response (a response is sent once)."""
    if isinstance(answer, Response):
        return Response(
            content=answer.body,
            status_code=answer.status_code,
            headers={k: v for k, v in answer.headers.items() if k != "content-length"},
            media_type=answer.media_type,
        )
    return answer
