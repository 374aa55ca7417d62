"""How a layer's coordinates reach WGS 84 longitude/latitude: the operation PROJ uses where the
features are, how accurate it is, and whether it is only a *ballpark* one.

PROJ falls back on a ballpark transformation when it knows no shift between a file's datum and
WGS 84 (a datum it cannot name, or one whose published shifts cover another region): it keeps
the latitude and longitude as they are, which puts the features 100 m or more from where they
are. PROJ marks such operations itself (``has_ballpark_transformation``), so that flag decides,
never the wording of a name.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError
from pyproj.transformer import TransformerGroup

WGS84 = CRS.from_epsg(4326)
_CRS84 = CRS.from_user_input("OGC:CRS84")

# xmin, ymin, xmax, ymax in the layer's own CRS.
Extent = tuple[float, float, float, float]

# What the report says of a transformation is a message of the catalogues (app/i18n): written
# in the language of whoever reads the report.
NOT_NEEDED: dict[str, Any] = {"code": "transformation.not_needed", "params": {}}


@dataclass(frozen=True)
class Transformation:
    transformer: Transformer | None  # None: the layer is in WGS 84 lon/lat already
    summary: dict[str, Any]  # for the import report, e.g. "MGI to WGS 84 (3): accuracy 1.5 m"
    accuracy_m: float | None  # None where PROJ does not know it
    ballpark: bool
    # Where the features are, in lon/lat as far as this transformation can tell (within a few
    # hundred metres for a ballpark one): enough to rank the CRSs the file may mean.
    near: tuple[float, float] | None = None


def is_wgs84_lonlat(crs: CRS) -> bool:
    return crs.equals(WGS84, ignore_axis_order=True) or crs.equals(_CRS84)


def transformation(source: CRS, extent: Extent | None) -> Transformation:
    """The transformation of ``source`` to WGS 84 lon/lat for features within ``extent``.

    PROJ chooses an operation for each point (the most accurate one whose area holds it), so
    what is reported is what PROJ chose at the corners, edges and middle of the extent.
    """
    if is_wgs84_lonlat(source):
        return Transformation(None, NOT_NEEDED, 0.0, ballpark=False)
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)
    used, near = _operations_used(transformer, _samples(extent))
    if not used:  # no extent, or none of it could be transformed: PROJ's first choice
        with warnings.catch_warnings():  # a better one needing a grid we lack: still not ours
            warnings.simplefilter("ignore", UserWarning)
            used = TransformerGroup(source, WGS84, always_xy=True).transformers[:1]
    ballpark = any(_is_ballpark(op) for op in used)
    accuracies = [op.accuracy for op in used]
    accuracy = None if ballpark or any(a < 0 for a in accuracies) else max(accuracies, default=0.0)
    steps = [_summary(source, op) for op in used]
    summary = (
        steps[0]
        if len(steps) == 1
        else {"code": "transformation.steps", "params": {"steps": steps}}
        if steps
        else {"code": "transformation.unknown", "params": {}}
    )
    return Transformation(transformer, summary, accuracy, ballpark, near)


def _samples(extent: Extent | None) -> list[tuple[float, float]]:
    """The middle, corners and middles of the edges of ``extent``."""
    if extent is None or not all(math.isfinite(v) for v in extent):
        return []
    xmin, ymin, xmax, ymax = extent
    xs, ys = (xmin, (xmin + xmax) / 2, xmax), (ymin, (ymin + ymax) / 2, ymax)
    middle = (xs[1], ys[1])
    return [middle] + [(x, y) for x in xs for y in ys if (x, y) != middle]


def _operations_used(
    transformer: Transformer, samples: Iterable[tuple[float, float]]
) -> tuple[list[Transformer], tuple[float, float] | None]:
    """The distinct operations PROJ uses for ``samples``, and the first sample in lon/lat."""
    used: dict[str, Transformer] = {}
    near = None
    for x, y in samples:
        lon, lat = transformer.transform(x, y, errcheck=False)
        if not (math.isfinite(lon) and math.isfinite(lat)):
            continue
        near = near or (lon, lat)
        try:
            operation = transformer.get_last_used_operation()
        except ProjError:  # a single operation: PROJ keeps no record, it is the one
            operation = transformer
        used.setdefault(operation.description, operation)
    return list(used.values()), near


def _is_ballpark(operation: Transformer) -> bool:
    return any(step.has_ballpark_transformation for step in operation.operations or ())


def _summary(source: CRS, operation: Transformer) -> dict[str, Any]:
    """One line for the report: the datum shifts by name with their accuracy, or the
    projection undone when no datum shift is needed."""
    shifts = [s.name for s in operation.operations or () if s.type_name == "Transformation"]
    if not shifts:
        conversion = source.coordinate_operation
        projection = conversion.name if source.is_projected and conversion else source.name
        return {"code": "transformation.conversion", "params": {"projection": projection}}
    names = {"names": " + ".join(shifts)}
    if _is_ballpark(operation):
        return {"code": "transformation.ballpark", "params": names}
    if operation.accuracy < 0:
        return {"code": "transformation.accuracy_unknown", "params": names}
    return {
        "code": "transformation.accuracy",
        "params": {**names, "accuracy_m": operation.accuracy},
    }
