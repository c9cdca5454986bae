"""The schema migrations run at every opening (``store.open_store``): Alembic brings the
schema to this version's head, after a backup of an SQLite file; a database made by a newer
version is refused. Then pupils whose leaving date has come leave the roll."""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from . import schema
from .errors import DatabaseError
from .places import _first_line
from .schema import NEWER, current_revision, head_revision, known_revisions

log = logging.getLogger(__name__)


class Store(Protocol):
    """What a migration needs of ``store.Store`` (typed here so that ``store`` imports this
    module and not the other way round)."""

    @property
    def engine(self) -> Engine: ...
    @property
    def path(self) -> Path | None: ...
    @property
    def is_sqlite(self) -> bool: ...
    def session(self, *, reason: str = "") -> AbstractContextManager[Session]: ...


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(schema.MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def archive_leavers_at_open(store: Store) -> None:
    """Pupils whose leaving date (entered ahead) has come leave the roll as the database is
    opened for changes: audited, by the person opening it."""
    from sqlalchemy import Boolean, Date, bindparam

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


def archive_due_leavers_if_allowed(store: Store) -> None:
    """On a shared server only a login that may change pupils (a SENCO) archives leavers;
    anyone else opening it leaves them for the SENCO's next opening."""
    from sqlalchemy.exc import DBAPIError

    try:
        archive_leavers_at_open(store)
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
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file, or a lost server
        from .errors import environment_problem

        text_ = f"Cannot read the database: {_first_line(exc)}"
        if environment_problem(exc):  # the server gone or refusing, or the disk full
            text_ += (
                ". The connection to the database server was lost or refused, or the disk "
                "is full: check the server is running (and has room), then try again."
            )
        raise DatabaseError(text_) from exc
    head = head_revision()
    if current == head:
        return False
    if current is not None and current not in known_revisions():
        raise DatabaseError(NEWER.format(current=current))
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
