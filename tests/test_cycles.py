"""The cycle collector is paused during bulk work and comes back as it was."""

from __future__ import annotations

import gc
import threading

from app.services.cycles import collecting_every, collector_paused


def test_the_collector_is_paused_and_restored_also_when_tasks_overlap() -> None:
    assert gc.isenabled()
    first_inside, second_started, first_done = (
        threading.Event(),
        threading.Event(),
        threading.Event(),
    )
    states: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_inside.set()
            second_started.wait(5)
        first_done.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(5)
    with collector_paused():
        second_started.set()
        first_done.wait(5)
        states.append(gc.isenabled())  # the first task ended; this one still runs
    thread.join()
    assert states == [False]
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_young_cycles_are_collected_every_so_many_items() -> None:
    collections: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 1:
            collections.append(1)

    gc.callbacks.append(count)
    try:
        with collector_paused():
            assert list(collecting_every(range(10), 4)) == list(range(10))
    finally:
        gc.callbacks.remove(count)
    assert len(collections) == 2
