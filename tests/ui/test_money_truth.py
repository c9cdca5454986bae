"""The Funding & contracts page tells the same truth as the alerts (issue #10, case 2) and
shows the money where the decision is (#12, point 3)."""

from __future__ import annotations

import datetime as dt

from tests.core.test_one_truth import contract, funding, pupil, school, staff
from ui.main_window import MainWindow

D = dt.date


def _open(qtbot, db_path):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    page = win.show_page("money")
    qtbot.waitUntil(lambda: not win.worker.busy and bool(page.summary.text()), timeout=10000)
    return win, page


def test_a_contract_that_ended_long_ago_is_not_counted(qtbot, store, db_path, monkeypatch):
    monkeypatch.setenv("SENCODESK_TODAY", "2026-03-01")
    with store.session() as s:
        school(s)
        pid = pupil(s)
        fid = funding(s, pid, D(2025, 3, 31), start=D(2024, 4, 1))
        contract(s, staff(s), D(2025, 7, 31), fid, start=D(2024, 9, 1))
    win, page = _open(qtbot, db_path)
    assert "run past" not in page.summary.text() and "runs past" not in page.summary.text()
    win.close()


def test_one_contract_outliving_its_funding_is_counted_with_its_money(
    qtbot, store, db_path, monkeypatch
):
    monkeypatch.setenv("SENCODESK_TODAY", "2026-11-09")
    with store.session() as s:
        school(s)
        pid = pupil(s)
        fid = funding(s, pid, D(2027, 3, 10))
        contract(s, staff(s), D(2027, 8, 10), fid)
    win, page = _open(qtbot, db_path)
    text = page.summary.text()
    assert "1 contract runs past the funding that pays for it: £" in text
    gap = page.contract_model.index(0, page.contract_model.COL_GAP).data()
    assert gap.startswith("153 days, £") and gap.endswith("unfunded")
    win.close()
