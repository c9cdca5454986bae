"""Rows -> CSV, XLSX or PDF: the one place that knows how a table of values is written.

A report is a title and one or more tables of typed columns; ``reports.tables.write_report``
picks the format from the file's extension (the PDF is drawn there, with the reports' styles). Values stay Python values until the writer formats them:

=========  ======================  =========================  ======================
kind       CSV                     XLSX                       PDF
=========  ======================  =========================  ======================
text       as is (formula-safe)    text                       wrapped text
flag       as is                   bold text                  bold text (a word, not
                                                              a colour)
date       dd/mm/yyyy              real date, dd/mm/yyyy      dd/mm/yyyy
datetime   dd/mm/yyyy hh:mm        real date-time             dd/mm/yyyy hh:mm
money      1234.56 (no £: stays    number, "£"#,##0.00        £1,234.56
           a number in Excel)
hours      h:mm (weekly minutes)   duration, [h]:mm           31 h 40 min
int        123                     number                     123
percent    12.5                    number 0.0"%"              12.5%
=========  ======================  =========================  ======================

Every file says what it is: the CSV's first line and the XLSX's first row read
"OFFICIAL-SENSITIVE" (the XLSX also carries it in its properties and its printed header),
and every PDF page carries it top and bottom. A ``Flagged`` text value in any text column is
printed bold too (a matrix cell reading "EXPIRED 01/02/2026"). Files are written to a temporary name in the
target folder and moved into place, so a failed or cancelled export leaves no half-file.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import KnownError
from ..files import atomic_path, check_writable

# The cells' kinds and text forms live in .cells: here as before.
from .cells import (
    DATE,
    DATETIME,
    FLAG,
    HOURS,
    INT,
    KINDS,
    MONEY,
    PERCENT,
    TEXT,
    Flagged,
    display,
    hours_clock,
    safe_cell,
    yes_no,
)
from .cells import NUMERIC as NUMERIC  # read here by reports.tables

FORMATS = (".pdf", ".csv", ".xlsx")
MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = TEXT
    width: float = 1.0  # relative width on the PDF page

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class TableData:
    """One table: a section of a PDF, a sheet of an XLSX, a block of a CSV."""

    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Any]]
    notes: tuple[str, ...] = ()
    empty: str = "Nothing to show."  # what the PDF says in place of a table with no rows


@dataclass(frozen=True)
class Report:
    title: str
    school: str
    today: dt.date
    tables: tuple[TableData, ...]
    subtitle: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    landscape: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def report_format(path: Path | str) -> str:
    """The format a path asks for ("pdf", "csv" or "xlsx"), or a KnownError naming the choices."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "no extension"
        raise KnownError(
            f"Cannot write {Path(path).name}: {shown} is not a report format. "
            "Use a file name ending .pdf, .csv or .xlsx."
        )
    return suffix[1:]


def _csv_value(value: Any, kind: str) -> str:
    return safe_cell(_csv_text(value, kind))


def _csv_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if kind in (DATE, DATETIME) and isinstance(value, dt.date):
        return display(value, kind)
    if isinstance(value, str) and kind not in (TEXT, FLAG):
        return value
    if kind == MONEY:
        return f"{Decimal(value):.2f}"
    if kind == HOURS:
        return hours_clock(int(value))
    if kind == PERCENT:
        return f"{Decimal(value):.1f}"
    return str(value)


def csv_rows(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """Rows of ready-made cells (headings, a title line) made safe for a CSV writer."""
    for row in rows:
        yield [safe_cell(v) for v in row]


# --------------------------------------------------------------------------- CSV


def _kinds(col_types: Sequence[str] | None, n: int) -> list[str]:
    kinds = list(col_types) if col_types is not None else [TEXT] * n
    if len(kinds) != n:
        raise ValueError("col_types must name one kind per heading")
    return kinds


def _csv_rows(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], kinds: Sequence[str]
) -> Iterator[list[str]]:
    yield [safe_cell(h) for h in headers]
    for row in rows:
        yield [_csv_value(v, k) for v, k in zip(row, kinds, strict=True)]


def write_csv(
    path: Path | str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    col_types: Sequence[str] | None = None,
    *,
    title: str = "",
    marking: bool = True,
) -> Path:
    """One table as CSV (UTF-8 with a byte-order mark, so Excel shows Zoë and £ correctly).

    With ``marking`` the first line is ``OFFICIAL-SENSITIVE,<title>`` and the headings follow.
    """
    return write_csv_tables(
        path,
        [(title, headers, rows, _kinds(col_types, len(headers)))],
        title=title,
        marking=marking,
    )


def write_csv_tables(
    path: Path | str,
    tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]], Sequence[str]]],
    *,
    title: str,
    marking: bool,
) -> Path:
    target = Path(path)
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        if marking:
            w.writerows(csv_rows([[MARKING, title] if title else [MARKING]]))
        for i, (name, headers, rows, kinds) in enumerate(tables):
            if len(tables) > 1:
                if i:
                    w.writerow([])
                w.writerows(csv_rows([[name]]))
            w.writerows(_csv_rows(headers, rows, kinds))
    return target


