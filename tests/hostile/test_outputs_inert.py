"""Every file out is inert: names from the data that a spreadsheet would run as formulas
(``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``@SUM(1)``) are written as text in every CSV
and XLSX the app makes, and genuine negative numbers stay numbers.

Before issue #11 the XLSX reports held 10 live formula cells and ``alerts --format csv`` 12.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sencodesk import cli, commands
from sencodesk.exchange import tabular as tab
from sencodesk.exchange.json_io import import_json
from sencodesk.store import open_store
from ui.export import ListTable, write_list

from .conftest import write

HOSTILE = (
    '=HYPERLINK("http://x","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
)
TODAY = "2026-03-02"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_db(export, tmp_path) -> Path:
    """The demo school with every pupil's and member of staff's name made hostile."""
    db = tmp_path / "hostile.db"
    store = open_store(db, user="test")
    try:
        import_json(store, write(export, tmp_path / "demo.json"))
        with store.session() as s:
            for i, p in enumerate(export["tables"]["pupil"]):
                name = HOSTILE[i % len(HOSTILE)]
                commands.save_pupil(s, {"legal_first_name": name, "preferred_name": ""}, p["id"])
            for i, m in enumerate(export["tables"]["staff"]):
                name = HOSTILE[i % len(HOSTILE)]
                commands.save_staff(s, {"first_name": name, "last_name": name}, m["id"])
    finally:
        store.close()
    return db


def _number(text: str) -> bool:
    try:
        Decimal(text.replace("£", "").replace(",", ""))
    except ArithmeticError:
        return ":" in text and text.lstrip("-").replace(":", "").isdigit()
    return True


def _assert_inert_text(cells: list[str]) -> None:
    for cell in cells:
        if cell.startswith(DANGEROUS):
            assert cell.startswith("-") and _number(cell), f"live cell {cell!r}"


def _xlsx_cells(path: Path) -> list[openpyxl.cell.cell.Cell]:
    wb = openpyxl.load_workbook(path)
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


@pytest.mark.parametrize("report", ["census", "costs", "provision-map", "expiries", "training"])
def test_xlsx_reports_hold_no_formula(hostile_db, tmp_path, report):
    out = tmp_path / f"{report}.xlsx"
    args = ["report", report, "--out", str(out), "--db", str(hostile_db), "--today", TODAY]
    assert cli.run(args) == 0
    cells = _xlsx_cells(out)
    assert [c.value for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    _assert_inert_text(texts)
    # The hostile names are there, as the text they are.
    assert any(t.startswith("'=HYPERLINK") or "'=HYPERLINK" in t for t in texts) or any(
        t.startswith(("'+cmd", "'@SUM", "'-2+3")) for t in texts
    )


@pytest.mark.parametrize("report", ["census", "costs", "provision-map", "expiries"])
def test_csv_reports_hold_no_formula(hostile_db, tmp_path, report):
    out = tmp_path / f"{report}.csv"
    args = ["report", report, "--out", str(out), "--db", str(hostile_db), "--today", TODAY]
    assert cli.run(args) == 0
    cells = [c for row in csv.reader(io.StringIO(out.read_text("utf-8-sig"))) for c in row]
    _assert_inert_text(cells)


def test_alerts_csv_holds_no_formula(hostile_db, capsys):
    code = cli.run(
        ["alerts", "--format", "csv", "--today", TODAY, "--within", "365", "--db", str(hostile_db)]
    )
    assert code == 0
    cells = [c for row in csv.reader(io.StringIO(capsys.readouterr().out)) for c in row]
    names = [c for c in cells if c.startswith("'") and c[1:].startswith(DANGEROUS)]
    assert names, "the alerts should name the hostile pupils and staff"
    _assert_inert_text(cells)


def test_the_list_export_keeps_numbers_and_makes_text_inert(tmp_path):
    """The GUI's list export (and every XLSX/CSV writer): hostile text becomes text,
    a negative amount stays a number, a date stays a date."""
    table = ListTable(
        "Pupils",
        ("Name", "Balance", "Since", "Hours"),
        (tab.TEXT, tab.MONEY, tab.DATE, tab.HOURS),
        [[name, Decimal("-12.50"), dt.date(2026, 3, 2), -90] for name in HOSTILE]
        + [["-12.50", Decimal("3.00"), None, 60]],
    )
    xlsx = write_list(table, tmp_path / "list.xlsx")
    cells = _xlsx_cells(xlsx)
    assert [c.value for c in cells if c.data_type == "f"] == []
    by_row = [
        [c.value for c in row] for row in openpyxl.load_workbook(xlsx).active.iter_rows(min_row=3)
    ]
    assert by_row[0][0] == "'" + HOSTILE[0]
    assert by_row[0][1] == pytest.approx(-12.5)  # a number, not text
    assert isinstance(by_row[0][2], dt.datetime)
    assert by_row[-1][0] == "-12.50"  # a negative amount written as text stays as it is
    csv_path = write_list(table, tmp_path / "list.csv")
    rows = list(csv.reader(io.StringIO(csv_path.read_text("utf-8-sig"))))
    assert rows[2][0] == "'" + HOSTILE[0] and rows[2][1] == "-12.50" and rows[2][3] == "-1:30"
    _assert_inert_text([c for row in rows for c in row])


@pytest.mark.parametrize("value", HOSTILE)
def test_one_cell_function(value):
    assert tab.safe_cell(value) == "'" + value
    assert tab.safe_cell("-12.50") == "-12.50" and tab.safe_cell("-£1,234.56") == "-£1,234.56"
    assert tab.safe_cell(Decimal("-1")) == Decimal("-1") and tab.safe_cell(None) is None
