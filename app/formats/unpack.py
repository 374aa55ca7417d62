"""Recognising an uploaded file by its content, and unpacking zip files safely.

The file's own bytes decide what it is; its name must agree. Zip members are checked before
anything is written: no absolute paths or ``..``, no more members or bytes than allowed, and
every write stays inside the caller's temporary folder.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.errors import InvalidInput
from app.formats.geojson_sequence import RECORD_SEPARATOR, as_feature_collection, is_sequence

# Formats, the extensions they go by, and what their bytes start with.
EXTENSIONS = {
    "shapefile": (".zip",),
    "geojson": (".geojson", ".json", ".geojsonl", ".geojsons", ".ndjson"),
    "gpkg": (".gpkg",),
    "kml": (".kml",),
    "kmz": (".kmz",),
    "flatgeobuf": (".fgb",),
    "csv": (".csv",),
}


# Formats of one file, which may come zipped on their own.
_SINGLE = {".geojson", ".json", ".geojsonl", ".geojsons", ".ndjson", ".gpkg", ".fgb"}


@dataclass(frozen=True)
class Limits:
    max_members: int
    max_unpacked_bytes: int
    max_vertices: int | None = None  # of all the file's polygons (None: no limit)


@dataclass(frozen=True)
class Unpacked:
    format: str
    path: Path  # what GDAL opens


def sniff(head: bytes) -> str | None:
    """The format of a file from its first bytes (None when unknown)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"fgb\x03"):
        return "flatgeobuf"
    if stripped.startswith((b"{", RECORD_SEPARATOR)):  # a document, or a text sequence
        return "geojson"
    if stripped.startswith(b"<") and b"<kml" in head[:2048]:
        return "kml"
    return None


def unpack(
    upload: Path, name: str, workdir: Path, limits: Limits, in_zip: bool = False
) -> Unpacked:
    """Decide what ``upload`` (sent as ``name``) is and make it ready for GDAL in ``workdir``."""
    suffix = PurePosixPath(name.lower()).suffix
    with upload.open("rb") as f:
        head = f.read(4096)
    if not head:
        raise InvalidInput(code="upload.empty", params={"name": name}, field="file")
    kind = sniff(head)
    if kind is None and suffix == ".csv":
        kind = _csv_with_wkt(head, name)
    if kind is None:
        raise InvalidInput(code="upload.unknown_format", params={"name": name}, field="file")
    if kind == "zip":
        if in_zip:
            raise InvalidInput(code="upload.zip_in_zip", params={"name": name}, field="file")
        return _unpack_zip(upload, name, suffix, workdir, limits)
    expected = [f for f, exts in EXTENSIONS.items() if suffix in exts]
    if expected and kind not in expected:
        raise InvalidInput(
            code="upload.wrong_extension",
            params={"name": name, "suffix": suffix, "kind": kind},
            field="file",
        )
    target = workdir / f"upload{EXTENSIONS[kind][0]}"
    if kind == "geojson" and is_sequence(upload):
        as_feature_collection(upload, target)
        upload.unlink()
    else:
        upload.replace(target)
    return Unpacked(kind, target)


def _csv_with_wkt(head: bytes, name: str) -> str:
    """A CSV file is read when its polygons are in a WKT column (as the CSV export writes)."""
    header = head.lstrip(b"\xef\xbb\xbf").splitlines()[0].decode("utf-8", errors="replace")
    columns = [c.strip().strip('"').lower() for c in header.split(",")]
    if "wkt" not in columns:
        raise InvalidInput(code="upload.csv_without_wkt", params={"name": name}, field="file")
    return "csv"


