"""No lost updates in the GUI: an editor sends only what changed, with the version it was
loaded at; a save after someone else's shows theirs and yours, and the user chooses."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from sencodesk import commands
from sencodesk.errors import Conflict
from sencodesk.queries.pupil_detail import get_pupil
from tests.ui.seed import seed_school
from ui.dialogs import conflict
from ui.dialogs.conflict import ConflictDialog
from ui.dialogs.pupil_editors import PupilEditor
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


def _detail(store, pid):
    with store.read() as s:
        return get_pupil(s, pid, today=dt.date.today())


def _someone_else_saves(store, pid, **values):
    version = _detail(store, pid).version
    with store.session() as s:
        s.info["user"] = "alice"
        commands.save_pupil(s, {**values, "version": version}, pid)


def _edit_class(qtbot, win, store, pid, class_name):
    """Open the pupil's editor (form loaded now), type a class, return the editor."""
    ed = PupilEditor(win.ctx, _detail(store, pid))
    qtbot.addWidget(ed)
    ed.show()
    field = ed.form.fields["class_name"]
    field.selectAll()
    qtbot.keyClicks(field, class_name)
    return ed


def test_an_editor_sends_only_the_changed_fields_and_its_version(qtbot, seeded, store):
    win, ids = seeded
    ed = _edit_class(qtbot, win, store, ids.pupil, "6Z")
    qtbot.waitUntil(lambda: ed.form.fields["ehcp_la_id"].count() > 1)  # LAs loaded later
    assert ed.values_to_save() == {"class_name": "6Z", "version": 1}


def test_the_issue_scenario_in_the_gui_overwrite_with_mine(qtbot, seeded, store, monkeypatch):
    win, ids = seeded
    asked: list[list[tuple[str, str, str]]] = []

    def answer(parent, exc, form):
        asked.append(conflict.rows(exc, form))
        return conflict.MINE

    monkeypatch.setattr(conflict, "ask_conflict", answer)
    before = _detail(store, ids.pupil).row.class_name
    ed = _edit_class(qtbot, win, store, ids.pupil, "6Z")  # B's form, loaded now
    _someone_else_saves(store, ids.pupil, medical_needs="Epipen in the office")  # A saves
    with qtbot.waitSignal(ed.saved, timeout=10000):
        ed.save_button.click()  # B saves: told, chooses "overwrite with mine"
    assert asked == [[("Class", before or conflict.EMPTY, "6Z")]]
    after = _detail(store, ids.pupil)
    assert (after.medical_needs, after.row.class_name) == ("Epipen in the office", "6Z")


def test_keep_theirs_closes_the_editor_and_saves_nothing(qtbot, seeded, store, monkeypatch):
    win, ids = seeded
    monkeypatch.setattr(conflict, "ask_conflict", lambda *_a: conflict.THEIRS)
    ed = _edit_class(qtbot, win, store, ids.pupil, "6Z")
    _someone_else_saves(store, ids.pupil, class_name="6Y")
    ed.save_button.click()
    qtbot.waitUntil(lambda: not ed.isVisible(), timeout=10000)
    assert _detail(store, ids.pupil).row.class_name == "6Y"


def test_cancel_keeps_the_editor_open_with_my_changes(qtbot, seeded, store, monkeypatch):
    win, ids = seeded
    calls = []
    monkeypatch.setattr(conflict, "ask_conflict", lambda *_a: calls.append(1) or conflict.CANCEL)
    ed = _edit_class(qtbot, win, store, ids.pupil, "6Z")
    _someone_else_saves(store, ids.pupil, class_name="6Y")
    ed.save_button.click()
    qtbot.waitUntil(lambda: bool(calls) and ed.save_button.isEnabled(), timeout=10000)
    assert ed.isVisible() and ed.form.fields["class_name"].value() == "6Z"
    assert _detail(store, ids.pupil).row.class_name == "6Y"


def test_the_dialog_shows_theirs_and_yours_in_the_forms_words(qtbot, seeded, store):
    win, ids = seeded
    ed = PupilEditor(win.ctx, _detail(store, ids.pupil))
    qtbot.addWidget(ed)
    exc = Conflict(
        "pupil",
        ids.pupil,
        {
            "class_name": ("5A", "5B"),
            "sen_code": ("K", "E"),
            "admission_date": (dt.date(2024, 9, 3), None),
            "ehcp_weekly_minutes": (900, 1200),
        },
        4,
        by="alice",
        at=dt.datetime(2026, 3, 2, 9, 15),
    )
    box = ConflictDialog(exc, ed.form, win)
    qtbot.addWidget(box)
    box.show()
    cells = [[box.table.item(r, c).text() for c in range(3)] for r in range(box.table.rowCount())]
    assert cells[0] == ["Class", "5A", "5B"]
    assert cells[1][0] == "SEN code" and "EHC" in cells[1][2] and "support" in cells[1][1].lower()
    assert cells[2] == ["Admitted", "03/09/2024", "(empty)"]
    assert cells[3] == ["EHCP 1:1 hours a week", "15 h", "20 h"]
    assert "alice saved this pupil" in box.message.text()
    assert box.cancel_button.isDefault()  # Enter changes nothing
    qtbot.mouseClick(box.mine_button, Qt.MouseButton.LeftButton)
    assert box.choice == conflict.MINE and box.result() == ConflictDialog.DialogCode.Accepted
    box2 = ConflictDialog(exc, ed.form, win)
    qtbot.addWidget(box2)
    box2.show()
    qtbot.mouseClick(box2.theirs_button, Qt.MouseButton.LeftButton)
    assert box2.choice == conflict.THEIRS
    box3 = ConflictDialog(exc, ed.form, win)
    qtbot.addWidget(box3)
    box3.show()
    qtbot.keyClick(box3, Qt.Key.Key_Escape)
    assert box3.choice == conflict.CANCEL
