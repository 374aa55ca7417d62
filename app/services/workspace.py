"""The temporary folders of uploads, imports and exports.

Each process works in a folder of its own under one base folder (``IMPORT_WORK_DIR``), beside
a lock file the process holds for as long as it lives. A process that is killed (kill -9, out
of memory) cannot remove what it was unpacking: the next process to start removes every
folder whose lock is free, the folders of live processes (other workers) staying untouched.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from app.settings import import_settings

_lock = threading.Lock()
_own: tuple[int, Path, int] | None = None  # the process id, its folder, its lock


def base_folder() -> Path:
    return import_settings().work_dir or Path(tempfile.gettempdir()) / "landrelease"


def process_folder() -> Path:
    """This process's folder, made on first use. Its lock file is locked before it is given
    its name, so no other process ever sees it unlocked while this one lives."""
    global _own
    with _lock:
        if _own is None or _own[0] != os.getpid():
            base = base_folder()
            base.mkdir(parents=True, exist_ok=True)
            descriptor, name = tempfile.mkstemp(dir=base, prefix=".new-")
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            folder = base / f"{os.getpid()}-{Path(name).name.removeprefix('.new-')}"
            os.rename(name, folder.with_suffix(".lock"))
            folder.mkdir()
            atexit.register(_leave, folder)
            _own = (os.getpid(), folder, descriptor)  # open: the lock lasts
        return _own[1]


def temporary_folder(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A folder removed when its block ends, in this process's folder."""
    return tempfile.TemporaryDirectory(prefix=prefix, dir=process_folder())


def new_folder(prefix: str) -> Path:
    """A folder the caller removes (an export, once sent)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=process_folder()))


def remove_leftovers() -> int:
    """Remove what processes that are gone left behind; returns how many folders."""
    base = base_folder()
    if not base.is_dir():
        return 0
    removed = 0
    # A lock file being made is locked a moment after it appears: left alone for a minute.
    newborn = time.time() - 60
    for lock in [*base.glob("*.lock"), *base.glob(".new-*")]:
        if lock.suffix != ".lock" and _modified(lock) > newborn:
            continue
        if _held_by_a_live_process(lock):
            continue
        if lock.suffix == ".lock":
            removed += _remove(lock.with_suffix(""))
        lock.unlink(missing_ok=True)
    # A folder is made after its lock file: one without it was left half removed.
    for folder in base.iterdir():
        if folder.is_dir() and not folder.with_suffix(".lock").exists():
            removed += _remove(folder)
    return removed


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return time.time()


def _leave(folder: Path) -> None:
    _remove(folder)
    folder.with_suffix(".lock").unlink(missing_ok=True)


def _remove(folder: Path) -> int:
    existed = folder.is_dir()
    shutil.rmtree(folder, ignore_errors=True)
    return int(existed)


def _held_by_a_live_process(lock: Path) -> bool:
    try:
        with lock.open("rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except FileNotFoundError:
        return True  # renamed or removed meanwhile: not ours to judge
    return False
