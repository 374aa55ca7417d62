"""Figures per administrative region: land crossing a boundary is split by its geometry, and
the regions add up to the national figures. Expected areas are computed independently
(Shapely overlay of the polygons, pyproj Geod areas)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text

from app.__main__ import main as cli
from tests.support.reference import along_geodesics, area_m2
from tests.support.shapes import new_event, new_hazard, rect

# Two provinces side by side (boundary at x = 200 m), each cut in two districts at y = 150 m;
# a province is the union of its districts (straight lines in UTM are not in lon/lat).
DISTRICTS = {
    "W-1": ("W", rect(-2000, -2000, 200, 150)),
    "W-2": ("W", rect(-2000, 150, 200, 2000)),
    "E-1": ("E", rect(200, -2000, 2000, 150)),
    "E-2": ("E", rect(200, 150, 2000, 2000)),
}
PROVINCES = {
    province: shapely.union_all([g for parent, g in DISTRICTS.values() if parent == province])
    for province in ("W", "E")
}
HAZARD = rect(0, 0, 400, 300)  # reaches all four districts
CLEARED = rect(100, 100, 300, 250)  # reaches all four too


def regions_file(folder: Path, districts=DISTRICTS, provinces=PROVINCES) -> Path:
    features = [
        _feature(code, f"Province {code}", 1, None, geometry)
        for code, geometry in provinces.items()
    ] + [
        _feature(code, f"District {code}", 2, parent, geometry)
        for code, (parent, geometry) in districts.items()
    ]
    path = folder / "regions.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _feature(code, name, level, parent, geometry) -> dict:
    properties = {"code": code, "name": name, "level": level, "parent_code": parent}
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def expected(land: BaseGeometry, region: BaseGeometry) -> float:
    """Geod area of the part of ``land`` inside ``region`` (both with edges along geodesics)."""
    part = land.intersection(along_geodesics(region))
    return 0.0 if part.is_empty else area_m2(part)


def remaining_land(on: str) -> BaseGeometry:
    hazard = along_geodesics(HAZARD)
    return hazard if on < "2015-06-01" else hazard.difference(along_geodesics(CLEARED))


def by_code(groups: dict) -> dict[str, dict]:
    return {code: group for code, group in groups.items()}


def record_hazard_and_clearance(client) -> None:
    assert client.post("/api/v1/hazards", json=new_hazard("H-1", HAZARD)).status_code == 201
    event = new_event(CLEARED, "clear", "2015-06-01")
    assert client.post("/api/v1/hazards/H-1/events", json=event).status_code == 201


@pytest.mark.parametrize("load_regions_first", [True, False])
def test_regional_totals_split_land_by_geometry_and_add_up(
    client, tmp_path, load_regions_first
) -> None:
    if load_regions_first:
        cli(["load-regions", str(regions_file(tmp_path))])
        record_hazard_and_clearance(client)
    else:  # loading regions later re-cuts the land already recorded
        record_hazard_and_clearance(client)
        national_before = client.get("/api/v1/totals", params={"as_of": "2016-01-01"}).json()
        cli(["load-regions", str(regions_file(tmp_path))])
        national_after = client.get("/api/v1/totals", params={"as_of": "2016-01-01"}).json()
        # The same land, cut in another order: areas shared out differently by ~1e-10.
        assert national_after["remaining_m2"] == pytest.approx(
            national_before["remaining_m2"], rel=1e-9
        )
    for on in ("2014-01-01", "2016-01-01"):
        land = remaining_land(on)
        national = client.get("/api/v1/totals", params={"as_of": on}).json()
        for level, regions in ((1, PROVINCES), (2, {c: g for c, (_, g) in DISTRICTS.items()})):
            body = client.get(
                "/api/v1/totals", params={"as_of": on, "group_by": "region", "region_level": level}
            ).json()
            groups = body["groups"]
            assert set(groups) == set(regions)  # every region, none outside
            for code, region in regions.items():
                assert groups[code]["sha_m2"] == pytest.approx(expected(land, region), rel=1e-6)
                assert groups[code]["level"] == level
            total = sum(g["remaining_m2"] for g in groups.values())
            assert total == pytest.approx(national["remaining_m2"], abs=1e-6)
            assert all(expected(land, r) > 1000 for r in regions.values())  # a real split


def test_regional_land_release_matches_the_cleared_part_of_each_region(client, tmp_path) -> None:
    cli(["load-regions", str(regions_file(tmp_path))])
    record_hazard_and_clearance(client)
    params = {"from": "2014-12-31", "to": "2015-12-31", "group_by": "region", "region_level": 2}
    body = client.get("/api/v1/land-release", params=params).json()
    for code, (_, region) in DISTRICTS.items():
        group = body["groups"][code]
        cleared = along_geodesics(CLEARED)
        assert group["cleared_m2"] == pytest.approx(expected(cleared, region), rel=1e-6)
        assert group["balance_error_m2"] == pytest.approx(0, abs=1e-6)
    assert sum(g["cleared_m2"] for g in body["groups"].values()) == pytest.approx(
        body["cleared_m2"], abs=1e-6
    )


def test_land_outside_every_region_is_its_own_group(client, tmp_path) -> None:
    cli(["load-regions", str(regions_file(tmp_path))])
    abroad = rect(1800, 0, 2300, 200)  # 200 m of it beyond the eastern province
    assert client.post("/api/v1/hazards", json=new_hazard("H-2", abroad)).status_code == 201
    groups = client.get(
        "/api/v1/totals", params={"as_of": "2020-01-01", "group_by": "region"}
    ).json()["groups"]
    outside = along_geodesics(abroad).difference(along_geodesics(PROVINCES["E"]))
    assert groups["outside-regions"]["sha_m2"] == pytest.approx(area_m2(outside), rel=1e-6)
    inside = expected(along_geodesics(abroad), PROVINCES["E"])
    assert groups["E"]["sha_m2"] == pytest.approx(inside, rel=1e-6)
    assert groups["W"]["sha_m2"] == 0


def test_reports_give_remaining_land_per_region(call, tmp_path) -> None:
    authority = call("authority")
    cli(["load-regions", str(regions_file(tmp_path))])
    record_hazard_and_clearance(authority)
    programme = {"country": "Testland", "eif": "2010-08-01"}
    assert authority.put("/api/v1/programme", json=programme).status_code == 200
    report = authority.get("/api/v1/reports/article-4-6", params={"as_of": "2016-01-01"}).json()
    rows = {r["code"]: r for r in report["f"]["by_region"]}
    land = remaining_land("2016-01-01")
    for code, province in PROVINCES.items():
        assert rows[code]["remaining_m2"] == pytest.approx(expected(land, province), rel=1e-6)
    assert sum(r["remaining_m2"] for r in rows.values()) == pytest.approx(
        report["f"]["remaining_m2"], abs=1e-6
    )
    article_7 = authority.get("/api/v1/reports/article-7", params={"year": 2015}).json()
    (area,) = article_7["areas"]
    shares = {s["code"]: s["m2"] for s in area["regions"]}
    assert shares["E"] == pytest.approx(expected(land, PROVINCES["E"]), rel=1e-6)
    assert area["region"] == f"Province {max(shares, key=shares.get)}"  # the larger part
    assert sum(r["remaining_m2"] for r in article_7["remaining_by_region"]) == pytest.approx(
        article_7["remaining"]["remaining_m2"], abs=1e-6
    )


def test_the_country_s_provinces_load_however_large(call) -> None:
    """The 17 provinces of the demo, hundreds of km across: the size limit of hazards is not
    theirs."""
    cli(["load-regions", str(Path(__file__).parent.parent / "geodata/regions/lao-regions.geojson")])
    provinces = call("anonymous").get("/api/v1/regions", params={"level": 1}).json()
    assert len(provinces) == 17


def test_anyone_may_list_the_regions(call, tmp_path) -> None:
    cli(["load-regions", str(regions_file(tmp_path))])
    listed = call("anonymous").get("/api/v1/regions", params={"level": 2}).json()
    assert [r["code"] for r in listed] == sorted(DISTRICTS)
    for region in listed:
        parent, geometry = DISTRICTS[region["code"]]
        assert region["parent_code"] == parent
        assert region["area_m2"] == pytest.approx(area_m2(geometry), rel=1e-6)


def _state(conn) -> tuple:
    return (
        conn.execute(text("SELECT code, name FROM regions ORDER BY code")).all(),
        conn.execute(
            text("SELECT region_code, count(*) FROM land_state GROUP BY 1 ORDER BY 1")
        ).all(),
    )


@pytest.mark.parametrize(
    ("districts", "message"),
    [
        (
            {**DISTRICTS, "W-1": ("W", rect(-2000, -2000, 300, 150))},  # into E-1 by 100 m
            "overlap",
        ),
        ({**DISTRICTS, "E-3": ("X", rect(2000, 0, 2100, 100))}, "parent 'X'"),
        ({**DISTRICTS, "E-2": ("E", rect(0, 0, 0, 0))}, "E-2"),
    ],
)
def test_a_bad_regions_file_changes_nothing(
    client, conn, tmp_path, capsys, districts, message
) -> None:
    cli(["load-regions", str(regions_file(tmp_path))])
    record_hazard_and_clearance(client)
    before = _state(conn)
    bad = tmp_path / "bad"
    bad.mkdir()
    with pytest.raises(SystemExit) as exit_info:
        cli(["load-regions", str(regions_file(bad, districts))])
    assert message in str(exit_info.value)
    assert _state(conn) == before


def test_loading_regions_keeps_what_was_known_before(client, tmp_path) -> None:
    """Regions re-cut every version of the land: figures as known at a moment before the
    load (and before the clearance) are still there, now split by the new regions."""
    assert client.post("/api/v1/hazards", json=new_hazard("H-1", HAZARD)).status_code == 201
    known_then = client.get("/api/v1/hazards/H-1").json()["properties"]["recorded_at"]
    event = new_event(CLEARED, "clear", "2015-06-01")
    assert client.post("/api/v1/hazards/H-1/events", json=event).status_code == 201
    then = {"as_of": "2016-01-01", "known_at": known_then}
    before = client.get("/api/v1/totals", params=then).json()
    whole = along_geodesics(HAZARD)
    assert before["remaining_m2"] == pytest.approx(area_m2(whole), rel=1e-9)
    cli(["load-regions", str(regions_file(tmp_path))])
    after = client.get("/api/v1/totals", params=then).json()
    assert after["remaining_m2"] == pytest.approx(before["remaining_m2"], rel=1e-9)
    # As known then, the land was the whole hazard, now split along the new districts.
    groups = client.get(
        "/api/v1/totals", params={**then, "group_by": "region", "region_level": 2}
    ).json()["groups"]
    for code, (_, district) in DISTRICTS.items():
        assert groups[code]["sha_m2"] == pytest.approx(expected(whole, district), rel=1e-6)
    # As known now, the clearance counts.
    now = client.get("/api/v1/totals", params={"as_of": "2016-01-01"}).json()
    assert now["remaining_m2"] == pytest.approx(area_m2(remaining_land("2016-01-01")), rel=1e-9)


def test_provinces_count_their_own_land_where_districts_leave_gaps_or_reach_beyond(
    client, tmp_path
) -> None:
    """Boundaries drawn apart: W's districts leave a strip of W uncovered, and E-1 reaches
    into W. Land in the strip and in the overreach is W's, at province level; at district
    level it is outside every district, and nothing is counted twice."""
    districts = {
        "W-1": ("W", rect(-2000, -2000, 50, 2000)),  # W reaches x = 200: a strip left
        "E-1": ("E", rect(100, -2000, 2000, 2000)),  # from x = 100: 100 m into W
    }
    provinces = {"W": rect(-2000, -2000, 200, 2000), "E": rect(200, -2000, 2000, 2000)}
    cli(["load-regions", str(regions_file(tmp_path, districts, provinces))])
    assert client.post("/api/v1/hazards", json=new_hazard("H-1", HAZARD)).status_code == 201
    land = along_geodesics(HAZARD)
    by_province = client.get(
        "/api/v1/totals", params={"group_by": "region", "region_level": 1}
    ).json()["groups"]
    for code, province in provinces.items():
        assert by_province[code]["sha_m2"] == pytest.approx(expected(land, province), rel=1e-6)
    # Pieces drawn apart along geodesics may leave specks between them, nothing more.
    assert by_province.get("outside-regions", {"sha_m2": 0})["sha_m2"] < 0.01, by_province
    by_district = client.get(
        "/api/v1/totals", params={"group_by": "region", "region_level": 2}
    ).json()["groups"]
    w_1 = along_geodesics(districts["W-1"][1])
    e_1_in_e = along_geodesics(districts["E-1"][1]).intersection(along_geodesics(provinces["E"]))
    assert by_district["W-1"]["sha_m2"] == pytest.approx(expected(land, w_1), rel=1e-6)
    assert by_district["E-1"]["sha_m2"] == pytest.approx(
        area_m2(land.intersection(e_1_in_e)), rel=1e-6
    )
    strip = land.difference(w_1).difference(e_1_in_e)
    assert by_district["outside-regions"]["sha_m2"] == pytest.approx(area_m2(strip), rel=1e-6)
