"""The review report and the meeting record in Word (#13): built once as a Document, the
.docx a SENCO edits before sending it to the LA carries the PDF's sections and words; the
invitee pack shows shared advice and never advice kept back, in Word as on paper."""

from __future__ import annotations

import io

import docx
import pytest

from sencodesk import cli
from sencodesk.reports.review_pack import build_review_pack
from sencodesk.reports.review_report import build_review_report

from .reports_data import TODAY
from .test_review_paper_word import FURNITURE, MONTHS, docx_text, pdf_text
from .test_review_report import AFTER, CONFIDENTIAL, _recorded

SHARED = "Expressive language below age"  # advice marked as shared (its cell may wrap)


def _report_both(store, meeting_id, **kw) -> tuple[str, str, io.BytesIO]:
    pdf, word = io.BytesIO(), io.BytesIO()
    with store.read() as s:
        assert build_review_report(s, meeting_id, pdf, today=AFTER, **kw) >= 2
        assert build_review_report(s, meeting_id, word, today=AFTER, fmt="docx", **kw) == 0
    pdf.seek(0)
    word.seek(0)
    return pdf_text(pdf), docx_text(word), word


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_word_review_report_has_the_pdfs_sections_and_words(store):
    sch = _recorded(store)
    pdf, word, raw = _report_both(store, sch.meeting_id)
    d = docx.Document(raw)
    # the PDF prints on every page what Word keeps in its header and footer
    header = " ".join(p.text for p in d.sections[0].header.paragraphs)
    only_word = {w for w in set(word.split()) - set(pdf.split()) if not MONTHS.match(w)}
    only_pdf = set(pdf.split()) - set(word.split()) - FURNITURE - set(header.split())
    assert not only_word, only_word
    assert not only_pdf - {"12/03/2026", "3"}, only_pdf  # "Printed 12/03/2026", "of 3"
    assert d.paragraphs[0].style.name == "Title"
    assert d.paragraphs[0].text == "Review report: annual review of the EHC plan"
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert heads == [
        "The school's recommendation to the local authority",
        "Who came to the meeting",
        "Progress and support",
        "What the review found",
    ]
    subs = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    for h in (
        "Amend the plan",
        "Attendance and exclusions",
        "Advice received",
        "Changes to the child's needs (section B of the plan)",
        "The child's views",
        "The parents' or carers' views",
        "Changes proposed to the plan, section by section",
    ):
        assert h in subs, h
    flat_pdf = _flat(pdf)
    positions = [flat_pdf.index(h) for h in [*heads, *subs]]
    # the same order on paper: each heading after the one before it in Word
    assert positions[: len(heads)] == sorted(positions[: len(heads)])
    # typed line breaks kept: the attainment's two lines stay two lines in Word
    assert "Reading: age 7 years 2 months (up 8 months).\nWriting:" in word
    # the invitees' copy, in Word too: no advice kept back; the file's title names nobody
    assert SHARED in _flat(word) and CONFIDENTIAL not in word
    assert d.core_properties.title == "Review report"
    assert "OFFICIAL-SENSITIVE" in header and "review report 09/03/2026" in header


def test_the_internal_word_report_has_the_advice_kept_back(store):
    sch = _recorded(store)
    pdf, word, _ = _report_both(store, sch.meeting_id, audience="internal")
    assert CONFIDENTIAL in _flat(pdf) and CONFIDENTIAL in _flat(word)
    assert "SENCO's internal copy, not for circulation" in _flat(word)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_invitee_pack_shows_shared_advice_but_never_advice_kept_back(store, fmt):
    sch = _recorded(store)
    read = pdf_text if fmt == "pdf" else docx_text
    out = {}
    for audience in ("invitees", "internal"):
        buf = io.BytesIO()
        with store.read() as s:
            build_review_pack(
                s, sch.pupil_id, sch.meeting_id, buf, today=TODAY, audience=audience, fmt=fmt
            )
        buf.seek(0)
        out[audience] = _flat(read(buf))
    invitees, internal = out["invitees"], out["internal"]
    # the record's sections sit before the blank pages for the meeting
    assert invitees.index("For the review form") < invitees.index("For the meeting")
    assert SHARED in invitees and "Use a visual timetable" in invitees
    assert CONFIDENTIAL not in invitees
    assert "Family support worker" not in invitees
    assert CONFIDENTIAL in internal and SHARED in internal


def test_the_command_writes_the_report_in_word(store, db_path, tmp_path, capsys):
    sch = _recorded(store)
    store.close()
    base = ["--db", str(db_path), "--today", "12/03/2026"]
    cmd = ["report", "review-report", "--meeting", str(sch.meeting_id)]
    out = tmp_path / "report.docx"  # the name alone chooses Word
    assert cli.run([*cmd, "--out", str(out), *base]) == 0
    assert "Amend the plan" in docx_text(out)
    assert capsys.readouterr().out.strip() == f"Wrote {out}."
    bad = tmp_path / "report.pdf"
    assert cli.run([*cmd, "--format", "docx", "--out", str(bad), *base]) != 0
    err = capsys.readouterr().err.strip()
    assert "ending .docx" in err and "Traceback" not in err and not bad.exists()
    text = tmp_path / "report.txt"  # neither: both are named
    assert cli.run([*cmd, "--out", str(text), *base]) != 0
    err = capsys.readouterr().err.strip()
    assert "ending .pdf or .docx" in err and not text.exists()


def test_a_chart_over_years_labels_fewer_months_so_none_overlap():
    """The pack's incidents chart for a first review 4 years after the plan was issued: 48
    slanted 9 pt labels on 16 cm would overlap; every other month (or quarter) is named."""
    import datetime as dt

    from reportlab.lib.units import mm

    from sencodesk.reports.charts import _thinned_labels

    months = [dt.date(2022 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(3, 51)]
    labels = _thinned_labels(months, 160 * mm, 9)
    named = [x for x in labels if x]
    assert labels[0] == "Mar 22" and labels[1] == "" and len(named) == 24
    # a year's months all named, level, as before
    year = months[:12]
    assert _thinned_labels(year, 160 * mm, 9) == [m.strftime("%b %y") for m in year]
    # squeezed harder: quarters, then half years, then Januarys
    assert [x for x in _thinned_labels(months, 100 * mm, 9) if x][:2] == ["Apr 22", "Jul 22"]
    assert [x for x in _thinned_labels(months, 60 * mm, 9) if x][:2] == ["Jul 22", "Jan 23"]
