"""Putting a checked file into an empty database, all or nothing, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Integer, Table, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from ...errors import KnownError
from .export import _chunks
from .fileformat import CHUNK, database_name, model_tables
from .problems import Problem, _row
from .reading import JsonExport, read_json
from .stream import _Unstreamable


def _holdings(conn: Connection) -> dict[str, int]:
    counts = {t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in model_tables()}
    return {name: n for name, n in counts.items() if n}


def insert_export(store: Any, data: JsonExport) -> dict[str, int]:
    """Put a checked export into an empty database in one transaction; rows per table."""
    from ...safety.errors import ReadOnlyStore

    if store.read_only:
        raise ReadOnlyStore()
    table = None
    try:
        with store.engine.begin() as conn:
            held = _holdings(conn)
            if held:
                shown = ", ".join(
                    f"{name}: {n} {'row' if n == 1 else 'rows'}" for name, n in held.items()
                )
                raise KnownError(
                    f"Cannot import {data.path}: the database {database_name(store)} already "
                    f"holds data ({shown}). Import only into a new, empty database. "
                    "Nothing was changed."
                )
            _insert_all(conn, data)
            table = None
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        part = f" the {table.name!r} rows:" if table is not None else ""
        raise KnownError(
            f"Cannot import {data.path}: the database refused{part} "
            f"{(str(orig or exc).strip().splitlines() or ['?'])[0]}. Nothing was changed."
        ) from None
    return data.counts()


class _Changed(Exception):
    pass


def _insert_all(conn: Connection, data: JsonExport) -> None:
    """The checked file's rows into the database, read from the file again a chunk at a time;
    a file that has changed since it was checked is refused (the transaction is undone)."""
    known = {t.name: t for t in model_tables()}
    done: dict[str, int] = {}
    tables = data.parts()
    try:
        next(tables)
        for name, rows in tables:
            table = known.get(name)
            if table is None or rows is None or name in done:
                raise _Changed
            done[name] = _insert(conn, table, rows, data)
    except (_Changed, _Unstreamable, StopIteration):
        done = {}
    finally:
        tables.close()
    if {**dict.fromkeys(known, 0), **done} != data.sizes:
        raise KnownError(
            f"Cannot import {data.path}: the file changed while it was being imported. "
            "Nothing was changed: import it again."
        )


def _insert(conn: Connection, table: Table, raw_rows: Iterable[Any], data: JsonExport) -> int:
    from ... import checks
    from ...errors import ValidationError

    # A link to a row of the same table (staff's line manager) is set once all rows are in.
    later = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    blanks = dict.fromkeys(later)
    links: list[tuple[Any, dict[str, Any]]] = []
    pk = next(iter(table.primary_key.columns))
    ruled = table.name in checks.RULES

    def put(rows: list[dict[str, Any]]) -> None:
        if ruled and table.name != "contract":
            try:
                rows = checks.clean_tables({table.name: rows})[table.name]
            except ValidationError:
                raise _Changed from None
        if table.name == "audit_entry":
            for r in rows:
                r["imported"] = True  # history from elsewhere, never a change made here
        for r in rows:
            linked = {c: r[c] for c in later if r[c] is not None}
            if linked:
                links.append((r[pk.name], linked))
        conn.execute(table.insert(), [{**r, **blanks} for r in rows] if later else rows)

    n = 0
    chunk: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for n, raw in enumerate(raw_rows, start=1):
        if table.name == "contract":
            continue  # kept cleaned from the check, with their days
        row = _row(table, n, raw, data.schema_revision, problems)
        if row is None:
            raise _Changed
        chunk.append(row)
        if len(chunk) == CHUNK:
            put(chunk)
            chunk = []
    if table.name == "contract":
        if n != len(data.contracts):
            raise _Changed
        for part in _chunks(data.contracts):
            put([dict(r) for r in part])
    elif chunk:
        put(chunk)
    for key, linked in links:
        conn.execute(table.update().where(pk == key).values(linked))
    return n


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: each id sequence carries on after the largest id imported."""
    quote = conn.dialect.identifier_preparer
    for table in model_tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        name, col = quote.format_table(table), quote.quote(pk[0].name)
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({col}) FROM {name}), 1), "
                f"(SELECT MAX({col}) FROM {name}) IS NOT NULL)"
            ),
            {"table": name, "column": pk[0].name},
        )


def import_json(store: Any, path: Path | str) -> dict[str, int]:
    """Check an export file, then load it into ``store`` (which must be empty)."""
    return insert_export(store, read_json(path))
