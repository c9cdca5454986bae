"""A :class:`~.document.Document` drawn as a PDF: the look of ``styles`` (A4, embedded DejaVu,
OFFICIAL-SENSITIVE on every page) at sizes a parent reads without strain: body 10 pt, notes,
keys and tables 9 pt, never smaller.

Nothing wraps mid-figure: a table's ``figures`` columns (hours, amounts, counts) are widened
to their longest entry and their spaces made unbreakable, so "27 h 30 min" is never split
"27 h 30 / min"; every column is at least as wide as its longest word, so a date or a word
is never cut ("01/04/202 / 5"). The room comes from the columns with room to spare.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
)
from reportlab.platypus import (
    Table as RLTable,
)
from reportlab.platypus import (
    TableStyle as RLTableStyle,
)

from ..files import atomic_path
from .charts import bar_chart_by_month
from .document import (
    BOX,
    NBSP,
    BarChart,
    Block,
    Cell,
    Choices,
    Document,
    Gap,
    Heading,
    KeyValues,
    NewPage,
    Para,
    RoomFor,
    Strong,
    Table,
    Together,
    WriteIn,
    text_of,
)
from .pdf_pages import Drawn, drawn, merge_drawn
from .pdf_tables import long_table, table_style
from .styles import (
    FONT,
    FONT_BOLD,
    GREY_ZEBRA,
    META,
    PageHeader,
    build_pdf,
    esc,
    frame_width,
    gap,
    register_fonts,
    styles,
)

BODY_PT = 10.0
SMALL_PT = 9.0  # notes, keys, prompts and table cells: the smallest text on the paper
PAD = 6.0  # a cell's left and right padding together
LABEL_WIDTH = 45 * mm


@dataclass(frozen=True)
class Readable:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    head: ParagraphStyle


@functools.cache
def readable() -> Readable:
    base = styles()

    def like(parent: ParagraphStyle, name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **kw)

    return Readable(
        title=base.title,
        subtitle=base.subtitle,
        h1=like(base.h1, "doc_h1", fontSize=13.5, leading=17.5),
        h2=like(base.h2, "doc_h2", fontSize=11, leading=14.5),
        h3=like(base.sublabel, "doc_h3", fontSize=SMALL_PT + 0.5, leading=12.5),
        body=like(base.body, "doc_body", fontSize=BODY_PT, leading=13.5),
        note=like(base.small, "doc_note", fontSize=SMALL_PT, leading=11.5),
        cell=like(base.cell, "doc_cell", fontSize=SMALL_PT, leading=11.5),
        cell_bold=like(base.cell_bold, "doc_cell_bold", fontSize=SMALL_PT, leading=11.5),
        head=like(base.head_cell, "doc_head", fontSize=SMALL_PT, leading=11.5),
    )


SIZE_CMDS: list[tuple[Any, ...]] = [
    ("FONTSIZE", (0, 0), (-1, -1), SMALL_PT),
    ("LEADING", (0, 0), (-1, -1), 11.5),
]


PARSED_LIMIT = 50_000  # paragraphs whose parse a process keeps (a few MB at most)
_parsed: dict[tuple[str, int], tuple[ParagraphStyle, str, list[Any]]] = {}


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of ``text`` (plain text, escaped with ``esc``), its markup parsed once a
    process: the same words come back in every pack (labels, headings, dates, statuses),
    and reportlab's parse (an HTML parser a paragraph) was a quarter of drawing a pack. The
    parsed fragments are only read when laying out (lines and splits are made of copies)."""
    key = (text, id(style))
    hit = _parsed.get(key)
    if hit is not None and hit[0] is style:
        return Paragraph(hit[1], style, frags=hit[2])
    p = Paragraph(text, style)
    if len(_parsed) < PARSED_LIMIT and p.style is style:
        _parsed[key] = (style, p.text, p.frags)
    return p


def _width(text: str, bold: bool = False) -> float:
    register_fonts()
    return pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, SMALL_PT)


def _cell(c: Cell, width: float, *, figure: bool = False) -> Any:
    """A plain string when it fits on one line (fast to lay out), else a wrapping Paragraph."""
    st = readable()
    bold = isinstance(c, Strong)
    s = text_of(c)
    if figure:
        s = s.replace(" ", NBSP)
    if not bold and "\n" not in s and _width(s) <= width - PAD:
        return s
    return _para(esc(s), st.cell_bold if bold else st.cell)


def fit_columns(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: list[float],
    figures: tuple[int, ...],
    pad: float = PAD,
) -> list[float]:
    """Column widths in points where nothing breaks inside a word or a date (a column is at
    least as wide as its longest word, heading words included) and a figures column holds
    each entry whole on one line. The room comes from the columns with the most to spare.
    ``pad``: a cell's left and right padding together."""
    need = []
    for i in range(len(widths)):
        longest = max((_width(w, True) for w in header[i].split()), default=0.0)
        for r in rows:
            text, bold = text_of(r[i]), isinstance(r[i], Strong)
            parts = [text] if i in figures else text.split()
            longest = max(longest, *(_width(p, bold) for p in parts), 0.0)
        need.append(longest + pad + 0.5)
    out = list(widths)
    for i in range(len(out)):
        while out[i] < need[i] - 0.01:
            spare = {j: out[j] - need[j] for j in range(len(out)) if j != i and out[j] > need[j]}
            if not spare:
                break
            j = max(spare, key=lambda k: spare[k])
            give = min(need[i] - out[i], spare[j])
            out[i] += give
            out[j] -= give
    return out


