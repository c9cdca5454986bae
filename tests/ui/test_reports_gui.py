"""The Reports menu in the real window: preview (QtPdf), print, save, open, batch packs with
progress and Cancel, list export as CSV and XLSX. Every file is read back."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest
from icalendar import Calendar
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from tests.core.reports_data import TODAY, ZOE, ZOE_UPN, build_school
from tests.ui.helpers import all_titles, find_dialog
from ui import printing, reports
from ui.dialogs import files
from ui.dialogs.report_preview import ReportPreview
from ui.dialogs.review_packs import ReviewPacksDialog, set_range

ZOE_NAME = f"{ZOE[0]} {ZOE[1]}"


@pytest.fixture
def school(qtbot: Any, store: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The report tests' school in the main window, as on 20/02/2026."""
    from ui.main_window import MainWindow

    monkeypatch.setenv("SENCODESK_TODAY", TODAY.isoformat())
    sch = build_school(store)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win, sch
    for w in list(win.findChildren(ReportPreview)):
        w.close()
    win.close()


def _preview(qtbot: Any) -> ReportPreview:
    qtbot.waitUntil(lambda: _visible_preview() is not None, timeout=20000)
    p = _visible_preview()
    assert p is not None
    qtbot.waitUntil(lambda: p.document.status() == QPdfDocument.Status.Ready, timeout=5000)
    return p


def _visible_preview() -> ReportPreview | None:
    try:
        return find_dialog(ReportPreview)
    except AssertionError:
        return None


def _save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(files, "choose_save_file", lambda *a, **k: str(path))


def _text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def test_reports_menu_offers_every_report(school):
    win, _ = school
    names = {a.objectName() for a in win.findChildren(QAction)}
    for name in (
        "review_pack",
        "review_packs",
        "report_expiries",
        "report_costs",
        "report_provision-map",
        "report_training",
        "report_census",
        "calendar",
    ):
        assert name in names, name


def test_reports_menu_names_every_report_in_the_catalogue():
    """The menu names the reports itself (the catalogue is imported only to make one)."""
    from sencodesk.reports.catalogue import REPORTS

    assert list(reports.MENU_REPORTS) == list(REPORTS)
    for name, text in reports.MENU_REPORTS.items():
        assert text.replace("&", "") == REPORTS[name].title


