"""Review paper a SENCO can edit and a parent can read (#13, part B), read back from the files.

The pack is built once (``review_pack_document``) and drawn twice: the .docx (python-docx)
carries the PDF's words and figures, real headings and tables; the invitee copy is as safe in
Word as on paper. On paper nothing is smaller than 9 pt in the body and nothing wraps
mid-figure. A merged batch has one bookmark per pupil and one copy of the fonts.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from pypdf import PdfReader

from sencodesk import cli, commands
from sencodesk.reports.batch import build_review_packs
from sencodesk.reports.data_review import load_review_pack
from sencodesk.reports.document import Document, Heading, Strong, Table
from sencodesk.reports.document_pdf import render_pdf
from sencodesk.reports.review_pack import build_review_pack, review_pack_document
from sencodesk.reports.styles import MARGIN_BOTTOM, MARGIN_TOP, PAGE

from .reports_data import TODAY, build_school
from .test_review_paper import CONTRACT_WORDS, FLAGS, SCHOOL_MONEY, _school

D = dt.date
NBSP = "\u00a0"
# What the PDF prints on every page and Word keeps in its header and footer.
FURNITURE = {"OFFICIAL-SENSITIVE", "Printed", "Page", "of"}


def docx_text(source: Path | io.BytesIO) -> str:
    """The body of a .docx in reading order: a line a paragraph or table row."""
    d = docx.Document(source)
    out = []
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(DocxParagraph(el, d).text)
        elif tag == "tbl":
            out += [" ".join(c.text for c in r.cells) for r in DocxTable(el, d).rows]
    return "\n".join(out).replace(NBSP, " ")


def pdf_text(source: Path | io.BytesIO) -> str:
    with pdfplumber.open(source) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def _both(store, pupil_id, meeting_id, **kw) -> tuple[str, str, io.BytesIO]:
    pdf, word = io.BytesIO(), io.BytesIO()
    with store.read() as s:
        build_review_pack(s, pupil_id, meeting_id, pdf, today=TODAY, **kw)
        build_review_pack(s, pupil_id, meeting_id, word, today=TODAY, fmt="docx", **kw)
    pdf.seek(0)
    word.seek(0)
    return pdf_text(pdf), docx_text(word), word


def _words(text: str) -> set[str]:
    return set(text.split())


# The bar chart draws months as "Nov 25" on paper; Word lists them as "November 2025".
MONTHS = re.compile(
    r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|January|February|March|April|June|"
    r"July|August|September|October|November|December|\d{1,2})$"
)


def test_the_word_pack_has_the_pdfs_words_and_figures(store):
    sch = build_school(store)
    pdf, word, raw = _both(store, sch.pupil_id, sch.meeting_id)
    only_word = {w for w in _words(word) - _words(pdf) if not MONTHS.match(w)}
    only_pdf = {w for w in _words(pdf) - _words(word) if not MONTHS.match(w)}
    assert not only_word, only_word
    assert not only_pdf - FURNITURE - {"20/02/2026"}, only_pdf  # "Printed 20/02/2026"
    for figure in ("£14,250.50", "25 h a week", "515 h", "500 h", "15 h", "09/03/2026"):
        assert figure in word and figure in pdf, figure
    # The same sections in the same order, as real Word headings.
    d = docx.Document(raw)
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading 1")]
    assert heads == [
        "Pupil profile and needs",
        "Progress against outcomes",
        "Support provided",
        "Incidents",
        "Funding",
        "For the meeting",
        "Words used in this pack",
    ]
    positions = [pdf.index(h) for h in heads]
    assert positions == sorted(positions)
    assert d.paragraphs[0].style.name == "Title"
    assert d.paragraphs[0].text == "Annual review of the EHC plan"
    # Tables repeat their heading row on each page; the file says what it holds, no name.
    assert all(t.rows[0]._tr.trPr is not None for t in d.tables)
    assert d.core_properties.title == "Annual review of the EHC plan"
    assert d.core_properties.subject == "OFFICIAL-SENSITIVE"
    header = " ".join(p.text for p in d.sections[0].header.paragraphs)
    assert "OFFICIAL-SENSITIVE" in header and "Zoë Ní Bhriain-Łukasiewicz" in header
    assert "OFFICIAL-SENSITIVE" in d.sections[0].footer.paragraphs[0].text
    assert round(d.sections[0].page_width.mm) == 210 and round(d.sections[0].page_height.mm) == 297


def test_the_invitee_word_copy_carries_no_contract_terms(store):
    sch, _ = _school(store)
    _pdf, word, _ = _both(store, sch.pupil_id, sch.meeting_id)
    assert "for circulation to all invitees" in word
    for w in (*CONTRACT_WORDS, *FLAGS):
        assert w.casefold() not in word.casefold(), w
    assert SCHOOL_MONEY not in word and "£14,250.50" in word
    _pdf, mine, _ = _both(store, sch.pupil_id, sch.meeting_id, audience="internal")
    for w in ("Contract ends", "Give notice by", "OVERDUE", "Act by", SCHOOL_MONEY):
        assert w in mine, w


def test_a_pupil_on_sen_support_gets_the_apdr_review_in_word_too(store):
    sch = build_school(store)
    with store.session() as s:
        mid = commands.save_review(
            s, {"pupil_id": sch.other_id, "meeting_at": dt.datetime(2026, 3, 12, 9)}
        )
    _pdf, word, _ = _both(store, sch.other_id, mid)
    assert "Review of the SEN-support plan" in word
    assert "Continue SEN support with the revised plan" in word
    assert "Annual review of the EHC plan" not in word and "Maintain the plan" not in word


def test_the_command_line_writes_word_and_refuses_a_mismatched_name(
    store, db_path, tmp_path, capsys
):
    sch = build_school(store)
    store.close()
    base = ["--db", str(db_path), "--today", "2026-02-20"]
    pupil = ["report", "review-pack", "--pupil", str(sch.pupil_id)]
    out = tmp_path / "pack.docx"
    assert cli.run([*pupil, "--format", "docx", "--out", str(out), *base]) == 0
    assert "Annual review of the EHC plan" in docx_text(out)
    by_name = tmp_path / "by-name.docx"  # the suffix alone chooses Word
    assert cli.run([*pupil, "--out", str(by_name), *base]) == 0
    assert docx_text(by_name) == docx_text(out)
    capsys.readouterr()
    bad = tmp_path / "pack.pdf"
    assert cli.run([*pupil, "--format", "docx", "--out", str(bad), *base]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "ending .docx" in err and "Traceback" not in err
    assert not bad.exists()


def test_the_batch_writes_word_copies_beside_the_pdfs(store, tmp_path):
    sch = build_school(store)
    files = build_review_packs(
        store, D(2026, 3, 1), D(2026, 3, 31), tmp_path, today=TODAY, word=True, merged=True
    )
    pdfs = [f for f in files if f.suffix == ".pdf" and "_review-pack_" in f.name]
    words = [f for f in files if f.suffix == ".docx"]
    assert [w.with_suffix(".pdf") for w in words] == pdfs
    assert files[-1].name.startswith("review-packs_")  # the merged file last
    assert sch.pupil_id and "Annual review" in docx_text(words[0])


# --------------------------------------------------------------------------- readable


def _body_chars(source: io.BytesIO) -> list[dict]:
    """The characters inside the page's text frame (not the header and footer lines)."""
    top, bottom = MARGIN_TOP, PAGE[1] - MARGIN_BOTTOM
    with pdfplumber.open(source) as pdf:
        return [
            c
            for p in pdf.pages
            for c in p.chars
            if top - 1 <= c["top"] and c["bottom"] <= bottom + 1 and c["text"].strip()
        ]


