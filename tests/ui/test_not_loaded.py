"""A page whose load failed says its lists could not be loaded, never their empty text: "No
current funding lines" under an error would tell a SENCO there are none (seen opening a file
damaged outside the app)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tests.ui.seed import seed_school
from ui.widgets.table import NOT_LOADED


def test_a_failed_load_says_so_and_a_good_one_clears_it(
    qtbot: Any, store: Any, db_path: Any, dialogs: Any
) -> None:
    from ui.main_window import MainWindow

    seed_school(store, dt.date.today())
    with sqlite3.connect(db_path) as c:
        fid, end = c.execute("SELECT id, end_date FROM funding ORDER BY id LIMIT 1").fetchone()
        c.execute("UPDATE funding SET end_date = '2026-13-45' WHERE id = ?", (fid,))
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: win.worker.has_store and not win.worker.busy, timeout=10000)
    page = win.show_page("money")
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    assert any("2026-13-45" in str(t) for t in dialogs.told), dialogs.told  # named, not a bug
    assert not dialogs.bugs
    assert page.funding.empty_text() == NOT_LOADED  # not "No current funding lines"

    with sqlite3.connect(db_path) as c:  # put right (as a restored backup would)
        c.execute("UPDATE funding SET end_date = ? WHERE id = ?", (end, fid))
    page.refresh()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    assert page.funding.source().total_rows > 0 and page.funding.empty_text() == ""
    assert not page.funding.failed
    win.close()
