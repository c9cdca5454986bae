"""Restoring a backup over the database: the backup checked first (its checksum, its
integrity, its schema not newer than this version), the current file backed up
("before-restore") or, if damaged, moved aside into the backups folder ("damaged"), then the
backup copied into the live file through SQLite's backup API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import integrity, sqlitefile
from . import lock as locking
from .backup import backup_file, backup_target
from .errors import BackupFailed, BadBackup, PassphraseRequired, WrongPassphrase
from .names import backup_folder
from .sidecar import checksum_problem, remember_encryption, remove_with_sidecars, with_sidecars


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
            remove_with_sidecars(store_path)
        dst_key = cur_key if cur_key is not None else src_key
        _copy_into(backup, src_key, store_path, dst_key)
        remember_encryption(store_path, dst_key is not None)
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
            remove_with_sidecars(staged)
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
            remove_with_sidecars(staged)


def _move_aside(db: Path, now: dt.datetime) -> Path:
    """Move a damaged file (with its -wal/-shm, which belong to it) into the backups folder."""
    folder = backup_folder(db)
    sqlitefile.private_folder(folder)
    target = backup_target(db, folder, "damaged", now)
    for src, dst in zip(with_sidecars(db), with_sidecars(target), strict=True):
        if src.exists():
            src.replace(dst)
            sqlitefile.tighten(dst)
    sqlitefile.fsync_dir(folder)
    sqlitefile.fsync_dir(db.parent)
    return target
