"""Opening a database: where it lives, its connection settings and the checks at opening;
its schema migrations are ``migrate.py`` (``upgrade`` is found here too).

SQLite is the embedded default (a file in the user data folder); any SQLAlchemy URL works,
and ``postgresql+psycopg://`` is the supported server for a trust that shares one.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from . import audit
from .errors import DatabaseError, KnownError
from .migrate import NEWER, archive_due_leavers_if_allowed, archive_leavers_at_open, upgrade
from .places import _first_line, default_db_path, resolve_url
from .safety import PASSPHRASE_ENV, location, opening, sqlitefile
from .safety import lock as locking
from .safety.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    LockInfo,
    NetworkShareRefused,
    NotADatabase,
    PassphraseRequired,
    ReadOnlyStore,
)
from .schema import current_revision, head_revision, known_revisions

log = logging.getLogger(__name__)


class AuditedSession(Session):
    """Our session class: the audit listeners are attached to it once."""


audit.install(AuditedSession)


def _app_pragmas(dbapi_conn: Any, *, read_only: bool = False) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 10000")
    cur.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode and str(mode[0]).lower() != "wal":
            log.warning("SQLite journal mode is %s, not WAL", mode[0])
        # FULL: a committed transaction survives a power cut, not just a crash of the app.
        cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    _app_pragmas(dbapi_conn)


@dataclass
class Store:
    """An open database: the engine and a session factory whose writes are audited.

    ``read_only`` stores (opened while another SENCO Desk had the file) refuse ``session()``;
    ``locked_by`` then says who has it. ``encrypted`` is True for an SQLCipher file.
    """

    url: str
    engine: Engine
    user: str = field(default_factory=audit.os_account)
    read_only: bool = False
    encrypted: bool = False
    locked_by: LockInfo | None = None
    # Copies left by an interrupted backup, restore or encryption that could not be removed
    # at opening (see ``safety.backup.clean_unfinished``): told to the user, never silent.
    unfinished: tuple[Path, ...] = ()
    wal_lost: bool = False  # the -wal was deleted while open (see ``guard_wal``)
    _key: bytes | None = field(default=None, repr=False)
    _lock: locking.DbLock | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, class_=AuditedSession, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    @property
    def cipher_key(self) -> bytes | None:
        """The SQLCipher key bytes of an encrypted file (for backups), else None."""
        return self._key

    @contextlib.contextmanager
    def session(self, *, reason: str = "") -> Iterator[Session]:
        """A session for one operation: committed on success, rolled back on any error."""
        if self.read_only:
            raise ReadOnlyStore()
        with self._factory() as s:
            s.info["user"] = self.user
            if reason:
                s.info["audit_reason"] = reason
            with s.begin():
                yield s
        self.guard_wal()

    def guard_wal(self) -> None:
        """After a commit: if the file's ``-wal`` has gone while it is open (deleted by hand or
        by a cleaning tool; Windows refuses, POSIX allows it), the commits not yet copied into
        the database live only in the deleted file, which this process still holds open, and
        a crash would lose them. Copy them into the database now (a checkpoint), and say so.
        Cost: one ``stat`` per commit."""
        path = self.path
        if path is None or self.read_only or path.with_name(path.name + "-wal").exists():
            return
        with self.engine.connect() as conn:
            if str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() != "wal":
                return
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        if not self.wal_lost:
            log.warning(
                "The file %s-wal was deleted while the database was open; the changes it "
                "held were copied into the database. Never delete the -wal or -shm files.",
                path.name,
            )
        self.wal_lost = True

    def read(self) -> Session:
        """A session for reads only (use as a context manager)."""
        s = self._factory()
        s.info["user"] = self.user
        return s

    def close(self) -> None:
        self.engine.dispose()
        lk, self._lock = self._lock, None
        if lk is not None:
            lk.release()


def make_engine(url: str, *, read_only: bool = False, key: bytes | None = None) -> Engine:
    """An engine for a URL. SQLite files connect through ``sqlitefile.connect`` (which keys
    SQLCipher files without putting the passphrase into SQL) and get the app's pragmas."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if not u.database or u.database == ":memory:":
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    path = Path(u.database)

    def creator() -> Any:
        conn = sqlitefile.connect(path, key=key, read_only=read_only)
        try:
            _app_pragmas(conn, read_only=read_only)
        except BaseException:
            conn.close()
            raise
        return conn

    options: dict[str, Any] = {"creator": creator}
    if key is not None:  # SQLAlchemy maps the driver's exceptions through this module
        options["module"] = sqlitefile.sqlcipher()
    return create_engine(f"sqlite:///{path}", **options)


