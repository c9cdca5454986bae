"""The dashboard is painted from the file at a glance, before the database is opened (#17):
the same alerts and timeline the normal load shows next, and a file the glance cannot read
leaves the page waiting for the normal load."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sencodesk.demo import make_demo

TODAY = dt.date(2026, 3, 1)


def test_dashboard_painted_before_the_open_then_the_same_after(qtbot: Any, store, db_path):
    from ui.app import start_glance
    from ui.main_window import MainWindow

    make_demo(store, pupils=420, seed=1, today=TODAY)
    store.close()
    win = MainWindow()
    qtbot.addWidget(win)
    win.ctx.today = TODAY
    win.show()
    page = win.current_page()
    assert win.current_key == "dashboard"
    with qtbot.waitSignal(page.loaded, timeout=20000):
        start_glance(win, str(db_path))
    assert not win.worker.has_store  # painted before any database was opened
    glanced = page.data
    assert glanced.alerts and glanced.lanes
    assert page.alert_model.rowCount() == 4 and page.summary.text()
    shown = [page.alert_model.index(i, 0).data() for i in range(4)]

    win.open_database(db_path)  # the normal load replaces it with the same
    qtbot.waitUntil(lambda: page.data is not glanced, timeout=20000)
    assert page.data == glanced
    assert [page.alert_model.index(i, 0).data() for i in range(4)] == shown
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=20000)
    win.close()


def test_a_file_it_cannot_read_leaves_the_page_waiting(qtbot: Any, tmp_path):
    from ui.app import start_glance
    from ui.main_window import MainWindow

    junk = tmp_path / "locked.db"
    junk.write_bytes(b"\x00" * 4096)  # e.g. an encrypted file
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    page = win.current_page()
    done: list[bool] = []
    start_glance(win, str(junk))
    win.worker.run_op(lambda _s: None, on_done=lambda _r: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    assert page.data is None and not page._ever_loaded
    win.close()
