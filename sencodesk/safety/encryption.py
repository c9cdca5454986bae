"""Encryption at rest with SQLCipher: create, convert, change the passphrase.

How the passphrase becomes a key, and why, is in ``sqlitefile``'s docstring: SQLCipher's own
PBKDF2 with the per-file salt in the file header, the passphrase given through ``set_key``
(never through SQL text). A conversion writes an encrypted copy beside the file with
``ATTACH ... KEY ?`` + ``sqlcipher_export``, checks it (integrity and equal row counts in
every table), and only then renames it over the original.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KnownError, ValidationError
from . import integrity, sqlitefile
from . import lock as locking
from .backup import backup_folder, clean_unfinished, list_backups, unfinished_copies
from .errors import NotADatabase
from .sqlitefile import is_encrypted

__all__ = [
    "is_encrypted",
    "encrypt_existing",
    "change_passphrase",
    "plaintext_copies",
    "EncryptResult",
]


@dataclass(frozen=True)
class EncryptResult:
    path: Path
    # Copies that still hold the data under the old protection (unencrypted copies after
    # encrypting; copies under the old passphrase after changing it). Never deleted for you.
    old_copies: tuple[Path, ...]


def check_new_passphrase(passphrase: str) -> bytes:
    """The key of a new passphrase, or a ValidationError naming what is wrong with it."""
    problem = sqlitefile.new_passphrase_problem(passphrase)
    if problem:
        raise ValidationError({"passphrase": problem})
    return sqlitefile.key_bytes(passphrase)


def encrypt_existing(path: Path, passphrase: str, *, user: str | None = None) -> EncryptResult:
    """Encrypt a plain SENCO Desk database in place (the app must not have it open)."""
    path = Path(path)
    key = check_new_passphrase(passphrase)
    sqlitefile.sqlcipher()
    if not path.exists():
        raise KnownError(f"There is no database at {path}.")
    if is_encrypted(path):
        raise KnownError(f"{path} is already encrypted.")
    if not sqlitefile.is_plain_sqlite(path):
        raise NotADatabase(f"{path} is not a SENCO Desk database (it is not an SQLite file).")
    with locking.locked(path, user=user):
        _require_sound(path, None)
        _checkpoint(path)
        _convert(path, None, key)
        clean_unfinished(path)  # what stays (cannot be removed) is listed below
    return EncryptResult(path, tuple(plaintext_copies(path)))


def change_passphrase(path: Path, old: str, new: str, *, user: str | None = None) -> EncryptResult:
    """Re-encrypt an encrypted database under a new passphrase (the app must not have it open).

    Backups made before keep the old passphrase; they are listed in the result.
    """
    path = Path(path)
    new_key = check_new_passphrase(new)
    old_key = sqlitefile.key_bytes(old)
    if not is_encrypted(path):
        raise KnownError(f"{path} is not encrypted; encrypt it first.")
    with locking.locked(path, user=user):
        _require_sound(path, old_key)
        _checkpoint(path, old_key)
        _convert(path, old_key, new_key)
        clean_unfinished(path)
    olds = [
        i.path for i in list_backups(backup_folder(path), database=path) if is_encrypted(i.path)
    ]
    olds += [p for p in unfinished_copies(path) if is_encrypted(p)]
    return EncryptResult(path, tuple(olds))


def plaintext_copies(path: Path) -> list[Path]:
    """Unencrypted copies of a database: its backups (in its backups folder, and old-style
    ones beside it) and any unfinished copy a killed backup or restore left behind."""
    path = Path(path)
    found = [
        i.path
        for i in list_backups(backup_folder(path), database=path)
        if sqlitefile.is_plain_sqlite(i.path)
    ]
    found += [p for p in unfinished_copies(path) if not is_encrypted(p)]
    found += sorted(
        p for p in path.parent.glob(f"{path.stem}.before-*") if sqlitefile.is_plain_sqlite(p)
    )
    return found


# --------------------------------------------------------------------------- the conversion


def _convert(path: Path, old_key: bytes | None, new_key: bytes) -> None:
    staged = path.with_name(path.name + ".encrypting")
    _remove(staged)
    try:
        with sqlitefile.connected(path, key=old_key, read_only=True) as conn:
            counts = sqlitefile.row_counts(conn)
        sqlitefile.export_copy(path, old_key, staged, new_key)
        with sqlitefile.connected(staged, key=new_key, read_only=True) as conn:
            problems = sqlitefile.integrity_problems(conn)
            copied = sqlitefile.row_counts(conn)
        if problems or copied != counts:
            differ = sorted(t for t in set(counts) | set(copied) if counts.get(t) != copied.get(t))
            raise KnownError(
                "The encrypted copy did not match the database, so nothing was "
                f"changed ({'; '.join(problems[:2]) or 'tables ' + ', '.join(differ)})."
            )
        sqlitefile.replace_atomically(staged, path)
        integrity.remember_encryption(path, True)  # damaged first bytes: told apart
        for side in sqlitefile.sidecars(path):  # the old file's, emptied by the checkpoint
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
    finally:
        _remove(staged)


def _require_sound(path: Path, key: bytes | None) -> None:
    result = integrity.check_sqlite_file(path, key=key, quick=True)
    if not result.ok:
        raise KnownError(f"{path} cannot be converted: {result.problems[0]} Nothing was changed.")


def _checkpoint(path: Path, key: bytes | None = None) -> None:
    """Move everything from the -wal into the file, so the copy and the file agree."""
    conn: Any = sqlitefile.connect(path, key=key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()  # a no-op if not WAL
    finally:
        conn.close()


def _remove(path: Path) -> None:
    for p in (path, *sqlitefile.sidecars(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