# --------------------------------------------------------------------------- XLSX

XLSX_FORMATS = {
    DATE: "dd/mm/yyyy",
    DATETIME: "dd/mm/yyyy hh:mm",
    MONEY: '"£"#,##0.00;-"£"#,##0.00',
    HOURS: "[h]:mm",
    INT: "0",
    PERCENT: '0.0"%"',
}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = (_SHEET_BAD.sub("-", name).strip() or "Sheet")[:31]
    out, n = base, 2
    while out.lower() in used:
        suffix = f" ({n})"
        out, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(out.lower())
    return out


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, str):
        return safe_cell(str(value))
    if kind == HOURS:
        return Decimal(int(value)) / Decimal(1440)
    if kind in (MONEY, PERCENT):
        return Decimal(value)
    if kind == DATE and isinstance(value, dt.datetime):
        return value.date()
    return value


def _width(kind: str, heading: str, sample: Sequence[Any]) -> float:
    fixed = {DATE: 12, DATETIME: 17, MONEY: 13, HOURS: 10, INT: 8, PERCENT: 9}
    longest = max((len(str(v)) for v in sample if v is not None), default=0)
    base = fixed.get(kind, min(max(longest, 8), 60))
    return max(base, min(len(heading), 40)) + 2


def write_xlsx(
    path: Path | str,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    col_types: Sequence[str] | None = None,
    *,
    school: str = "",
    subtitle: str = "",
) -> Path:
    """One table as a workbook of one sheet (see :func:`write_xlsx_tables`)."""
    kinds = _kinds(col_types, len(headers))
    table = TableData(title, tuple(Column(h, k) for h, k in zip(headers, kinds, strict=True)), rows)
    return write_xlsx_tables(path, title, [table], school=school, subtitle=subtitle)


def write_xlsx_tables(
    path: Path | str,
    title: str,
    tables: Sequence[TableData],
    *,
    school: str = "",
    subtitle: str = "",
) -> Path:
    """Each table on its own sheet: row 1 the marking and title, row 2 the bold headings
    (frozen, filtered, repeated on printed pages), then the rows as real dates and numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    check_writable(path)  # a write-only workbook left unsaved prints noise when collected
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.subject = MARKING
    wb.properties.keywords = MARKING
    wb.properties.category = MARKING
    wb.properties.creator = "SENCO Desk"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    used: set[str] = set()
    banner = " — ".join(p for p in (MARKING, title, school, subtitle) if p)
    for table in tables:
        ws = wb.create_sheet(_sheet_name(table.title, used))
        kinds = [c.kind for c in table.columns]
        ncols = len(table.columns)
        for i, col in enumerate(table.columns, start=1):
            sample = [r[i - 1] for r in table.rows[:200]]
            ws.column_dimensions[get_column_letter(i)].width = _width(col.kind, col.heading, sample)
        ws.freeze_panes = "A3"
        ws.print_title_rows = "2:2"
        ws.oddHeader.center.text = MARKING
        ws.oddHeader.left.text = school.replace("&", "&&")
        ws.oddFooter.center.text = MARKING
        ws.oddFooter.right.text = "Page &P of &N"
        ws.page_setup.orientation = "landscape" if ncols > 6 else "portrait"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        last = get_column_letter(ncols)
        ws.auto_filter.ref = f"A2:{last}{len(table.rows) + 2}"
        first = WriteOnlyCell(ws, value=safe_cell(banner))
        first.font = bold
        ws.append([first])
        heads = []
        for col in table.columns:
            c = WriteOnlyCell(ws, value=safe_cell(col.heading))
            c.font, c.fill, c.alignment = bold, head_fill, wrap
            heads.append(c)
        ws.append(heads)
        formats = [XLSX_FORMATS.get(k) for k in kinds]
        for row in table.rows:
            out = []
            for value, kind, fmt in zip(row, kinds, formats, strict=True):
                v = _xlsx_value(value, kind)
                flagged = bool(v) and (kind == FLAG or isinstance(value, Flagged))
                if fmt is None and not flagged:
                    out.append(v)
                    continue
                c = WriteOnlyCell(ws, value=str(v) if flagged else v)
                if fmt is not None:
                    c.number_format = fmt
                if flagged:
                    c.font = bold
                out.append(c)
            ws.append(out)
    target = Path(path)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


# --------------------------------------------------------------------------- PDF


WIDTH_SAMPLES = {
    DATE: "00/00/0000",
    DATETIME: "00/00/0000 00:00",
    MONEY: "£00,000.00",
    HOURS: "00 h 00 min",
    INT: "0000",
    PERCENT: "100.0%",
}