def open_store(
    db: str | Path | None = None,
    *,
    create: bool = True,
    migrate: bool = True,
    user: str | None = None,
    read_only: bool = False,
    passphrase: str | None = None,
    allow_network: bool = False,
    lock: bool = True,
    check: bool = True,
) -> Store:
    """Open (and, if allowed, create and migrate) the database at a path or URL.

    For an SQLite file: refuses a network share unless ``allow_network``; takes the writer's
    lock unless ``read_only`` or ``lock=False`` (``DatabaseLocked`` if another app has it);
    opens an encrypted file with ``passphrase`` (else ``--passphrase-file`` or
    $SENCODESK_PASSPHRASE; ``PassphraseRequired``/``WrongPassphrase``); creates a new file
    encrypted when a passphrase is given; runs ``PRAGMA quick_check`` (``DatabaseDamaged``,
    naming the newest good backup); backs up before migrating.
    """
    share = location.unc_share(str(db)) if db is not None and "://" not in str(db) else None
    if share and not allow_network:  # before the path is resolved (which loses the //)
        raise NetworkShareRefused(Path(str(db)), f"on the network share {share}")
    url = resolve_url(db)
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        if read_only:
            raise DatabaseError("Read-only opening is only for SQLite files.")
        try:
            engine = make_engine(url)
        except ImportError as exc:  # the URL names a driver that is not installed
            raise DatabaseError(
                f"Cannot open {u.render_as_string(hide_password=True)}: its database driver "
                f"is not installed ({exc.name or exc})."
            ) from None
        store = Store(url, engine, user=user or "")
        try:
            if migrate:
                upgrade(store)  # first: it names a server that cannot be reached in words
            store.user = user or audit.who(engine)  # the database login
            if migrate:
                archive_due_leavers_if_allowed(store)
        except Exception:
            engine.dispose()
            raise
        return store
    return _open_sqlite_file(
        url,
        Path(u.database),
        create=create,
        migrate=migrate,
        user=user or audit.who(),
        read_only=read_only,
        passphrase=passphrase or None,
        allow_network=allow_network,
        lock=lock,
        check=check,
    )


def create_encrypted(path: Path, passphrase: str, *, user: str | None = None) -> None:
    """Create a new, empty SENCO Desk database encrypted with ``passphrase``."""
    from .safety.encryption import check_new_passphrase

    path = Path(path)
    check_new_passphrase(passphrase)
    sqlitefile.sqlcipher()
    if path.exists() and path.stat().st_size > 0:
        raise KnownError(f"{path} already exists; it was not changed.")
    open_store(path, passphrase=passphrase, user=user).close()


def open_for_reading(db: str | Path | None = None, **options: Any) -> Store:
    """Open for writing if nobody else has the file, else read-only (``store.locked_by``).

    For read commands (check, alerts, exports) and the GUI's read-only banner.
    """
    try:
        return open_store(db, **options)
    except DatabaseLocked as exc:
        store = open_store(db, **{**options, "read_only": True})
        store.locked_by = exc.info
        return store


