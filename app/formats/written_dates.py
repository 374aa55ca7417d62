"""Date fields read as they are written in the file, where GDAL would change them.

GDAL reads an impossible date in a shapefile or a GeoPackage (``20150230``, ``2015-02-30``)
as another day (2015-03-02), text in a date field that it cannot read (``30/02/15``) as
1970-01-01, and a GeoPackage's date-time with a UTC offset as its day in UTC, without a word.
A field team's record would then carry a day nobody wrote. Read here from the file's table
itself, such a value reaches the feature checks as written, and is refused or read there.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.formats.encodings import decoded
from app.formats.sidecars import sidecar

_HEADER = struct.Struct("<4xIHH")  # record count, header length, record length
_DESCRIPTOR_LENGTH = 32
_DATE_WIDTH = 8  # YYYYMMDD


class WrittenDates(Protocol):
    def columns(self, fids: list[int]) -> dict[str, list[Any]]:
        """Each date field's values, as written, in the features with these ids."""
        ...


def written_dates(path: Path, info: dict[str, Any], text_encoding: str) -> WrittenDates | None:
    """Where to read the date fields of the layer GDAL describes in ``info`` as written
    (None: a format whose dates GDAL reads as written, or no date field)."""
    if info["driver"] == "ESRI Shapefile":
        return DbfDates.of(path, text_encoding)
    if info["driver"] == "GPKG":
        return GeoPackageDates.of(path, info)
    return None


@dataclass(frozen=True)
class DateField:
    name: str
    offset: int  # from the start of a record (its first byte is the deletion flag)


@dataclass(frozen=True)
class DbfDates:
    """Where the Date fields of a shapefile's table are, to read them record by record."""

    dbf: Path
    header_length: int
    record_length: int
    records: int
    fields: tuple[DateField, ...]

    @classmethod
    def of(cls, shp: Path, text_encoding: str) -> DbfDates | None:
        """The Date fields of the table beside ``shp`` (None: no table, or no Date field)."""
        dbf = sidecar(shp, ".dbf")
        if dbf is None:
            return None
        with dbf.open("rb") as table:
            head = table.read(32)
            if len(head) < 32:
                return None
            records, header_length, record_length = _HEADER.unpack_from(head)
            descriptors = table.read(max(header_length - 32, 0))
        fields, offset = [], 1
        for start in range(0, len(descriptors) - _DESCRIPTOR_LENGTH + 1, _DESCRIPTOR_LENGTH):
            descriptor = descriptors[start : start + _DESCRIPTOR_LENGTH]
            if descriptor[0] == 0x0D:  # the end of the field descriptors
                break
            width = descriptor[16]
            if descriptor[11:12] == b"D" and width == _DATE_WIDTH:
                name = decoded(descriptor[:11].split(b"\0", 1)[0], text_encoding)
                fields.append(DateField(name, offset))
            offset += width
        if not fields or record_length == 0:
            return None
        whole = max(dbf.stat().st_size - header_length, 0) // record_length
        return cls(dbf, header_length, record_length, min(records, whole), tuple(fields))

    def columns(self, fids: list[int]) -> dict[str, list[Any]]:
        """Each Date field's values in the features ``fids`` (a shapefile feature's id is
        its record's number): a day, None when blank, else the text as written (a YYYYMMDD
        that is no day of the calendar as YYYY-MM-DD)."""
        rows = np.asarray(fids, dtype=np.int64)
        present = (rows >= 0) & (rows < self.records)
        table = np.memmap(
            self.dbf,
            dtype=np.uint8,
            mode="r",
            offset=self.header_length,
            shape=(max(self.records, 1), self.record_length),
        )
        found = table[rows[present]]
        columns: dict[str, list[Any]] = {}
        for field in self.fields:
            raw = np.ascontiguousarray(found[:, field.offset : field.offset + _DATE_WIDTH])
            written = iter(raw.view(f"S{_DATE_WIDTH}").ravel().tolist())
            columns[field.name] = [
                _written(next(written).decode("latin-1")) if here else None
                for here in present.tolist()
            ]
        return columns


@dataclass(frozen=True)
class GeoPackageDates:
    """The date and date-time columns of a GeoPackage table, read from SQLite: as text."""

    path: Path
    table: str
    fid_column: str
    fields: tuple[str, ...]

    @classmethod
    def of(cls, path: Path, info: dict[str, Any]) -> GeoPackageDates | None:
        fields = tuple(
            str(name)
            for name, dtype in zip(info["fields"], info["dtypes"], strict=True)
            if str(dtype).startswith("datetime64")
        )
        if not fields:
            return None
        return cls(path, str(info["layer_name"]), str(info["fid_column"] or "fid"), fields)

    def columns(self, fids: list[int]) -> dict[str, list[Any]]:
        names = ", ".join(_quoted(f) for f in (self.fid_column, *self.fields))
        fid = _quoted(self.fid_column)
        with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as db:
            rows = db.execute(
                f"SELECT {names} FROM {_quoted(self.table)} "
                f"WHERE {fid} IN (SELECT value FROM json_each(?))",
                (json.dumps(fids),),
            ).fetchall()
        by_fid = {row[0]: row[1:] for row in rows}
        missing = (None,) * len(self.fields)
        found = [by_fid.get(f, missing) for f in fids]
        return {name: [row[i] for row in found] for i, name in enumerate(self.fields)}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _written(text: str) -> date | str | None:
    text = text.strip()
    if not text or text.strip("0") == "":
        return None  # blank, or the zeros some writers put for no date
    if len(text) == _DATE_WIDTH and text.isdigit():
        iso = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        try:
            return date.fromisoformat(iso)
        except ValueError:
            return iso  # refused by the checks as no day of the calendar
    return text
