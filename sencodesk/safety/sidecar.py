"""What is kept beside a database file or a backup: SQLite's -journal/-wal/-shm sidecars,
which belong to their file (moved and deleted with it); the backups folder's
``SHA256SUMS``, the checksum of each backup taken once it passed its check; and the
database's own ``<db>.state.json`` (when the full check last ran, whether the file is
encrypted), which holds no personal data.

SQLite has no page checksums: a bit flipped inside a page of a backup on disk can go
unnoticed by its integrity check. So the SHA-256 of each backup, taken once it has passed
its check, is kept in the folder's SHA256SUMS (the format of ``sha256sum -c``), and a
backup is trusted for a restore only if it still has that checksum.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from . import sqlitefile
from .names import backup_folder, list_backups

log = logging.getLogger(__name__)

CHECKSUMS = "SHA256SUMS"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_checksums(folder: Path) -> dict[str, str]:
    try:
        text = (folder / CHECKSUMS).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    sums: dict[str, str] = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) == 64 and name:
            sums[name] = digest
    return sums


def record_checksum(backup: Path, digest: str) -> None:
    """Add a checked backup's SHA-256 to its folder's list (entries of deleted files go)."""
    folder = Path(backup).parent
    sums = {n: d for n, d in _read_checksums(folder).items() if (folder / n).exists()}
    sums[Path(backup).name] = digest
    tmp = folder / f".{CHECKSUMS}.{os.getpid()}.tmp"
    lines = "".join(f"{d}  {n}\n" for n, d in sorted(sums.items()))
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, sqlitefile.PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(lines)
        os.replace(tmp, folder / CHECKSUMS)
    except OSError as exc:  # the backup itself is made and checked
        log.warning("Cannot record the checksum of %s: %s", backup, exc.strerror or exc)
        with contextlib.suppress(OSError):
            tmp.unlink()


def checksum_problem(backup: Path) -> str | None:
    """Why a backup is no longer what was checked when it was made (its SHA-256 differs
    from the one recorded then); None if it matches or none was recorded (older backups)."""
    recorded = _read_checksums(Path(backup).parent).get(Path(backup).name)
    if recorded is None:
        return None
    try:
        actual = file_sha256(backup)
    except OSError as exc:
        return f"{backup} cannot be read: {(exc.strerror or str(exc)).lower()}"
    if actual != recorded:
        return (
            f"{backup} has changed since it was made and checked (its SHA-256 checksum "
            "differs): it is damaged"
        )
    return None


def damaged_backups(db: Path) -> list[str]:
    """A sentence for each backup of ``db`` whose checksum no longer matches."""
    found = []
    for info in list_backups(backup_folder(db), database=db):
        problem = checksum_problem(info.path)
        if problem:
            found.append(problem + ".")
    return found


def remove_with_sidecars(path: Path) -> None:
    """Delete a database file and its -journal/-wal/-shm (those that exist)."""
    for p in (path, *sqlitefile.sidecars(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def with_sidecars(path: Path) -> list[Path]:
    """A database file and the -journal/-wal/-shm that belong to it (existing or not)."""
    return [path, *sqlitefile.sidecars(path)]


# --------------------------------------------------------------------------- the state file


def _state_file(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".state.json")


def _read_state_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def state_path(store: Any) -> Path:
    """The JSON sidecar beside an SQLite file; for a server, a file in the user state folder."""
    if store.path is not None:
        return _state_file(store.path)
    import platformdirs
    from sqlalchemy.engine import make_url

    from ..places import APP_NAME

    shown = make_url(store.url).render_as_string(hide_password=True)
    digest = hashlib.sha256(shown.encode("utf-8")).hexdigest()[:16]
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / f"server-{digest}.json"


def read_state(store: Any) -> dict[str, Any]:
    return _read_state_file(state_path(store))


def write_state(store: Any, **values: Any) -> None:
    """Merge values into the sidecar, atomically (it holds no personal data)."""
    _write_state(state_path(store), **values)


def read_state_file(db: Path) -> dict[str, Any]:
    """The sidecar of an SQLite file (``{}`` if there is none or it cannot be read)."""
    return _read_state_file(_state_file(db))


def write_state_file(db: Path, **values: Any) -> None:
    """Merge values into the sidecar of an SQLite file."""
    _write_state(_state_file(db), **values)


def remember_encryption(db: Path, encrypted: bool) -> None:
    """Note whether the file is encrypted (see ``damaged_header``); a courtesy, never fatal."""
    with contextlib.suppress(OSError):
        write_state_file(db, encrypted=encrypted)


def _write_state(path: Path, **values: Any) -> None:
    data = {**_read_state_file(path), **values}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