def _unpack_zip(upload: Path, name: str, suffix: str, workdir: Path, limits: Limits) -> Unpacked:
    if suffix not in (".zip", ".kmz"):
        raise InvalidInput(
            code="upload.zip_misnamed" if suffix else "upload.zip_without_extension",
            params={"name": name, "suffix": suffix},
            field="file",
        )
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise InvalidInput(code="upload.corrupt_zip", params={"name": name}, field="file") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for member in members:
            # Zips made on Windows may separate folders with backslashes (reading a member
            # goes by its original name, so this one can be rewritten).
            member.filename = member.filename.replace("\\", "/")
        _check_members(members, name, limits)
        members = [m for m in members if not _operating_system_clutter(m)]
        if suffix == ".kmz" or not any(m.filename.lower().endswith(".shp") for m in members):
            kml = [m for m in members if m.filename.lower().endswith(".kml")]
            if suffix == ".kmz" or kml:
                if not kml:
                    raise InvalidInput(
                        code="upload.kmz_without_kml", params={"name": name}, field="file"
                    )
                return Unpacked("kmz", _extract(archive, kml[0], workdir))
            # A single GeoJSON, GeoPackage or FlatGeobuf zipped to be sent by e-mail.
            single = [m for m in members if PurePosixPath(m.filename).suffix.lower() in _SINGLE]
            if len(single) == 1 and len(members) == 1:
                inner = single[0].filename
                return unpack(_extract(archive, single[0], workdir), inner, workdir, limits, True)
            raise InvalidInput(
                code="upload.zip_without_shapefile", params={"name": name}, field="file"
            )
        shapefiles = [m for m in members if m.filename.lower().endswith(".shp")]
        if len(shapefiles) == 1:
            return Unpacked(
                "shapefile", _extract_shapefile(archive, shapefiles[0], members, name, workdir)
            )
        # Several shapefiles (a project folder zipped whole): a folder of layers, each one
        # named by its file, to choose from with layer= (or the one of polygons).
        stems = [PurePosixPath(m.filename).stem for m in shapefiles]
        twice = sorted({stem for stem in stems if stems.count(stem) > 1})
        if twice:
            raise InvalidInput(
                code="upload.shapefiles_of_one_name",
                params={"name": name, "names": twice},
                field="file",
            )
        folder = workdir / "shapefiles"
        folder.mkdir()
        for shapefile in shapefiles:
            _extract_shapefile(archive, shapefile, members, name, folder)
        return Unpacked("shapefile", folder)


def _extract_shapefile(
    archive: zipfile.ZipFile,
    shapefile: zipfile.ZipInfo,
    members: list[zipfile.ZipInfo],
    name: str,
    workdir: Path,
) -> Path:
    """Extract ``shapefile`` and the files of the same name beside it; return the .shp."""
    stem = shapefile.filename[:-4]
    siblings = {
        m.filename[len(stem) :].lower(): m
        for m in members
        if m.filename[:-4] == stem or m.filename.startswith(stem + ".")
    }
    missing = [ext for ext in (".shx", ".dbf") if ext not in siblings]
    if missing:
        raise InvalidInput(
            code="upload.shapefile_incomplete",
            params={"name": name, "shapefile": shapefile.filename, "missing": missing},
            field="file",
        )
    for member in siblings.values():
        _extract(archive, member, workdir)
    return workdir / PurePosixPath(shapefile.filename).name


def _operating_system_clutter(member: zipfile.ZipInfo) -> bool:
    """Files a zip gets from the computer that made it, not from the user: macOS resource
    forks (``__MACOSX/``, ``._name``), Finder and Explorer folder settings."""
    path = PurePosixPath(member.filename)
    return (
        path.parts[0] == "__MACOSX"
        or path.name.startswith("._")
        or path.name.lower() in (".ds_store", "thumbs.db", "desktop.ini")
    )


def _check_members(members: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    if len(members) > limits.max_members:
        raise InvalidInput(
            code="upload.too_many_members",
            params={"name": name, "count": len(members), "limit": limits.max_members},
            field="file",
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_bytes:
        raise InvalidInput(
            code="upload.unpacks_too_large",
            params={"name": name, "bytes": total, "limit": limits.max_unpacked_bytes},
            field="file",
        )
    for member in members:
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts:
            raise InvalidInput(
                code="upload.unsafe_path",
                params={"name": name, "member": member.filename},
                field="file",
            )


def _extract(archive: zipfile.ZipFile, member: zipfile.ZipInfo, workdir: Path) -> Path:
    """Write one member under ``workdir`` by its base name only, never following its path."""
    target = workdir / PurePosixPath(member.filename).name
    written = 0
    with archive.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(1 << 20):
            written += len(chunk)
            if written > member.file_size:  # a member that lies about its size
                raise InvalidInput(
                    code="upload.member_larger", params={"member": member.filename}, field="file"
                )
            sink.write(chunk)
    return target
