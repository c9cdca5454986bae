"""Small helpers shared by the read modules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, null, or_, select, text
from sqlalchemy.orm import InstrumentedAttribute

from ..rules import coverage
from ..rules.names import display_name, sort_name  # noqa: F401 - here as before

is_current = coverage.is_current  # the one rule, in rules.coverage


def current_filter(start: InstrumentedAttribute, end: InstrumentedAttribute, on: dt.date):
    """SQL: the row's date range includes ``on`` (an open end is current)."""
    return (start <= on) & or_(end.is_(None), end >= on)


def school_id(session: Any) -> int:
    """The school this login works in. An SQLite file is one school (1). On a shared server,
    the login's own school (``sencodesk_school()``, from ``app_user``); the owner, or a
    server database without roles, works in the first school (1)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return 1
    found = session.info.get("school_id")
    if found is None:
        found = 1
        if session.scalar(text("SELECT to_regprocedure('sencodesk_school()') IS NOT NULL")):
            found = session.scalar(text("SELECT sencodesk_school()")) or 1
        session.info["school_id"] = found
    return int(found)


def may_read(session: Any, table: str) -> bool:
    """Whether this login may read a table at all (on a shared server a role may not, e.g. an
    LSA and funding); an SQLite file: always. Pages leave out what their reader may not see
    rather than fail."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT has_table_privilege(:t, 'SELECT')"), {"t": table}))


def readable(session: Any, *columns: InstrumentedAttribute) -> tuple[Any, ...]:
    """The columns (all of one table) to select: each as given where this login may read it,
    a NULL in its place where it may not (on a shared server a business manager reads a
    pupil's name and funded hours, not their EHCP dates). An SQLite file: as given."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql" or not columns:
        return columns
    table = columns[0].class_.__tablename__
    allowed = session.execute(
        select(*(func.has_column_privilege(table, c.key, "SELECT") for c in columns))
    ).one()
    return tuple(c if ok else null().label(c.key) for c, ok in zip(columns, allowed, strict=True))