def _open_sqlite_file(
    url: str,
    path: Path,
    *,
    create: bool,
    migrate: bool,
    user: str,
    read_only: bool,
    passphrase: str | None,
    allow_network: bool,
    lock: bool,
    check: bool,
) -> Store:
    reason = location.network_share_reason(path)
    if reason:
        if not allow_network:
            raise NetworkShareRefused(path, reason)
        log.warning(
            "!!! The SQLite database %s is %s: SQLite files on network shares lose "
            "data when two computers use them or the network drops. Use PostgreSQL "
            "for shared use. !!!",
            path,
            reason,
        )
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file.")
    if not path.exists() or path.stat().st_size == 0:
        if not path.exists() and (read_only or not create):
            raise DatabaseError(f"There is no database at {path}.")
        if read_only:
            raise DatabaseError(f"{path} is empty: it is not a SENCO Desk database.")
        try:  # a folder made here is private (0700 on POSIX); the user's own are left
            sqlitefile.private_folder(path.parent, ours=path.parent == default_db_path().parent)
        except OSError as exc:  # a file in the way, or a folder that cannot be written
            blocker = next((p for p in path.parents if p.exists()), None)
            why = (
                f"{blocker} is a file, not a folder"
                if blocker is not None and not blocker.is_dir()
                else (exc.strerror or str(exc)).lower()
            )
            raise DatabaseError(f"Cannot create a database at {path}: {why}.") from None
        if passphrase is None:  # --passphrase-file or $SENCODESK_PASSPHRASE for this run
            passphrase = sqlitefile.default_passphrase()
            problem = sqlitefile.new_passphrase_problem(passphrase) if passphrase else None
            if problem:
                raise DatabaseError(
                    f"{path} was not created: a passphrase is given for this run "
                    f"(--passphrase-file or {PASSPHRASE_ENV}), so a new database would be "
                    f"encrypted with it, but it cannot be used: {problem}"
                )
        encrypted = passphrase is not None  # a new file is encrypted if a passphrase is given
    elif sqlitefile.is_plain_sqlite(path):
        encrypted = False
        if passphrase is not None:
            log.warning("%s is not encrypted; the passphrase given was not needed", path)
    elif (broken := opening.damaged_header_of(path)) is not None:
        from .safety.backup import newest_good_backup

        raise DatabaseDamaged(path, [broken], newest_good_backup(path))
    elif sqlitefile.is_encrypted(path):
        encrypted = True
        passphrase = passphrase or sqlitefile.default_passphrase()
        if passphrase is None:
            raise PassphraseRequired(path)
    else:
        raise NotADatabase(f"{path} is not a SENCO Desk database (it is not an SQLite file).")
    key = sqlitefile.key_bytes(passphrase) if encrypted and passphrase else None
    held = locking.acquire(path, user=user) if lock and not read_only else None
    engine: Engine | None = None
    unfinished: list[Path] = []
    try:
        if held is not None:  # the writer tidies: nobody else is restoring or encrypting
            from .safety.backup import clean_unfinished

            unfinished = clean_unfinished(path)
            for p in (path, *sqlitefile.sidecars(path)):
                sqlitefile.tighten(p)
        if path.exists() and path.stat().st_size > 0:
            full = check and held is not None and opening.first_write_today(path)
            opening.precheck(path, key, quick=check, full=full)
            if held is not None:
                opening.record_opening(path, encrypted=encrypted, full=full)
        engine = make_engine(url, read_only=read_only, key=key)
        store = Store(
            url,
            engine,
            user=user,
            read_only=read_only,
            encrypted=encrypted,
            unfinished=tuple(unfinished),
            _key=key,
            _lock=held,
        )
        if read_only:
            _check_readable_version(store)
        elif migrate:
            upgrade(store)
            archive_leavers_at_open(store)
    except BaseException:
        if engine is not None:
            engine.dispose()
        if held is not None:
            held.release()
        raise
    return store


def _check_readable_version(store: Store) -> None:
    try:
        current = current_revision(store.engine)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file
        raise DatabaseError(f"Cannot read the database: {_first_line(exc)}") from exc
    if current == head_revision():
        return
    if current is not None and current not in known_revisions():
        raise DatabaseError(NEWER.format(current=current))
    raise DatabaseError(
        "This database must be upgraded before this version of SENCO Desk can "
        "read it, and that cannot be done while it is open read-only."
    )
