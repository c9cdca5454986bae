"""Backups through SQLite's online backup API (never a file copy), checked and rotated.
Restoring one is ``restore.py``; the checksums and -wal/-shm sidecars, ``sidecar.py``.

Backups go to a ``backups/`` folder beside the database, named
``<db stem>-[<kind>-]YYYYMMDD-HHMMSS.db`` in local time. Each one is written as ``.partial``,
reopened and ``PRAGMA integrity_check``-ed, then renamed into place; a bad one is deleted.
Backups are single files in rollback-journal mode (no -wal), so they can be copied safely.
A backup of an encrypted database is encrypted with the same key.

Kinds: "" (a regular backup, rotated), "manual" (made when asked: Ctrl+B or ``backup``),
"before-upgrade" and "before-restore" (safety copies made automatically), "damaged" (a damaged
file moved aside by restore). Every kind but the regular one is kept ``SAFETY_DAYS``.

Every copy is accounted for: files are created 0600 in a 0700 folder (POSIX); what a killed
backup, restore or encryption leaves (``*.db.partial``, ``<db>.restoring``, ``<db>.encrypting``)
is removed at the next opening for changes (``clean_unfinished``), and listed while it exists
(``unfinished_copies``) by ``backup --list``, by ``encrypt`` and after an erasure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

from . import integrity, sqlitefile
from .errors import BackupFailed
from .names import (  # noqa: F401 - callers find them here too
    BACKUP_NAME,
    KINDS,
    BackupInfo,
    backup_folder,
    backup_name,
    list_backups,
    parse_backup_name,
)
from .sidecar import (  # noqa: F401 - callers find them here too
    CHECKSUMS,
    checksum_problem,
    damaged_backups,
    file_sha256,
    record_checksum,
    remove_with_sidecars,
)

SAFETY_DAYS = 28
log = logging.getLogger(__name__)


# What an interrupted backup (``.partial``), restore (``.restoring``) or encryption
# (``.encrypting``) leaves, with the -journal/-wal/-shm SQLite may have made beside it.
_UNFINISHED = re.compile(r"^(?P<name>.+?\.db)\.partial(?:-journal|-wal|-shm)?$")
STAGING_SUFFIXES = (".restoring", ".encrypting")


def unfinished_copies(db: Path) -> list[Path]:
    """Files that hold a copy of ``db``'s data but are no backup: left by a backup, restore
    or encryption that was killed or failed half-way. Sorted by name."""
    db = Path(db)
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for p in backup_folder(db).iterdir():
            m = _UNFINISHED.match(p.name)
            if m is None or not p.is_file():
                continue
            info = BACKUP_NAME.match(m.group("name"))
            if info is not None and info.group("db") == db.stem:
                found.append(p)
    for suffix in STAGING_SUFFIXES:
        staged = db.with_name(db.name + suffix)
        found += [p for p in (staged, *sqlitefile.sidecars(staged)) if p.is_file()]
    return sorted(found)


def copies_holding_data(db: Path) -> list[Path]:
    """Every file beside ``db`` that still holds a copy of its data: its backups of every
    kind (newest first), then any unfinished copy. What an erasure must account for."""
    return [i.path for i in list_backups(backup_folder(db), database=db)] + unfinished_copies(db)


def clean_unfinished(db: Path) -> list[Path]:
    """Remove the unfinished copies of ``db`` (by the writer, at opening); returns those that
    could not be removed (each is logged), and makes every backup private (0600)."""
    left: list[Path] = []
    for p in unfinished_copies(db):
        try:
            p.unlink()
            log.info("Removed %s, left by an interrupted backup, restore or encryption", p)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("Cannot remove the unfinished copy %s: %s", p, exc.strerror or exc)
            left.append(p)
    folder = backup_folder(db)
    if folder.is_dir():
        sqlitefile.tighten(folder, sqlitefile.PRIVATE_FOLDER)
        for info in list_backups(folder, database=db):
            sqlitefile.tighten(info.path)
    return left


def backup_now(
    store: Any, out: Path | None = None, *, kind: str = "", now: dt.datetime | None = None
) -> Path:
    """Back up an open SQLite store; returns the new file.

    ``out``: None for ``backups/`` beside the database; an existing folder, or a path without
    a suffix, is a folder to write a timestamped file into; any other path is the file itself
    (never overwritten).
    """
    db = store.path
    if db is None:
        raise BackupFailed(
            "A server (PostgreSQL) database is backed up on the server, e.g. "
            "with pg_dump; SENCO Desk backs up SQLite files only."
        )
    if kind and kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    target = backup_target(db, out, kind, now or dt.datetime.now())
    raw = store.engine.raw_connection()  # pooled: the store's own connection, returned after
    try:
        write_backup(raw.driver_connection, target, key=store.cipher_key)
    finally:
        raw.close()
    return target


def backup_file(
    db: Path,
    out: Path | None = None,
    *,
    key: bytes | None = None,
    kind: str = "",
    now: dt.datetime | None = None,
) -> Path:
    """Back up a database file that is not open as a store (same rules as ``backup_now``)."""
    target = backup_target(Path(db), out, kind, now or dt.datetime.now())
    with sqlitefile.connected(Path(db), key=key, read_only=True) as src:
        write_backup(src, target, key=key)
    return target


def backup_target(db: Path, out: Path | None, kind: str, now: dt.datetime) -> Path:
    if out is not None and not out.is_dir() and out.suffix:
        if out.exists():
            raise BackupFailed(f"{out} already exists; choose another name.")
        return out
    folder = backup_folder(db) if out is None else out
    if folder.exists() and not folder.is_dir():
        raise BackupFailed(f"{folder} is a file, not a folder; choose a folder or a new file name.")
    try:
        sqlitefile.private_folder(folder, ours=out is None)
    except OSError as exc:
        raise BackupFailed(
            f"Cannot create the backup folder {folder}: {(exc.strerror or str(exc)).lower()}."
        ) from None
    n = 1
    while (folder / backup_name(db, now, kind, n)).exists():
        n += 1
    return folder / backup_name(db, now, kind, n)


def write_backup(src: Any, target: Path, *, key: bytes | None) -> None:
    """Copy a connection's database into ``target`` with the backup API, check it, publish it."""
    sqlitefile.private_folder(target.parent, ours=False)
    partial = target.with_name(target.name + ".partial")
    remove_with_sidecars(partial)
    try:
        dst = sqlitefile.connect(partial, key=key)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
        with sqlitefile.connected(partial, key=key, read_only=True) as check:
            problems = sqlitefile.integrity_problems(check)
        if problems:
            raise BackupFailed(
                f"The backup failed its check and was deleted: {'; '.join(problems[:3])}"
            )
        digest = file_sha256(partial)
        sqlitefile.replace_atomically(partial, target)
        record_checksum(target, digest)
    except BackupFailed:
        remove_with_sidecars(partial)
        raise
    except Exception as exc:
        remove_with_sidecars(partial)
        raise BackupFailed(f"The backup to {target} failed: {exc}") from exc


