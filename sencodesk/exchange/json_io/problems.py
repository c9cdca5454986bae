"""What is wrong in a file, row by row: each value, the editors' rules (``checks``), unique keys
and links, kept across the file's chunks (``_Tally``); ``ImportRejected`` lists them."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, UniqueConstraint
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from ...errors import KnownError
from ...model import Base
from .fileformat import column_kind, model_tables, to_json_value
from .values import _Bad, _from_json


@dataclass(frozen=True)
class Problem:
    """One bad value in a file: where it is and why it cannot be imported."""

    table: str
    row: int  # from 1, in the file's order
    row_id: Any  # the row's id in the file, if it has one
    field: str  # "" for the row as a whole
    why: str

    def __str__(self) -> str:
        ident = (
            f" (id {self.row_id})"
            if isinstance(self.row_id, int) and not isinstance(self.row_id, bool)
            else ""
        )
        where = f"table {self.table!r}, row {self.row}{ident}"
        if not self.field:
            return f"{where}: {self.why}"
        return f"{where}, column {self.field!r}: {self.why}"


SHOWN_PROBLEMS = 40


class ImportRejected(KnownError):
    """A file with bad rows: ``problems`` lists every one; nothing was imported."""

    def __init__(self, path: Path, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = list(problems)
        n = len(self.problems)
        lines = [str(p) for p in self.problems[:SHOWN_PROBLEMS]]
        if n > SHOWN_PROBLEMS:
            lines.append(f"... and {n - SHOWN_PROBLEMS} more.")
        head = f"Cannot import {path}: {n} problem{'s' if n != 1 else ''} found"
        super().__init__(
            head
            + ". Nothing was imported. Correct the file and import it again:\n  "
            + "\n  ".join(lines)
        )


def _newer_hint(revision: Any) -> str:
    from ...schema import known_revisions

    if isinstance(revision, str) and revision not in known_revisions():
        return (
            f" (the file was made by a newer version of SENCO Desk, schema {revision}: "
            "install that version to import it)"
        )
    return ""


def _rid(row: Any) -> Any:
    rid = row.get("id") if isinstance(row, dict) else None
    return rid if isinstance(rid, int) and not isinstance(rid, bool) else None


@functools.cache
def _plan(table: Table) -> tuple[frozenset[str], tuple[tuple[str, Column[Any], str, Any], ...]]:
    """A table's column names, and per column: name, column, JSON form, and what a row
    without it gets (``_ABSENT``: nothing, a problem)."""
    plan = []
    for column in table.columns:
        if isinstance(column.default, ScalarElementColumnDefault):
            absent = column.default.arg  # a file from an older schema
        elif column.nullable and not column.primary_key:
            absent = None
        else:
            absent = _ABSENT
        plan.append((column.name, column, column_kind(column), absent))
    return frozenset(table.columns.keys()), tuple(plan)


_ABSENT = object()


def _row(
    table: Table, index: int, raw: Any, revision: Any, problems: list[Problem]
) -> dict[str, Any] | None:
    """A file's row as Python values, or None after adding its problems to ``problems``."""
    if not isinstance(raw, dict):
        problems.append(Problem(table.name, index, None, "", "is not an object of column values"))
        return None
    names, plan = _plan(table)
    rid = _rid(raw)
    before = len(problems)
    if not names.issuperset(raw):
        for key in raw:
            if key not in names:
                problems.append(
                    Problem(
                        table.name,
                        index,
                        rid,
                        "",
                        f"unknown column {key!r}{_newer_hint(revision)}",
                    )
                )
    row: dict[str, Any] = {}
    for name, column, kind, absent in plan:
        if name in raw:
            try:
                row[name] = _from_json(column, raw[name], kind)
            except _Bad as exc:
                problems.append(Problem(table.name, index, rid, name, str(exc)))
        elif absent is not _ABSENT:
            row[name] = absent
        else:
            problems.append(Problem(table.name, index, rid, name, "has no value"))
    return row if len(problems) == before else None


CHECKED = 2000  # rows checked against the rules at a time


def _uniques(table: Table) -> list[tuple[str, ...]]:
    uniques = [tuple(c.name for c in table.primary_key.columns)]
    uniques += [
        tuple(c.name for c in con.columns)
        for con in table.constraints
        if isinstance(con, UniqueConstraint)
    ]
    uniques += [tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique]
    return uniques


