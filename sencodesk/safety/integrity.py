"""Is the database sound? A quick check at every open, a full check weekly and on demand.

Every function here reports problems as sentences for people and never raises on a bad file:
a missing, empty, truncated, foreign or garbage file is a problem message, not a traceback.
The time of the last full check lives in a JSON sidecar ``<db>.state.json`` (no schema change;
``sidecar.py`` reads and writes it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, exists, func, inspect, select, text
from sqlalchemy.engine import make_url

from ..model import Base
from . import sqlitefile
from .errors import WrongPassphrase
from .sidecar import (  # noqa: F401 - callers find them here too
    read_state,
    read_state_file,
    remember_encryption,
    state_path,
    write_state,
    write_state_file,
)

FULL_CHECK_EVERY = dt.timedelta(days=7)


@dataclass(frozen=True)
class CheckResult:
    """``problems`` = damage or broken links; ``unusable`` = the file could not be checked as a
    SENCO Desk database at all (missing, not a database, encrypted without the passphrase)."""

    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    unusable: bool = False
    revision: str | None = None
    newer: bool = field(default=False)
    #: rows that break the editors' rules (``checks.database_problems``): wrong data, not
    #: damage; only looked for when asked (``rules=True``)
    rule_problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unusable and not self.rule_problems


def _unusable(message: str) -> CheckResult:
    return CheckResult(problems=(message,), unusable=True)


# --------------------------------------------------------------------------- at open


def quick_check(store: Any) -> list[str]:
    """``PRAGMA quick_check`` of an open SQLite store ([] = ok; [] for a server database)."""
    if not store.is_sqlite or store.path is None:
        return []
    try:
        with store.engine.connect() as conn:
            return sqlitefile.integrity_problems(
                conn.connection.driver_connection, quick=True, limit=20
            )
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways
        return [_db_error_text(exc)]


# --------------------------------------------------------------------------- a broken header


def damaged_header(path: Path) -> str | None:
    """Why a file whose first bytes are not SQLite's is a damaged plain database rather than
    an encrypted one (None when it may well be encrypted, or is plain and whole).

    An SQLCipher file and a plain file whose first 16 bytes are damaged look alike: neither
    starts with "SQLite format 3". Evidence that it is damaged, not encrypted:
    - the rest of SQLite's 100-byte header is still there (bytes 18-23: the format
      versions and the fixed payload fractions 64, 32, 32; an encrypted file has random
      bytes there: a chance of one in 2^26 of matching);
    - the app recorded at its last opening that the file was not encrypted
      (``<db>.state.json``);
    - or, with nothing recorded, the newest backup beside it is a plain SQLite file (an
      encryption always makes an encrypted backup at once).
    """
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError:
        return None
    if head[:16] == sqlitefile.SQLITE_MAGIC or len(head) < 100:
        return None
    if head[18] in (1, 2) and head[19] in (1, 2) and head[21:24] == b"\x40\x20\x20":
        return "its first bytes (the SQLite header) are damaged"
    recorded = read_state_file(path).get("encrypted")
    if recorded is False:
        return "its first bytes are damaged (it was not encrypted when last opened)"
    if recorded is None:
        from .names import backup_folder, list_backups

        newest = [
            i
            for i in list_backups(backup_folder(path), database=path)
            if i.kind != "damaged" and i.size > 0
        ]
        if newest and sqlitefile.is_plain_sqlite(newest[0].path):
            return "its first bytes are damaged (its backups are not encrypted, so it is not)"
    return None


# --------------------------------------------------------------------------- full check


def full_check(db: Any = None, *, passphrase: str | None = None) -> list[str]:
    """Every problem found in a database (a path, URL, or open ``Store``); [] means sound.

    SQLite: ``PRAGMA integrity_check``, ``PRAGMA foreign_key_check``, the schema version and
    tables. PostgreSQL: the schema version, tables, and rows whose parent row is missing.
    """
    return list(check_database(db, passphrase=passphrase).problems)


def check_database(
    db: Any = None, *, passphrase: str | None = None, rules: bool = False
) -> CheckResult:
    """With ``rules``, also every row against the editors' rules (``rule_problems``)."""
    from ..places import resolve_url

    try:
        if db is not None and not isinstance(db, str | Path):  # an open Store
            if db.path is None:
                return check_server(db.url, rules=rules)
            return check_sqlite_file(db.path, key=db.cipher_key, rules=rules)
        if db is not None and str(db).strip() == "":
            return _unusable("No database was given (the path is empty).")
        url = make_url(resolve_url(db))
        if url.get_backend_name() != "sqlite":
            return check_server(url.render_as_string(hide_password=False), rules=rules)
        if not url.database or url.database == ":memory:":
            return _unusable("An in-memory database cannot be checked.")
        path = Path(url.database)
        key = None
        if sqlitefile.is_encrypted(path) and damaged_header(path) is None:
            phrase = passphrase or sqlitefile.default_passphrase()
            if not phrase:
                return _unusable(f"{path} is encrypted: give its passphrase to check it.")
            key = sqlitefile.key_bytes(phrase)
        return check_sqlite_file(path, key=key, rules=rules)
    except WrongPassphrase as exc:
        return _unusable(str(exc))
    except Exception as exc:  # noqa: BLE001 - a check must report, never crash
        return _unusable(f"The database could not be checked: {exc}")


