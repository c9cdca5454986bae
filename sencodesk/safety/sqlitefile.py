"""SQLite files at the lowest level: what a file is, how to connect to it, and file hygiene.

Encryption key decision (SQLCipher):
    The passphrase goes to SQLCipher unchanged (Unicode NFC, UTF-8 bytes) through
    ``Connection.set_key()`` (``sqlite3_key``), never through SQL text, so quoting cannot matter.
    SQLCipher derives the page key itself with PBKDF2-HMAC-SHA512 (256,000 iterations in
    SQLCipher 4) and a random 16-byte salt that it keeps in the first bytes of the file.
    We do not derive our own raw key (argon2/scrypt with a salt in a sidecar file): a lost or
    mismatched sidecar would make the database and every backup of it unreadable, the worst
    failure for data that must never be lost; with SQLCipher's own derivation each file (and
    each backup) carries its salt, and the data can still be opened with the passphrase alone
    by standard SQLCipher tools (e.g. DB Browser for SQLCipher) if this app is ever gone.
    Passphrases that SQLCipher would read as a raw hex key (``x'...'``) are refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import PASSPHRASE_ENV  # noqa: F401 - re-exported: defined there for the command line
from .errors import EncryptionUnavailable, WrongPassphrase

SQLITE_MAGIC = b"SQLite format 3\x00"
MIN_PAGE = 512
MIN_NEW_PASSPHRASE = 10
# zxcvbn's score (0-4, its estimate of the guesses needed): 3 is "safely unguessable:
# moderate protection from an offline attack" (about 10^10 guesses), what a stolen file faces.
MIN_STRENGTH = 3

_session_passphrase: str | None = None


# --------------------------------------------------------------------------- what a file is


def header(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(16)
    except OSError:
        return b""


def is_plain_sqlite(path: Path) -> bool:
    return header(path) == SQLITE_MAGIC


def is_encrypted(path: str | Path) -> bool:
    """True if the file looks like an SQLCipher database.

    A plain SQLite file starts with "SQLite format 3\\0"; an SQLCipher file starts with its
    random salt and is indistinguishable from random bytes. We call a file encrypted when it
    is not plain SQLite and its size is a whole number of (at least 512-byte) pages, so a
    text file or a truncated download is reported as "not a database" instead.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        return False
    if not p.is_file() or size < MIN_PAGE or size % MIN_PAGE:
        return False
    return header(p) != SQLITE_MAGIC


# --------------------------------------------------------------------------- passphrases


def key_bytes(passphrase: str) -> bytes:
    """The bytes given to SQLCipher for a passphrase (NFC so that "ë" typed either way matches)."""
    if not isinstance(passphrase, str) or passphrase == "":
        raise WrongPassphrase()
    text = unicodedata.normalize("NFC", passphrase)
    if re.fullmatch(r"[xX]'[0-9A-Fa-f]*'", text):
        raise WrongPassphrase()  # never set by this app: SQLCipher would take it as a raw key
    return text.encode("utf-8")


def new_passphrase_problem(passphrase: str) -> str | None:
    """Why a passphrase cannot be used for a new encryption (None if it can)."""
    if len(passphrase) < MIN_NEW_PASSPHRASE:
        return f"The passphrase must be at least {MIN_NEW_PASSPHRASE} characters long."
    if any(unicodedata.category(ch) == "Cc" for ch in passphrase):
        return "The passphrase cannot contain control characters."
    if re.fullmatch(r"[xX]'[0-9A-Fa-f]*'", passphrase):
        return "The passphrase cannot look like a raw hex key (x'...')."
    return weak_passphrase(passphrase)


def weak_passphrase(passphrase: str) -> str | None:
    """Why a passphrase is too easy to guess (zxcvbn's score below ``MIN_STRENGTH``: repeats,
    sequences, keyboard runs, common passwords, words with obvious substitutions), else None."""
    from zxcvbn import zxcvbn

    # zxcvbn's work grows with the length; past 100 characters the rest cannot weaken it.
    result = zxcvbn(passphrase[:100])
    if result["score"] >= MIN_STRENGTH:
        return None
    warning = str(result["feedback"].get("warning") or "").strip()
    why = f" ({warning.rstrip('.')})" if warning else ""
    return (
        f"The passphrase is too easy to guess{why}. Use three or four unrelated words, "
        'e.g. "kettle orbit violet harbour", or a longer phrase.'
    )


def set_session_passphrase(passphrase: str | None) -> None:
    """The passphrase this process uses for encrypted files when none is passed (CLI option)."""
    global _session_passphrase
    _session_passphrase = passphrase