def test_review_pack_preview_print_save_and_open(qtbot, school, tmp_path, monkeypatch, dialogs):
    win, sch = school
    win.open_pupil(sch.pupil_id)
    qtbot.waitUntil(lambda: win.pages["pupils"].view.detail is not None, timeout=5000)
    reports.review_pack(win)
    p = _preview(qtbot)
    # The window says what it is, never whose it is.
    assert p.windowTitle() == "Review pack — preview"
    assert not any("Zoë" in t or "Bhriain" in t for t in all_titles())
    pages = p.document.pageCount()
    assert pages >= 4
    assert "OFFICIAL-SENSITIVE" in p.pages_label.text()
    assert p.save_csv is None  # a pack is a document, not a table

    # Shown: the page is drawn in the view (dark text on white), not left blank.
    p.resize(900, 800)
    qtbot.wait(200)
    image = p.view.grab().toImage()
    dark = sum(
        1
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
        if QColor(image.pixel(x, y)).lightness() < 100
    )
    assert dark > 50

    # Saved as PDF: the same pages, the name printed in full, a file name without it.
    assert p.default_name(".pdf") == f"2026-03-09_review-pack_{ZOE_UPN}.pdf"
    _save_to(monkeypatch, tmp_path / "pack")
    p.save_pdf.click()
    text = _text(tmp_path / "pack.pdf")
    assert len(text) == pages
    assert ZOE_NAME in text[0] and "09/03/2026" in text[0]
    assert f"Page {pages} of {pages}" in text[-1]
    assert "£14,250.50" in "\n".join(text)
    assert dialogs.told[-1][0] == "Save Review pack"

    # Printed: the print dialog is the user's; here it chooses a PDF printer.
    printed = tmp_path / "printed.pdf"

    def choose(_parent, printer: QPrinter, title: str) -> bool:
        assert title == "Review pack"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(printing, "ask_printer", choose)
    assert p.print_()
    reader = PdfReader(printed)
    assert len(reader.pages) == pages
    # Ctrl+P in the preview prints the report (not the page behind it: the main window's
    # shortcuts belong to the main window).
    printed.unlink()
    p.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is p, timeout=3000)
    qtbot.keyClick(p.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(printed.exists, timeout=5000)
    assert len(PdfReader(printed).pages) == pages
    box = reader.pages[0].mediabox
    assert float(box.width) < float(box.height)  # A4 portrait, as the pack
    assert abs(float(box.height) - 842) < 3

    # Opened in the system's viewer: a file in the app's own folder, gone when closed.
    opened: list[str] = []
    monkeypatch.setattr(printing, "open_url", lambda url: opened.append(url.toLocalFile()) or True)
    p.open_button.click()
    assert len(opened) == 1
    f = Path(opened[0])
    assert f.parent == printing.opened_folder()
    assert f.read_bytes().startswith(b"%PDF")
    assert "Zo" not in f.name
    p.close()
    assert not f.exists()
    assert dialogs.bugs == []


def test_review_pack_from_a_meeting_on_the_reviews_page(qtbot, school):
    win, sch = school
    page = win.show_page("reviews")
    qtbot.waitUntil(lambda: page.meeting_model.rowCount() > 0, timeout=5000)
    page.meetings.select_id(sch.meeting_id)
    page.meetings.setFocus()
    assert reports.selected_pupil(win) == (sch.pupil_id, sch.meeting_id)
    reports.review_pack(win)
    p = _preview(qtbot)
    assert p.stem == f"2026-03-09_review-pack_{ZOE_UPN}"


def test_review_pack_needs_a_pupil(school, dialogs):
    win, _ = school
    win.show_page("dashboard")
    reports.review_pack(win)
    assert dialogs.told and "Open a pupil" in dialogs.told[-1][1]


@pytest.mark.parametrize("name", ["costs", "expiries"])
def test_table_report_preview_saves_pdf_csv_and_xlsx(qtbot, school, tmp_path, monkeypatch, name):
    win, _ = school
    reports.table_report(win, name)
    p = _preview(qtbot)
    assert p.save_csv is not None and p.save_xlsx is not None
    for ext in (".pdf", ".csv", ".xlsx"):
        target = tmp_path / f"r{ext}"
        _save_to(monkeypatch, target)
        p.save(ext)
        qtbot.waitUntil(target.exists, timeout=10000)
    text = "\n".join(_text(tmp_path / "r.pdf"))
    assert "Page 1 of" in text and "£14,250.50" in text and "31/03/2026" in text
    csv_text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert csv_text.startswith("OFFICIAL-SENSITIVE")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert dt.datetime(2026, 3, 31) in values
    if name == "costs":
        assert ZOE_NAME in values
        assert any(v == pytest.approx(17590.22) for v in values if isinstance(v, float))


def test_list_export_as_csv_and_xlsx_and_print_as_pdf(qtbot, school, tmp_path, monkeypatch):
    from ui import actions

    win, _ = school
    page = win.show_page("money")
    qtbot.waitUntil(lambda: not win.worker.busy and page.export_table() is not None, timeout=5000)
    model = page.export_table().source()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=5000)
    for ext in (".csv", ".xlsx"):
        target = tmp_path / f"list{ext}"
        _save_to(monkeypatch, target)
        actions.export(win)
        qtbot.waitUntil(target.exists, timeout=5000)
    rows = (tmp_path / "list.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("OFFICIAL-SENSITIVE")
    assert len(rows) == 2 + model.rowCount()
    ws = openpyxl.load_workbook(tmp_path / "list.xlsx").active
    assert str(ws["A1"].value).startswith("OFFICIAL-SENSITIVE")
    cells = [c for row in ws.iter_rows(min_row=3) for c in row if c.value is not None]
    dates = [c for c in cells if isinstance(c.value, dt.datetime)]
    assert dates and all(c.number_format == "dd/mm/yyyy" for c in dates)
    money = [c for c in cells if c.number_format.startswith('"£"')]
    assert money and isinstance(money[0].value, float | int)

    actions.print_page(win)
    p = _preview(qtbot)
    assert p.save_csv is not None
    target = tmp_path / "printed-list.pdf"
    _save_to(monkeypatch, target)
    p.save(".pdf")
    text = "\n".join(_text(target))
    assert "OFFICIAL-SENSITIVE" in text and "Page 1 of 1" in text and "31/03/2026" in text


def test_batch_of_packs_with_progress(qtbot, school, tmp_path, monkeypatch, dialogs):
    from sencodesk import commands

    win, sch = school
    with_other = dt.datetime(2026, 3, 12, 9, 0)

    def add(store: Any) -> None:
        with store.session() as s:
            commands.save_review(s, {"pupil_id": sch.other_id, "meeting_at": with_other})

    done: list[Any] = []
    win.ctx.run(add, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    dialogs.answer = False  # "Open the folder?" no
    d = reports.review_packs(win)
    set_range(d, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    qtbot.waitUntil(lambda: d.count.text().startswith("2 review meetings"), timeout=5000)
    d.folder.setText(str(tmp_path / "packs"))
    d.merged.setChecked(True)
    seen: list[tuple[int, int]] = []
    win.worker.progress.connect(lambda a, b, _t: seen.append((a, b)))
    d.make.click()
    qtbot.waitUntil(lambda: bool(d.files), timeout=30000)
    names = sorted(f.name for f in d.files)
    assert names == [
        f"2026-03-09_review-pack_{ZOE_UPN}.pdf",
        f"2026-03-12_review-pack_pupil-{sch.other_id}.pdf",
        "review-packs_2026-03-01_to_2026-03-31.pdf",
    ]
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert "Wrote 2 review packs" in dialogs.asked[-1]
    merged = _text(tmp_path / "packs" / "review-packs_2026-03-01_to_2026-03-31.pdf")
    assert ZOE_NAME in merged[0] and "Nguyễn Thị Hương" in "\n".join(merged)


def test_batch_cancel_keeps_only_whole_packs(qtbot, school, tmp_path, dialogs):
    win, _ = school
    d = ReviewPacksDialog(win.ctx, win)
    d.show()
    set_range(d, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    qtbot.waitUntil(lambda: d.make.isEnabled(), timeout=5000)
    d.folder.setText(str(tmp_path / "out"))
    dialogs.answer = False
    # Hold the worker so Cancel is pressed before the batch starts, however loaded the machine
    # (the mid-batch cancel is tested in tests/core/test_reports.py).
    gate = threading.Event()
    win.worker.run_op(lambda _store: gate.wait(20))
    d.start_batch()
    d.box.canceled.emit()  # the progress dialog's Cancel button
    gate.set()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=20000)
    assert dialogs.told and dialogs.told[-1][1] == "Cancelled: 0 of 1 review pack was written."
    left = list((tmp_path / "out").iterdir())
    assert not [f for f in left if f.suffix != ".pdf"]  # no half-written files
    assert d.files == [] and d.make.isEnabled()


def test_calendar_from_the_menu(qtbot, school, tmp_path, monkeypatch, dialogs):
    win, sch = school
    target = tmp_path / "senco"
    _save_to(monkeypatch, target)
    reports.calendar(win)
    ics = tmp_path / "senco.ics"
    qtbot.waitUntil(ics.exists, timeout=5000)
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=5000)
    cal = Calendar.from_ical(ics.read_bytes())
    uids = {str(e["uid"]) for e in cal.walk("VEVENT")}
    assert f"review-{sch.meeting_id}-meeting@sencodesk" in uids
    assert "Wrote 11 events" in dialogs.told[-1][1]


@pytest.mark.parametrize("key", ["pupils", "staff", "money", "reviews", "records"])
def test_every_list_page_exports_csv_and_xlsx(qtbot, school, tmp_path, monkeypatch, key):
    from ui import actions

    win, _ = school
    page = win.show_page(key)
    qtbot.waitUntil(lambda: not win.worker.busy and page.export_table() is not None, timeout=5000)
    model = page.export_table().source()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=5000)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    for ext in (".csv", ".xlsx"):
        target = tmp_path / f"{key}{ext}"
        _save_to(monkeypatch, target)
        actions.export(win)
        qtbot.waitUntil(target.exists, timeout=5000)
    rows = list(csv.reader((tmp_path / f"{key}.csv").open(encoding="utf-8-sig")))
    assert rows[0][0].startswith("OFFICIAL-SENSITIVE")
    assert rows[1] == headers and len(rows) == 2 + model.rowCount()
    ws = openpyxl.load_workbook(tmp_path / f"{key}.xlsx").active
    assert [c.value for c in ws[2]] == headers
    assert ws.max_row == 2 + model.rowCount()


def test_an_empty_list_is_not_exported_or_printed_and_says_why(qtbot, school, monkeypatch, dialogs):
    """No file with headings only: the SENCO is told why there is nothing, and how to get
    the whole list back when it is the filter."""
    from ui import actions

    win, _ = school
    page = win.show_page("pupils")
    qtbot.waitUntil(lambda: not win.worker.busy and page.model.rowCount() > 0, timeout=5000)
    asked = []
    monkeypatch.setattr(files, "choose_save_file", lambda *a, **k: asked.append(a) or "")
    qtbot.keyClicks(page.filter, "nobody is called this")
    assert page.model.rowCount() == 0
    actions.export(win)
    actions.print_page(win)
    assert asked == []
    assert [t for t, _text in dialogs.told[-2:]] == ["Export", "Print"]
    assert all("No rows match the filter" in text for _t, text in dialogs.told[-2:])
    assert "Esc" in dialogs.told[-1][1]
    assert not win.findChildren(ReportPreview)