# --------------------------------------------------------------------------- routine


def rotate(
    folder: Path,
    keep_daily: int = 7,
    keep_weekly: int = 4,
    *,
    now: dt.datetime | None = None,
    database: str | Path | None = None,
    safety_days: int = SAFETY_DAYS,
) -> list[Path]:
    """Delete old regular backups; returns what was deleted.

    Per database, keeps the newest backup of each of the last ``keep_daily`` days (today
    included), the newest of each of the last ``keep_weekly`` ISO weeks (this week included),
    and always the newest of all. Safety copies (``KINDS``) are kept ``safety_days``.
    """
    now = now or dt.datetime.now()
    today = now.date()
    days = {today - dt.timedelta(days=i) for i in range(keep_daily)}
    monday = today - dt.timedelta(days=today.weekday())
    weeks = {(monday - dt.timedelta(weeks=i)).isocalendar()[:2] for i in range(keep_weekly)}
    by_db: dict[str, list[BackupInfo]] = {}
    for info in list_backups(folder, database=database):
        by_db.setdefault(info.database, []).append(info)
    deleted: list[Path] = []
    for infos in by_db.values():  # each newest first
        keep = {infos[0].path}
        regular = [i for i in infos if not i.kind]
        if regular:
            keep.add(regular[0].path)
        seen_days: set[dt.date] = set()
        seen_weeks: set[tuple[int, int]] = set()
        for info in regular:
            day = info.taken_at.date()
            week = day.isocalendar()[:2]
            if info.taken_at > now:
                keep.add(info.path)  # from a clock ahead of ours: not ours to judge
            if day in days and day not in seen_days:
                seen_days.add(day)
                keep.add(info.path)
            if week in weeks and week not in seen_weeks:
                seen_weeks.add(week)
                keep.add(info.path)
        for info in infos:
            if info.kind and now - info.taken_at < dt.timedelta(days=safety_days):
                keep.add(info.path)
        for info in infos:
            if info.path not in keep:
                remove_with_sidecars(info.path)
                deleted.append(info.path)
    return deleted


def auto_backup(store: Any, *, now: dt.datetime | None = None) -> Path | None:
    """Make today's backup if there is none yet, then rotate (at close and daily, by the GUI)."""
    if store.path is None:
        return None
    now = now or dt.datetime.now()
    folder = backup_folder(store.path)
    if any(
        i.kind in ("", "manual") and i.taken_at.date() == now.date()
        for i in list_backups(folder, database=store.path)
    ):
        return None
    made = backup_now(store, now=now)
    rotate(folder, now=now, database=store.path)
    return made


def newest_good_backup(
    db: Path, *, key: bytes | None = None, folder: Path | None = None, tries: int = 5
) -> Path | None:
    """The newest backup of ``db`` that opens and passes the quick check (None if none)."""
    candidates = [
        i for i in list_backups(folder or backup_folder(db), database=db) if i.kind != "damaged"
    ]
    for info in candidates[:tries]:
        encrypted = sqlitefile.is_encrypted(info.path)
        if encrypted and key is None:
            continue
        if checksum_problem(info.path):
            log.warning("%s", checksum_problem(info.path))
            continue
        result = integrity.check_sqlite_file(info.path, key=key if encrypted else None, quick=True)
        if result.ok and not result.newer:
            return info.path
    return None
