"""A list page's rows as a table for CSV, XLSX or a printed PDF list.

The table models know each column's text and its sort key. Where a column's keys are real
dates, money or weekly minutes, the export keeps them as such (an XLSX cell is then a date or
a number Excel can sum), else it writes the text the user sees. The rows are the ones shown:
filtered and sorted as on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sencodesk.exchange import tabular as tab

SAMPLE = 200  # rows looked at to decide a column's kind


@dataclass(frozen=True)
class ListTable:
    title: str
    headers: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: list[list[Any]]


def _kind(column: Any, rows: Sequence[Any]) -> str:
    """The kind of a column from its sort keys: date, money, hours, or text."""
    key = getattr(column, "key", None)
    if key is None:
        return tab.TEXT
    values = [key(r) for r in rows[:SAMPLE]]
    values = [v for v in values if v is not None and v != ""]
    if not values:
        return tab.TEXT
    if all(isinstance(v, dt.datetime) for v in values):
        return tab.DATETIME
    if all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
        return tab.DATE
    if all(isinstance(v, Decimal) for v in values) and getattr(column, "right", False):
        return tab.MONEY
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        texts = [column.text(r) for r in rows[:SAMPLE]]
        if any(" h" in t or t.endswith("min") for t in texts):  # weekly minutes, "25 h"
            return tab.HOURS
    return tab.TEXT


def list_table(title: str, model: Any) -> ListTable:
    """The rows shown by a page's table model, each value typed where its column allows."""
    rows = model.rows
    columns = list(model.COLUMNS)
    kinds = [_kind(c, rows) for c in columns]
    out = []
    for r in rows:
        line: list[Any] = []
        for c, kind in zip(columns, kinds, strict=True):
            if kind == tab.TEXT:
                line.append(c.text(r))
            else:
                v = c.key(r)
                line.append(None if v == "" else v)
        out.append(line)
    return ListTable(title, tuple(c.title for c in columns), tuple(kinds), out)


def write_list(table: ListTable, path: Path, school: str = "") -> Path:
    """Write a list as CSV or XLSX, chosen by the extension (runs in the worker)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return tab.write_xlsx(
            path, table.title, table.headers, table.rows, table.kinds, school=school
        )
    if suffix == ".csv":
        return tab.write_csv(path, table.headers, table.rows, table.kinds, title=table.title)
    tab.report_format(path)  # says which extensions work
    raise AssertionError("unreachable")


def list_report(table: ListTable, school: str, today: dt.date) -> tab.Report:
    """A list as a printable report (landscape when it is wide)."""
    columns = tuple(
        tab.Column(h, k, 1.6 if k == tab.TEXT else 1.0)
        for h, k in zip(table.headers, table.kinds, strict=True)
    )
    return tab.Report(
        title=table.title,
        school=school,
        today=today,
        tables=(tab.TableData(table.title, columns, table.rows),),
        subtitle=(f"{len(table.rows)} rows, as shown on screen.",),
        landscape=len(columns) > 5,
    )
