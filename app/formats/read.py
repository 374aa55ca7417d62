"""Reading polygon layers of any GDAL vector format, in batches, reprojected to lon/lat."""

from __future__ import annotations

import re
import struct
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pyarrow as pa
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from app.errors import InvalidInput
from app.formats.crs_candidates import likely_crs
from app.formats.encodings import decoded, fallback_encoding
from app.formats.sidecars import sidecar
from app.formats.transformations import (
    NOT_NEEDED,
    Extent,
    Transformation,
    is_wgs84_lonlat,
    transformation,
)
from app.formats.written_dates import WrittenDates, written_dates
from app.geo.curves import linearized
from app.i18n.catalogue import DEFAULT_LANGUAGE

# Features are read, checked and recorded this many at a time (one insert, one replay each).
BATCH = 5_000
T = TypeVar("T")
# What Shapely does with WKB it cannot read.
OnInvalid = Literal["raise", "warn", "ignore", "fix"]
POLYGONAL = {
    "Polygon",
    "MultiPolygon",
    "Polygon Z",
    "MultiPolygon Z",
    "Polygon M",
    "MultiPolygon M",
    "Polygon ZM",
    "MultiPolygon ZM",
}
# Layer types that may hold polygons among other things (decided feature by feature).
MIXED = {"Unknown", "Geometry", "GeometryCollection", "Unknown (any)"}
# Points: the location of a hazard recorded without a polygon (read when ``points`` is asked).
POINTS = {f"{kind}{dims}" for kind in ("Point", "MultiPoint") for dims in ("", " Z", " M", " ZM")}


@dataclass(frozen=True)
class SourceLayer:
    path: Path
    name: str  # the layer, or the layers read one after the other (a KML's folders)
    crs: str  # as given by the file, or by the caller for a file without one
    fields: list[str]
    count: int
    transformer: Transformer | None  # None when the layer is in lon/lat already
    parts: tuple[str, ...] = ()  # the GDAL layers read, in order (empty: the one named)
    # Text that is not UTF-8 (GDAL passes through what it cannot recode) is read in this one.
    text_encoding: str = "cp1252"
    # Date fields read from the file's table as written (GDAL would change some).
    dates_as_written: WrittenDates | None = None
    driver: str | None = None  # GDAL's name for the format
    # How the coordinates reach WGS 84 lon/lat, and how accurately (None: PROJ does not know).
    transformation: dict[str, Any] = field(default_factory=lambda: NOT_NEEDED)
    transformation_accuracy_m: float | None = 0.0
    # The file's own CRS, when the caller's crs= replaced one PROJ could only place roughly.
    declared_crs: str | None = None


@dataclass(frozen=True)
class SourceFeature:
    index: int
    geometry: BaseGeometry | None  # in lon/lat, 2D
    properties: dict[str, Any]
    # What had to be done to read the geometry at all (None: nothing), for the report.
    geometry_fix: str | None = None
    fid: int | None = None  # the feature's id in the file (a GeoPackage's fid), if it has one


# GDAL reads a ring whose last point is not its first, which Shapely refuses; closing it is
# a repair, done only when the user asks for repairs. (Message codes.)
UNCLOSED_RING = "geometry.unclosed_ring"
# What no repair can read (a TIN, a polyhedral surface, damaged bytes).
UNREADABLE = "geometry.unreadable"


def open_layer(
    path: Path, file_name: str, layer: str | None, crs: str | None, *, points: bool = False
) -> SourceLayer:
    """The layer to read. With ``points``, a layer of points or without geometries is read
    too (hazards recorded without a polygon: a location, or none)."""
    try:
        layers = pyogrio.list_layers(path)
    except Exception as error:  # GDAL says why in many ways
        raise _unreadable(file_name, path, error) from None
    names = [str(n) for n, _ in layers]
    if layer is not None:
        if layer not in names:
            raise InvalidInput(
                code="layer.unknown",
                params={"name": file_name, "layer": layer, "layers": names},
                field="layer",
            )
        chosen = layer
    elif len(names) == 1:
        chosen = names[0]
    elif path.suffix.lower() == ".kml":
        # The folders of a Google Earth document sort one survey's placemarks: read them all.
        return _all_folders(path, file_name, names)
    else:
        polygon_layers = [str(n) for n, t in layers if t in POLYGONAL]
        if len(polygon_layers) != 1:
            raise InvalidInput(
                code="layer.several",
                params={"name": file_name, "layers": names},
                field="layer",
                hint="hint.layer",
            )
        chosen = polygon_layers[0]
    if path.is_dir():  # a folder of shapefiles: from here on, the chosen one's own file
        path = next(p for p in path.iterdir() if p.suffix.lower() == ".shp" and p.stem == chosen)
    info = _layer_info(path, file_name, chosen, attributes_only=points)
    geometry_type = info.get("geometry_type")
    if geometry_type is None:
        return _attributes_only(path, chosen, info)
    if (
        geometry_type not in POLYGONAL
        and geometry_type not in MIXED
        and not (points and geometry_type in POINTS)
    ):
        raise InvalidInput(
            code="layer.not_polygons",
            params={"name": file_name, "layer": chosen, "type": str(geometry_type)},
            field="layer",
        )
    if info["count"] == 0:
        raise InvalidInput(
            code="layer.empty", params={"name": file_name, "layer": chosen}, field="layer"
        )
    declared = _declared_crs(path, info.get("crs"))
    source_crs, how, replaced = _coordinates(path, chosen, declared, crs, file_name)
    text_encoding = fallback_encoding(path)
    return SourceLayer(
        path=path,
        name=chosen,
        crs=source_crs.to_string(),
        fields=[str(f) for f in info["fields"]],
        count=info["count"],
        transformer=how.transformer,
        text_encoding=text_encoding,
        dates_as_written=written_dates(path, info, text_encoding),
        driver=info["driver"],
        transformation=how.summary,
        transformation_accuracy_m=how.accuracy_m,
        declared_crs=replaced,
    )


