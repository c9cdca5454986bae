"""Tables for the PDF reports: cells that wrap, the shared table style, key-value tables and
long tables drawn in chunks that say "continued" across a page break. The styles and fonts
they use live in ``styles``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from .styles import (
    BLACK,
    FONT,
    FONT_BOLD,
    GREY_HEAD,
    GREY_RULE,
    GREY_ZEBRA,
    ROWS_PER_CHUNK,
    esc,
    para,
    styles,
)

# --------------------------------------------------------------------------- tables

CELL_PADDING = 6.0  # left + right padding of a table cell


def cell(text: object, width: float, style: ParagraphStyle | None = None) -> Any:
    """A table cell: a plain string when it fits on one line (much faster to lay out),
    else a Paragraph that wraps."""
    s = "" if text is None else str(text)
    if (
        style is None
        and "\n" not in s
        and (pdfmetrics.stringWidth(s, FONT, 8.5) <= width - CELL_PADDING)
    ):
        return s
    return Paragraph(esc(s), style or styles().cell)


def table_style(
    *,
    header_rows: int = 1,
    zebra: bool = True,
    open_top: bool = False,
    open_bottom: bool = False,
    extra: Sequence[tuple[Any, ...]] = (),
) -> TableStyle:
    """Grey heading row, thin grey rules, optional light zebra: legible on any printer."""
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LEADING", (0, 0), (-1, -1), 10.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), BLACK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("GRID", (0, 0), (-1, -1), 0.4, GREY_RULE),
    ]
    if not (open_top or open_bottom):
        cmds.append(("BOX", (0, 0), (-1, -1), 0.8, BLACK))
    else:  # a chunk of a long table that carries on from or into the next one
        cmds += [
            ("LINEBEFORE", (0, 0), (0, -1), 0.8, BLACK),
            ("LINEAFTER", (-1, 0), (-1, -1), 0.8, BLACK),
        ]
        if not open_top:
            cmds.append(("LINEABOVE", (0, 0), (-1, 0), 0.8, BLACK))
        if not open_bottom:
            cmds.append(("LINEBELOW", (0, -1), (-1, -1), 0.8, BLACK))
    if header_rows:
        cmds += [
            ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT_BOLD),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), GREY_HEAD),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, BLACK),
        ]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, GREY_ZEBRA]))
    cmds.extend(extra)
    return TableStyle(cmds)


def key_value_table(
    pairs: Sequence[tuple[str, object]], width: float, label_width: float = 45 * mm
) -> Table:
    """A two-column "label: value" block (values may be Paragraphs or text)."""
    st = styles()
    data = [
        [Paragraph(esc(k), st.label), v if isinstance(v, Flowable) else para(v, st.cell)]
        for k, v in pairs
    ]
    t = Table(data, colWidths=[label_width, width - label_width])
    t.setStyle(
        table_style(header_rows=0, zebra=False, extra=[("BACKGROUND", (0, 0), (0, -1), GREY_ZEBRA)])
    )
    return t


def _shift_rows(cmds: Sequence[tuple[Any, ...]], by: int) -> list[tuple[Any, ...]]:
    """Style commands for the same rows without the ``by`` heading rows above them.

    A command for the headings only is dropped; one that starts in the headings starts at the
    first row instead; negative (from the end) and special rows ("splitlast") are kept.
    """
    out = []
    for c in cmds:
        (sc, sr), (ec, er) = c[1], c[2]
        if isinstance(sr, int) and sr >= 0:
            if isinstance(er, int) and 0 <= er < by:
                continue
            sr = max(sr - by, 0)
            if isinstance(er, int) and er >= 0:
                er -= by
        out.append((c[0], (sc, sr), (ec, er), *c[3:]))
    return out


class _ChunkStyles:
    """The four looks of a chunk of a long table: with or without the headings, and with
    the zebra starting light or dark (so the stripes alternate across chunk joins)."""

    def __init__(self, extra: Sequence[tuple[Any, ...]], last: bool) -> None:
        self._extra, self._last = list(extra), last
        self._cache: dict[tuple[bool, int], TableStyle] = {}

    def get(self, with_header: bool, phase: int) -> TableStyle:
        key = (with_header, phase % 2)
        st = self._cache.get(key)
        if st is None:
            header_rows = 1 if with_header else 0
            zebra = [colors.white, GREY_ZEBRA]
            if key[1]:
                zebra.reverse()
            cmds: list[tuple[Any, ...]] = [
                ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), zebra),
                *(self._extra if with_header else _shift_rows(self._extra, 1)),
            ]
            # Heavy rules only round the table and where a page break cuts it: none where
            # one chunk carries on from another on the same page.
            cmds.append(("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.8, BLACK))
            st = table_style(
                header_rows=header_rows,
                zebra=False,
                open_top=not with_header,
                open_bottom=not self._last,
                extra=cmds,
            )
            self._cache[key] = st
        return st


class _Continuation(Flowable):
    """A chunk of a long table: with the headings when it is the first chunk or at the top of
    a page, else without (it carries on the table above it on the same page)."""

    def __init__(
        self,
        header: list[Any],
        rows: list[list[Any]],
        col_widths: Sequence[float],
        looks: _ChunkStyles,
        *,
        phase: int = 0,
        first: bool = False,
    ) -> None:
        super().__init__()
        self.header, self.rows = header, rows
        self.col_widths, self.looks = list(col_widths), looks
        self.phase, self.first = phase, first
        self._table: Table | None = None
        self._with_header = False
        self._built: dict[bool, Table] = {}

    def _choose(self) -> Table:
        frame = getattr(self, "_frame", None)
        at_top = self.first or bool(frame is None or getattr(frame, "_atTop", 0))
        self._with_header = at_top
        t = self._built.get(at_top)
        if t is None:  # built once per state: wrap and split ask for it again
            if at_top:
                t = Table([self.header, *self.rows], colWidths=self.col_widths, repeatRows=1)
            else:
                t = Table(self.rows, colWidths=self.col_widths)
            t.setStyle(self.looks.get(at_top, self.phase))
            self._built[at_top] = t
        self._table = t
        return t

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        t = self._choose()
        self.width, self.height = t.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        t = self._choose()
        parts = t.split(avail_width, avail_height)
        if not parts:
            return []
        first = parts[0]
        header_rows = 1 if self._with_header else 0
        shown = len(first._cellvalues) - header_rows
        if shown <= 0:
            return []
        rest = self.rows[shown:]
        if not rest:
            return [first]
        more = _Continuation(
            self.header, rest, self.col_widths, self.looks, phase=self.phase + shown
        )
        return [first, more]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        t = self._table or self._choose()
        t.drawOn(canvas, x, y, _sW)


def long_table(
    header: list[Any],
    rows: list[list[Any]],
    col_widths: Sequence[float],
    *,
    extra_style: Sequence[tuple[Any, ...]] = (),
    chunk: int = ROWS_PER_CHUNK,
) -> list[Flowable]:
    """A table of any length as flowables whose build time grows linearly with the rows.

    The headings repeat at the top of every page. ``extra_style`` commands address the table
    as a whole with its heading row as row 0 (``(col, 1), (col, -1)``: every body row); they
    are moved for the chunks drawn without headings. Name single body rows by index only in a
    table of at most ``chunk`` rows; otherwise put emphasis in the cell text instead.
    """
    if not rows:
        t = Table([header], colWidths=list(col_widths), repeatRows=1)
        t.setStyle(table_style(extra=extra_style))
        return [t]
    starts = range(0, len(rows), chunk)
    last = starts[-1]
    middle, end = _ChunkStyles(extra_style, last=False), _ChunkStyles(extra_style, last=True)
    return [
        _Continuation(
            header,
            rows[i : i + chunk],
            col_widths,
            end if i == last else middle,
            phase=i,
            first=i == 0,
        )
        for i in starts
    ]


# --------------------------------------------------------------------------- pages