def default_passphrase() -> str | None:
    """The passphrase given for this run: ``--passphrase-file`` or $SENCODESK_PASSPHRASE."""
    return _session_passphrase or os.environ.get(PASSPHRASE_ENV) or None


def sqlcipher() -> Any:
    try:
        import sqlcipher3
    except ImportError as exc:
        raise EncryptionUnavailable() from exc
    return sqlcipher3


# --------------------------------------------------------------------------- connections


def connect(
    path: Path,
    *,
    key: bytes | None = None,
    read_only: bool = False,
    timeout: float = 10.0,
    cipher: bool = False,
) -> Any:
    """A DB-API connection to an SQLite file (SQLCipher when ``key`` is given).

    Read-only connections use the ``mode=ro`` URI and ``PRAGMA query_only``. ``cipher`` opens a
    plain file through SQLCipher's driver (for ``sqlcipher_export``). The journal mode and
    other settings of the app are not applied here (see ``store``).
    """
    module: Any = sqlcipher() if key is not None or cipher else sqlite3
    if not read_only:
        private_file(Path(path))  # SQLite gives its -wal, -shm and -journal the same mode
    if read_only:
        target = Path(path).resolve().as_uri() + "?mode=ro"
        conn = module.connect(target, uri=True, timeout=timeout, check_same_thread=False)
    else:
        conn = module.connect(str(path), timeout=timeout, check_same_thread=False)
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.set_key(key)
        # Sorts and temporary indexes stay in memory: no plaintext in the temp folder.
        conn.execute("PRAGMA temp_store = MEMORY")
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        if key is not None:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except module.DatabaseError as exc:
                raise WrongPassphrase(Path(path)) from exc
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def connected(path: Path, *, key: bytes | None = None, read_only: bool = False) -> Iterator[Any]:
    conn = connect(path, key=key, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()


def integrity_problems(conn: Any, *, quick: bool = False, limit: int = 50) -> list[str]:
    """SQLite's own check of a connection's main database, as messages ([] = ok)."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = conn.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
    messages = [line.strip() for r in rows for line in str(r[0]).splitlines()]
    messages = [m for m in messages if m and not m.startswith("*** in database")]
    return [] if messages == ["ok"] else messages[:limit]


def sqlite_tables(conn: Any) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]


def row_counts(conn: Any) -> dict[str, int]:
    return {
        t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sqlite_tables(conn)
    }


def schema_revision(conn: Any) -> str | None:
    """The Alembic revision recorded in the file, or None if it has none."""
    if "alembic_version" not in sqlite_tables(conn):
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------- file hygiene


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open a folder and does not need it)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(src: Path, dst: Path) -> None:
    """Rename ``src`` over ``dst`` (same folder) durably: data first, then the folder entry."""
    fsync_file(src)
    os.replace(src, dst)
    fsync_dir(dst.parent)


def sidecars(path: Path) -> list[Path]:
    """The -wal and -shm files SQLite keeps beside a database in WAL mode."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def export_copy(src: Path, src_key: bytes | None, dst: Path, dst_key: bytes | None) -> None:
    """Write ``src`` into a new file ``dst`` under ``dst_key`` with ``sqlcipher_export``."""
    conn = connect(src, key=src_key, cipher=True)  # query_only would stop ATTACH
    try:
        conn.execute("ATTACH DATABASE ? AS target KEY ?", (str(dst), dst_key or b""))
        conn.execute("SELECT sqlcipher_export('target')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA target.user_version = {int(version)}")
        conn.execute("DETACH DATABASE target")
    finally:
        conn.close()


# --------------------------------------------------------------------------- privacy (POSIX)

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only (0600) if it does not exist yet;
    tighten it to 0600 if it does. On Windows the user profile's ACLs protect it instead."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        tighten(path)
    except OSError:
        return  # the folder cannot be written: SQLite says so in its own words
    else:
        os.close(fd)


def tighten(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Take away group and other access from a file or folder of ours (POSIX)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        st = os.stat(path)
        if st.st_mode & 0o077 and st.st_uid == os.geteuid():
            os.chmod(path, mode)


def private_folder(folder: Path, *, ours: bool = True) -> None:
    """Make a folder (and any missing parents) that only its owner can enter (0700).

    ``ours``: the folder is the app's own (the backups folder), so an existing one is
    tightened too; otherwise only the folders created here are made private.
    """
    folder = Path(folder)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for p in missing if not ours else [*missing, folder]:
        tighten(p, PRIVATE_FOLDER)
