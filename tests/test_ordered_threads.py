"""Work spread over threads comes back in order, and replays on threads write the same land."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from app.geo.polygons import snapped
from app.geo.tolerance import Tolerance
from app.ledger.facts import LedgerFact
from app.ledger.states import EventKind, HazardClass, LedgerKey
from app.services import ordered_threads
from app.services.land_rebuild import replayed_from_scratch
from app.services.ordered_threads import CHUNK, in_order
from tests.support.shapes import rect


def test_results_come_back_in_the_order_of_the_work_from_several_threads() -> None:
    seen: set[str] = set()

    def square(n: int) -> int:
        seen.add(threading.current_thread().name)
        return n * n

    items = range(10 * CHUNK + 7)
    assert list(in_order(square, items, threads=3)) == [n * n for n in items]
    assert any(name.startswith("replay") for name in seen)


def test_little_work_stays_on_the_calling_thread() -> None:
    names = list(in_order(lambda _: threading.current_thread().name, range(CHUNK - 1), 4))
    assert set(names) == {threading.current_thread().name}


def test_a_failure_in_a_thread_reaches_the_caller() -> None:
    def failing(n: int) -> int:
        if n == 3 * CHUNK + 1:
            raise ValueError("no land")
        return n

    with pytest.raises(ValueError, match="no land"):
        list(in_order(failing, range(8 * CHUNK), threads=2))


def _facts() -> list[LedgerFact]:
    """Many groups of land that never meets: in each, a hazard, a second one over part of
    it, and a clearance across both that leaves a strip narrower than ε."""
    facts: list[LedgerFact] = []
    seq = 0
    for i in range(3 * CHUNK):
        x = 200.0 * i
        for kind, geometry, contamination in (
            (HazardClass.SHA, rect(x, 0, x + 100, 100), "CMR"),
            (HazardClass.CHA, rect(x + 50, 20, x + 150, 80), "AP mine" if i % 3 else "CMR"),
            (EventKind.CLEAR, rect(x + 10, 0.0004, x + 120, 100), "CMR"),
        ):
            seq += 1
            on = date(2020, 1 + seq % 12, 1)
            facts.append(LedgerFact(LedgerKey(on, seq), i, kind, snapped(geometry), contamination))
    return sorted(facts, key=lambda f: f.key)


def test_replays_on_threads_write_the_same_pieces_in_the_same_order(monkeypatch) -> None:
    facts, epsilon = _facts(), Tolerance(0.01)
    monkeypatch.setattr(ordered_threads, "workers", lambda: 1)
    alone = list(replayed_from_scratch(facts, None, epsilon))
    monkeypatch.setattr(ordered_threads, "workers", lambda: 3)
    threaded = list(replayed_from_scratch(facts, None, epsilon))

    def rows(scoped):
        return [
            (s, p.geometry.wkb, p.stints, p.area_m2, [t.absorbed_m2 for t in p.stints])
            for s, p in scoped
        ]

    assert len(alone) > 3 * CHUNK
    assert any(t.absorbed_m2 > 0 for _, p in alone for t in p.stints)  # a strip went along
    assert {s for s, _ in alone} == {"all", "CMR", "AP mine"}
    assert rows(threaded) == rows(alone)
