"""GeoJSON text sequences (one Feature per line, or each after a record separator, RFC 8142)
read as the FeatureCollection they stand for.

GDAL's reader of sequences turns text that looks like a date into a date, an impossible one
into another day (2015-02-30 into 2015-03-02) and 30/02/15 into 1930-02-15, and has no
option to keep dates as written; its GeoJSON reader has one. The sequence is copied into a
FeatureCollection as it streams past, one feature at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

RECORD_SEPARATOR = b"\x1e"
# A line longer than this is not taken as one feature of a sequence: most likely a whole
# FeatureCollection written on one line, which is read as it is.
_LONGEST_FEATURE = 16 << 20
_CHUNK = 1 << 20


def is_sequence(path: Path) -> bool:
    """Whether the GeoJSON file holds a sequence of features rather than one object."""
    with path.open("rb") as f:
        first = f.readline(_LONGEST_FEATURE).lstrip(b"\xef\xbb\xbf \t\r")
        if first.startswith(RECORD_SEPARATOR):
            return True
        try:
            value = json.loads(first)
        except (ValueError, RecursionError):
            return False  # the first line of a pretty-printed document, or no GeoJSON
        if not isinstance(value, dict) or value.get("type") != "Feature":
            return False
        return any(line.strip() for line in iter(lambda: f.readline(_CHUNK), b""))


def as_feature_collection(sequence: Path, target: Path) -> None:
    """Write the features of ``sequence`` into ``target`` as one FeatureCollection."""
    with sequence.open("rb") as source, target.open("wb") as sink:
        sink.write(b'{"type": "FeatureCollection", "features": [\n')
        first = True
        for text in _texts(source):
            if not first:
                sink.write(b",\n")
            sink.write(text)
            first = False
        sink.write(b"\n]}\n")


def _texts(source: BinaryIO) -> Iterator[bytes]:
    """Each JSON text of the sequence: separated by record separators where the file has
    them (a text may then span lines), else one per line."""
    head = source.read(_CHUNK)
    separated = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(RECORD_SEPARATOR)
    delimiter = RECORD_SEPARATOR if separated else b"\n"
    pending = head.removeprefix(b"\xef\xbb\xbf")
    while True:
        *complete, pending = pending.split(delimiter)
        for text in complete:
            if text.strip():
                yield text.strip()
        chunk = source.read(_CHUNK)
        if not chunk:
            break
        pending += chunk
    if pending.strip():
        yield pending.strip()
