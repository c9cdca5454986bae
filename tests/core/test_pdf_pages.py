"""A merged file made of its documents' drawn pages (#17, ``reports/pdf_pages.py``): each
page is its document's page as drawn, its text encoded again for the merged file's own font
subsets (one copy of the fonts), so it reads as the document did, whatever characters
each document used first."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas as rl_canvas

from sencodesk.reports.document import Document, Heading, Para, Table
from sencodesk.reports.document_pdf import draw_pdf, render_merged_pdf
from sencodesk.reports.pdf_pages import Unmergeable, drawn, merge_drawn

from .test_review_paper_word import embedded_fonts

# Enough letters outside ASCII that a font needs more than one subset of 256 codes, in an
# order that gives each document's codes other characters than the merged file's.
GREEK = "".join(chr(c) for c in range(0x3B1, 0x3CA))
CYRILLIC = "".join(chr(c) for c in range(0x430, 0x450))
LATIN = "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŁłŒœŠšŸŽžƒ"
VIET = "ẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừ"


def _doc(n: int, letters: str) -> Document:
    words = [letters[i : i + 7] for i in range(0, len(letters), 7)]
    doc = Document(
        title="Test",
        page_title=f"Nguyễn Łukasz {n}",
        school="École (Zoë) \\ Ní Bhriain",
        printed=dt.date(2026, 3, 9),
        bookmark=f"Zoë {n}",
    )
    doc.add(Heading(f"Pack {n}: {letters[:12]} (a) \\ b", level=0))
    for k in range(40):
        doc.add(Para(" ".join(words[(k + j) % len(words)] for j in range(12)) + f" ({k})"))
    doc.add(
        Table(
            header=("Name", "Note"),
            rows=[(w, f"{w} – “{k}”") for k, w in enumerate(words)],
            widths=(0.4, 0.6),
        )
    )
    return doc


def _texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def test_a_merged_file_reads_as_its_documents_with_one_copy_of_the_fonts(tmp_path):
    docs = [
        _doc(1, GREEK + LATIN + CYRILLIC),
        _doc(2, VIET + CYRILLIC[::-1] + GREEK),  # first uses in another order
        _doc(3, LATIN[::-1] + VIET[::-1]),
    ]
    alone, parts = [], []
    for d in docs:
        buf = io.BytesIO()
        parts.append(draw_pdf(d, buf))
        alone.append(buf.getvalue())
    merged = tmp_path / "merged.pdf"
    pages = render_merged_pdf(iter(parts), merged, title="Review packs")
    texts = _texts(merged.read_bytes())
    assert pages == len(texts) == sum(len(p.pages) for p in parts)
    assert texts == [t for pdf in alone for t in _texts(pdf)]
    assert GREEK[:12] in texts[0] and "Page 1 of" in texts[len(parts[0].pages)]
    # One copy of each font's subsets, shared by the documents (the body's text needs two).
    reader = PdfReader(merged)
    names = set().union(*(p["/Resources"]["/Font"].keys() for p in reader.pages))
    assert {"/F2+0", "/F3+0", "/F3+1"} <= names
    assert embedded_fonts(merged) == len(names - {"/F1"})  # F1: reportlab's, no text in it
    for k, pdf in enumerate(alone):
        (tmp_path / f"{k}.pdf").write_bytes(pdf)
    assert sum(embedded_fonts(tmp_path / f"{k}.pdf") for k in range(3)) > len(names)
    assert [o.title for o in reader.outline] == ["Zoë 1", "Zoë 2", "Zoë 3"]
    assert reader.metadata.title == "Review packs"


def test_each_merged_page_is_its_documents_page_as_drawn(tmp_path):
    """Not laid out again: the operators are the document's own (here its text is ASCII,
    whose codes are the same in every file)."""
    doc = Document(title="T", page_title="P", school="S", printed=dt.date(2026, 3, 9))
    doc.add(Heading("Plain", level=0), *(Para(f"Line {k} (of 60)") for k in range(60)))
    buf = io.BytesIO()
    part = draw_pdf(doc, buf)
    merged = tmp_path / "m.pdf"
    render_merged_pdf([part, part], merged, title="T")
    own = [p.get_contents().get_data() for p in PdfReader(buf).pages]
    assert len(own) > 1
    assert [p.get_contents().get_data() for p in PdfReader(merged).pages] == own + own


def test_a_page_with_more_than_text_and_drawing_cannot_be_merged(tmp_path):
    """Refused when merging, never when the document itself is drawn (a single pack with a
    link or an image is still a good PDF)."""
    c = rl_canvas.Canvas(io.BytesIO())
    c.drawString(10, 10, "x")
    c.linkURL("https://example.org", (0, 0, 10, 10))
    c.showPage()
    part = drawn(c, "x")  # drawing it: no error
    assert part.pages[0].other == "a link"
    with pytest.raises(Unmergeable, match="a link"):
        merge_drawn([part], tmp_path / "m.pdf", title="T")
    assert not (tmp_path / "m.pdf").exists()


def test_the_merge_holds_its_pages_compressed(tmp_path):
    """A batch's pages are held till the file is written: compressed as they come, not as
    drawn (2,235 pages held uncompressed were a quarter of the merging process's memory)."""
    import tracemalloc

    buf = io.BytesIO()
    part = draw_pdf(_doc(1, LATIN), buf)
    drawn_size = sum(len(p.stream) for p in part.pages)

    def parts():
        for _ in range(30):
            yield part  # the same one: only what the merge keeps of it grows

    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        kept: list[int] = []
        real = rl_canvas.Canvas.save

        def save(self):  # measured when every page is added and none yet written
            kept.append(tracemalloc.get_traced_memory()[0] - base)
            real(self)

        rl_canvas.Canvas.save = save
        try:
            render_merged_pdf(parts(), tmp_path / "m.pdf", title="T")
        finally:
            rl_canvas.Canvas.save = real
    finally:
        tracemalloc.stop()
    assert kept[0] < 30 * drawn_size  # as drawn, with what a page holds besides: 1.4x


@pytest.mark.parametrize(
    "other",
    ["[(Zo) 120 (e)] TJ", "(Zoe) '", '0 0 (Zoe) "', "/F2+1 9 Tf"],
    ids=["TJ array", "quote", "double quote", "font without leading"],
)
def test_text_shown_another_way_is_refused_not_carried_with_the_wrong_letters(tmp_path, other):
    """Only "(...) Tj" and "/Fn+s size Tf leading TL" are encoded again: a page that shows
    text or chooses a font any other way would keep a pack's codes, meaning other letters
    in the merged file."""
    import dataclasses

    doc = Document(title="T", page_title="P", school="S", printed=dt.date(2026, 3, 9))
    doc.add(Para("Zoë Ní Bhriain"))
    part = draw_pdf(doc, io.BytesIO())
    render_merged_pdf([part], tmp_path / "ok.pdf", title="T")  # as drawn: merged
    page = part.pages[0]
    head, _, body = page.stream.partition("\n")
    odd = dataclasses.replace(page, stream=f"{head}\nBT {other} ET\n{body}")
    with pytest.raises(Unmergeable):
        render_merged_pdf(
            [dataclasses.replace(part, pages=(odd,))], tmp_path / "odd.pdf", title="T"
        )
    assert not (tmp_path / "odd.pdf").exists()  # nothing written
