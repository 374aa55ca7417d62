"""One reading of a bbox for every interface: four numbers or six with heights, each finite,
and in lon/lat a west edge east of the east edge crosses the antimeridian."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from app.geo.bbox import BBox, InvalidBBox, parse_bbox
from tests.support.shapes import hazard_feature, rect


def test_four_numbers_or_six_with_heights() -> None:
    assert parse_bbox("1,2,3,4") == BBox(1, 2, 3, 4)
    assert parse_bbox("1, 2, -100, 3, 4, 100") == BBox(1, 2, 3, 4)
    for wrong in ("1,2,3", "1,2,3,4,5", "1,2,3,4,5,6,7"):
        with pytest.raises(InvalidBBox, match="four numbers"):
            parse_bbox(wrong)
    with pytest.raises(InvalidBBox, match="not a list of numbers"):
        parse_bbox("1,2,east,4")


@pytest.mark.parametrize("text", ["nan,0,1,1", "0,0,inf,1", "0,-inf,1,1", "0,0,1,1,nan,2"])
def test_numbers_that_are_not_finite_are_refused(text: str) -> None:
    with pytest.raises(InvalidBBox, match="not finite"):
        parse_bbox(text)


def test_a_west_edge_east_of_the_east_edge_crosses_the_antimeridian() -> None:
    across = parse_bbox("170,-10,-170,10")
    assert across.boxes() == [(170, -10, 180, 10), (-180, -10, -170, 10)]
    assert across.geometry().equals(box(170, -10, 180, 10).union(box(-180, -10, -170, 10)))
    with pytest.raises(InvalidBBox, match="right of the upper corner"):
        across.boxes(geographic=False)  # only longitudes wrap around
    with pytest.raises(InvalidBBox, match="above the upper corner"):
        parse_bbox("0,10,1,5").boxes()


def test_axes_given_latitude_first_are_swapped() -> None:
    assert parse_bbox("10,20,30,40").swapped() == BBox(20, 10, 40, 30)


def test_the_api_reads_a_bbox_as_the_ogc_api_does(client) -> None:
    hazard = rect(0, 0, 200, 200)
    posted = client.post(
        "/api/v1/hazards",
        json=hazard_feature(
            hazard,
            reference="B-1",
            hazard_class="SHA",
            contamination="CMR",
            recorded_on="2012-03-01",
        ),
    )
    assert posted.status_code == 201, posted.text
    west, south, east, north = hazard.bounds

    def listed(bbox: str) -> list[str]:
        answer = client.get("/api/v1/hazards", params={"bbox": bbox})
        assert answer.status_code == 200, answer.text
        return [f["id"] for f in answer.json()["features"]]

    # Across the antimeridian: from the hazard's west edge east over ±180 to -170...
    assert listed(f"{west},{south},-170,{north}") == ["B-1"]
    # ...and everything but the hazard's longitudes.
    assert listed(f"{east + 0.01},{south},{west - 0.01},{north}") == []
    assert listed(f"{west},{south},-1000,{east},{north},1000") == ["B-1"]
    refused = client.get("/api/v1/hazards", params={"bbox": "nan,nan,nan,nan"})
    assert refused.status_code == 422 and refused.json()["field"] == "bbox"
    assert "not finite" in refused.json()["detail"]