def test_parents_read_nothing_smaller_than_9_pt_and_body_text_is_10_pt(store):
    sch = build_school(store)
    buf = io.BytesIO()
    with store.read() as s:
        build_review_pack(s, sch.pupil_id, sch.meeting_id, buf, today=TODAY)
    buf.seek(0)
    chars = _body_chars(buf)
    sizes = Counter(round(c["size"], 1) for c in chars)
    assert min(sizes) >= 9.0, sizes
    buf.seek(0)
    with pdfplumber.open(buf) as pdf:
        words = pdf.pages[2].extract_words(extra_attrs=["size"])
    sentence = [w for w in words if w["text"] == "incidents"]  # "4 incidents recorded ..."
    assert sentence and sentence[0]["size"] >= 10.0


def test_hours_and_dates_never_wrap_inside_a_cell():
    """A narrow column of hours and one of dates: each entry stays whole on its line."""
    doc = Document(title="t", page_title="t", school="s", printed=D(2026, 2, 20))
    rows = [["Łucja Brown", "127 h 30 min", "01/04/2025", Strong("27 h 30 min")]]
    doc.add(
        Heading("Hours", 1),
        Table(["Staff", "Planned", "From", "Recorded"], rows, [0.82, 0.06, 0.06, 0.06], (1, 3)),
    )
    buf = io.BytesIO()
    render_pdf(doc, buf)
    buf.seek(0)
    lines = pdf_text(buf).splitlines()
    row = next(ln for ln in lines if ln.startswith("Łucja Brown"))
    assert row == "Łucja Brown 127 h 30 min 01/04/2025 27 h 30 min"


