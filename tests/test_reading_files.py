"""Reading field files without the database (app.formats.read): layers found, coordinates
brought to lon/lat, fields kept as written. Files are written with fiona at test time; areas
are checked with pyproj Geod against the polygons written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import shapely

from app.errors import InvalidInput
from app.formats.read import SourceFeature, features, open_layer
from tests.support.files import write_layer
from tests.support.reference import area_m2
from tests.support.shapes import rect

HOLED = shapely.Polygon(
    rect(0, 0, 400, 300).exterior, [rect(100, 100, 200, 200).exterior.coords[::-1]]
)
POLYGONS = [HOLED, rect(1000, 0, 1250, 120)]
RECORDS = [
    {"reference": "R-1", "items": 12, "surveyed": date(2015, 3, 31)},
    {"reference": "R-2", "items": 0, "surveyed": date(2016, 2, 29)},
]


def _read(path: Path, layer: str | None = None) -> list[SourceFeature]:
    return list(features(open_layer(path, path.name, layer, None)))


@pytest.mark.parametrize(
    ("driver", "suffix", "crs"),
    [("GPKG", "gpkg", "EPSG:32648"), ("ESRI Shapefile", "shp", "EPSG:32648"),
     ("GeoJSON", "geojson", "EPSG:4326")],
)  # fmt: skip
def test_polygons_come_back_in_lon_lat_with_their_areas_and_fields(
    tmp_path: Path, driver: str, suffix: str, crs: str
) -> None:
    path = write_layer(tmp_path / f"hazards.{suffix}", driver, POLYGONS, RECORDS, crs=crs)
    source = open_layer(path, path.name, None, None)
    assert source.count == 2 and source.fields == ["reference", "items", "surveyed"]
    assert (source.transformer is None) == (crs == "EPSG:4326")
    read = list(features(source))
    assert [f.index for f in read] == [0, 1]
    for feature, polygon, record in zip(read, POLYGONS, RECORDS, strict=True):
        assert feature.geometry is not None and feature.geometry_fix is None
        assert area_m2(feature.geometry) == pytest.approx(area_m2(polygon), rel=1e-7)
        assert feature.geometry.hausdorff_distance(polygon) < 1e-7  # degrees: about 1 cm
        assert feature.properties["reference"] == record["reference"]
        assert feature.properties["items"] == record["items"]
        # A day, or the text the file holds (GeoPackage and GeoJSON dates are read as written).
        assert str(feature.properties["surveyed"]) == record["surveyed"].isoformat()
    assert len(read[0].geometry.interiors) == 1


def test_a_layer_of_points_is_refused_by_name(tmp_path: Path) -> None:
    points = [rect(0, 0, 10, 10).centroid, rect(50, 0, 60, 10).centroid]
    path = write_layer(tmp_path / "pins.gpkg", "GPKG", points, RECORDS, layer="pins")
    with pytest.raises(InvalidInput, match=r"layer 'pins' of pins\.gpkg holds Point features"):
        _read(path)


def test_a_file_of_several_polygon_layers_needs_the_layer_named(tmp_path: Path) -> None:
    path = tmp_path / "survey.gpkg"
    write_layer(path, "GPKG", POLYGONS[:1], RECORDS[:1], layer="sha")
    write_layer(path, "GPKG", POLYGONS[1:], RECORDS[1:], layer="cha")
    with pytest.raises(InvalidInput, match="several layers") as refused:
        _read(path)
    assert refused.value.field == "layer"
    [only] = _read(path, layer="cha")
    assert only.properties["reference"] == "R-2"
    with pytest.raises(InvalidInput, match="has no layer 'chb'"):
        _read(path, layer="chb")