def _table(t: Table, width: float) -> list[Flowable]:
    st = readable()
    widths = fit_columns(t.header, t.rows, [width * f for f in t.widths], t.figures)
    head = [_para(esc(h), st.head) for h in t.header]
    body = [
        [
            _cell(c, w, figure=i in t.figures)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        for row in t.rows
    ]
    extra: list[tuple[Any, ...]] = [*SIZE_CMDS]
    extra += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in t.figures]
    if t.row_height_mm is None and t.zebra:
        return long_table(head, body, widths, extra_style=extra)
    heights = [None] + [t.row_height_mm * mm if t.row_height_mm else None] * len(body)
    tab = RLTable([head, *body], colWidths=widths, rowHeights=heights, repeatRows=1)
    tab.setStyle(table_style(zebra=t.zebra, extra=extra))
    return [tab]


def _key_values(kv: KeyValues, width: float) -> RLTable:
    st = readable()
    data = [
        [
            _para(esc(k), st.cell_bold),
            _para(esc(text_of(v)), st.cell_bold if isinstance(v, Strong) else st.cell),
        ]
        for k, v in kv.pairs
    ]
    t = RLTable(data, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH])
    t.setStyle(
        table_style(
            header_rows=0,
            zebra=False,
            extra=[*SIZE_CMDS, ("BACKGROUND", (0, 0), (0, -1), GREY_ZEBRA)],
        )
    )
    return t


def _write_in(w: WriteIn, width: float) -> RLTable:
    t = RLTable(
        [[_para(esc(w.prompt), readable().note)]],
        colWidths=[width],
        rowHeights=[w.height_mm * mm],
    )
    t.setStyle(table_style(header_rows=0, zebra=False))
    return t


def _choices(c: Choices, width: float) -> RLTable:
    t = RLTable(
        [[_para(esc(f"{BOX}  {o}"), readable().body)] for o in c.options], colWidths=[width]
    )
    t.setStyle(
        RLTableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return t


def flowables(blocks: Sequence[Block], width: float) -> list[Flowable]:
    st = readable()
    heads = {0: st.title, 1: st.h1, 2: st.h2, 3: st.h3}
    paras = {"body": st.body, "note": st.note, "subtitle": st.subtitle}
    out: list[Flowable] = []
    for b in blocks:
        if isinstance(b, Heading):
            if b.room_mm:
                out.append(CondPageBreak(b.room_mm * mm))
            out.append(_para(esc(b.text), heads[b.level]))
        elif isinstance(b, Para):
            out.append(_para(esc(b.text), paras[b.kind]))
        elif isinstance(b, KeyValues):
            out.append(_key_values(b, width))
        elif isinstance(b, Table):
            out += _table(b, width)
        elif isinstance(b, WriteIn):
            out.append(_write_in(b, width))
        elif isinstance(b, Choices):
            out.append(_choices(b, width))
        elif isinstance(b, BarChart):
            out.append(
                bar_chart_by_month(
                    b.months, b.counts, width=width, caption=b.caption, font_size=SMALL_PT
                )
            )
        elif isinstance(b, Together):
            out.append(KeepTogether(flowables(b.blocks, width)))
        elif isinstance(b, NewPage):
            out.append(PageBreak())
        elif isinstance(b, RoomFor):
            out.append(CondPageBreak(b.mm * mm))
        elif isinstance(b, Gap):
            out.append(gap(b.mm))
    return out


def page_header(doc: Document) -> PageHeader:
    return PageHeader(school=doc.school, title=doc.page_title, printed=doc.printed)


def draw_pdf(doc: Document, out: Path | str | IO[bytes]) -> Drawn:
    """Draw ``doc`` to a path (written atomically) or a binary file; returns its pages as
    drawn (what a merged file is made of: ``pdf_pages``)."""
    story = flowables(doc.blocks, frame_width())
    got: list[Drawn] = []

    def keep(canvas: Any) -> None:
        got.append(drawn(canvas, doc.bookmark or doc.page_title))

    if isinstance(out, Path | str):
        with atomic_path(out) as tmp:
            build_pdf(tmp, story, header=page_header(doc), doc_title=doc.title, on_drawn=keep)
    else:
        build_pdf(out, story, header=page_header(doc), doc_title=doc.title, on_drawn=keep)
    return got[0]


def render_pdf(doc: Document, out: Path | str | IO[bytes]) -> int:
    """Draw ``doc`` to a path (written atomically) or a binary file; returns the pages."""
    return len(draw_pdf(doc, out).pages)


def render_merged_pdf(parts: Iterable[Drawn], out: Path | str | IO[bytes], *, title: str) -> int:
    """Several drawn documents (``draw_pdf``) as one PDF: a bookmark for each, one copy of
    the embedded fonts (a file merged from separate PDFs carries a font subset per
    document), and each keeps its own page header and "Page x of y". Returns the pages.

    ``parts`` may be a generator: each is added as it comes (the file is written when the
    last has come; an error raised by the generator writes nothing)."""
    register_fonts()  # the fonts the pages name (this may be a process of its own)
    return merge_drawn(parts, out, title=title, **META)
