"""Opening a database: where it lives, its connection settings, and its schema migrations.

SQLite is the embedded default (a file in the user data folder); any SQLAlchemy URL works,
and ``postgresql+psycopg://`` is the supported server for a trust that shares one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from . import audit
from .errors import DatabaseError, KnownError
from .safety import location, sqlitefile
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

log = logging.getLogger(__name__)

APP_NAME = "SENCO Desk"
ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "db"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "sencodesk.db"


def resolve_url(db: str | Path | None) -> str:
    """A path or URL as given on the command line -> an SQLAlchemy URL."""
    if db is None:
        db = default_db_path()
    s = str(db)
    if "://" in s:
        _check_url(s)
        return s
    return "sqlite:///" + str(Path(s).expanduser().resolve())


def _check_url(url: str) -> None:
    """A URL SQLAlchemy can use (its dialect known, its port a number), else DatabaseError."""
    from sqlalchemy.exc import ArgumentError

    try:
        u = make_url(url)
        u.get_dialect()
    except (ArgumentError, ValueError) as exc:
        scheme = url.split("://", 1)[0]
        raise DatabaseError(
            f"{scheme}://… is not a database address SENCO Desk can use ({_first_line(exc)}); "
            "give a database file or a URL such as postgresql+psycopg://user@server/sencodesk."
        ) from None


def _first_line(exc: BaseException) -> str:
    """The driver's own message, first line only (no SQL, no "Background on this error")."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


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
    user: str = field(default_factory=audit.default_user)
    read_only: bool = False
    encrypted: bool = False
    locked_by: LockInfo | None = None
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

    def connect_raw(self, *, read_only: bool = True) -> Any:
        """A new DB-API connection to the SQLite file, outside the pool (backups, checks)."""
        if self.path is None:
            raise DatabaseError("This is not an SQLite file database.")
        return sqlitefile.connect(self.path, key=self._key, read_only=read_only or self.read_only)

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
        store = Store(url, engine) if user is None else Store(url, engine, user=user)
        try:
            if migrate:
                upgrade(store)
                _archive_due_leavers_if_allowed(store)
        except Exception:
            engine.dispose()
            raise
        return store
    return _open_sqlite_file(
        url,
        Path(u.database),
        create=create,
        migrate=migrate,
        user=user or audit.default_user(),
        read_only=read_only,
        passphrase=passphrase or None,
        allow_network=allow_network,
        lock=lock,
        check=check,
    )


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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file in the way, or a folder that cannot be written
            blocker = next((p for p in path.parents if p.exists()), None)
            why = (
                f"{blocker} is a file, not a folder"
                if blocker is not None and not blocker.is_dir()
                else (exc.strerror or str(exc)).lower()
            )
            raise DatabaseError(f"Cannot create a database at {path}: {why}.") from None
        encrypted = passphrase is not None  # a new file is encrypted if a passphrase is given
    elif sqlitefile.is_plain_sqlite(path):
        encrypted = False
        if passphrase is not None:
            log.warning("%s is not encrypted; the passphrase given was not needed", path)
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
    try:
        if path.exists() and path.stat().st_size > 0:
            _precheck(path, key, quick=check)
        engine = make_engine(url, read_only=read_only, key=key)
        store = Store(
            url, engine, user=user, read_only=read_only, encrypted=encrypted, _key=key, _lock=held
        )
        if read_only:
            _check_readable_version(store)
        elif migrate:
            upgrade(store)
            _archive_due_leavers(store)
    except BaseException:
        if engine is not None:
            engine.dispose()
        if held is not None:
            held.release()
        raise
    return store


def _precheck(path: Path, key: bytes | None, *, quick: bool) -> None:
    """Before anything can change the file (even its journal mode): the passphrase, SQLite's
    quick check, and the schema version, on a read-only connection."""
    problems: list[str] = []
    try:
        with sqlitefile.connected(path, key=key, read_only=True) as conn:
            if quick:
                problems = sqlitefile.integrity_problems(conn, quick=True, limit=20)
            if not problems:
                revision = sqlitefile.schema_revision(conn)
                foreign = revision is None and bool(sqlitefile.sqlite_tables(conn))
    except KnownError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways
        problems = [str(exc) or type(exc).__name__]
    if problems:
        from .safety.backup import newest_good_backup

        raise DatabaseDamaged(path, problems, newest_good_backup(path, key=key))
    if foreign:
        raise NotADatabase(
            "This database holds tables that are not SENCO Desk's; nothing was changed."
        )
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(_NEWER.format(current=revision))


def _check_readable_version(store: Store) -> None:
    try:
        current = current_revision(store.engine)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file
        raise DatabaseError(f"Cannot read the database: {_first_line(exc)}") from exc
    if current == head_revision():
        return
    if current is not None and current not in known_revisions():
        raise DatabaseError(_NEWER.format(current=current))
    raise DatabaseError(
        "This database must be upgraded before this version of SENCO Desk can "
        "read it, and that cannot be done while it is open read-only."
    )


