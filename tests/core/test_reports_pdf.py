"""What the printed page looks like, read back from the PDFs: every report and the review pack.

Checked on every page: the marking, the school and "Page x of y"; nothing outside the margins;
only the embedded DejaVu faces, with a glyph for every character (no boxes for Ł or ễ); only
greys (nothing carried by colour); dates dd/mm/yyyy and money £1,234.56. Long tables: the
headings on every page, numbers right-aligned on every row, the zebra stripes alternating
across the joins between chunks and pages, and heavy rules only round the table.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pdfplumber
import pytest
from reportlab.pdfbase import pdfmetrics

from sencodesk import commands
from sencodesk.exchange.tabular import (
    DATE,
    HOURS,
    MONEY,
    TEXT,
    Column,
    Report,
    TableData,
)
from sencodesk.reports.batch import build_review_packs
from sencodesk.reports.catalogue import REPORTS, build_report
from sencodesk.reports.review_pack import build_review_pack
from sencodesk.reports.styles import (
    FONT,
    FONT_BOLD,
    GREY_ZEBRA,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    register_fonts,
)
from sencodesk.reports.tables import write_pdf_report

from .reports_data import TODAY, ZOE, build_school

SCHOOL = "St Brigid’s Primary & Nursery"
NGUYEN = "Nguyễn Thị Hồng"

_BAD_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2}\b(?!\d)|\b\d/\d{2}/\d{4}\b")
_BAD_MONEY = re.compile(r"£(?!\d{1,3}(?:,\d{3})*\.\d\d(?!\d))\S*")


def _grey(colour) -> bool:
    if colour is None:
        return True
    values = list(colour) if isinstance(colour, list | tuple) else [colour]
    return len({round(float(v), 3) for v in values}) <= 1


def check_pages(source, school: str = SCHOOL, *, own_numbers: bool = True) -> list[str]:
    """Assert the shared page properties on every page; returns each page's text."""
    register_fonts()
    faces = {name: pdfmetrics.getFont(name).face.charToGlyph for name in (FONT, FONT_BOLD)}
    texts = []
    with pdfplumber.open(source) as pdf:
        n = len(pdf.pages)
        for i, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            texts.append(text)
            where = f"page {i}"
            assert text.count("OFFICIAL-SENSITIVE") >= 2, where
            assert school in text, where
            numbers = f"Page {i} of {n}" if own_numbers else r"Page \d+ of \d+"
            assert re.search(numbers, text), where
            left, right = MARGIN_X - 0.5, page.width - MARGIN_X + 0.5
            for c in page.chars:
                assert left <= c["x0"] and c["x1"] <= right, f"{where}: {c['text']!r} in the margin"
                face = c["fontname"].split("+")[-1]
                assert face in faces, f"{where}: font {c['fontname']}"
                if c["text"].strip():
                    assert ord(c["text"][0]) in faces[face], f"{where}: no glyph {c['text']!r}"
                assert _grey(c.get("non_stroking_color")), f"{where}: coloured text"
            body_bottom = page.height - MARGIN_BOTTOM + 0.5
            for r in page.rects:
                assert r["x0"] >= left and r["x1"] <= right, f"{where}: a box in the margin"
                assert r["top"] >= MARGIN_TOP - 0.5 and r["bottom"] <= body_bottom, where
                assert _grey(r.get("non_stroking_color")), f"{where}: coloured fill"
            for ln in page.lines:
                assert ln["x0"] >= left and ln["x1"] <= right, f"{where}: a rule in the margin"
                assert _grey(ln.get("stroking_color")), f"{where}: coloured rule"
            assert not _BAD_DATE.findall(text), f"{where}: {_BAD_DATE.findall(text)}"
            assert not _BAD_MONEY.findall(text), f"{where}: {_BAD_MONEY.findall(text)}"
    return texts


# --------------------------------------------------------------------------- every report


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_prints_within_the_page_in_black_and_white(store, name):
    build_school(store)
    with store.read() as s:
        report = build_report(s, name, today=TODAY)
    buf = io.BytesIO()
    write_pdf_report(report, buf)
    check_pages(io.BytesIO(buf.getvalue()))


def test_review_pack_and_batch_print_within_the_page(store, tmp_path):
    sch = build_school(store)
    out = tmp_path / "pack.pdf"
    with store.read() as s:
        build_review_pack(s, sch.pupil_id, sch.meeting_id, out, today=TODAY)
    text = "\n".join(check_pages(out))
    assert f"{ZOE[0]} {ZOE[1]}" in text
    files = build_review_packs(
        store, dt.date(2026, 3, 1), dt.date(2026, 3, 31), tmp_path / "b", merged=True, today=TODAY
    )
    merged = files[-1]
    assert merged.name.startswith("review-packs_")
    # The merged file keeps each pack's own "Page x of y".
    check_pages(merged, own_numbers=False)


# --------------------------------------------------------------------------- long tables