def _layer_info(
    path: Path, file_name: str, layer: str, attributes_only: bool = False
) -> dict[str, Any]:
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as error:
        raise _unreadable(file_name, path, error) from None
    if info.get("geometry_type") is None and not attributes_only:
        raise InvalidInput(
            code="layer.no_geometries", params={"name": file_name, "layer": layer}, field="layer"
        )
    count = int(info.get("features") or 0)
    info["count"] = count if count > 0 else _count(path, layer)
    return info


def _attributes_only(path: Path, layer: str, info: dict[str, Any]) -> SourceLayer:
    """A table without geometries: records with no location, read as they are."""
    text_encoding = fallback_encoding(path)
    return SourceLayer(
        path=path,
        name=layer,
        crs="EPSG:4326",
        fields=[str(f) for f in info["fields"]],
        count=info["count"],
        transformer=None,
        text_encoding=text_encoding,
        dates_as_written=written_dates(path, info, text_encoding),
        driver=info["driver"],
    )


def _all_folders(path: Path, file_name: str, names: list[str]) -> SourceLayer:
    """Every folder of a KML document as one layer (KML is always in WGS84 lon/lat); a
    pin among them is refused as a feature, with the others."""
    infos = [_layer_info(path, file_name, name) for name in names]
    parts = tuple(name for name, info in zip(names, infos, strict=True) if info["count"])
    if not parts:
        raise InvalidInput(code="layer.no_placemarks", params={"name": file_name}, field="layer")
    fields: list[str] = []
    for info in infos:
        fields.extend(str(f) for f in info["fields"] if str(f) not in fields)
    return SourceLayer(
        path=path,
        name=", ".join(parts),
        crs="EPSG:4326",
        fields=fields,
        count=sum(info["count"] for info in infos),
        transformer=None,
        parts=parts,
    )


def layer_names(path: Path, file_name: str) -> list[str]:
    """The names of the file's layers; refused with GDAL's reason when it cannot read the
    file (a truncated GeoJSON, GeoPackage or KML)."""
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as error:  # GDAL says why in many ways
        raise _unreadable(file_name, path, error) from None


def _unreadable(file_name: str, path: Path, error: Exception) -> InvalidInput:
    """GDAL's reason, without the server's temporary folder it names."""
    reason = str(error).replace(f"{path.parent}/", "").replace(str(path.parent), "")
    return InvalidInput(
        code="upload.unreadable", params={"name": file_name, "reason": reason}, field="file"
    )


def _count(path: Path, layer: str) -> int:
    _, _, geometry, _ = pyogrio.raw.read(path, layer=layer, read_geometry=True, columns=[])
    if geometry is None:  # a table without geometries: GDAL counts its rows
        return int(pyogrio.read_info(path, layer=layer, force_feature_count=True)["features"])
    return len(geometry)


def _declared_crs(path: Path, read_by_gdal: str | None) -> str | None:
    """The CRS the file declares: as GDAL read it, else the text of a shapefile's .prj that
    GDAL cannot read (a PROJ string, WKT2), for pyproj to try. None for no CRS, and for the
    placeholders a GeoPackage has for an unknown one ("Undefined Cartesian SRS", "Undefined
    geographic SRS"), which say nothing of where the coordinates are."""
    if read_by_gdal:
        return None if _UNDEFINED.search(read_by_gdal) else read_by_gdal
    prj = sidecar(path, ".prj")
    if path.suffix.lower() != ".shp" or prj is None:
        return None
    return prj.read_text(encoding="utf-8", errors="replace").strip() or None