_NEWER = (
    "This database was made by a newer version of SENCO Desk (schema {current}). "
    "Install the newer version to open it; nothing was changed."
)


# --------------------------------------------------------------------------- migrations


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]+)?=\s*(.+?)\s*$", re.M)


def _revision_graph() -> dict[str, tuple[str, ...]] | None:
    """Revision -> the revisions it follows, read from the migration files' ``revision`` and
    ``down_revision`` lines. Importing Alembic takes about 0.15 s, and every open (the GUI's
    first paint waits for it) asks only whether the file is at head; None if a file does not
    say plainly (then Alembic itself is asked)."""
    import ast

    graph: dict[str, tuple[str, ...]] = {}
    for f in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = dict(m.groups() for m in _REVISION_LINE.finditer(f.read_text(encoding="utf-8")))
        try:
            rev = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(rev, str):
            return None
        graph[rev] = tuple(down) if isinstance(down, tuple | list) else (down,) if down else ()
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    if graph is not None:
        heads = set(graph) - {d for downs in graph.values() for d in downs}
        if len(heads) == 1:
            return heads.pop()
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def known_revisions() -> set[str]:
    graph = _revision_graph()
    if graph is not None:
        return set(graph)
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def _archive_due_leavers(store: Store) -> None:
    """Pupils whose leaving date (entered ahead) has come leave the roll as the database is
    opened for changes: audited, by the person opening it."""
    from sqlalchemy import Boolean, Date, bindparam, text

    # A plain query first: nearly always nobody is due, and the ORM's first use costs time
    # at start-up that the first page would otherwise not wait for.
    probe = text(
        "SELECT 1 FROM pupil WHERE archived = :no AND leaving_date IS NOT NULL "
        "AND leaving_date <= :today LIMIT 1"
    ).bindparams(bindparam("no", type_=Boolean), bindparam("today", type_=Date))
    today = dt.date.today()
    with store.engine.connect() as conn:
        if conn.execute(probe, {"no": False, "today": today}).first() is None:
            return
    from .commands import archive_due_leavers

    with store.session(reason="Left on their leaving date") as s:
        archive_due_leavers(s, today)


def _refused(exc: BaseException) -> bool:
    """The server refused a statement for want of a privilege (a role-limited login)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501"


def _archive_due_leavers_if_allowed(store: Store) -> None:
    """On a shared server only a login that may change pupils (a SENCO) archives leavers;
    anyone else opening it leaves them for the SENCO's next opening."""
    from sqlalchemy.exc import DBAPIError

    try:
        _archive_due_leavers(store)
    except DBAPIError as exc:
        if not _refused(exc):
            raise
        log.info("Leavers not archived: this login may not change pupils")


def upgrade(store: Store) -> bool:
    """Bring the schema to this version's head. Returns True if anything ran.

    Refuses a database made by a newer version; backs up an SQLite file before changing it.
    """
    try:
        current = current_revision(store.engine)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file
        raise DatabaseError(f"Cannot read the database: {_first_line(exc)}") from exc
    head = head_revision()
    if current == head:
        return False
    if current is not None and current not in known_revisions():
        raise DatabaseError(_NEWER.format(current=current))
    if current is None:
        with store.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names()) - {"sqlite_sequence"}
        if tables:
            raise DatabaseError(
                "This database holds tables that are not SENCO Desk's; nothing was changed."
            )
    elif store.path is not None:
        from .safety.backup import backup_now

        backup = backup_now(store, kind="before-upgrade")
        log.info("Backed up %s (schema %s) to %s before upgrading", store.path, current, backup)
    from alembic import command  # only now: importing it takes ~0.15 s
    from sqlalchemy.exc import DBAPIError

    with store.engine.begin() as conn:
        if store.is_sqlite:
            # Off before BEGIN: a batch table rebuild with it on cascades deletes.
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        try:
            command.upgrade(_alembic_config(conn), "head")
        except DBAPIError as exc:
            if not _refused(exc):
                raise
            raise DatabaseError(
                "This server's database is from an older version of SENCO Desk, and only "
                "its owner may upgrade it: ask them to run "
                "python main.py server init --url … (nothing was changed)."
            ) from None
        if store.is_sqlite:
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatabaseError(f"Migration left broken links: {problems[:5]}")
    if store.is_sqlite:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")
    # Connections in the pool may have FK off; start fresh.
    store.engine.dispose()
    return True


def backup_sqlite(engine: Engine, target: Path, *, key: bytes | None = None) -> None:
    """Copy a live SQLite database with SQLite's online backup API (never a file copy).

    ``key``: the SQLCipher key of an encrypted source; the copy is encrypted with it (SQLCipher
    refuses to back up into an unkeyed file, so an encrypted database never lands in plain).
    ``safety.backup.backup_now`` adds the integrity check, naming and rotation.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        src = raw.driver_connection
        dst = sqlitefile.connect(target, key=key)
        try:
            src.backup(dst)  # type: ignore[union-attr]
        finally:
            dst.close()
    finally:
        raw.close()
