"""Writing the file: every table, or the subset about one pupil, row by row from one snapshot."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from ...errors import KnownError, NotFound
from ...files import atomic_path
from ...model import (
    Assignment,
    AuditEntry,
    Funding,
    MisPupil,
    Outcome,
    OutcomeStatusChange,
    Pupil,
    Record,
    ReviewAdvice,
    ReviewAmendment,
    ReviewInvitee,
    ReviewMeeting,
)
from ..tabular import MARKING
from .fileformat import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    INT,
    SUBSET_COLUMNS,
    _encode,
    app_version,
    column_kind,
    model_tables,
)


@contextlib.contextmanager
def _snapshot(store: Any) -> Iterator[Connection]:
    """A connection that sees one consistent state of the database for all its reads."""
    with store.engine.connect() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("BEGIN")  # pysqlite only begins before writes by itself
            try:
                yield conn
            finally:
                conn.rollback()
        else:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn


def _ids(conn: Connection, stmt: Any) -> set[int]:
    return {int(i) for i in conn.scalars(stmt) if i is not None}


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def pupil_selection(conn: Connection, pupil_id: int) -> dict[str, set[int] | None]:
    """Per table, the ids of the rows in the subset about one pupil (None = every row)."""
    from ...safety.retention import pupil_entry_ids

    if conn.scalar(select(Pupil.id).where(Pupil.id == pupil_id)) is None:
        raise NotFound(f"There is no pupil with id {pupil_id}.")
    outcomes = _ids(conn, select(Outcome.id).where(Outcome.pupil_id == pupil_id))
    meetings = _ids(conn, select(ReviewMeeting.id).where(ReviewMeeting.pupil_id == pupil_id))
    chosen: dict[str, set[int] | None] = {
        "school": None,
        "pupil": {pupil_id},
        "outcome": outcomes,
        "outcome_status_change": _ids(
            conn,
            select(OutcomeStatusChange.id).where(
                OutcomeStatusChange.outcome_id.in_(
                    select(Outcome.id).where(Outcome.pupil_id == pupil_id)
                )
            ),
        ),
        "review_meeting": meetings,
        "review_invitee": _ids(
            conn,
            select(ReviewInvitee.id).where(
                ReviewInvitee.meeting_id.in_(
                    select(ReviewMeeting.id).where(ReviewMeeting.pupil_id == pupil_id)
                )
            ),
        ),
    }
    for child in (ReviewAdvice, ReviewAmendment):
        chosen[child.__tablename__] = _ids(
            conn,
            select(child.id).where(
                child.meeting_id.in_(
                    select(ReviewMeeting.id).where(ReviewMeeting.pupil_id == pupil_id)
                )
            ),
        )
    for model in (Record, Funding, Assignment, MisPupil):
        chosen[model.__tablename__] = _ids(conn, select(model.id).where(model.pupil_id == pupil_id))
    with Session(bind=conn) as s:
        entries = pupil_entry_ids(s, pupil_id)
    chosen["audit_entry"] = set(entries)
    # Staff and local authorities the rows name, now or in their history.
    staff = _ids(conn, select(Record.author_id).where(Record.pupil_id == pupil_id))
    staff |= _ids(conn, select(Assignment.staff_id).where(Assignment.pupil_id == pupil_id))
    las = _ids(conn, select(Pupil.ehcp_la_id).where(Pupil.id == pupil_id))
    for chunk in _chunks(entries):
        for field, old, new in conn.execute(
            select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value).where(
                AuditEntry.id.in_(chunk),
                AuditEntry.field.in_(("author_id", "staff_id", "ehcp_la_id")),
            )
        ):
            named = {int(v) for v in (old, new) if v is not None and v.isdigit()}
            (las if field == "ehcp_la_id" else staff).update(named)
    chosen["staff"] = staff
    chosen["local_authority"] = las
    return chosen


def _rows(
    conn: Connection, table: Table, ids: set[int] | None, names: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    columns = sorted(
        (c for c in table.columns if names is None or c.name in names), key=lambda c: c.name
    )
    kinds = [(c.name, column_kind(c)) for c in columns]
    pk = list(table.primary_key.columns)
    stmts = (
        [select(*columns).order_by(*pk)]
        if ids is None
        else [select(*columns).where(pk[0].in_(chunk)) for chunk in _chunks(sorted(ids))]
    )
    rows = [
        {name: _encode(kind, value) for (name, kind), value in zip(kinds, r, strict=True)}
        for stmt in stmts
        for r in conn.execute(stmt)
    ]
    rows.sort(key=lambda r: tuple(r[c.name] for c in pk))
    return rows


def export_json(store: Any, path: Path | str, *, pupil_id: int | None = None) -> dict[str, int]:
    """Write the database (or the subset about one pupil) to ``path``; returns rows per table.

    Written to a temporary file beside ``path`` and moved into place when complete.
    """
    from ...schema import current_revision, head_revision

    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "marking": MARKING,
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "app_version": app_version(),
        "schema_revision": current_revision(store.engine) or head_revision(),
    }
    if pupil_id is None:
        with _snapshot(store) as conn:
            return _write_streamed(Path(path), doc, conn)
    with _snapshot(store) as conn:
        chosen = pupil_selection(conn, pupil_id)
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in model_tables():
            if table.name in chosen:
                tables[table.name] = _rows(
                    conn, table, chosen[table.name], SUBSET_COLUMNS.get(table.name)
                )
    doc["subset"] = {"pupil_id": pupil_id}
    doc["tables"] = tables
    _write(Path(path), doc)
    return {name: len(rows) for name, rows in tables.items()}


def _streamed_rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of a table in primary-key order, a few hundred at a time from the database.
    A table keyed other than by one integer (a handful of rows) is sorted as ``_rows`` does."""
    pk = list(table.primary_key.columns)
    if len(pk) != 1 or column_kind(pk[0]) != INT:
        yield from _rows(conn, table, None)
        return
    columns = sorted(table.columns, key=lambda c: c.name)
    kinds = [(c.name, column_kind(c)) for c in columns]
    stmt = select(*columns).order_by(*pk).execution_options(yield_per=CHUNK)
    for r in conn.execute(stmt):
        yield {name: _encode(kind, value) for (name, kind), value in zip(kinds, r, strict=True)}


def _write_streamed(path: Path, doc: dict[str, Any], conn: Connection) -> dict[str, int]:
    """The whole database to ``path`` one row at a time (#17: a 100,000-pupil export held
    every row in memory first), byte for byte what ``json.dump(doc, indent=1)`` writes for
    the same document (``tests/core/test_exchange_json.py`` checks)."""
    counts: dict[str, int] = {}
    try:
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as f:
            head = json.dumps(doc, ensure_ascii=False, indent=1)
            f.write(head[: head.rindex("\n}")] + ',\n "tables": {')
            for i, table in enumerate(model_tables()):
                f.write(("," if i else "") + f"\n  {json.dumps(table.name)}: [")
                n = 0
                for row in _streamed_rows(conn, table):
                    body = json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n   ")
                    f.write(("," if n else "") + "\n   " + body)
                    n += 1
                f.write("\n  ]" if n else "]")
                counts[table.name] = n
            f.write("\n }\n}\n" if counts else "}\n}\n")
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise KnownError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    return counts


def _write(path: Path, doc: dict[str, Any]) -> None:
    try:
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise KnownError(f"Cannot write {path}: {exc.strerror or exc}.") from None
