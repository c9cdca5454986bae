"""The look every SENCO Desk PDF shares: A4, embedded DejaVu fonts, black-and-white tables,
and "OFFICIAL-SENSITIVE", the school's name and "Page x of y" on every page.

Everything here prints on a mono laser printer: greys and rules only, and nothing whose meaning
is carried by colour alone (a flag is a word in bold, never a red cell).

Long tables: :func:`long_table` cuts the rows into chunks of a page or so. reportlab splits one
huge table by copying what is left at every page break (quadratic in the rows); chunks keep the
build linear. A continuation chunk draws the column headings only when it starts a page, so
the headings repeat on every page and never appear twice on one. Chunks join seamlessly: the
zebra stripes carry on in step, style commands written for the whole table (a right-aligned
money column) are moved to the rows of a chunk drawn without headings, and the heavy black
rules are drawn only round the table and where a page break cuts it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Spacer

from ..rules.dates import format_date

MARKING = "OFFICIAL-SENSITIVE"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"

PAGE = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 21 * mm  # room for the two header lines
MARGIN_BOTTOM = 18 * mm  # room for the footer line

BLACK = colors.black
GREY_RULE = colors.Color(0.45, 0.45, 0.45)
GREY_HEAD = colors.Color(0.82, 0.82, 0.82)
GREY_ZEBRA = colors.Color(0.94, 0.94, 0.94)
GREY_BAR = colors.Color(0.35, 0.35, 0.35)

ROWS_PER_CHUNK = 40


@functools.cache
def register_fonts() -> None:
    """Embed DejaVu Sans (regular and bold): every script a school's names come in prints."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    # No italic face ships with the app: italics print upright rather than falling back to
    # a built-in font that lacks Ł or ễ.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base = {"fontName": FONT, "fontSize": 9.5, "leading": 12.5, "textColor": BLACK}
    base.update(kw)
    return ParagraphStyle(name, **base)


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    head_cell: ParagraphStyle
    label: ParagraphStyle
    sublabel: ParagraphStyle
    centre: ParagraphStyle


@functools.cache
def styles() -> Styles:
    register_fonts()
    return Styles(
        title=_style("title", fontName=FONT_BOLD, fontSize=18, leading=23, spaceAfter=4),
        subtitle=_style("subtitle", fontSize=11, leading=15, spaceAfter=8),
        h1=_style(
            "h1",
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=5,
        ),
        h2=_style(
            "h2",
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=7,
            spaceAfter=3,
        ),
        body=_style("body", spaceAfter=4),
        small=_style("small", fontSize=8, leading=10.5),
        cell=_style("cell", fontSize=8.5, leading=10.5),
        cell_bold=_style("cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        cell_right=_style("cell_right", fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        head_cell=_style("head_cell", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        label=_style("label", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        sublabel=_style(
            "sublabel",
            fontName=FONT_BOLD,
            fontSize=8.5,
            leading=10.5,
            spaceBefore=5,
            spaceAfter=2,
        ),
        centre=_style("centre", alignment=TA_CENTER),
    )


def heading(text: str, style: ParagraphStyle, room_mm: float = 30) -> list[Flowable]:
    """A heading that starts a new page unless ``room_mm`` is left below it for what follows.

    (Not ``keepWithNext``: reportlab moves a heading and a long table after it to a new page
    together, leaving the rest of the page blank.)
    """
    return [CondPageBreak(room_mm * mm), Paragraph(esc(text), style)]


def esc(text: object) -> str:
    """Text for a Paragraph: markup characters escaped, line breaks kept."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    return Paragraph(esc(text), style or styles().body)


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


@dataclass(frozen=True)
class PageHeader:
    """What the header and footer of every page say."""

    school: str
    title: str  # shown on the page (may name the pupil)
    printed: dt.date


class NumberedCanvas(rl_canvas.Canvas):
    """Two passes: pages are kept until the end, then each gets "Page x of y" and the marking."""

    def __init__(self, *args: Any, page_header: PageHeader, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_header = page_header
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._draw_furniture(number, total)
            rl_canvas.Canvas.showPage(self)
        self._saved_pages = []
        rl_canvas.Canvas.save(self)

    def _draw_furniture(self, number: int, total: int) -> None:
        h = self._page_header
        width, height = self._pagesize
        left, right = MARGIN_X, width - MARGIN_X
        top = height - 10 * mm
        self.saveState()
        self.setFillColor(BLACK)
        self.setStrokeColor(BLACK)
        self.setFont(FONT_BOLD, 9)
        self.drawCentredString(width / 2, top, MARKING)
        side = (right - left) / 2 - 3 * mm
        line2 = top - 4.5 * mm
        self.setFont(FONT, 8)
        self.drawString(left, line2, _fit(h.school, FONT, 8, side))
        self.drawRightString(right, line2, _fit(h.title, FONT, 8, side))
        self.setLineWidth(0.6)
        self.line(left, line2 - 2 * mm, right, line2 - 2 * mm)
        bottom = 9 * mm
        self.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
        self.setFont(FONT, 8)
        self.drawString(left, bottom, f"Printed {format_date(h.printed)}")
        self.setFont(FONT_BOLD, 9)
        self.drawCentredString(width / 2, bottom, MARKING)
        self.setFont(FONT, 8)
        self.drawRightString(right, bottom, f"Page {number} of {total}")
        self.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten text with an ellipsis to fit ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def frame_width(pagesize: tuple[float, float] = PAGE) -> float:
    return pagesize[0] - 2 * MARGIN_X


Output = Path | str | IO[bytes]


def build_pdf(
    out: Output,
    story: list[Flowable],
    *,
    header: PageHeader,
    doc_title: str,
    landscape_pages: bool = False,
    canvas_class: type[NumberedCanvas] | None = None,
) -> int:
    """Lay out ``story`` on A4 pages with the shared header and footer; returns the page count.

    ``doc_title`` goes into the PDF's metadata, which viewers show in their window title and
    recent-files lists: keep pupils' names out of it (``header.title`` is for the page).
    ``out`` is a path (written as given: see ``files.atomic_path``) or a binary file.
    """
    register_fonts()
    pagesize = landscape(PAGE) if landscape_pages else PAGE
    target: Any = str(out) if isinstance(out, Path | str) else out
    doc = BaseDocTemplate(
        target,
        pagesize=pagesize,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=doc_title,
        author="SENCO Desk",
        subject=MARKING,
        creator="SENCO Desk",
        keywords=[MARKING],
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        pagesize[0] - 2 * MARGIN_X,
        pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=pagesize)])
    # The canvas's own starting font is the embedded one too: otherwise every page names an
    # unembedded Helvetica that no text uses (and which a PDF/A checker would flag).
    maker: Callable[..., NumberedCanvas] = functools.partial(
        canvas_class or NumberedCanvas,
        page_header=header,
        initialFontName=FONT,
        initialFontSize=9.5,
    )
    doc.build(story, canvasmaker=maker)
    return int(doc.page)


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


__all__ = [
    "FONT",
    "FONT_BOLD",
    "MARKING",
    "PAGE",
    "TA_CENTER",
    "TA_LEFT",
    "NumberedCanvas",
    "PageHeader",
    "Styles",
    "build_pdf",
    "esc",
    "frame_width",
    "gap",
    "key_value_table",
    "long_table",
    "para",
    "register_fonts",
    "styles",
    "table_style",
]