def test_the_pack_is_built_once_for_both_renderers(store):
    """One content model: the invitee and internal documents differ only where they must."""
    sch = build_school(store)
    with store.read() as s:
        data = load_review_pack(s, sch.pupil_id, sch.meeting_id, today=TODAY)
    a = review_pack_document(data)
    b = review_pack_document(data, "internal")  # type: ignore[arg-type]
    assert a.title == b.title == "Annual review of the EHC plan"
    assert "Zoë" not in a.title  # viewers show it in title bars and recent-files lists


# --------------------------------------------------------------------------- merged batch


def embedded_fonts(path: Path) -> int:
    """How many font files are embedded (each pack alone embeds its own subsets)."""
    found = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            desc = ref.get_object().get("/FontDescriptor")
            if desc is not None and "/FontFile2" in desc.get_object():
                found.add(desc.get_object().raw_get("/FontFile2").idnum)
    return len(found)


def _demo_like_batch(store, tmp_path: Path, n: int = 3) -> list[Path]:
    sch = build_school(store)
    with store.session() as s:
        for k in range(1, n):
            commands.save_review(
                s, {"pupil_id": sch.other_id, "meeting_at": dt.datetime(2026, 3, 10 + k, 9)}
            )
    return build_review_packs(
        store, D(2026, 3, 1), D(2026, 3, 31), tmp_path, merged=True, today=TODAY
    )


def test_the_merged_file_has_a_bookmark_per_pupil_and_one_copy_of_the_fonts(store, tmp_path):
    files = _demo_like_batch(store, tmp_path)
    parts, merged = files[:-1], files[-1]
    reader = PdfReader(merged)
    titles = [o.title for o in reader.outline]
    assert len(titles) == len(parts) == 3
    assert titles[0] == "Zoë Ní Bhriain-Łukasiewicz – review 09/03/2026"
    # Each bookmark opens the first page of its pack.
    starts = [reader.get_destination_page_number(o) for o in reader.outline]
    sizes = [len(PdfReader(p).pages) for p in parts]
    assert starts == [sum(sizes[:i]) for i in range(len(sizes))]
    assert len(reader.pages) == sum(sizes)
    assert embedded_fonts(merged) == 2  # DejaVu regular and bold, once for all the packs
    assert sum(embedded_fonts(p) for p in parts) == 2 * len(parts)
    assert merged.stat().st_size < sum(p.stat().st_size for p in parts) * 0.6
    # Each pack keeps its own page numbers.
    with pdfplumber.open(merged) as pdf:
        assert f"Page 1 of {sizes[1]}" in (pdf.pages[sizes[0]].extract_text() or "")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_pupil_with_no_sen_is_refused_in_either_format(store, db_path, tmp_path, capsys, fmt):
    _sch, n = _school(store)
    store.close()
    out = tmp_path / f"n.{fmt}"
    code = cli.run(
        ["report", "review-pack", "--pupil", str(n), "--out", str(out), "--db", str(db_path)]
    )
    err = capsys.readouterr().err.strip()
    assert code != 0 and "SEN code is N" in err and not out.exists()


# --------------------------------------------------------------------------- one-page profile

ADMIRE = "Kind to younger children; brilliant at Lego."
IMPORTANT = "My mum and my dog Biscuit. Knowing what happens next."
SUPPORT = "Tell me about changes early.\nGive me time to answer."


def _with_profile(store):
    sch = build_school(store)
    with store.session() as s:
        commands.save_pupil(
            s,
            {"profile_admire": ADMIRE, "profile_important": IMPORTANT, "profile_support": SUPPORT},
            sch.pupil_id,
        )
    return sch