# How GDAL names the GeoPackage's CRS rows for "not known" (srs_id 0 and -1).
_UNDEFINED = re.compile(r'^\w+\["Undefined (geographic|Cartesian) SRS"')


class ImpreciseCrs(InvalidInput):
    """A file whose CRS PROJ can only place roughly (a ballpark transformation), with the
    EPSG codes it most likely means."""

    default_code = "imprecise_crs"

    def __init__(self, params: dict[str, Any], suggestions: list[str]) -> None:
        code = "crs.imprecise" if suggestions else "crs.imprecise_unmatched"
        super().__init__(code=code, params=params, field="crs", hint="hint.crs_given")
        self.suggestions = suggestions

    def as_dict(self, language: str = DEFAULT_LANGUAGE) -> dict:
        return {**super().as_dict(language), "suggestions": self.suggestions}


def _coordinates(
    path: Path, layer: str, declared: str | None, given: str | None, file_name: str
) -> tuple[CRS, Transformation, str | None]:
    """The CRS to read the layer in, how it reaches WGS 84, and the file's own CRS's name
    when ``given`` replaced it.

    A file's own CRS is used as it says; ``given`` may only replace it where PROJ could
    place the features roughly at best (a datum it knows no shift for), and a file in such a
    CRS needs ``given`` to be read at all: someone must say what the coordinates are.
    """
    given_crs = _given_crs(given)
    file_crs = _file_crs(declared, file_name)
    if file_crs is None:
        if given_crs is None:
            raise InvalidInput(
                code="crs.missing_prj" if file_name.lower().endswith(".zip") else "crs.missing",
                params={"name": file_name},
                field="crs",
                hint="hint.crs",
            )
        return given_crs, transformation(given_crs, _extent(path, layer, given_crs)), None
    extent = _extent(path, layer, file_crs)
    as_declared = transformation(file_crs, extent)
    if as_declared.ballpark:
        if given_crs is None:
            raise _imprecise(file_name, file_crs, as_declared)
        # PROJ deems a CRS of unknown datum equal to any of the same projection and
        # ellipsoid: the one given is used even then, as it names the datum.
        return given_crs, transformation(given_crs, extent), file_crs.name
    if given_crs is not None and not given_crs.equals(file_crs, ignore_axis_order=True):
        raise InvalidInput(
            code="crs.contradicts_file",
            params={"name": file_name, "file_crs": file_crs.name, "given_crs": given_crs.name},
            field="crs",
            hint="hint.crs_leave_out",
        )
    return file_crs, as_declared, None


def _given_crs(given: str | None) -> CRS | None:
    try:
        return CRS.from_user_input(given) if given else None
    except CRSError:
        raise InvalidInput(code="crs.unknown", params={"crs": given}, field="crs") from None


def _file_crs(in_file: str | None, file_name: str) -> CRS | None:
    if not in_file:
        return None
    try:
        return CRS.from_user_input(in_file)
    except CRSError:
        raise InvalidInput(
            code="crs.file_unknown", params={"name": file_name, "crs": in_file}, field="crs"
        ) from None


def _extent(path: Path, layer: str, crs: CRS) -> Extent | None:
    """The layer's extent in its own coordinates, to see which transformation PROJ uses
    where the features are (not needed, and not read, for lon/lat on WGS 84)."""
    if is_wgs84_lonlat(crs):
        return None
    try:
        bounds = pyogrio.read_info(path, layer=layer, force_total_bounds=True)["total_bounds"]
    except Exception:  # GDAL could list the layer: an extent it cannot give is no error
        return None
    if bounds is None:
        return None
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    return xmin, ymin, xmax, ymax


def _imprecise(file_name: str, crs: CRS, how: Transformation) -> ImpreciseCrs:
    named = crs.name and crs.name.lower() != "unknown"
    unnamed = "term.unnamed"  # a term of the catalogues
    candidates = likely_crs(crs, how.near)
    return ImpreciseCrs(
        {
            "name": file_name,
            "crs": crs.name if named else {"code": "term.unnamed_crs"},
            "datum": crs.datum.name if crs.datum else {"code": unnamed},
            "ellipsoid": crs.ellipsoid.name if crs.ellipsoid else {"code": unnamed},
            "likely": [f"{c.code} ({c.name})" for c in candidates],
        },
        [c.code for c in candidates],
    )


def features(source: SourceLayer) -> Iterator[SourceFeature]:
    """The layer's features in order."""
    for batch in feature_batches(source):
        yield from batch


def feature_batches(source: SourceLayer) -> Iterator[list[SourceFeature]]:
    """The layer's features in order, read in one pass a batch at a time: memory stays flat
    and formats that cannot seek (GeoJSON, KML) are not parsed again for each batch."""
    index = 0
    for layer in source.parts or (source.name,):
        for features in _layer_batches(source, layer, index):
            yield features
            index += len(features)


