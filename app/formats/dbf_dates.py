"""The Date fields of a shapefile's table, read as they are written.

GDAL reads an impossible date (``20150230``) as another day (2015-03-02), and a date field
holding text it cannot read (``30/02/15``, ``2015-1-5``) as 1970-01-01, without a word. A
field team's record would then silently carry a day nobody wrote. Read here from the table
itself, such a value reaches the feature checks as the text it is, and is refused there.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from app.formats.encodings import decoded

_HEADER = struct.Struct("<4xIHH")  # record count, header length, record length
_DESCRIPTOR_LENGTH = 32
_DATE_WIDTH = 8  # YYYYMMDD


@dataclass(frozen=True)
class DateField:
    name: str
    offset: int  # from the start of a record (its first byte is the deletion flag)


@dataclass(frozen=True)
class TableDates:
    """Where the Date fields of a shapefile's table are, to read them record by record."""

    dbf: Path
    header_length: int
    record_length: int
    records: int
    fields: tuple[DateField, ...]

    @classmethod
    def of(cls, shp: Path, text_encoding: str) -> TableDates | None:
        """The Date fields of the table beside ``shp`` (None: no table, or no Date field)."""
        dbf = next(
            (p for p in shp.parent.glob(f"{shp.stem}.*") if p.suffix.lower() == ".dbf"), None
        )
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

    def columns(self, record_numbers: list[int]) -> dict[str, list[date | str | None]]:
        """Each Date field's values in the records numbered ``record_numbers`` (a shapefile
        feature's id is its record's number): a day, None when blank, else the text as
        written (a YYYYMMDD that is no day of the calendar as YYYY-MM-DD)."""
        rows = np.asarray(record_numbers, dtype=np.int64)
        present = (rows >= 0) & (rows < self.records)
        table = np.memmap(
            self.dbf,
            dtype=np.uint8,
            mode="r",
            offset=self.header_length,
            shape=(max(self.records, 1), self.record_length),
        )
        found = table[rows[present]]
        columns: dict[str, list[date | str | None]] = {}
        for field in self.fields:
            raw = np.ascontiguousarray(found[:, field.offset : field.offset + _DATE_WIDTH])
            written = iter(raw.view(f"S{_DATE_WIDTH}").ravel().tolist())
            columns[field.name] = [
                _written(next(written).decode("latin-1")) if here else None
                for here in present.tolist()
            ]
        return columns


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