def check_sqlite_file(
    path: Path, *, key: bytes | None = None, quick: bool = False, rules: bool = False
) -> CheckResult:
    """Check one SQLite file, opened read-only (safe while the app has it open)."""
    from ..schema import head_revision, known_revisions

    path = Path(path)
    if not path.exists():
        return _unusable(f"There is no database file at {path}.")
    if path.is_dir():
        return _unusable(f"{path} is a folder, not a database file.")
    if path.stat().st_size == 0:
        return _unusable(f"{path} is empty (0 bytes): it is not a SENCO Desk database.")
    if not sqlitefile.is_plain_sqlite(path):
        broken = damaged_header(path)
        if broken is not None:
            return CheckResult(problems=(f"{path} is damaged: {broken}.",))
        if not sqlitefile.is_encrypted(path):
            return _unusable(f"{path} is not a database (it is not an SQLite file).")
        if key is None:
            return _unusable(f"{path} is encrypted: give its passphrase to check it.")
    try:
        conn = sqlitefile.connect(path, key=key, read_only=True)
    except WrongPassphrase as exc:
        return _unusable(str(exc))
    except Exception as exc:  # noqa: BLE001
        return _unusable(f"{path} cannot be opened: {_db_error_text(exc)}")
    problems: list[str] = []
    notes: list[str] = []
    try:
        try:
            problems += sqlitefile.integrity_problems(conn, quick=quick)
            if not quick:
                problems += _foreign_key_problems(conn)
            revision = sqlitefile.schema_revision(conn)
            tables = set(sqlitefile.sqlite_tables(conn))
        except Exception as exc:  # noqa: BLE001
            return CheckResult(problems=(*problems, f"The file is damaged: {_db_error_text(exc)}"))
        if revision is None:
            what = "has no tables" if not tables else "holds tables that are not SENCO Desk's"
            return CheckResult(
                problems=(*problems, f"{path} {what}: it is not a SENCO Desk database."),
                unusable=True,
            )
        head = head_revision()
        newer = revision not in known_revisions()
        if newer:
            notes.append(
                f"It was made by a newer version of SENCO Desk (schema {revision}); "
                f"this version knows schema {head}."
            )
        elif revision != head:
            notes.append(
                f"The schema is at version {revision}; it will be upgraded to {head} "
                "the next time it is opened for writing (after a backup)."
            )
        else:
            missing = sorted(set(Base.metadata.tables) - tables)
            problems += [f"The table {t} is missing." for t in missing]
            if rules and not missing and not problems:
                ruled = tuple(_rule_problems_sqlite(conn))
                return CheckResult(
                    tuple(problems), tuple(notes), revision=revision, rule_problems=ruled
                )
        return CheckResult(tuple(problems), tuple(notes), revision=revision, newer=newer)
    finally:
        conn.close()


