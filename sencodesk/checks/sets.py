"""The rules over whole sets of rows: a file's tables, or a database's (``database_problems``,
which ``guarded.names_bad_data`` runs for the readers that meet impossible data)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..errors import UNREADABLE, ValidationError
from .tables import RULES


def work_days(day_rows: Iterable[Mapping[str, Any]]) -> list[Any]:
    """Contract-day rows -> the ``WorkDay`` list the contract rule takes."""
    from ..rules.pay import WorkDay

    return [
        WorkDay(int(d["weekday"]), d["start"], d["end"], int(d.get("unpaid_break_minutes") or 0))
        for d in day_rows
    ]


def _rows_checked(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
) -> Iterator[tuple[str, int, Mapping[str, Any], dict[str, Any] | ValidationError]]:
    """Each row of each table with a rule: (table, row number, row, cleaned or the error)."""
    days_of: dict[Any, list[Mapping[str, Any]]] = {}
    for d in tables.get("contract_day", ()):
        days_of.setdefault(d.get("contract_id"), []).append(d)
    for table, rule in RULES.items():
        for n, row in enumerate(tables.get(table, ()), start=1):
            context: dict[str, Any] = {}
            if table == "contract" and days_of.get(row.get("id")):
                # (days that cannot make a pattern are named by their own rows)
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    context["days"] = work_days(days_of[row.get("id")])
            try:
                c = rule(row, None, **context)
                c.known(*row.keys())
                yield table, n, row, c.done()
            except ValidationError as exc:
                yield table, n, row, exc


def row_problems(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
) -> Iterator[tuple[str, int, Any, str, str]]:
    """Every rule broken by rows of whole tables (a file being imported, or a database):
    yields (table, row number from 1, row id, field, why). Rows whose values have the wrong
    type are the caller's to report first; they are skipped here."""
    for table, n, row, result in _rows_checked(tables):
        if isinstance(result, ValidationError):
            for field, why in result.errors.items():
                yield table, n, row.get("id"), field, why


def clean_tables(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    """Rows that pass their rules, as the editors would store them (a UPN in capitals, text
    without stray spaces). Raises ``ValidationError`` on the first row that does not pass."""
    out = {name: [dict(r) for r in rows] for name, rows in tables.items()}
    for table, n, row, result in _rows_checked(tables):
        if isinstance(result, ValidationError):
            raise ValidationError({f"{table} row {n}: {k}": v for k, v in result.errors.items()})
        out[table][n - 1].update({k: v for k, v in result.items() if k in row})
    return out


SHOWN_PROBLEMS = 50


def database_problems(conn: Any, *, limit: int = SHOWN_PROBLEMS) -> list[str]:
    """The rules broken by rows already in a database (``conn``, an SQLAlchemy Connection),
    one sentence each naming the table, the row's id and the field: data written by an older
    version, or by an import that did not check it, is found and named. At most ``limit``
    sentences, then how many more."""
    from sqlalchemy import select

    from ..model import Base

    tables = Base.metadata.tables
    found: list[str] = []
    more = 0

    def problem(table: str, rid: Any, field: str, why: str) -> None:
        nonlocal more
        if len(found) < limit:
            found.append(f"Table {table}, row id {rid}, {field}: {why}.")
        else:
            more += 1

    try:
        days = [dict(r) for r in conn.execute(select(tables["contract_day"])).mappings()]
    except (ValueError, TypeError, ArithmeticError):  # a value no type reads (a made file)
        # (named when contract_day's own rows are checked below, not twice)
        days = [r for r in _careful_rows(conn, tables["contract_day"], _ignore) if r]
    for name in RULES:
        # A table's problems are kept until it has been read to the end: if a value in it
        # cannot be read, the table is read again value by value and named from that read.
        mine: list[tuple[Any, str, str]] = []
        try:
            result = conn.execute(select(tables[name]).order_by(tables[name].c.id))
            for part in result.mappings().partitions(2000):  # a chunk at a time, as before
                mine += _chunk_problems(name, [dict(r) for r in part], days)
        except (ValueError, TypeError, ArithmeticError):
            mine = []
            rows = _careful_rows(conn, tables[name], problem)
            while taken := list(itertools.islice(rows, 2000)):
                mine += _chunk_problems(name, [r for r in taken if r], days)
        for rid, field, why in mine:
            problem(name, rid, field, why)
    if more:
        found.append(f"... and {more} more problem{'s' if more != 1 else ''} of this kind.")
    return found


def _chunk_problems(
    name: str, rows: list[dict[str, Any]], days: list[dict[str, Any]]
) -> list[tuple[Any, str, str]]:
    """(row id, field, why) for the rows of table ``name`` that break its rule."""
    chunk = {name: rows, "contract_day": days}
    return [
        (rid, field, why) for table, _n, rid, field, why in row_problems(chunk) if table == name
    ]


def _ignore(*_args: Any) -> None:
    pass


def _careful_rows(
    conn: Any, table: Any, problem: Callable[[str, Any, str, str], None]
) -> Iterator[dict[str, Any] | None]:
    """A table's rows read value by value, for when a value in it is one its column's type
    cannot read (a date of "2026-13-45", a number where a date goes: a file made or damaged
    outside the app). Each such value is named through ``problem`` and its row given as None;
    the other rows as the model reads them. Slower than a plain read: only after one failed."""
    from sqlalchemy import select, type_coerce
    from sqlalchemy.types import NullType

    dialect = conn.dialect
    columns = list(table.columns)
    read = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
    raw = select(*(type_coerce(c, NullType()).label(c.name) for c in columns))
    for values in conn.execute(raw.order_by(table.c.id)):
        row: dict[str, Any] | None = {}
        for c, f, v in zip(columns, read, values, strict=True):
            try:
                row[c.name] = f(v) if f is not None and v is not None else v  # type: ignore[index]
            except (ValueError, TypeError, ArithmeticError):
                problem(table.name, values[0], c.name, f"{v!r} is not a {_kind(c)}: {UNREADABLE}")
                row = None
                break
        yield row


def _kind(column: Any) -> str:
    """What a column holds, in words, for a value it cannot read."""
    name = type(column.type).__name__.lower()
    if "datetime" in name:
        return "date and time"
    if "date" in name:
        return "date"
    if "bool" in name:
        return "yes/no"
    return "value"
