"""Imports record hazards a batch at a time, along three paths: a hazard alone on new land
becomes land directly, a group of the file's own overlapping hazards is replayed on its own,
and a hazard meeting facts already recorded is replayed with them. Whatever the path, the
figures must be those of an independent reference, nationally, per contamination type and
per region."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from app.__main__ import main as cli
from app.db import engine
from app.formats import read
from app.formats.unpack import Limits
from app.services import importing
from app.settings import ledger_settings
from tests.support.files import write_layer
from tests.support.reference import ReferenceModel, RefFact, along_geodesics
from tests.support.shapes import new_event, new_hazard, rect
from tests.test_regions import DISTRICTS, regions_file

BATCH = 4  # features per batch: the file's overlaps fall both inside and across batches
DATES = [date(2011, 6, 1), date(2013, 1, 1), date(2015, 12, 31), date(2018, 1, 1), date(2024, 1, 1)]
OLD_HAZARD = rect(-600, -400, -100, 100)
OLD_CLEARANCE = rect(-500, -300, -200, 0)


def _file_hazards() -> list[dict]:
    """Rectangles of many sizes and dates over the four districts: some alone, some
    overlapping each other, some over the hazard recorded before the import."""
    rng = random.Random(5)
    hazards = []
    for i in range(40):
        x, y = rng.uniform(-900, 700), rng.uniform(-700, 700)
        width, height = rng.uniform(60, 400), rng.uniform(60, 400)
        hazards.append(
            {
                "reference": f"F-{i:02d}",
                "geometry": rect(x, y, x + width, y + height),
                "hazard_class": rng.choice(["SHA", "CHA"]),
                "contamination": rng.choice(["CMR", "CMR", "AP mine"]),
                "recorded_on": date(rng.randint(2010, 2022), rng.randint(1, 12), 1),
            }
        )
    return hazards


def _paths_taken(hazards: list[dict]) -> dict[str, int]:
    """How many hazards meet nothing, meet another of their batch, meet one of another
    batch, or meet the hazard recorded before (computed here, from the geometry)."""
    counts = {"alone": 0, "same batch": 0, "other batch": 0, "recorded before": 0}
    for i, hazard in enumerate(hazards):
        others = [
            j
            for j, other in enumerate(hazards)
            if j != i and shapely.relate_pattern(hazard["geometry"], other["geometry"], "T********")
        ]
        old = shapely.relate_pattern(hazard["geometry"], OLD_HAZARD, "T********")
        counts["alone"] += not others and not old
        counts["same batch"] += any(j // BATCH == i // BATCH for j in others)
        counts["other batch"] += any(j // BATCH != i // BATCH for j in others)
        counts["recorded before"] += old
    return counts


def _properties(hazard: dict) -> dict:
    return {k: v for k, v in hazard.items() if k != "geometry"}


def _reference_facts(hazards: list[dict]) -> list[RefFact]:
    before = [
        RefFact(date(2012, 1, 1), 0, "record SHA", OLD_HAZARD, "OLD-1"),
        RefFact(date(2015, 6, 1), 1, "clear", OLD_CLEARANCE, "OLD-1"),
    ]
    return before + [
        RefFact(
            h["recorded_on"],
            2 + i,
            f"record {h['hazard_class']}",
            h["geometry"],
            h["reference"],
            h["contamination"],
        )
        for i, h in enumerate(hazards)
    ]


def _clipped(facts: list[RefFact], region: BaseGeometry) -> list[RefFact]:
    """The facts cut to a region (edges along geodesics, as the application cuts land)."""
    inside = along_geodesics(region)
    clipped = []
    for fact in facts:
        part = along_geodesics(fact.geometry).intersection(inside)
        if not part.is_empty and part.area > 0:
            clipped.append(
                RefFact(fact.on, fact.order, fact.kind, part, fact.hazard, fact.contamination)
            )
    return clipped


def _import(path: Path, monkeypatch) -> dict:
    monkeypatch.setattr(read, "BATCH", BATCH)
    with engine().begin() as conn:
        return importing.run_import(
            conn,
            path,
            path.name,
            importing.ImportOptions(target="hazards"),
            ledger_settings(),
            Limits(100, 1 << 30),
        )


def test_hazards_imported_in_batches_match_an_independent_reference(
    client, tmp_path, monkeypatch
) -> None:
    cli(["load-regions", str(regions_file(tmp_path))])
    old = new_hazard("OLD-1", OLD_HAZARD, on="2012-01-01")
    assert client.post("/api/v1/hazards", json=old).status_code == 201
    clearance = new_event(OLD_CLEARANCE, "clear", "2015-06-01")
    assert client.post("/api/v1/hazards/OLD-1/events", json=clearance).status_code == 201

    hazards = _file_hazards()
    paths = _paths_taken(hazards)
    assert all(count >= 3 for count in paths.values()), paths
    path = write_layer(
        tmp_path / "hazards.geojson",
        "GeoJSON",
        [h["geometry"] for h in hazards],
        [{**_properties(h), "recorded_on": h["recorded_on"].isoformat()} for h in hazards],
        crs="EPSG:32648",
    )
    report = _import(path, monkeypatch)
    assert (report["status"], report["accepted"], report["rejected"]) == ("applied", 40, 0)

    facts = _reference_facts(hazards)
    national = ReferenceModel(facts)
    # What each hazard added, as the report tells it once the whole file is in, whatever
    # path it took (a back-dated hazard of a later batch may take some of its land over).
    for feature in report["accepted_features"]:
        added = national.changed_by(feature["reference"])
        for flow in ("discovered", "confirmed"):
            assert feature[f"{flow}_m2"] == pytest.approx(added[flow], rel=1e-6, abs=1e-3)
        assert feature["effective_m2"] == pytest.approx(sum(added.values()), rel=1e-6, abs=1e-3)
    discovered = national.flows(date(1900, 1, 1), date(2100, 1, 1))["discovered"]
    confirmed = national.flows(date(1900, 1, 1), date(2100, 1, 1))["confirmed"]
    old_hazard = national.changed_by("OLD-1")["discovered"]
    expected = discovered + confirmed - old_hazard
    assert report["effective_m2"] == pytest.approx(expected, rel=1e-6, abs=1e-3)
    by_type = {c: ReferenceModel(facts, c) for c in ("CMR", "AP mine")}
    by_district = {code: ReferenceModel(_clipped(facts, g)) for code, (_, g) in DISTRICTS.items()}
    for on in DATES:
        as_of = {"as_of": on.isoformat()}
        totals = client.get("/api/v1/totals", params=as_of).json()
        expected = national.totals(on)
        assert totals["sha_m2"] == pytest.approx(expected["SHA"], rel=1e-6, abs=1e-3)
        assert totals["cha_m2"] == pytest.approx(expected["CHA"], rel=1e-6, abs=1e-3)
        groups = client.get("/api/v1/totals", params={**as_of, "group_by": "contamination"})
        for contamination, model in by_type.items():
            group = groups.json()["groups"][contamination]
            expected = model.totals(on)
            assert group["sha_m2"] == pytest.approx(expected["SHA"], rel=1e-6, abs=1e-3)
            assert group["cha_m2"] == pytest.approx(expected["CHA"], rel=1e-6, abs=1e-3)
        params = {**as_of, "group_by": "region", "region_level": 2}
        regions = client.get("/api/v1/totals", params=params).json()["groups"]
        for code, model in by_district.items():
            expected = model.totals(on)
            assert regions[code]["sha_m2"] == pytest.approx(expected["SHA"], rel=1e-6, abs=1e-3)
            assert regions[code]["cha_m2"] == pytest.approx(expected["CHA"], rel=1e-6, abs=1e-3)
    flows = client.get("/api/v1/land-release", params={"from": "2009-12-31", "to": "2024-01-01"})
    for flow, m2 in national.flows(date(2009, 12, 31), date(2024, 1, 1)).items():
        assert flows.json()[f"{flow}_m2"] == pytest.approx(m2, rel=1e-6, abs=1e-3), flow
    assert flows.json()["balance_error_m2"] == pytest.approx(0, abs=1e-6)


def test_events_imported_in_batches_report_what_the_whole_file_changed(
    client, tmp_path, monkeypatch
) -> None:
    """Releases in batches of 4, some back-dated under others of an earlier batch: each
    event's effective area is the land it changed with the whole file in."""
    site = rect(0, 0, 1000, 1000)
    assert (
        client.post("/api/v1/hazards", json=new_hazard("H-1", site, on="2010-01-01")).status_code
        == 201
    )
    rng = random.Random(11)
    events = []
    for i in range(12):
        x, y = rng.uniform(0, 700), rng.uniform(0, 700)
        events.append(
            {
                "geometry": rect(x, y, x + rng.uniform(100, 300), y + rng.uniform(100, 300)),
                "hazard": "H-1",
                "kind": rng.choice(["clear", "cancel", "reduce"]),
                "date": date(2020 - i // 2, rng.randint(1, 12), 1),  # later ones back-dated
            }
        )
    path = write_layer(
        tmp_path / "events.geojson",
        "GeoJSON",
        [e["geometry"] for e in events],
        [{**_properties(e), "date": e["date"].isoformat()} for e in events],
    )
    monkeypatch.setattr(read, "BATCH", BATCH)
    with engine().begin() as conn:
        report = importing.run_import(
            conn,
            path,
            path.name,
            importing.ImportOptions(target="events", on_error="skip"),
            ledger_settings(),
            Limits(100, 1 << 30),
        )
    facts = [RefFact(date(2010, 1, 1), 0, "record SHA", site, "H-1")] + [
        RefFact(e["date"], 1 + i, e["kind"], e["geometry"], "H-1") for i, e in enumerate(events)
    ]
    reference = ReferenceModel(facts)
    settled = 0
    for feature in report["accepted_features"]:
        order = 1 + feature["index"]
        changed = reference.changed_by_fact(order)
        assert feature["effective_m2"] == pytest.approx(changed, rel=1e-6, abs=1e-3)
        end_of_batch = 1 + (feature["index"] // BATCH + 1) * BATCH
        settled += abs(ReferenceModel(facts[:end_of_batch]).changed_by_fact(order) - changed) > 1
    assert settled, "no event lost land to a later batch: the test tests nothing"
    released = reference.flows(date(1900, 1, 1), date(2100, 1, 1))
    expected = sum(m2 for flow, m2 in released.items() if flow != "discovered")
    assert report["effective_m2"] == pytest.approx(expected, rel=1e-6, abs=1e-3)
