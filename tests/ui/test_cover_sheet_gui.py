"""The Cover page's "Print cover sheet": plan the day's cover, then the sheet for that day
opens in the report preview with the cover just assigned on it, by session."""

from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest

from tests.ui.seed import seed_school
from tests.ui.test_date_entry import type_date
from ui.dialogs.report_preview import ReportPreview
from ui.main_window import MainWindow


@pytest.fixture
def seeded(qtbot, store, db_path):
    ids = seed_school(store, dt.date.today())
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win, ids
    win.close()


def _preview(win) -> ReportPreview | None:
    return next((w for w in win.findChildren(ReportPreview) if w.isVisible()), None)


def test_print_the_cover_sheet_for_the_day_typed(qtbot, seeded, tmp_path):
    win, ids = seeded
    page = win.show_page("cover")
    qtbot.waitUntil(lambda: page.absent.count() > 1 and not win.worker.busy, timeout=10000)
    today = dt.date.today()
    monday = today + dt.timedelta(days=(0 - today.weekday()) % 7 or 7)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.choose(ids.lsa, monday)
    zoe = {r.pupil_id: r for r in page.lost_model.rows}[ids.medical_pupil]
    page.lost.select_id(zoe.assignment_id)
    page.cands.select_id(ids.cover_lsa)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.assign.click()
    # The day as a user types it, key by key; the sheet is for that day.
    type_date(qtbot, page.day, monday.strftime("%d%m%Y"))
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    page.sheet.click()
    qtbot.waitUntil(lambda: _preview(win) is not None, timeout=10000)
    preview = _preview(win)
    assert preview is not None
    assert preview.windowTitle() == "Cover sheet — preview"
    assert preview.stem == f"cover-sheet_{monday.isoformat()}"
    out = tmp_path / "sheet.pdf"
    out.write_bytes(preview.pdf)
    with pdfplumber.open(out) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert f"Cover sheet, Monday {monday:%d/%m/%Y}" in text
    afternoon = text.split("Afternoon (PM)")[1]
    assert "Priya Shah" in afternoon and "Sarah" in afternoon  # whose support she stands in for
    preview.close()


def test_no_day_no_sheet_and_it_says_why(qtbot, seeded):
    win, _ids = seeded
    page = win.show_page("cover")
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    said: list[str] = []
    win.ctx.status.connect(said.append)
    type_date(qtbot, page.day, "")
    page.sheet.click()
    assert not win.worker.busy and _preview(win) is None
    assert said and "day" in said[-1]


def test_a_session_with_no_cover_says_so_in_words(qtbot, seeded, tmp_path):
    """A morning or afternoon with no cover reads "No cover this morning." (or afternoon),
    not the report writer's generic "Nothing to show."."""
    win, _ids = seeded
    page = win.show_page("cover")
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    today = dt.date.today()
    monday = today + dt.timedelta(days=(0 - today.weekday()) % 7 or 7)
    type_date(qtbot, page.day, monday.strftime("%d%m%Y"))
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    page.sheet.click()
    qtbot.waitUntil(lambda: _preview(win) is not None, timeout=10000)
    preview = _preview(win)
    assert preview is not None
    out = tmp_path / "sheet.pdf"
    out.write_bytes(preview.pdf)
    with pdfplumber.open(out) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    morning, afternoon = text.split("Afternoon (PM)")
    assert "No cover this morning." in morning
    assert "No cover this afternoon." in afternoon
    assert "Nothing to show" not in text
    preview.close()