def _long_report(rows: int = 700) -> Report:
    cols = (
        Column("No.", TEXT, 0.5),
        Column("Name", TEXT, 2),
        Column("Date", DATE, 1),
        Column("Amount", MONEY, 1),
        Column("Hours", HOURS, 1),
    )
    data = []
    for i in range(rows):
        # Every seventh name wraps onto a second line: page breaks fall after odd and even
        # numbers of rows, and chunks join part-way down pages.
        name = f"{ZOE[0]} {ZOE[1]} {i}" + (f" and {NGUYEN} {i}" * 2 if i % 7 == 3 else "")
        data.append(
            [f"{i:04d}", name, TODAY + dt.timedelta(i), Decimal(i * 37) + Decimal("0.05"), i * 5]
        )
    return Report("Long", SCHOOL, TODAY, (TableData("Long", cols, data),), landscape=False)


def _rows_by_page(pdf) -> list[list[tuple[int, float, float]]]:
    """Per page: (row number, top, bottom of its first line) for each body row."""
    out = []
    for page in pdf.pages:
        words = page.extract_words()
        rows = [
            (int(w["text"]), w["top"], w["bottom"])
            for w in words
            if re.fullmatch(r"\d{4}", w["text"]) and w["x0"] < MARGIN_X + 10
        ]
        out.append(rows)
    return out


def test_long_table_headings_alignment_and_stripes_on_every_page(tmp_path):
    path = tmp_path / "long.pdf"
    report = _long_report()
    write_pdf_report(report, path)
    texts = check_pages(path)
    assert len(texts) > 10
    for i, t in enumerate(texts, start=1):  # the headings head every page, once
        assert t.count("No. Name Date Amount Hours") == 1, f"page {i}"
    with pdfplumber.open(path) as pdf:
        by_page = _rows_by_page(pdf)
        seen = [n for rows in by_page for n, _, _ in rows]
        assert seen == list(range(700))  # every row once, in order
        amount_right: set[float] = set()
        for number, (page, rows) in enumerate(zip(pdf.pages, by_page, strict=True), start=1):
            where = f"page {number}"
            # Amounts are right-aligned in every row, the first of each chunk too.
            words = page.extract_words()
            for n, top, bottom in rows:
                money = [w for w in words if w["text"].startswith("£") and top - 1 <= w["top"]]
                money = [w for w in money if w["top"] <= bottom]
                assert len(money) == 1, f"{where}: row {n}"
                amount_right.add(round(money[0]["x1"], 0))
            # The stripes alternate through the whole table: odd rows grey, even rows white.
            greys = [
                r
                for r in page.rects
                if r["fill"]
                and _grey(r.get("non_stroking_color"))
                and abs(float(list(r["non_stroking_color"])[0]) - GREY_ZEBRA.red) < 0.01
            ]
            for n, top, bottom in rows:
                mid = (top + bottom) / 2
                shaded = any(r["top"] <= mid <= r["bottom"] for r in greys)
                assert shaded == bool(n % 2), f"{where}: row {n} stripe"
            # Heavy rules: above the headings, under them and under the last row only (no
            # rule across the table where one chunk carries on from another).
            heavy = sorted(
                {
                    round(ln["top"], 0)
                    for ln in page.lines
                    if abs(ln["linewidth"] - 0.8) < 0.01 and abs(ln["top"] - ln["bottom"]) < 0.1
                }
            )
            assert len(heavy) == 3, f"{where}: heavy rules at {heavy}"
        assert len(amount_right) == 1, f"amounts end at {sorted(amount_right)}"


def test_long_evidence_table_in_a_pack_repeats_its_headings(store, tmp_path):
    sch = build_school(store)
    with store.session() as s:
        for i in range(150):
            commands.save_record(
                s,
                {
                    "pupil_id": sch.pupil_id,
                    "author_id": sch.staff_id,
                    "kind": "observation",
                    "occurred_at": dt.datetime(2025, 4, 1, 10) + dt.timedelta(days=i * 2),
                    "text": f"Evidence {i:03d}: used the card with {NGUYEN}"
                    + (" and then asked for a break, as agreed." * (i % 3)),
                    "outcome_id": sch.outcome_id,
                    "progress": 1 + i % 5,
                },
            )
    out = tmp_path / "pack.pdf"
    with store.read() as s:
        build_review_pack(s, sch.pupil_id, sch.meeting_id, out, today=TODAY)
    texts = check_pages(out)
    text = "\n".join(texts)
    for i in (0, 1, 75, 149):
        assert text.count(f"Evidence {i:03d}:") == 1
    pages = [t for t in texts if re.search(r"Evidence \d{3}:", t)]
    assert len(pages) >= 4
    for t in pages:  # the table's headings on every page it runs over, once
        assert t.count("Date Kind By Progress Note") == 1
    assert NGUYEN in " ".join(text.split())  # the name may wrap at a space in its cell