class _Tally:
    """Every row of a file read and checked a chunk at a time, keeping only what is checked
    across rows: the ids that links name, the unique keys, the contract rule's context.

    The checks and their order are those of a file checked whole: first every value that
    cannot be read (``_row``); if none, every row against the editors' rules (``checks``);
    if none, unique keys and links, on the rows as the editors would store them (a UPN in
    capitals)."""

    def __init__(self, revision: Any) -> None:
        self.revision = revision
        tables = model_tables()
        self.position = {t.name: i for i, t in enumerate(tables)}
        self.rule_position = {name: i for i, name in enumerate(checks_rules())}
        self.sizes = {t.name: 0 for t in tables}
        self.types: list[Problem] = []
        self.rules: list[tuple[tuple[int, int], Problem]] = []
        self.keys: list[tuple[tuple[int, int, int, int], Problem]] = []
        self.present: dict[tuple[str, str], set[Any]] = {
            (fk.column.table.name, fk.column.name): set() for t in tables for fk in t.foreign_keys
        }
        self.seen: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], int]] = {}
        self.self_links: list[tuple[tuple[int, int, int, int], str, Any, Any, Any]] = []
        self.days: list[dict[str, Any]] = []
        self.contracts: list[dict[str, Any]] = []

    def take(self, table: Table, raw_rows: Iterable[Any]) -> None:
        """Read and check one table's rows."""
        present = [(cols, ids) for (t, cols), ids in self.present.items() if t == table.name]
        chunk: list[dict[str, Any]] = []
        start = n = 0
        for n, raw in enumerate(raw_rows, start=1):
            row = _row(table, n, raw, self.revision, self.types)
            if row is None or self.types:
                continue  # rules and keys are checked once every value can be read
            for column, ids in present:
                ids.add(row[column])
            chunk.append(row)
            if len(chunk) == CHECKED:
                self._check(table, chunk, start)
                start += len(chunk)
                chunk = []
        if chunk and not self.types:
            self._check(table, chunk, start)
        self.sizes[table.name] = n

    def _check(self, table: Table, rows: list[dict[str, Any]], start: int) -> None:
        if table.name == "contract_day":
            self.days.extend(rows)
        if table.name == "contract":
            self.contracts.extend(rows)  # checked with their days, at the end
            return
        self._rules_and_keys(table, rows, start, {table.name: rows})

    def _rules_and_keys(
        self,
        table: Table,
        rows: list[dict[str, Any]],
        start: int,
        part: dict[str, list[dict[str, Any]]],
    ) -> list[dict[str, Any]]:
        from ... import checks
        from ...errors import ValidationError

        name = table.name
        if name in checks.RULES:
            try:  # the rules once per row: every problem is listed only if one fails
                rows = checks.clean_tables(part)[name]
            except ValidationError:
                for t, n, rid, field, why in checks.row_problems(part):
                    if t == name:
                        problem = Problem(t, start + n, rid, field, why)
                        self.rules.append(((self.rule_position[t], start + n), problem))
            if self.rules:
                return rows
        self._keys(table, rows, start)
        return rows

    def _keys(self, table: Table, rows: list[dict[str, Any]], start: int) -> None:
        name = table.name
        ti = self.position[name]
        for ui, cols in enumerate(_uniques(table)):
            seen = self.seen.setdefault((name, cols), {})
            for i, row in enumerate(rows, start=start + 1):
                key = tuple(row[c] for c in cols)
                if None in key:
                    continue
                first = seen.setdefault(key, i)
                if first != i:
                    shown = ", ".join(f"{c} {to_json_value(table.c[c], row[c])!r}" for c in cols)
                    why = f"{shown} is the same as in row {first}; it must be unique"
                    self.keys.append(
                        ((0, ti, ui, i), Problem(name, i, row.get("id"), cols[-1], why))
                    )
        for fi, fk in enumerate(table.foreign_keys):
            target = (fk.column.table.name, fk.column.name)
            ids = self.present[target]
            for i, row in enumerate(rows, start=start + 1):
                value = row[fk.parent.name]
                if value is None:
                    continue
                where = (1, ti, fi, i)
                if fk.column.table is table:  # its own table: checked once all its rows are in
                    self.self_links.append((where, name, row.get("id"), fk, value))
                elif value not in ids:
                    self.keys.append((where, _no_target(name, i, row.get("id"), fk, value)))

    def finish(self) -> None:
        if self.types:
            return
        if self.contracts:
            contract = Base.metadata.tables["contract"]
            part = {"contract": self.contracts, "contract_day": self.days}
            self.contracts = self._rules_and_keys(contract, self.contracts, 0, part)
        for where, name, rid, fk, value in self.self_links:
            if value not in self.present[(fk.column.table.name, fk.column.name)]:
                self.keys.append((where, _no_target(name, where[3], rid, fk, value)))

    def ruled(self) -> list[Problem]:
        return [p for _, p in sorted(self.rules, key=lambda x: x[0])]

    def keyed(self) -> list[Problem]:
        return [p for _, p in sorted(self.keys, key=lambda x: x[0])] if not self.rules else []


def checks_rules() -> list[str]:
    from ... import checks

    return list(checks.RULES)


def _no_target(name: str, i: int, rid: Any, fk: Any, value: Any) -> Problem:
    target = fk.column.table.name
    why = f"there is no {target!r} row with {fk.column.name} {value} in the file"
    return Problem(name, i, rid, fk.parent.name, why)
