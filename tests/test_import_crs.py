"""The EPSG coordinate systems a CRS of unknown datum most likely is."""

from __future__ import annotations

import pytest
from pyproj import CRS, Geod, Transformer

from app.formats.crs_candidates import likely_crs

# A municipal .prj as desktop GIS writes it for MGI 1901 / Balkans zone 7 (EPSG:6316) when
# the datum's name was lost: the projection and the ellipsoid only.
BESSEL_UNKNOWN = (
    'PROJCS["Bessel_Balkans_7",GEOGCS["GCS_Bessel_1841",DATUM["D_unknown",'
    'SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["False_Easting",7500000.0],PARAMETER["False_Northing",0.0],'
    'PARAMETER["Central_Meridian",21.0],PARAMETER["Scale_Factor",0.9999],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)
NIS = (21.9, 43.3)  # a site in southern Serbia (Balkans zone 7)


BESSEL_GEOGRAPHIC = (
    'GEOGCS["GCS_Bessel_1841",DATUM["D_unknown",SPHEROID["Bessel_1841",6377397.155,'
    '299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)


@pytest.mark.parametrize(
    ("wkt", "near", "expected"),
    [
        pytest.param(BESSEL_UNKNOWN, NIS, "EPSG:6316", id="MGI 1901 / Balkans zone 7"),
        pytest.param(
            BESSEL_UNKNOWN.replace("7500000.0", "3500000.0")
            .replace('"Central_Meridian",21.0', '"Central_Meridian",9.0')
            .replace("0.9999", "1.0"),
            (9.2, 50.1),
            "EPSG:31467",
            id="DHDN / 3-degree Gauss-Kruger zone 3",
        ),
        pytest.param(
            CRS("EPSG:5514").to_wkt("WKT1_ESRI").replace('DATUM["D_S_JTSK"', 'DATUM["D_unknown"'),
            (14.4, 50.1),
            "EPSG:5514",
            id="S-JTSK / Krovak East North",
        ),
        pytest.param(BESSEL_GEOGRAPHIC, (14.4, 50.1), "EPSG:4156", id="S-JTSK lon/lat"),
    ],
)
def test_the_likely_epsg_codes_of_a_crs_without_its_datum(wkt, near, expected) -> None:
    crs = CRS(wkt)
    assert crs.datum.name == "unknown"
    candidates = likely_crs(crs, near)
    assert 1 <= len(candidates) <= 3
    assert expected in [c.code for c in candidates]
    # Each has the file's projection and ellipsoid: placed there, the same coordinates
    # land within a kilometre of each other (the datums differ by less).
    x, y = Transformer.from_crs("EPSG:4326", CRS(expected), always_xy=True).transform(*near)
    for candidate in candidates:
        lon, lat = Transformer.from_crs(candidate.code, "EPSG:4326", always_xy=True).transform(x, y)
        assert Geod(ellps="WGS84").inv(lon, lat, *near)[2] < 1_000
