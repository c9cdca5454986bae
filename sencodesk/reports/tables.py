"""A table report on paper, and the one writer for every format.

:func:`write_report` picks PDF, CSV or XLSX from the file's extension; the CSV and XLSX
writers are ``exchange.tabular``'s, the PDF is drawn here with the reports' styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ..exchange.tabular import (
    FLAG,
    NUMERIC,
    TEXT,
    WIDTH_SAMPLES,
    Column,
    Flagged,
    Report,
    TableData,
    display,
    report_format,
    write_csv_tables,
    write_xlsx_tables,
)
from ..files import atomic_path

WORD_SAMPLE_ROWS = 2000  # rows looked at for each text column's longest word
WORD_SHARE = 0.22  # no column is widened beyond this share of the page for a long word


def _longest_words(
    columns: Sequence[Column], rows: Sequence[Sequence[Any]], font: str, bold: str
) -> list[float]:
    """Per text column, the width of the longest word in its values (a UPN, a reference):
    wrapping breaks text between words, and a word wider than its column is cut mid-word."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out = [0.0] * len(columns)
    text_cols = [i for i, c in enumerate(columns) if c.kind in (TEXT, FLAG)]
    if not text_cols:
        return out
    step = max(1, len(rows) // WORD_SAMPLE_ROWS)
    for i in text_cols:
        seen: dict[str, float] = {}
        face = bold if columns[i].kind == FLAG else font
        longest = 0.0
        for row in rows[::step]:
            value = row[i]
            if not isinstance(value, str) or not value:
                continue
            word = max(value.split(), key=len, default="")
            if len(word) < 6 or word in seen:
                continue
            w = seen[word] = stringWidth(word, bold if isinstance(value, Flagged) else face, 8.5)
            longest = max(longest, w)
        out[i] = longest
    return out


def column_widths(
    columns: Sequence[Column], width: float, rows: Sequence[Sequence[Any]] = ()
) -> list[float]:
    """Widths in proportion to each column's weight, but never so narrow that a date, an
    amount, a word of the heading or (given the rows) a word of a value has to break."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from .styles import FONT, FONT_BOLD

    pad = 7.0
    mins = []
    longest = _longest_words(columns, rows, FONT, FONT_BOLD)
    for c, word in zip(columns, longest, strict=True):
        words = max((stringWidth(w, FONT_BOLD, 8.5) for w in c.heading.split()), default=0)
        sample = stringWidth(WIDTH_SAMPLES.get(c.kind, ""), FONT, 8.5)
        mins.append(max(words, sample, min(word, width * WORD_SHARE)) + pad)
    if sum(mins) >= width:
        return [width * m / sum(mins) for m in mins]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(columns)) if i not in fixed]
        room = width - sum(fixed.values())
        weight = sum(columns[i].width for i in free) or 1
        out = {i: room * columns[i].width / weight for i in free}
        short = [i for i in free if out[i] < mins[i]]
        if not short:
            fixed.update(out)
            return [fixed[i] for i in range(len(columns))]
        for i in short:
            fixed[i] = mins[i]


def pdf_table_flowables(table: TableData, width: float) -> list[Any]:
    """A table as reportlab flowables: headings repeat on every page; long text wraps."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    from .pdf_tables import long_table
    from .styles import FONT, esc, gap, styles

    st = styles()
    widths = column_widths(table.columns, width, table.rows)
    header = [Paragraph(esc(c.heading), st.head_cell) for c in table.columns]
    room = [w - 6 for w in widths]  # cell padding
    body = []
    for row in table.rows:
        cells: list[Any] = []
        for value, col, fits in zip(row, table.columns, room, strict=True):
            text = display(value, col.kind)
            if text and (col.kind == FLAG or isinstance(value, Flagged)):
                cells.append(Paragraph(esc(text), st.cell_bold))
            elif col.kind in NUMERIC or stringWidth(text, FONT, 8.5) <= fits:
                cells.append(text)  # plain strings are much faster than paragraphs
            else:
                cells.append(Paragraph(esc(text), st.cell))
        body.append(cells)
    right = [
        ("ALIGN", (i, 1), (i, -1), "RIGHT")
        for i, c in enumerate(table.columns)
        if c.kind in NUMERIC
    ]
    flow: list[Any] = [gap(2), *long_table(header, body, widths, extra_style=right)]
    if table.notes:
        flow.append(gap(1.5))
    for note in table.notes:
        flow.append(Paragraph(esc(note), st.small))
    return flow


def write_pdf_report(report: Report, out: Path | str | IO[bytes]) -> int:
    """A report as a PDF: title, subtitle lines, each table with its heading, then notes."""
    from reportlab.platypus import Paragraph

    from .styles import PAGE, PageHeader, build_pdf, esc, frame_width, heading, styles

    st = styles()
    width = frame_width((PAGE[1], PAGE[0]) if report.landscape else PAGE)
    story: list[Any] = [Paragraph(esc(report.title), st.title)]
    for line in report.subtitle:
        story.append(Paragraph(esc(line), st.subtitle))
    for table in report.tables:
        if len(report.tables) > 1 or table.title != report.title:
            story += heading(table.title, st.h1, 40)
        if not table.rows:
            story.append(Paragraph(esc(table.empty), st.body))
            continue
        story.extend(pdf_table_flowables(table, width))
    for note in report.notes:
        story.append(Paragraph(esc(note), st.small))
    header = PageHeader(school=report.school, title=report.title, printed=report.today)
    if isinstance(out, Path | str):
        with atomic_path(out) as tmp:
            return build_pdf(
                tmp, story, header=header, doc_title=report.title, landscape_pages=report.landscape
            )
    return build_pdf(
        out, story, header=header, doc_title=report.title, landscape_pages=report.landscape
    )


def write_report(report: Report, path: Path | str) -> Path:
    """Write a report as PDF, CSV or XLSX, chosen by the file's extension."""
    kind = report_format(path)
    target = Path(path)
    if kind == "pdf":
        write_pdf_report(report, target)
    elif kind == "csv":
        write_csv_tables(
            target,
            [
                (t.title, [c.heading for c in t.columns], t.rows, [c.kind for c in t.columns])
                for t in report.tables
            ],
            title=report.title,
            marking=True,
        )
    else:
        write_xlsx_tables(
            target,
            report.title,
            report.tables,
            school=report.school,
            subtitle=" ".join(report.subtitle),
        )
    return target
