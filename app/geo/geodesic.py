"""Edges are geodesics: polygons are densified along them before any overlay.

Areas are geodesic (the edges of a polygon are geodesics on WGS84), but overlays run in the
lon/lat plane, where an edge is a straight chord. On a long edge the two differ by millimetres,
enough to change an area by a few parts per million whenever an overlay puts a vertex on the
chord. Inserting points on the geodesic every few metres makes chord and geodesic agree
to well below a millimetre, and keeps the geodesic area of the polygon as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from app.geo.area import WGS84

MAX_SEGMENT_M = 20.0


def densified(geometry: BaseGeometry, max_segment_m: float = MAX_SEGMENT_M) -> BaseGeometry:
    """Polygon or MultiPolygon with points on its geodesic edges at most ``max_segment_m`` apart."""
    dense: MultiPolygon = densified_many(np.array([geometry]), max_segment_m)[0]
    if isinstance(geometry, MultiPolygon):
        return dense
    return dense.geoms[0]


def densified_many(
    geometries: np.ndarray,
    max_segment_m: float = MAX_SEGMENT_M,
    round_coordinates: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Polygons and MultiPolygons, all at once, as MultiPolygons densified along their geodesic
    edges (and their coordinates passed through ``round_coordinates``, if given)."""
    if len(geometries) == 0:
        return np.empty(0, dtype=object)
    parts, owners = shapely.get_parts(geometries, return_index=True)
    solid = ~shapely.is_empty(parts)
    parts, owners = parts[solid], owners[solid]
    result = np.array([MultiPolygon()] * len(geometries), dtype=object)
    if len(parts) == 0:
        return result
    # Geometries are numbered from 0 among those that have land (an empty one has no rings).
    kept, owners = np.unique(owners, return_inverse=True)
    # With indices, Shapely's constructors give arrays (the stubs cannot tell from the arguments).
    as_multi = cast(np.ndarray, shapely.multipolygons(parts, indices=owners))
    _, coords, (ring_offsets, polygon_offsets, geometry_offsets) = shapely.to_ragged_array(as_multi)
    coords, ring_offsets = _densified_rings(coords, ring_offsets, max_segment_m)
    if round_coordinates is not None:
        coords = round_coordinates(coords)
    # Built up ring by ring (shapely.from_ragged_array crashes on some polygons with holes).
    rings = cast(np.ndarray, shapely.linearrings(coords, indices=_owners(ring_offsets)))
    polygons = cast(np.ndarray, shapely.polygons(rings, indices=_owners(polygon_offsets)))
    result[kept] = shapely.multipolygons(polygons, indices=_owners(geometry_offsets))
    return result


def _owners(offsets: np.ndarray) -> np.ndarray:
    """For each item of a ragged array cut at ``offsets``, the index of the list it is in."""
    return np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))


def _densified_rings(
    coords: np.ndarray, ring_offsets: np.ndarray, max_segment_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Closed rings laid end to end (``coords`` cut at ``ring_offsets``), with points on each
    geodesic edge at most ``max_segment_m`` apart: every edge of every ring in one pass."""
    coords = coords[:, :2]
    is_last = np.zeros(len(coords), dtype=bool)
    is_last[ring_offsets[1:] - 1] = True
    starts = np.flatnonzero(~is_last)  # each vertex but a ring's closing one starts an edge
    lons, lats = coords[starts, 0], coords[starts, 1]
    azimuths, _, lengths = WGS84.inv(lons, lats, coords[starts + 1, 0], coords[starts + 1, 1])
    extra = np.maximum(np.ceil(np.asarray(lengths) / max_segment_m).astype(np.int64) - 1, 0)
    if not extra.any():
        return coords, ring_offsets
    # The new points of every edge, found from its start along its azimuth, in one call.
    edge = np.repeat(np.arange(len(extra)), extra)
    step = np.arange(len(edge)) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    fraction = step / (extra[edge] + 1)
    new_lons, new_lats, _ = WGS84.fwd(
        lons[edge], lats[edge], np.asarray(azimuths)[edge], np.asarray(lengths)[edge] * fraction
    )
    # Each vertex is followed by the new points of the edge it starts.
    added = np.zeros(len(coords), dtype=np.int64)
    added[starts] = extra
    position = np.arange(len(coords)) + np.concatenate([[0], np.cumsum(added)[:-1]])
    dense = np.empty((len(coords) + len(edge), 2))
    dense[position] = coords
    dense[position[starts][edge] + step, 0] = new_lons
    dense[position[starts][edge] + step, 1] = new_lats
    new_offsets = np.concatenate([position[ring_offsets[:-1]], [len(dense)]])
    return dense, new_offsets
