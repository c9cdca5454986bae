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
from collections.abc import Callable
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


@dataclass(frozen=True)
class PageHeader:
    """What the header and footer of every page say."""

    school: str
    title: str  # shown on the page (may name the pupil)
    printed: dt.date


class NumberedCanvas(rl_canvas.Canvas):
    """Two passes: pages are kept until the end, then each gets "Page x of y" and the marking."""

    def __init__(
        self,
        *args: Any,
        page_header: PageHeader,
        on_drawn: Callable[[rl_canvas.Canvas], object] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._page_header = page_header
        self._on_drawn = on_drawn  # called with every page shown, before the file is written
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
        if self._on_drawn is not None:
            self._on_drawn(self)
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
# What every file says of itself (its metadata), beside its title.
META: dict[str, Any] = {
    "author": "SENCO Desk",
    "subject": MARKING,
    "creator": "SENCO Desk",
    "keywords": [MARKING],
}


def build_pdf(
    out: Output,
    story: list[Flowable],
    *,
    header: PageHeader,
    doc_title: str,
    landscape_pages: bool = False,
    canvas_class: type[NumberedCanvas] | None = None,
    on_drawn: Callable[[rl_canvas.Canvas], object] | None = None,
) -> int:
    """Lay out ``story`` on A4 pages with the shared header and footer; returns the page count.

    ``doc_title`` goes into the PDF's metadata, which viewers show in their window title and
    recent-files lists: keep pupils' names out of it (``header.title`` is for the page).
    ``out`` is a path (written as given: see ``files.atomic_path``) or a binary file.
    ``on_drawn(canvas)``: called when every page is drawn, before the file is written.
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
        **META,
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
        on_drawn=on_drawn,
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
    "para",
    "register_fonts",
    "styles",
]
