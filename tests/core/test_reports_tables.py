"""The table reports as PDF, CSV and XLSX, read back; long tables; the command line."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pdfplumber
import pytest

from sencodesk import commands
from sencodesk.cli import run
from sencodesk.errors import KnownError
from sencodesk.exchange.tabular import (
    DATE,
    HOURS,
    MONEY,
    TEXT,
    Column,
    Report,
    TableData,
    write_csv,
    write_xlsx,
)
from sencodesk.reports.catalogue import REPORTS, build_report
from sencodesk.reports.census import problems
from sencodesk.reports.tables import write_report

from .reports_data import TODAY, ZOE, ZOE_UPN, build_school
from .test_reports import assert_every_page_marked, pdf_pages

D = dt.date
SCHOOL = "St Brigid’s Primary & Nursery"


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_in_every_format(store, tmp_path, name):
    build_school(store)
    with store.read() as s:
        report = build_report(s, name, today=TODAY)
    for ext in ("pdf", "csv", "xlsx"):
        write_report(report, tmp_path / f"r.{ext}")
    pages = pdf_pages(tmp_path / "r.pdf")
    assert_every_page_marked(pages)
    assert report.title in pages[0]
    rows = read_csv(tmp_path / "r.csv")
    assert rows[0][0] == "OFFICIAL-SENSITIVE"
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.properties.keywords == "OFFICIAL-SENSITIVE"
    for ws in wb.worksheets:
        assert str(ws["A1"].value).startswith("OFFICIAL-SENSITIVE")
        assert ws.freeze_panes == "A3"
        assert ws["A2"].font.b
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_costs_figures(store, tmp_path):
    build_school(store)
    with store.read() as s:
        report = build_report(s, "costs", today=TODAY)
    write_report(report, tmp_path / "costs.xlsx")
    write_report(report, tmp_path / "costs.pdf")
    wb = openpyxl.load_workbook(tmp_path / "costs.xlsx")
    staff, pupils = wb.worksheets
    heads = [c.value for c in staff[2]]
    row = {h: c for h, c in zip(heads, staff[3], strict=True)}
    assert row["Staff"].value == "Łucja Brown"
    # DOMAIN.md's test vector: 31 h 40 min, 43.108 weeks, FTE £24,223 -> £17,139 a year.
    assert row["Pay a year"].value == pytest.approx(17139.19)
    assert row["Pay a year"].number_format == '"£"#,##0.00;-"£"#,##0.00'
    assert row["Employer cost a year"].value == pytest.approx(22280.95)  # + 30% on-costs
    assert row["Contract ends"].value == dt.datetime(2026, 3, 31)
    assert row["Contract ends"].number_format == "dd/mm/yyyy"
    assert row["Contracted a week"].value == dt.timedelta(hours=31, minutes=40)
    assert row["Contracted a week"].number_format == "[h]:mm"
    heads = [c.value for c in pupils[2]]
    row = {h: c.value for h, c in zip(heads, pupils[3], strict=True)}
    assert row["Pupil"] == f"{ZOE[0]} {ZOE[1]}"
    assert row["Cost a year"] == pytest.approx(17590.22)  # 25 of 31 h 40 min of £22,280.95
    assert row["Funding a year"] == pytest.approx(14250.50)
    assert row["Shortfall"] == pytest.approx(3339.72)
    assert row["Check"] == "Shortfall"
    text = "\n".join(pdf_pages(tmp_path / "costs.pdf"))
    for s in (
        "£17,139.19",
        "£22,280.95",
        "£17,590.22",
        "£3,339.72",
        "31/03/2026",
        "31 h 40 min",
        f"{ZOE[0]} Ní",
    ):
        assert s in text, s


def test_census_flags_gaps(store, tmp_path):
    build_school(store)
    with store.session() as s:
        commands.save_pupil(
            s,
            {
                "legal_first_name": "Ava",
                "legal_last_name": "Ng",
                "date_of_birth": D(2016, 3, 3),
                "sen_code": "K",
            },
        )
        commands.save_pupil(
            s,
            {
                "legal_first_name": "Ben",
                "legal_last_name": "Ode",
                "date_of_birth": D(2016, 3, 3),
                "sen_code": "N",
            },
        )
        for first, upn in (("Cal", "Y80120000500Z"), ("Dee", "G801200005099")):
            commands.save_pupil(  # no SEN: listed only if the UPN needs fixing
                s,
                {
                    "legal_first_name": first,
                    "legal_last_name": "Roe",
                    "date_of_birth": D(2016, 3, 3),
                    "sen_code": "N",
                    "upn": upn,
                },
            )
    with store.read() as s:
        write_report(build_report(s, "census", today=TODAY), tmp_path / "c.csv")
        write_report(build_report(s, "census", today=TODAY), tmp_path / "c.pdf")
    rows = read_csv(tmp_path / "c.csv")
    assert rows[1][0] == "Pupil" and rows[1][-1] == "To fix before census"
    by_name = {r[0]: r for r in rows[2:]}
    assert "No primary need (needed for code K)" in by_name["Ava Ng"][-1]
    assert by_name["Nguyễn Thị Hương"][-1] == "No UPN"
    assert by_name[f"{ZOE[0]} {ZOE[1]}"][1:3] == [ZOE_UPN, "04/05/2015"]
    assert by_name[f"{ZOE[0]} {ZOE[1]}"][-1] == ""
    assert "Ben Ode" in by_name  # no SEN, but no UPN either
    assert by_name["Cal Roe"][-1] == "Temporary UPN: replace it with the permanent one"
    assert "Dee Roe" not in by_name  # no SEN and a sound UPN: nothing to fix
    assert list(by_name)[-1] == f"{ZOE[0]} {ZOE[1]}"  # problems first
    text = "\n".join(pdf_pages(tmp_path / "c.pdf"))
    # January's census (15/01/2026) has passed: the third Thursday of May is next.
    assert "Next census day: Thursday 21/05/2026 (in 90 days). To fix: 4 pupils" in text


def test_census_rules():
    assert problems("K", None, None, ZOE_UPN, None) == ["No primary need (needed for code K)"]
    assert problems("N", "ASD", None, ZOE_UPN, None) == ["Has a need recorded but code N"]
    assert problems("K", "ASD", None, ZOE_UPN, D(2024, 1, 2)) == [
        "EHC plan issued 02/01/2024 but code K"
    ]
    assert problems("E", "NSA", None, ZOE_UPN, D(2024, 1, 2)) == [
        "NSA is for SEN support only, not an EHC plan"
    ]
    assert problems("E", "ASD", None, None, None) == ["Code E but no EHC plan issue date", "No UPN"]
    assert "check letter" in problems("K", "ASD", None, "A801200005001", None)[0]
    assert problems("E", "ASD", "SLCN", ZOE_UPN, D(2024, 1, 2)) == []


def _training_school(store, staff=60):
    kinds = ["first_aid", "paediatric_first_aid", "safeguarding", "deescalation", "medication"]
    with store.session() as s:
        commands.save_school(s, {"name": SCHOOL})
        for i in range(staff):
            sid = commands.save_staff(
                s, {"first_name": f"Ŝtaff{i:03d}", "last_name": "Łee", "role": "lsa_class"}
            )
            for k, kind in enumerate(kinds):
                done = D(2023, 1, 1) + dt.timedelta(days=7 * i + k)
                commands.save_training(
                    s,
                    {
                        "staff_id": sid,
                        "kind": kind,
                        "completed": done,
                        "expires": done + dt.timedelta(days=3 * 365),
                    },
                )


def test_training_matrix_300_rows_spans_pages_with_headings(store, tmp_path):
    _training_school(store)
    with store.read() as s:
        report = build_report(s, "training", today=TODAY)
    assert len(report.tables[1].rows) == 300
    write_report(report, tmp_path / "t.pdf")
    with pdfplumber.open(tmp_path / "t.pdf") as pdf:
        pages = [p.extract_text() for p in pdf.pages]
    assert_every_page_marked(pages, SCHOOL)
    detail_pages = [p for p in pages if "Training records" in p or "Completed Expires" in p]
    assert len(detail_pages) >= 4
    for p in detail_pages:  # the headings repeat at the top of every page of the table
        assert "Staff Role Training Completed Expires Status Action" in p
        assert p.count("Completed Expires") == 1
    text = "\n".join(pages)
    assert text.count("Ŝtaff000 Łee") == 1 + 5  # once in the matrix, five training rows
    # Matrix cells wrap onto two lines: the word on the first, the date on the second.
    assert re.search(r"Ŝtaff000 Łee Class-based NO DBS RECORDED EXPIRED EXPIRED", text)
    assert re.search(r"\nLSA 31/12/2025 01/01/2026", text)
    assert "Ŝtaff007 Łee Class-based NO DBS RECORDED EXPIRED EXPIRED Expires soon" in text
    assert "NO DBS RECORDED" in text


def test_long_generic_table_keeps_every_row_once(tmp_path):
    cols = (
        Column("No.", TEXT, 0.5),
        Column("Name", TEXT, 2),
        Column("Date", DATE, 1),
        Column("Amount", MONEY, 1),
        Column("Hours", HOURS, 1),
    )
    rows = [
        [
            f"{i:04d}",
            f"Zoë Ní Bhriain-Łukasiewicz {i}",
            D(2026, 1, 1) + dt.timedelta(i),
            Decimal(i) + Decimal("0.5"),
            i * 5,
        ]
        for i in range(1000)
    ]
    report = Report("Long", SCHOOL, TODAY, (TableData("Long", cols, rows),))
    write_report(report, tmp_path / "long.pdf")
    pages = pdf_pages(tmp_path / "long.pdf")
    assert len(pages) > 15
    assert_every_page_marked(pages, SCHOOL)
    text = "\n".join(pages)
    for i in (0, 1, 499, 999):
        assert text.count(f"Zoë Ní Bhriain-Łukasiewicz {i} ") == 1
    assert "£999.50" in text and "26/09/2028" in text and "83 h 15 min" in text
    for p in pages:
        assert p.count("No. Name Date Amount Hours") == 1


def test_csv_and_xlsx_writers(tmp_path):
    heads = ["Pupil", "Born", "Top-up", "Hours"]
    rows = [
        ["=cmd|' /C calc'!A0", D(2015, 5, 4), Decimal("1234.5"), 1900],
        ["Zoë", None, None, None],
    ]
    write_csv(tmp_path / "x.csv", heads, rows, [TEXT, DATE, MONEY, HOURS], title="Test")
    got = read_csv(tmp_path / "x.csv")
    assert got == [
        ["OFFICIAL-SENSITIVE", "Test"],
        heads,
        ["'=cmd|' /C calc'!A0", "04/05/2015", "1234.50", "31:40"],
        ["Zoë", "", "", ""],
    ]
    write_xlsx(tmp_path / "x.xlsx", "Test", heads, rows, [TEXT, DATE, MONEY, HOURS], school=SCHOOL)
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    assert ws["A1"].value == f"OFFICIAL-SENSITIVE — Test — {SCHOOL}"
    assert [c.value for c in ws[2]] == heads
    assert ws["B3"].value == dt.datetime(2015, 5, 4) and ws["B3"].number_format == "dd/mm/yyyy"
    assert ws["C3"].value == pytest.approx(1234.5)
    assert ws["A4"].value == "Zoë" and ws["B4"].value is None
    assert ws.column_dimensions["A"].width >= 10


def test_unknown_extension_is_a_clear_error(store, tmp_path):
    build_school(store)
    with store.read() as s, pytest.raises(KnownError, match=r"\.docx is not a report format"):
        from sencodesk.reports.catalogue import write_named_report

        write_named_report(s, "costs", tmp_path / "costs.docx", today=TODAY)


def test_command_line(store, db_path, tmp_path, capsys):
    build_school(store)
    store.close()
    base = ["--db", str(db_path), "--today", "2026-02-20"]
    assert run(["report", "costs", "--out", str(tmp_path / "c.xlsx"), *base]) == 0
    assert (tmp_path / "c.xlsx").exists()
    # --db before the command name counts too
    assert run(["--db", str(db_path), "report", "training", "--out", str(tmp_path / "t.csv")]) == 0
    assert read_csv(tmp_path / "t.csv")[3][0] == "Łucja Brown"  # after its section title
    assert run(["report", "census", "--out", str(tmp_path / "c.txt"), *base]) == 2
    assert ".txt is not a report format" in capsys.readouterr().err
    assert (
        run(
            [
                "report",
                "review-pack",
                "--pupil",
                ZOE_UPN.lower(),
                "--out",
                str(tmp_path / "p.pdf"),
                *base,
            ]
        )
        == 0
    )
    assert "09/03/2026" in pdf_pages(tmp_path / "p.pdf")[0]
    assert (
        run(
            [
                "report",
                "review-pack",
                "--pupil",
                "1",
                "--meeting",
                "01/01/2026",
                "--out",
                str(tmp_path / "q.pdf"),
                *base,
            ]
        )
        == 2
    )
    assert "no review meeting on 01/01/2026" in capsys.readouterr().err
    assert (
        run(
            [
                "report",
                "review-packs",
                "--from",
                "01/03/2026",
                "--to",
                "31/03/2026",
                "--out",
                str(tmp_path / "packs"),
                "--merged",
                *base,
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "2/2" in err
    assert len(list((tmp_path / "packs").glob("*.pdf"))) == 2
    assert run(["calendar", "--out", str(tmp_path / "c.ics"), *base]) == 0
    assert (tmp_path / "c.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
