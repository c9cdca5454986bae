"""Keyboard and screen-reader use: every input and table has an accessible name and takes
focus; Tab reaches it; no window title ever shows a pupil's name; first run."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from tests.ui.helpers import all_titles, find_dialog
from tests.ui.seed import seed_school
from ui.main_window import MainWindow

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QAbstractItemView)


def unnamed_inputs(root: QWidget) -> list[str]:
    bad = []
    for w in root.findChildren(QWidget):
        if (
            not isinstance(w, INPUTS)
            or isinstance(w, QHeaderView)
            or isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)
        ):
            continue
        if type(w).__name__ in ("QCalendarView", "QListView") or w.objectName().startswith("qt_"):
            continue
        if not w.accessibleName():
            bad.append(
                f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}"
            )
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus:
            bad.append(f"{type(w).__name__} {w.objectName()!r} cannot take focus")
    return bad


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


def test_every_input_and_table_on_every_page_has_an_accessible_name(qtbot, seeded):
    win, ids = seeded
    win.open_pupil(ids.pupil)
    win.open_staff(ids.lsa)
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    assert unnamed_inputs(win) == []


@pytest.mark.parametrize(
    "open_editor",
    [
        "ui.dialogs.pupil_editors.PupilEditor",
        "ui.dialogs.staff_editors.StaffEditor",
        "ui.dialogs.contract_editor.ContractEditor",
        "ui.dialogs.support_editors.FundingEditor",
        "ui.dialogs.support_editors.AssignmentEditor",
        "ui.dialogs.review_editor.ReviewEditor",
        "ui.dialogs.record_editor.RecordEditor",
        "ui.dialogs.pupil_editors.OutcomeEditor",
        "ui.dialogs.staff_editors.TrainingEditor",
        "ui.dialogs.staff_editors.DbsEditor",
        "ui.dialogs.school_editor.SchoolEditor",
    ],
)
def test_every_editor_has_named_inputs_and_a_tab_order(qtbot, seeded, open_editor):
    import importlib

    win, ids = seeded
    mod, cls_name = open_editor.rsplit(".", 1)
    cls = getattr(importlib.import_module(mod), cls_name)
    kwargs = {
        "ContractEditor": {"staff_id": ids.lsa},
        "FundingEditor": {"pupil_id": ids.pupil},
        "AssignmentEditor": {"pupil_id": ids.pupil},
        "ReviewEditor": {"pupil_id": ids.pupil},
        "RecordEditor": {"pupil_id": ids.pupil},
        "TrainingEditor": {"staff_id": ids.lsa},
        "DbsEditor": {"staff_id": ids.lsa},
    }
    args = (ids.pupil,) if cls_name == "OutcomeEditor" else ()
    ed = cls(win.ctx, *args, **kwargs.get(cls_name, {}))
    ed.show()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    assert unnamed_inputs(ed) == []
    assert ed.windowTitle() and "Hart" not in ed.windowTitle()
    # Tab from the first field visits every visible field, then the buttons.
    first = next(iter(ed.form.fields.values()))
    seen = set()
    w = first.focusProxy() or first
    for _ in range(120):
        seen.add(w)
        w = w.nextInFocusChain()
        while not (w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            w = w.nextInFocusChain()
    visible = [f for f in ed.form.fields.values() if f.isVisible() and f.isEnabled()]
    for f in visible:
        proxy = f.focusProxy() or f
        assert proxy in seen or any(proxy.isAncestorOf(s) for s in seen), f.accessibleName()
    assert any(isinstance(s, QAbstractButton) and s.text() == "Save" for s in seen)
    ed.reject()


def test_keyboard_alone_finds_and_opens_a_pupil(qtbot, seeded):
    win, ids = seeded
    page = win.show_page("pupils")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.filter
    qtbot.keyClicks(page.filter, "hart")
    assert page.model.rowCount() == 1
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    assert page.view.pupil_id == ids.pupil
    qtbot.keyClick(page.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.inner.currentIndex() == 0


def test_no_window_title_contains_a_pupil_name(qtbot, seeded):
    win, ids = seeded
    names = ("Amelia", "Hart", "Zoë", "Nguyễn")
    win.open_pupil(ids.pupil)
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    win.pages["pupils"].view.edit_pupil()
    win.pages["pupils"].view.outcomes.add()
    win.pages["pupils"].view.records.add()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    titles = all_titles()
    assert len(titles) >= 4
    assert not [t for t in titles if any(n in t for n in names)]
    assert win.windowTitle() == "SENCO Desk — Oakfield Primary"


def test_first_run_offers_to_start_empty(qtbot, db_path, dialogs):
    from ui.dialogs.first_run import FirstRunDialog

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)  # no file yet
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, FirstRunDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=10000,
    )
    dlg = find_dialog(FirstRunDialog)
    assert dlg.empty.isChecked()
    dlg.form.fields["la_name"].set_value("Kent")
    dlg.go()  # no school name
    qtbot.waitUntil(lambda: bool(dlg.form.error_text("name")), timeout=10000)
    dlg.form.fields["name"].set_value("Brook Lane Primary")
    dlg.go()
    qtbot.waitUntil(lambda: win.windowTitle() == "SENCO Desk — Brook Lane Primary", timeout=10000)
    assert not dlg.isVisible()
    win.close()