def _layer_batches(
    source: SourceLayer, layer: str, first_index: int
) -> Iterator[list[SourceFeature]]:
    index = first_index
    options = _open_options(source.driver)
    with pyogrio.raw.open_arrow(
        source.path,
        layer=layer,
        batch_size=BATCH,
        use_pyarrow=True,
        return_fids=True,
        **options,
    ) as (meta, reader):
        geometry_column = meta["geometry_name"] or "wkb_geometry"
        fid_column = meta.get("fid_column") or "OGC_FID"
        present = set(meta["fields"])
        for batch in reader:
            if geometry_column not in batch.column_names:  # a table without geometries
                wkbs = np.full(batch.num_rows, None, dtype=object)
            else:
                wkbs = batch.column(geometry_column).to_numpy(zero_copy_only=False)
            geometries = _from_wkb(wkbs, on_invalid="ignore")
            unclosed = np.flatnonzero(shapely.is_missing(geometries) & (wkbs != None))  # noqa: E711
            geometries[unclosed] = _from_wkb(wkbs[unclosed], on_invalid="fix")
            geometries = shapely.force_2d(geometries)
            unreadable = shapely.is_missing(geometries[unclosed])
            fixes = dict.fromkeys(unclosed[~unreadable].tolist(), UNCLOSED_RING)
            fixes.update(dict.fromkeys(unclosed[unreadable].tolist(), UNREADABLE))
            if source.transformer is not None:
                geometries = _reproject(geometries, source.transformer)
            fids: list[Any] = (
                batch.column(fid_column).to_pylist()
                if fid_column in batch.column_names
                else [None] * len(geometries)
            )
            dates = source.dates_as_written
            as_written = dates.columns(fids) if dates else {}
            columns = [
                as_written[name]
                if name in as_written
                else _python_values(batch.column(name), source.text_encoding)
                if name in present
                else [None] * len(geometries)  # a field another folder of the file has
                for name in source.fields
            ]
            rows = zip(*columns, strict=True) if columns else ([] for _ in geometries)
            yield [
                SourceFeature(
                    index + i,
                    geometry,
                    dict(zip(source.fields, row, strict=True)),
                    fixes.get(i),
                    fid,
                )
                for i, (geometry, row, fid) in enumerate(zip(geometries, rows, fids, strict=True))
            ]
            index += len(geometries)


def _from_wkb(wkbs: np.ndarray, on_invalid: OnInvalid) -> np.ndarray:
    """Shapely geometries of ``wkbs``; curved ones (which GEOS cannot read) with their arcs
    as straight segments, and None for what is neither (a TIN)."""
    try:
        return shapely.from_wkb(wkbs, on_invalid=on_invalid)
    except NotImplementedError:  # a curve in the batch: read them one by one
        return np.array([_one_from_wkb(w, on_invalid) for w in wkbs], dtype=object)


def _one_from_wkb(wkb: bytes | None, on_invalid: OnInvalid) -> BaseGeometry | None:
    if wkb is None:
        return None
    try:
        return shapely.from_wkb(wkb, on_invalid=on_invalid)
    except NotImplementedError:
        try:
            return linearized(wkb)
        except (ValueError, struct.error):
            return None


def _open_options(driver: str | None) -> dict[str, str]:
    """GDAL's GeoJSON readers turn text that looks like a date into one, and an impossible
    date into another day (2015-02-30 into 2015-03-02): dates are read as written, and
    checked here."""
    return {"DATE_AS_STRING": "YES"} if driver in ("GeoJSON", "GeoJSONSeq") else {}


_END = object()


def read_ahead(items: Generator[T, None, None]) -> Generator[T, None, None]:
    """The items of ``items``, each next one made in a background thread while the caller
    works on the current one: reading and checking a batch overlaps with recording the one
    before (GDAL, GEOS and PROJ work without holding the interpreter lock).

    Closing this generator waits for the background thread, then closes ``items``.
    """
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") as pool:
            pending = pool.submit(next, items, _END)
            while (item := pending.result()) is not _END:
                pending = pool.submit(next, items, _END)
                yield item  # type: ignore[misc]
    finally:
        items.close()


def _reproject(geometries: np.ndarray, transformer: Transformer) -> np.ndarray:
    def project(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometries, project)


def _python_values(column: Any, text_encoding: str) -> list[Any]:
    """An Arrow column as Python values: nulls and NaN as None, date-times as their day,
    text that is not UTF-8 decoded from ``text_encoding``."""
    try:
        values = column.to_pylist()
    except UnicodeDecodeError:
        raw = column.cast(pa.large_binary()).to_pylist()
        return [None if v is None else decoded(v, text_encoding) for v in raw]
    return [
        None
        if v is None or (isinstance(v, float) and v != v)
        else v.date()
        if isinstance(v, datetime)
        else v
        for v in values
    ]
