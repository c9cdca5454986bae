"""The checks at opening a database file, before anything can change it (``store`` runs them):
the passphrase, SQLite's quick check (or its full check once a day), the schema version, a
full disk; and the note of each opening in ``<db>.state.json``."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from ..errors import DatabaseError, KnownError
from ..schema import NEWER, known_revisions
from . import sqlitefile
from .errors import DatabaseDamaged, NotADatabase

log = logging.getLogger(__name__)


def disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has (almost) no room left: less than 64 KiB."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False


def damaged_header_of(path: Path) -> str | None:
    from .integrity import damaged_header

    return damaged_header(path)


def first_write_today(path: Path) -> bool:
    """True if SQLite's full integrity check has not passed today (it then runs at this
    opening for changes, before anything is written: it finds damage in indexes and pages
    that the quick check at every other opening does not)."""
    from .sidecar import read_state_file

    last = read_state_file(path).get("last_integrity_check")
    return last != dt.date.today().isoformat()


def record_opening(path: Path, *, encrypted: bool, full: bool) -> None:
    """Note in ``<db>.state.json`` whether the file is encrypted (so that damaged first bytes
    are later told as damage, not as a wrong passphrase) and the day of its full check."""
    from .sidecar import write_state_file

    values: dict[str, Any] = {"encrypted": encrypted}
    if full:
        values["last_integrity_check"] = dt.date.today().isoformat()
    try:
        write_state_file(path, **values)
    except OSError as exc:  # a courtesy: never a reason not to open
        log.info("Cannot write %s.state.json: %s", path.name, exc.strerror or exc)


def precheck(path: Path, key: bytes | None, *, quick: bool, full: bool = False) -> None:
    """Before anything can change the file (even its journal mode): the passphrase, SQLite's
    quick check (its full integrity check when ``full``), and the schema version, on a
    read-only connection."""
    problems: list[str] = []
    try:
        with sqlitefile.connected(path, key=key, read_only=True) as conn:
            if quick or full:
                problems = sqlitefile.integrity_problems(conn, quick=not full, limit=20)
            if not problems:
                revision = sqlitefile.schema_revision(conn)
                foreign = revision is None and bool(sqlitefile.sqlite_tables(conn))
    except KnownError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways
        if disk_full(path):  # SQLite says "disk I/O error" when it cannot make the -shm
            raise DatabaseError(
                f"The disk is full ({path.parent}): the database cannot be opened, and it "
                "was not changed. Free some space and try again."
            ) from None
        problems = [str(exc) or type(exc).__name__]
    if problems:
        from .backup import newest_good_backup

        raise DatabaseDamaged(path, problems, newest_good_backup(path, key=key))
    if foreign:
        raise NotADatabase(
            "This database holds tables that are not SENCO Desk's; nothing was changed."
        )
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(NEWER.format(current=revision))
