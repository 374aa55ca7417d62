"""Land that moves between hazards stays traceable: a fact of one hazard that changed another's
land is in that hazard's timeline, and each hazard's lineage (land gained and lost, by fact,
from whom, to which state) agrees with an independent replay of the land-state model."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.reference import ReferenceModel, RefFact, area_m2
from tests.support.shapes import new_event, new_hazard, rect

A = rect(0, 0, 200, 200)
B = rect(200, 0, 400, 200)
C = rect(300, 100, 500, 300)  # a CHA record over the corner of B's SHA: it confirms it
CLEARED = rect(100, 0, 350, 150)  # A's clearance, kept whole: over B's land and C's
REDUCED = rect(200, 150, 300, 200)  # B's own reduction, within its land
FACTS = [
    RefFact(date(2014, 1, 1), 1, "record SHA", A, "A"),
    RefFact(date(2014, 1, 2), 2, "record SHA", B, "B"),
    RefFact(date(2015, 1, 1), 3, "record CHA", C, "C"),
    RefFact(date(2016, 1, 1), 4, "clear", CLEARED, "A"),
    RefFact(date(2017, 1, 1), 5, "reduce", REDUCED, "B"),
]


@pytest.fixture
def recorded(client) -> dict[tuple[str, int | str], int]:
    """The facts recorded through the API: ("event", id) or ("hazard", reference) -> order."""
    orders: dict[tuple[str, int | str], int] = {}
    for fact in FACTS:
        if fact.kind.startswith("record"):
            body = new_hazard(
                fact.hazard, fact.geometry, on=fact.on.isoformat(), hazard_class=fact.kind[-3:]
            )
            response = client.post("/api/v1/hazards", json=body)
            key: tuple[str, int | str] = ("hazard", fact.hazard)
        else:
            response = client.post(
                f"/api/v1/hazards/{fact.hazard}/events?overshoot=keep",
                json=new_event(fact.geometry, fact.kind, fact.on.isoformat()),
            )
            key = ("event", response.json()["id"])
        assert response.status_code == 201, response.text
        orders[key] = fact.order
    return orders


@pytest.mark.parametrize("hazard", ["A", "B", "C"])
def test_lineage_agrees_with_an_independent_replay(client, recorded, hazard) -> None:
    response = client.get(f"/api/v1/hazards/{hazard}/lineage")
    assert response.status_code == 200, response.text
    got: dict[tuple, float] = {}
    for entry in response.json()["entries"]:
        fact = entry["fact_id"] if entry["fact"] == "event" else entry["fact_hazard"]
        key = (
            recorded[(entry["fact"], fact)],
            entry["gained"],
            entry["other_hazard"],
            entry["from_state"],
            entry["to_state"],
        )
        got[key] = got.get(key, 0.0) + entry["area_m2"]
    # The ledger keeps no piece narrower than its tolerance (1 cm): the replay neither.
    expected = ReferenceModel(FACTS, tolerance_m=0.01).lineage(hazard)
    assert set(got) == set(expected)
    for key, m2 in expected.items():
        assert got[key] == pytest.approx(m2, rel=1e-6, abs=0.01), key


def test_a_neighbour_s_clearance_is_in_the_timeline(client, recorded) -> None:
    timeline = client.get("/api/v1/hazards/B/events").json()["features"]
    assert [(e["properties"]["hazard_reference"], e["properties"]["kind"]) for e in timeline] == [
        ("A", "clear"),
        ("B", "reduce"),
    ]
    clearance, reduction = (e["properties"] for e in timeline)
    # What A's clearance changed of B's land: its polygon over B, less what C took before.
    # (To a tenth of a m²: the outlines as stored, their coordinates rounded.)
    here = CLEARED.intersection(B).difference(C)
    assert clearance["changed_here_m2"] == pytest.approx(area_m2(here), abs=0.1)
    assert reduction["changed_here_m2"] is None
    # The land B lost is the drop in what it holds.
    remaining = client.get("/api/v1/hazards/B").json()["properties"]["remaining_m2"]
    assert remaining == pytest.approx(
        area_m2(B.difference(C).difference(CLEARED).difference(REDUCED)), abs=0.1
    )
    # C's timeline has the clearance too, with the part of C's land it cleared.
    [seen_by_c] = client.get("/api/v1/hazards/C/events").json()["features"]
    assert seen_by_c["properties"]["hazard_reference"] == "A"
    assert seen_by_c["properties"]["changed_here_m2"] == pytest.approx(
        area_m2(CLEARED.intersection(C)), abs=0.1
    )
    # A's own timeline shows its clearance as its own.
    [own] = client.get("/api/v1/hazards/A/events").json()["features"]
    assert own["properties"]["changed_here_m2"] is None


def test_a_neighbour_s_record_is_in_the_timeline(client, recorded) -> None:
    """C's CHA record took the corner of B's SHA: B's timeline says so, with the land the
    independent replay says B lost to that record; A's and C's timelines have no record."""
    answer = client.get("/api/v1/hazards/B/events").json()
    [record] = answer["records_here"]
    assert (record["hazard_reference"], record["hazard_class"], record["date"]) == (
        "C",
        "CHA",
        "2015-01-01",
    )
    lost = ReferenceModel(FACTS, tolerance_m=0.01).lineage("B")
    expected = sum(m2 for (order, gained, *_), m2 in lost.items() if order == 3 and not gained)
    assert expected > 0
    assert record["changed_here_m2"] == pytest.approx(expected, rel=1e-6, abs=0.01)
    for hazard in ("A", "C"):
        assert client.get(f"/api/v1/hazards/{hazard}/events").json()["records_here"] == []
