"""Data-safety operations that run in the database worker (backups, checks, encryption,
history, retention, subject access). A whole-store op takes the Store first (or runs with
none, for the openers); a query or change op takes the Session the worker opened. Nothing
here touches a widget or opens a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sencodesk.store import Session, Store


def _writable_file(store: Store) -> bool:
    return store is not None and store.path is not None and not store.read_only


# --------------------------------------------------------------------------- routine


@dataclass(frozen=True)
class Routine:
    """What the routine (at open, hourly, at close) did: the backup made, if any, and the
    problems of the weekly full check, if it ran."""

    backup: Path | None = None
    checked: bool = False
    problems: tuple[str, ...] = ()
    good_backup: Path | None = None  # the newest backup that checks out, when problems
    wal_lost: bool = False  # the -wal was deleted while open (its changes were rescued)


def daily_backup(store: Store, now: dt.datetime) -> Path | None:
    """Today's backup if there is none yet (then rotate): at open and hourly while open."""
    from sencodesk.safety.backup import auto_backup

    return auto_backup(store, now=now) if _writable_file(store) else None


def routine(store: Store, now: dt.datetime) -> Routine:
    """The daily backup, then the weekly full integrity check when it is due."""
    if store is not None and not store.read_only:
        store.guard_wal()  # hourly too, not only after a save
    made = daily_backup(store, now)
    if store is None or store.read_only:
        return Routine(made)
    from sencodesk.safety import integrity

    lost = bool(getattr(store, "wal_lost", False))
    if not integrity.due_full_check(store, now):
        return Routine(made, wal_lost=lost)
    if store.path is None:  # a server: not from a login that reads only part of the school
        from sencodesk.server.session import whoami

        me = whoami(store)
        if me is not None and not me.sees_whole_school:
            return Routine(made, wal_lost=lost)  # its rows' links would look broken
    problems = tuple(integrity.run_full_check(store, now))
    good = None
    if problems and store.path is not None:
        from sencodesk.safety.backup import newest_good_backup

        good = newest_good_backup(store.path, key=store.cipher_key)
    return Routine(made, True, problems, good, wal_lost=lost)


def backup_at_close(store: Store, changed: bool, now: dt.datetime) -> Path | None:
    """At close: a fresh backup if anything changed since the last one (else today's, if
    there is none yet), then rotate (7 daily, 4 weekly)."""
    if not _writable_file(store):
        return None
    from sencodesk.safety.backup import backup_folder, backup_now, rotate

    if not changed:
        return daily_backup(store, now)
    made = backup_now(store, now=now)
    if store.path is not None:
        rotate(backup_folder(store.path), now=now, database=store.path)
    return made


# --------------------------------------------------------------------------- opening


def restore_file(_store: Store, db: Path, backup: Path, passphrase: str | None) -> Any:
    """Runs with no store open (the file would not open): restore the backup over ``db``; a
    damaged file is moved aside into the backups folder. Returns the safety copy made."""
    from sencodesk.safety.restore import restore

    return restore(Path(db), Path(backup), passphrase=passphrase)


@dataclass
class Encrypted:
    """Filled in by ``encrypt_file`` in the worker, read on the GUI thread after."""

    backup: Path | None = None
    old_copies: tuple[Path, ...] = ()


def encrypt_file(db: Path, passphrase: str, out: Encrypted) -> None:
    """Runs with the store closed: encrypt the file in place (checked before it replaces the
    original), then make a first encrypted backup. The window reopens it after."""
    from sencodesk.safety.backup import backup_now
    from sencodesk.safety.encryption import encrypt_existing

    from .worker import with_file_open

    result = encrypt_existing(Path(db), passphrase)
    out.old_copies = result.old_copies
    out.backup = with_file_open(db, backup_now, passphrase=passphrase)


def passphrase_opens(_store: Store, db: Path, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the (encrypted) file: checked before anything is closed."""
    from sencodesk.safety import sqlitefile
    from sencodesk.safety.errors import WrongPassphrase

    try:
        with sqlitefile.connected(Path(db), key=sqlitefile.key_bytes(passphrase), read_only=True):
            return True
    except WrongPassphrase:
        return False


def rekey_file(db: Path, old: str, new: str, out: Encrypted) -> None:
    """Runs with the store closed: re-encrypt the file under a new passphrase (checked before
    it replaces the original), then make a first backup under it."""
    from sencodesk.safety.backup import backup_now
    from sencodesk.safety.encryption import change_passphrase

    from .worker import with_file_open

    result = change_passphrase(Path(db), old, new)
    out.old_copies = result.old_copies
    out.backup = with_file_open(db, backup_now, passphrase=new)


def delete_plain_copies(store: Store, paths: list[Path]) -> int:
    """Delete unencrypted copies of an encrypted database (only files that are still plain
    SQLite, beside or under its folder)."""
    from sencodesk.safety import sqlitefile

    n = 0
    for p in paths:
        p = Path(p)
        if store.path is not None and p.resolve() == store.path.resolve():
            continue
        if sqlitefile.is_plain_sqlite(p):
            for f in (p, *sqlitefile.sidecars(p)):
                f.unlink(missing_ok=True)
            n += 1
    return n


# --------------------------------------------------------------------------- history


def history_rows(s: Session, table: str, row_id: int) -> list[Any]:
    from sencodesk.safety.history import history

    return history(s, table, row_id)


# --------------------------------------------------------------------------- retention


def retention_rows(s: Session, today: dt.date) -> list[Any]:
    from sencodesk.safety.retention import retention_review_list

    return retention_review_list(s, today)


def put_on_hold(s: Session, pupil_id: int, reason: str) -> None:
    from sencodesk.safety.retention import put_on_hold as hold

    hold(s, pupil_id, reason)


def release_hold(s: Session, pupil_id: int, reason: str) -> None:
    from sencodesk.safety.retention import release_hold as release

    release(s, pupil_id, reason)


@dataclass(frozen=True)
class Erased:
    """An erasure done: its audit entry, and the copies that still hold the pupil's data."""

    entry_id: int
    copies: tuple[Path, ...] = ()


def erase_pupil(s: Session, pupil_id: int, reason: str, confirm: str) -> int:
    """Erase (a write op); the audit entry's id. Then :func:`account_for_copies`."""
    from sencodesk.safety.retention import erase_pupil as erase

    return erase(s, pupil_id, reason, confirm_upn_or_name=confirm)


def account_for_copies(store: Store, entry_id: int) -> Erased:
    """After an erasure, account for every copy: unfinished copies (left by an interrupted
    backup or restore) are removed; the backups, which still hold the records, are listed."""
    if store.path is None or store.read_only:
        return Erased(entry_id)
    from sencodesk.safety.backup import clean_unfinished, copies_holding_data

    clean_unfinished(store.path)
    return Erased(entry_id, tuple(copies_holding_data(store.path)))


# --------------------------------------------------------------------------- subject access


def subject_access(store: Store, pupil_id: int, out_dir: Path, today: dt.date) -> Any:
    from sencodesk.safety.sar_pdf import write_subject_access

    return write_subject_access(store, str(pupil_id), Path(out_dir), today=today)
