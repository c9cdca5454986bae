"""Backups through SQLite's online backup API (never a file copy), checked, rotated, restored.

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
import hashlib
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import integrity, sqlitefile
from . import lock as locking
from .errors import BackupFailed, BadBackup, PassphraseRequired, WrongPassphrase
from .names import (  # noqa: F401 - callers find them here too
    BACKUP_NAME,
    KINDS,
    BackupInfo,
    backup_folder,
    backup_name,
    list_backups,
    parse_backup_name,
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
    target = _target(db, out, kind, now or dt.datetime.now())
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
    target = _target(Path(db), out, kind, now or dt.datetime.now())
    with sqlitefile.connected(Path(db), key=key, read_only=True) as src:
        write_backup(src, target, key=key)
    return target


def _target(db: Path, out: Path | None, kind: str, now: dt.datetime) -> Path:
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
    _remove_with_sidecars(partial)
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
        _remove_with_sidecars(partial)
        raise
    except Exception as exc:
        _remove_with_sidecars(partial)
        raise BackupFailed(f"The backup to {target} failed: {exc}") from exc


# --------------------------------------------------------------------------- checksums
# SQLite has no page checksums: a bit flipped inside a page of a backup on disk can go
# unnoticed by its integrity check. So the SHA-256 of each backup, taken once it has passed
# its check, is kept in the folder's SHA256SUMS (the format of ``sha256sum -c``), and a
# backup is trusted for a restore only if it still has that checksum.

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


def _remove_with_sidecars(path: Path) -> None:
    for p in (path, *sqlitefile.sidecars(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


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
                _remove_with_sidecars(info.path)
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


# --------------------------------------------------------------------------- restore


def restore(
    store_path: Path,
    backup: Path,
    *,
    passphrase: str | None = None,
    current_passphrase: str | None = None,
    user: str | None = None,
    now: dt.datetime | None = None,
) -> Path | None:
    """Replace the database at ``store_path`` with a backup; returns the safety copy made.

    The backup is checked (sound, a
    SENCO Desk database, not newer than this version); the current database is backed up
    first ("before-restore"), or moved aside if it is damaged ("damaged"); then the backup is
    copied into the live file through the backup API, so -wal/-shm stay consistent. The live
    file keeps its encryption (a plain backup restored over an encrypted database is
    encrypted on the way in). ``passphrase`` opens the backup, ``current_passphrase`` (default:
    the same) the current file.

    Another process with the file open makes this raise ``DatabaseLocked``. A store open in
    this process sees the restored data at once, except when the file itself had to be
    replaced (damaged, or a plain file restored from an encrypted backup): so the GUI closes
    its store first and reopens it after.
    """
    from ..schema import head_revision

    store_path, backup = Path(store_path), Path(backup)
    now = now or dt.datetime.now()
    if backup.resolve() == store_path.resolve():
        raise BadBackup("That is the database itself, not a backup of it.")
    changed = checksum_problem(backup)
    if changed:
        raise BadBackup(f"{changed}; choose another backup.")
    src_key = _key_for(backup, passphrase)
    result = integrity.check_sqlite_file(backup, key=src_key)
    if not result.ok:
        raise BadBackup(f"{backup} cannot be restored: {result.problems[0]}")
    if result.newer:
        raise BadBackup(
            f"{backup} was made by a newer version of SENCO Desk (schema "
            f"{result.revision}; this version has {head_revision()})."
        )
    with locking.locked(store_path, user=user):
        safety: Path | None = None
        cur_key: bytes | None = None
        keep_current = False
        broken = store_path.exists() and integrity.damaged_header(store_path) is not None
        if broken:  # damaged first bytes: not encrypted, whatever they look like
            safety = _move_aside(store_path, now)
        elif store_path.exists() and store_path.stat().st_size > 0:
            if sqlitefile.is_encrypted(store_path):
                cur_key = _key_for(store_path, current_passphrase or passphrase)
                try:
                    sqlitefile.connect(store_path, key=cur_key, read_only=True).close()
                except WrongPassphrase:
                    raise BadBackup(
                        f"The current database ({store_path}) does not open with "
                        "this passphrase: give its own passphrase to restore over "
                        "it."
                    ) from None
            try:
                safety = backup_file(store_path, key=cur_key, kind="before-restore", now=now)
                keep_current = True
            except BackupFailed:  # damaged: keep it whole, out of the way
                safety = _move_aside(store_path, now)
        if keep_current and cur_key is None and src_key is not None:
            # An encrypted backup over a plain file (backed up above): the file becomes the
            # backup, encryption included (the backup API cannot encrypt a plain file in place).
            _remove_with_sidecars(store_path)
        dst_key = cur_key if cur_key is not None else src_key
        _copy_into(backup, src_key, store_path, dst_key)
        integrity.remember_encryption(store_path, dst_key is not None)
    return safety


def _key_for(path: Path, passphrase: str | None) -> bytes | None:
    if not sqlitefile.is_encrypted(path):
        return None
    phrase = passphrase or sqlitefile.default_passphrase()
    if not phrase:
        raise PassphraseRequired(path)
    return sqlitefile.key_bytes(phrase)


def _copy_into(backup: Path, src_key: bytes | None, live: Path, dst_key: bytes | None) -> None:
    staged: Path | None = None
    try:
        source, source_key = backup, src_key
        if dst_key is not None and src_key is None:
            # SQLCipher's backup API will not copy plain pages into an encrypted file:
            # encrypt the backup into a staging file beside the live one first.
            staged = live.with_name(live.name + ".restoring")
            _remove_with_sidecars(staged)
            sqlitefile.export_copy(backup, None, staged, dst_key)
            source, source_key = staged, dst_key
        with sqlitefile.connected(source, key=source_key, read_only=True) as src:
            dst = sqlitefile.connect(live, key=dst_key)
            try:
                dst.execute("PRAGMA busy_timeout = 10000")
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = WAL")
                problems = sqlitefile.integrity_problems(dst)
            finally:
                dst.close()
        if problems:
            raise BackupFailed(f"The restored database failed its check: {problems[0]}")
    except BackupFailed:
        raise
    except Exception as exc:
        raise BackupFailed(f"Restoring {backup} failed: {exc}") from exc
    finally:
        if staged is not None:
            _remove_with_sidecars(staged)


def _move_aside(db: Path, now: dt.datetime) -> Path:
    """Move a damaged file (with its -wal/-shm, which belong to it) into the backups folder."""
    folder = backup_folder(db)
    sqlitefile.private_folder(folder)
    target = _target(db, folder, "damaged", now)
    for src, dst in zip(_with_sidecars(db), _with_sidecars(target), strict=True):
        if src.exists():
            src.replace(dst)
            sqlitefile.tighten(dst)
    sqlitefile.fsync_dir(folder)
    sqlitefile.fsync_dir(db.parent)
    return target


def _with_sidecars(path: Path) -> Iterable[Path]:
    return [path, *sqlitefile.sidecars(path)]
