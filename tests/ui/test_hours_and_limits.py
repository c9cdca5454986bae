"""Hours are typed as people write them and shown the one way ("25 h", "27 h 30 min", never
"25 h 0 min"); a text box counts down to its limit (the core's, from ``checks.text_limits``)
as you type, and a name past it is refused before Save, beside the field."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from sencodesk.checks import text_limits
from tests.ui.helpers import find_dialog
from tests.ui.seed import seed_school
from ui.dialogs.pupil_editors import PupilEditor
from ui.main_window import MainWindow
from ui.widgets.fields import HoursField


@pytest.fixture
def win(qtbot, store, db_path):
    seed_school(store, dt.date.today())
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.open_database(db_path)
    qtbot.waitUntil(lambda: bool(w.ctx.school_name) and not w.worker.busy, timeout=10000)
    yield w
    w.close()


def type_into(qtbot, box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Tab)


@pytest.mark.parametrize(
    ("typed", "minutes", "shown"),
    [
        ("25", 1500, "25 h"),
        ("27.5", 1650, "27 h 30 min"),
        ("27:30", 1650, "27 h 30 min"),
        ("27 h 30 min", 1650, "27 h 30 min"),
        ("25 h 0 min", 1500, "25 h"),
        ("45 min", 45, "45 min"),
    ],
)
def test_hours_typed_key_by_key_are_shown_the_one_way(qtbot, typed, minutes, shown):
    field = HoursField("Hours a week")
    qtbot.addWidget(field)
    field.show()
    type_into(qtbot, field.line, typed)
    assert field.value() == minutes and field.input_error() == ""
    assert field.text() == shown


def test_hours_that_are_not_hours_stay_as_typed_and_say_why(qtbot):
    field = HoursField("Hours a week")
    qtbot.addWidget(field)
    field.show()
    type_into(qtbot, field.line, "twenty")
    assert field.text() == "twenty"  # never replaced by a guess
    assert "not a number of hours" in field.input_error()
    assert field.note.isVisible() and "not a number of hours" in field.note.text()
    field.set_value(25 * 60)
    assert field.text() == "25 h" and field.input_error() == ""


def test_a_saved_pupils_ehcp_hours_show_without_0_min(qtbot, win, store):
    from ui.dialogs.pupil_editors import PupilEditor as Editor

    page = win.show_page("pupils")
    qtbot.waitUntil(lambda: page.model.total_rows > 0 and not win.worker.busy, timeout=10000)
    page.new_button.click()
    ed = find_dialog(Editor)
    ed.form.fields["ehcp_weekly_minutes"].set_value(25 * 60)
    assert ed.form.fields["ehcp_weekly_minutes"].text() == "25 h"
    ed.form.dirty = False
    ed.reject()


def test_a_name_counts_down_to_its_limit_and_past_it_is_refused_before_save(qtbot, win):
    limit = text_limits("pupil")["legal_first_name"]
    assert limit == 100  # the core's rule, read from the rule
    page = win.show_page("pupils")
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    page.new_button.click()
    ed = find_dialog(PupilEditor)
    first = ed.form.fields["legal_first_name"]
    first.setFocus()
    qtbot.keyClicks(first, "A" * 95)
    assert ed.form.error_text("legal_first_name") == "5 characters left"
    qtbot.keyClicks(first, "B" * 195)  # a 290-character name, as pasted from a letter
    said = ed.form.error_text("legal_first_name")
    assert said == "First name (legal) is 190 characters too long (at most 100)"
    ed.form.fields["legal_last_name"].set_value("Hart")
    ed.save_button.click()  # refused here, before anything is sent to be saved
    assert ed.isVisible() and ed.form.summary.text() == (
        "Not saved: put right First name (legal) first."
    )
    # Back within the limit: the count goes, and the box is no longer red.
    first.setText("Amelia")
    first.textEdited.emit("Amelia")
    assert ed.form.error_text("legal_first_name") == "" and first.input_error() == ""
    ed.form.dirty = False
    ed.reject()


# Boxes whose rule checks what they hold, not a length: a number, a fixed-format code.
NOT_TEXT = {("MeetingRecordDialog", "attendance_percent"), ("PupilEditor", "upn")}


@pytest.mark.parametrize(
    "path",
    [
        "ui.dialogs.staff_editors.TrainingEditor",
        "ui.dialogs.meeting_record.MeetingRecordDialog",
        "ui.dialogs.pupil_editors.PupilEditor",
        "ui.dialogs.staff_editors.QualificationEditor",
    ],
    ids=lambda p: p.rsplit(".", 1)[1],
)
def test_every_text_box_of_an_editor_counts_down_to_its_rules_limit(qtbot, store, db_path, path):
    """Each editor reads its table's limits from the core's rule (``checks.text_limits``), so
    every text box it shows counts down as you type, as in the pupil editor."""
    from tests.ui.test_access import open_editor, open_window

    ids = seed_school(store, dt.date.today())
    opened = open_window(qtbot, db_path, ids)
    win, _ = next(opened)
    ed = open_editor(win, ids, path)
    ed.show()
    qtbot.waitUntil(lambda: not win.worker.busy and ed.isEnabled(), timeout=10000)
    name = type(ed).__name__
    boxes = {
        k: f for k, f in ed.form.fields.items() if hasattr(f, "limit") and (name, k) not in NOT_TEXT
    }
    assert {k for k, f in boxes.items() if f.limit is None} == set()
    assert text_limits(ed.TABLE) or not boxes  # the training rule: a choice and dates
    for k, box in list(boxes.items())[:1]:  # one typed into; the rest share the counter
        box.set_value("x" * (box.limit - 4))
        box.setFocus()
        qtbot.keyClicks(box.focusProxy() or box, "x")
        assert ed.form.error_text(k) == "3 characters left", k
    ed.form.dirty = False
    ed.reject()
    next(opened, None)
