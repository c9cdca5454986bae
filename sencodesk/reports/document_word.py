"""A :class:`~.document.Document` as a Word file (python-docx): real headings (Heading 1, 2,
3: the navigation pane lists them), real tables with a repeating heading row, A4 with the
paper's margins, and OFFICIAL-SENSITIVE in every page's header and footer, so a SENCO can
edit a pack (or paste it into the LA's own form) before circulating it.

The words and figures are the PDF's: both come from one :class:`Document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ..errors import KnownError
from ..files import atomic_path
from ..rules.dates import format_date
from .document import (
    BOX,
    NBSP,
    BarChart,
    Block,
    Choices,
    Document,
    Heading,
    KeyValues,
    NewPage,
    Para,
    Strong,
    Table,
    Together,
    WriteIn,
    text_of,
)
from .document_pdf import fit_columns
from .styles import MARKING, frame_width

FONT_NAME = "Arial"  # on every Windows and Mac; Word substitutes where it is missing
BODY_PT = 10
SMALL_PT = 9
WORD_CELL_PAD = 12.0  # points: Word's default cell margins, 0.08 inch each side, and a little
TEXT_WIDTH_MM = 178.0  # A4 less 16 mm margins each side, as on paper


def _docx() -> Any:
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency of the app
        raise KnownError(
            "Cannot write Word files: the python-docx package is not installed."
        ) from None
    return docx


def _set_repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _no_split(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) updated by Word as it lays the pages out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        else:
            run.text = text or ""
            continue
        run._r.append(el)


class _Writer:
    def __init__(self, doc: Document) -> None:
        docx = _docx()
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt, RGBColor

        self.Mm, self.Pt, self.align = Mm, Pt, WD_ALIGN_PARAGRAPH
        self.d = d = docx.Document()
        normal = d.styles["Normal"]
        normal.font.name = FONT_NAME
        normal.font.size = Pt(BODY_PT)
        normal.paragraph_format.space_after = Pt(4)
        for name, size in (
            ("Subtitle", 12),
            ("Title", 20),
            ("Heading 1", 14),
            ("Heading 2", 11.5),
            ("Heading 3", 10),
        ):
            st = d.styles[name]
            st.font.name = FONT_NAME
            st.font.size = Pt(size)
            st.font.color.rgb = RGBColor(0, 0, 0)  # black: prints on a mono laser
        sec = d.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.left_margin = sec.right_margin = Mm(16)
        sec.top_margin, sec.bottom_margin = Mm(21), Mm(18)
        head = sec.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        head.add_run(MARKING).bold = True
        sub = sec.header.add_paragraph(f"{doc.school}    {doc.page_title}")
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._small(sub)
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run(f"Printed {format_date(doc.printed)}    ")
        foot.add_run(MARKING).bold = True
        foot.add_run("    Page ")
        _field(foot, "PAGE")
        foot.add_run(" of ")
        _field(foot, "NUMPAGES")
        self._small(foot)
        props = d.core_properties
        props.title = doc.title
        props.subject = MARKING
        props.author = "SENCO Desk"
        props.keywords = MARKING
        props.comments = ""

    def _small(self, paragraph: Any) -> None:
        for run in paragraph.runs:
            run.font.size = self.Pt(SMALL_PT)

    def blocks(self, blocks: Sequence[Block], keep: bool = False) -> None:
        for b in blocks:
            self.block(b, keep)

    def block(self, b: Block, keep: bool) -> None:
        d = self.d
        if isinstance(b, Heading):
            p = d.add_heading(b.text, b.level)
            p.paragraph_format.keep_with_next = True
        elif isinstance(b, Para):
            style = "Subtitle" if b.kind == "subtitle" else None
            p = d.add_paragraph(b.text, style=style)
            if b.kind == "note":
                self._small(p)
            p.paragraph_format.keep_with_next = keep
        elif isinstance(b, KeyValues):
            t = d.add_table(rows=0, cols=2)
            t.style = "Table Grid"
            for k, v in b.pairs:
                row = t.add_row()
                _no_split(row)
                self._text(row.cells[0], k, bold=True)
                _shade(row.cells[0], "EFEFEF")
                self._text(row.cells[1], text_of(v), bold=isinstance(v, Strong))
            self._widths(t, [45 / TEXT_WIDTH_MM, 1 - 45 / TEXT_WIDTH_MM])
            # as after a table: the next paragraph clear of it (and never a table joined on)
            d.add_paragraph().paragraph_format.space_after = self.Pt(2)
        elif isinstance(b, Table):
            self._table(b)
        elif isinstance(b, WriteIn):
            t = d.add_table(rows=1, cols=1)
            t.style = "Table Grid"
            self._text(t.rows[0].cells[0], b.prompt, size=SMALL_PT)
            t.rows[0].height = self.Mm(b.height_mm)
        elif isinstance(b, Choices):
            for o in b.options:
                d.add_paragraph(f"{BOX}  {o}").paragraph_format.keep_with_next = True
        elif isinstance(b, BarChart):
            d.add_paragraph(b.caption).runs[0].bold = True
            self._table(
                Table(
                    ["Month", b.count_label],
                    [
                        [m.strftime("%B %Y"), str(n)]
                        for m, n in zip(b.months, b.counts, strict=True)
                    ],
                    [0.5, 0.5],
                    figures=(1,),
                )
            )
        elif isinstance(b, Together):
            self.blocks(b.blocks, keep=True)
        elif isinstance(b, NewPage):
            d.add_page_break()
        # RoomFor and Gap are for paper: Word lays out its own pages.

    def _text(
        self,
        cell: Any,
        text: str,
        *,
        bold: bool = False,
        size: float = SMALL_PT,
        right: bool = False,
    ) -> None:
        p = cell.paragraphs[0]
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            run.bold = bold or None
            run.font.size = self.Pt(size)
            if i < len(lines) - 1:
                run.add_break()
        p.paragraph_format.space_after = self.Pt(0)
        if right:
            p.alignment = self.align.RIGHT

    def _widths(self, t: Any, fractions: Sequence[float]) -> None:
        t.autofit = False
        for i, f in enumerate(fractions):
            w = self.Mm(TEXT_WIDTH_MM * f)
            t.columns[i].width = w  # the table's grid (LibreOffice reads this one)
            for c in t.columns[i].cells:  # each cell's own width (Word reads this one)
                c.width = w

    def _table(self, b: Table) -> None:
        t = self.d.add_table(rows=1, cols=len(b.header))
        t.style = "Table Grid"
        head = t.rows[0]
        _set_repeat_header(head)
        for c, h in zip(head.cells, b.header, strict=True):
            self._text(c, h, bold=True)
            _shade(c, "D1D1D1")
        for r in b.rows:
            row = t.add_row()
            _no_split(row)
            if b.row_height_mm:
                row.height = self.Mm(b.row_height_mm)
            for i, (c, v) in enumerate(zip(row.cells, r, strict=True)):
                fig = i in b.figures
                text = text_of(v).replace(" ", NBSP) if fig else text_of(v)
                self._text(c, text, bold=isinstance(v, Strong), right=fig)
        # The paper's column widths: no word or figure cut (measured in the PDF's font,
        # a little wider than Word's Arial, so they fit in Word too).
        full = frame_width()
        fitted = fit_columns(
            b.header, b.rows, [full * f for f in b.widths], b.figures, pad=WORD_CELL_PAD
        )
        self._widths(t, [w / full for w in fitted])
        self.d.add_paragraph().paragraph_format.space_after = self.Pt(2)


def render_docx(doc: Document, out: Path | str | IO[bytes]) -> int:
    """Write ``doc`` as a .docx to a path (written atomically) or a binary file; returns 0
    (Word counts its own pages)."""
    w = _Writer(doc)
    w.blocks(doc.blocks)
    if isinstance(out, Path | str):
        with atomic_path(out) as tmp:
            w.d.save(str(tmp))
    else:
        w.d.save(out)
    return 0