def _rule_problems_sqlite(dbapi_conn: Any) -> list[str]:
    """``checks.database_problems`` over an open SQLite (or SQLCipher) connection."""
    from sqlalchemy.pool import StaticPool

    from ..checks import database_problems

    engine = create_engine("sqlite://", creator=lambda: dbapi_conn, poolclass=StaticPool)
    try:
        with engine.connect() as conn:
            return database_problems(conn)
    finally:
        engine.dispose(close=False)


def _foreign_key_problems(conn: Any) -> list[str]:
    counts: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fkid in conn.execute("PRAGMA foreign_key_check").fetchall():
        counts[(table, parent)] = counts.get((table, parent), 0) + 1
    return [
        f"{n} row{'s' if n != 1 else ''} in {table} point{'' if n != 1 else 's'} to a "
        f"missing {parent} row."
        for (table, parent), n in sorted(counts.items())
    ]


def check_server(url: str, *, rules: bool = False) -> CheckResult:
    """Check a server database: connection, schema version, tables, orphan rows."""
    from ..schema import head_revision, known_revisions

    shown = make_url(url).render_as_string(hide_password=True)
    engine = create_engine(url, pool_pre_ping=True)
    try:
        try:
            conn = engine.connect()
        except Exception as exc:  # noqa: BLE001
            return _unusable(f"Cannot connect to {shown}: {_db_error_text(exc)}")
        with conn:
            tables = set(inspect(conn).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision is None:
                return _unusable(f"{shown} is not a SENCO Desk database (no schema version).")
            if revision not in known_revisions():
                return CheckResult(
                    notes=(f"It was made by a newer version of SENCO Desk (schema {revision}).",),
                    revision=revision,
                    newer=True,
                )
            if revision != head_revision():
                return CheckResult(
                    notes=(
                        f"The schema is at version {revision}; it will be "
                        "upgraded when next opened.",
                    ),
                    revision=revision,
                )
            missing = sorted(set(Base.metadata.tables) - tables)
            if missing:
                return CheckResult(
                    tuple(f"The table {t} is missing." for t in missing), revision=revision
                )
            orphans = tuple(orphan_problems(conn))
            ruled = () if orphans or not rules else tuple(_rule_problems(conn))
            return CheckResult(orphans, revision=revision, rule_problems=ruled)
    except Exception as exc:  # noqa: BLE001
        return _unusable(f"{shown} could not be checked: {_db_error_text(exc)}")
    finally:
        engine.dispose()


def _rule_problems(conn: Any) -> list[str]:
    from ..checks import database_problems

    return database_problems(conn)


def orphan_problems(conn: Any) -> list[str]:
    """Rows whose foreign key points to a row that does not exist (any database)."""
    problems = []
    for table in Base.metadata.sorted_tables:
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            col = fk.parent
            # The parent through an alias: for a self-reference (staff.line_manager_id) the
            # subquery must look at another staff row, not correlate to the outer one.
            target = fk.column.table.alias("parent_row")
            parent = target.c[fk.column.name]
            stmt = (
                select(func.count())
                .select_from(table)
                .where(col.is_not(None), ~exists().where(parent == col).correlate(table))
            )
            n = conn.execute(stmt).scalar() or 0
            if n:
                problems.append(
                    f"{n} row{'s' if n != 1 else ''} in {table.name} point"
                    f"{'' if n != 1 else 's'} to a missing {fk.column.table.name} row "
                    f"({col.name})."
                )
    return problems


def _db_error_text(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip() or type(exc).__name__


# --------------------------------------------------------------------------- weekly check


def last_full_check(store: Any) -> dt.datetime | None:
    value = read_state(store).get("last_full_check")
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def due_full_check(store: Any, now: dt.datetime) -> bool:
    """True if the weekly full check has not run in the last 7 days (or never)."""
    last = last_full_check(store)
    return last is None or last > now or now - last >= FULL_CHECK_EVERY


def run_full_check(store: Any, now: dt.datetime) -> list[str]:
    """The full check of an open store, recorded in the sidecar (for the GUI's weekly run)."""
    problems = full_check(store)
    write_state(
        store,
        last_full_check=now.replace(microsecond=0).isoformat(),
        last_full_check_problems=len(problems),
    )
    return problems
