"""The smaller points of #12: Escape back from a staff page after Alt+T, and the record
editor naming whose record it is."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import find_dialog
from tests.ui.seed import seed_more, seed_school
from ui.main_window import MainWindow


@pytest.fixture
def seeded(qtbot, store, db_path):
    today = dt.date.today()
    ids = seed_school(store, today)
    seed_more(store, ids, today)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win, ids
    win.close()


def key(qtbot, k, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), k, mod)


def test_escape_goes_back_from_a_staff_page_after_alt_t(qtbot, seeded):
    win, ids = seeded
    page = win.show_page("staff")
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        win.open_staff(ids.lsa)
    win.sidebar.setFocus()  # the keyboard in the sidebar, as after choosing Staff there
    key(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert page.view.tabs.tabText(page.view.tabs.currentIndex()).startswith("&Training")
    key(qtbot, Qt.Key.Key_Escape)
    assert not page.in_view()


def test_the_record_editor_names_the_pupil(qtbot, seeded):
    from ui.dialogs.record_editor import RecordEditor

    win, ids = seeded
    page = win.show_page("pupils")
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        win.open_pupil(ids.pupil)
    records = page.view.tabs.widget(page.view.tabs.count() - 1)
    records.add()
    ed = find_dialog(RecordEditor)
    assert ed.whose.whole_text() == "Record for Amelia Hart"
    assert "Amelia" not in ed.windowTitle()  # never in a title a task bar shows
    ed.reject()
    row = records.model.row_at(0)
    records.edit_row(row)
    ed = find_dialog(RecordEditor)
    assert ed.whose.whole_text() == f"Record for {row.pupil_name}" and ed.whose.isVisible()
    ed.reject()


def test_training_and_dbs_say_their_status_in_words_not_colour_alone(qtbot, seeded):
    win, ids = seeded
    page = win.show_page("staff")
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        win.open_staff(ids.lsa)
    tab = page.view.training
    model = tab.model
    # Sarah's first-aid training expired 100 days ago; her DBS renewal was due 5 days ago.
    statuses = [model.index(r, model.COL_STATUS).data() for r in range(model.rowCount())]
    assert "Expired" in statuses, statuses
    dbs = tab.dbs_model
    assert dbs.index(0, dbs.COL_STATUS).data() == "Renewal overdue"