def test_the_one_page_profile_is_one_page_from_the_pupils_record(store):
    from sencodesk.reports.profile import build_profile

    sch = _with_profile(store)
    pdf, word = io.BytesIO(), io.BytesIO()
    with store.read() as s:
        pages = build_profile(s, sch.pupil_id, pdf, today=TODAY)
        build_profile(s, sch.pupil_id, word, today=TODAY, fmt="docx")
    assert pages == 1
    pdf.seek(0)
    word.seek(0)
    text, wtext = pdf_text(pdf), docx_text(word)
    for t in (text, wtext):
        assert "All about Zoë" in t
        for head in (
            "What people like and admire about me",
            "What's important to me",
            "How best to support me",
            "What I am working towards",
            "Who supports me",
        ):
            assert head in t, head
        assert ADMIRE in t and IMPORTANT in t
        assert "Tell me about changes early." in t and "Give me time to answer." in t
        assert "Łucja Brown" in t and "Mon–Fri all day" in t
        assert "Epilepsy" in t  # medical needs: what cover staff must know
        # Handed to cover staff: no date of birth, UPN, funding, contracts or deadlines.
        for never in ("04/05/2015", "B801200005001", "£", "Contract", "notice", "OVERDUE"):
            assert never not in t, never
    pdf.seek(0)
    assert min(Counter(round(c["size"], 1) for c in _body_chars(pdf))) >= 9.0


def test_an_unwritten_profile_says_who_to_ask_and_the_cli_writes_both_formats(
    store, db_path, tmp_path, capsys
):
    sch = build_school(store)
    store.close()
    base = ["--db", str(db_path), "--today", "2026-02-20"]
    out, doc = tmp_path / "p.pdf", tmp_path / "p.docx"
    cmd = ["report", "profile", "--pupil", "B801200005001"]
    assert cli.run([*cmd, "--out", str(out), *base]) == 0
    assert cli.run([*cmd, "--out", str(doc), *base]) == 0
    text = pdf_text(out)
    assert text.count("Not written yet: ask the child and their family") == 3
    assert "Not written yet" in docx_text(doc)
    capsys.readouterr()
    missing = ["report", "profile", "--pupil", "999999", "--out", str(tmp_path / "x.pdf")]
    assert cli.run([*missing, *base]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "999999" in err and "Traceback" not in err
    assert sch.pupil_id


def test_profile_text_is_checked_like_any_field(store):
    from sencodesk.errors import KnownError

    sch = build_school(store)
    with (
        store.session() as s,
        pytest.raises(KnownError, match="[Hh]ow best|profile_support|4000|4,000"),
    ):
        commands.save_pupil(s, {"profile_support": "x" * 4001}, sch.pupil_id)
    with store.read() as s:
        from sencodesk.queries.pupil_detail import get_pupil

        assert get_pupil(s, sch.pupil_id, today=TODAY).profile_support == ""


def test_a_batch_pack_reads_as_the_same_pack_made_alone(store, tmp_path):
    """The batch loads the school's support facts once for all its packs: each pack still
    says what it says when made on its own (funding, its status and the contracts)."""
    sch, _ = _school(store)
    files = build_review_packs(
        store, D(2026, 3, 1), D(2026, 3, 31), tmp_path, today=TODAY, audience="internal"
    )
    alone = io.BytesIO()
    with store.read() as s:
        build_review_pack(s, sch.pupil_id, sch.meeting_id, alone, today=TODAY, audience="internal")
    alone.seek(0)
    assert pdf_text(files[0]) == pdf_text(alone)
    assert "Give notice by" in pdf_text(files[0]) and SCHOOL_MONEY in pdf_text(files[0])


def test_word_tables_have_the_papers_widths_and_repeat_their_headings():
    """Word reads each cell's width, LibreOffice the table's grid: both are set, to the
    paper's widths, and a narrow column of figures is widened so "127 h 30 min" fits."""
    from docx.oxml.ns import qn

    from sencodesk.reports.render import render

    doc = Document(title="t", page_title="t", school="s", printed=D(2026, 2, 20))
    rows = [["Łucja Brown", "127 h 30 min"]]
    doc.add(Table(["Staff", "Planned"], rows, [0.95, 0.05], (1,)))
    buf = io.BytesIO()
    render(doc, buf, "docx")
    buf.seek(0)
    t = docx.Document(buf).tables[0]
    grid = [c.width.mm for c in t.columns]
    assert abs(sum(grid) - 178) < 1
    assert grid[1] > 20  # widened from 8.9 mm to hold the hours whole
    assert [round(c.width.mm) for c in t.rows[1].cells] == [round(w) for w in grid]
    assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert t.rows[1].cells[1].text == "127\u00a0h\u00a030\u00a0min"  # never broken in Word either
