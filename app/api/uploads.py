"""Uploaded files, written to disk within the size the service accepts."""

from __future__ import annotations

from pathlib import Path

from fastapi import UploadFile

from app.errors import TooLarge


def save_upload(file: UploadFile, target: Path, max_bytes: int) -> None:
    written = 0
    with target.open("wb") as sink:
        while chunk := file.file.read(1 << 20):
            written += len(chunk)
            if written > max_bytes:
                raise TooLarge(
                    code="upload.too_large",
                    params={"name": file.filename or "upload", "limit": max_bytes},
                    field="file",
                )
            sink.write(chunk)
