"""Every date box takes what a SENCO types, key by key, and saves exactly that date: no box
shows today's date after the first digit, none saves a guess (issue 12, case 1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTime

from sencodesk import model
from sencodesk.rules.dates import parse_typed_date
from tests.ui.helpers import fill
from tests.ui.seed import seed_school
from ui.main_window import MainWindow


@pytest.fixture
def seeded(qtbot, store, db_path):
    ids = seed_school(store, dt.date.today())
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win, ids, store
    win.close()


def type_date(qtbot: Any, field: Any, text: str) -> None:
    """Tab into the box (whatever it shows) and type, key by key, then Tab on."""
    box = field.focusProxy() or field
    while box.focusProxy() is not None:
        box = box.focusProxy()
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(box, text)
    else:
        qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClick(box, Qt.Key.Key_Tab)


# What a SENCO types, in turn, into the date boxes of a form (each later than the one before,
# as an end date is after its start).
TYPED = ["10062024", "1.2.2025", "-3d", "today", "+2w", "050427", "5/9/27", "31-12-2027"]


def expected(text: str) -> dt.date:
    d = parse_typed_date(text, dt.date.today())
    assert d is not None
    return d


def save(qtbot: Any, ed: Any) -> int:
    ed.save_button.click()
    qtbot.waitUntil(lambda: not ed.isVisible() or not ed._saving, timeout=10000)
    errors = {n: ed.form.error_text(n) for n in ed.form.fields if ed.form.error_text(n)}
    assert not errors and not ed.form.summary.text(), (errors, ed.form.summary.text())
    assert ed.saved_id is not None
    return ed.saved_id


def stored(store: Any, cls: type, row_id: int, names: list[str]) -> dict[str, Any]:
    with store.read() as s:
        row = s.get(cls, row_id)
        return {n: getattr(row, n) for n in names}


def date_fields(ed: Any) -> list[str]:
    from ui.widgets.fields import DateField, DateTimeField

    return [n for n, w in ed.form.fields.items() if isinstance(w, DateField | DateTimeField)]


def type_every_date(qtbot: Any, ed: Any, skip: tuple[str, ...] = ()) -> dict[str, dt.date]:
    want = {}
    for i, name in enumerate(n for n in date_fields(ed) if n not in skip):
        text = TYPED[i % len(TYPED)]
        type_date(qtbot, ed.form.fields[name], text)
        want[name] = expected(text)
    assert ed.form.dirty and not ed.form.input_errors()
    return want


def as_dates(values: dict[str, Any]) -> dict[str, dt.date]:
    return {k: v.date() if isinstance(v, dt.datetime) else v for k, v in values.items()}


def test_tab_into_an_empty_date_and_type_digits_saves_that_date(qtbot, seeded):
    """The issue's case 1: an empty "not set" box, 10062024 typed, was saved as today."""
    from ui.dialogs.staff_editors import StaffEditor

    win, ids, store = seeded
    ed = StaffEditor(win.ctx, None, win)
    ed.show()
    fill(ed.form, first_name="Rachel", last_name="Henry")
    start = ed.form.fields["start_date"]
    assert start.value() is None and start.text() == ""  # explicitly empty: "not set"
    type_date(qtbot, start, "10062024")
    assert start.text() == "10/06/2024"  # shown as dd/mm/yyyy once left
    staff_id = save(qtbot, ed)
    assert stored(store, model.Staff, staff_id, ["start_date"]) == {
        "start_date": dt.date(2024, 6, 10)
    }


EDITORS = ["pupil", "outcome", "assignment", "funding", "staff", "qualification", "training",
           "dbs", "contract"]  # fmt: skip


def open_editor(win: Any, ids: Any, which: str) -> tuple[Any, type]:
    from ui.dialogs import contract_editor, pupil_editors, staff_editors, support_editors

    ctx = win.ctx
    if which == "pupil":
        ed = pupil_editors.PupilEditor(ctx, None, win)
        fill(ed.form, legal_first_name="Siobhán", legal_last_name="O'Neill-Nguyễn")
        return ed, model.Pupil
    if which == "outcome":
        ed = pupil_editors.OutcomeEditor(ctx, ids.pupil, parent=win)
        fill(ed.form, text="Reads a short text aloud")
        return ed, model.Outcome
    if which == "assignment":
        ed = support_editors.AssignmentEditor(ctx, pupil_id=ids.medical_pupil, parent=win)
        return ed, model.Assignment
    if which == "funding":
        ed = support_editors.FundingEditor(ctx, pupil_id=ids.pupil, parent=win)
        fill(ed.form, funder="Kent", amount_per_year=Decimal("9000"))
        return ed, model.Funding
    if which == "staff":
        ed = staff_editors.StaffEditor(ctx, None, win)
        fill(ed.form, first_name="Rachel", last_name="Henry")
        return ed, model.Staff
    if which == "qualification":
        ed = staff_editors.QualificationEditor(ctx, staff_id=ids.lsa, parent=win)
        fill(ed.form, kind="Level 3 Teaching Assistant")
        return ed, model.Qualification
    if which == "training":
        ed = staff_editors.TrainingEditor(ctx, staff_id=ids.lsa, parent=win)
        return ed, model.Training
    if which == "dbs":
        ed = staff_editors.DbsEditor(ctx, staff_id=ids.cover_lsa, parent=win)
        fill(ed.form, certificate_number="001234567890")
        return ed, model.DbsCheck
    ed = contract_editor.ContractEditor(ctx, staff_id=ids.cover_lsa, parent=win)
    fill(ed.form, fte_salary=24000)
    return ed, model.Contract


@pytest.mark.parametrize("which", EDITORS)
def test_every_date_of_every_editor_is_typed_key_by_key_and_saved(qtbot, seeded, which):
    win, ids, store = seeded
    ed, cls = open_editor(win, ids, which)
    ed.show()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)  # its choices loaded
    skip: tuple[str, ...] = ()
    if which == "assignment":
        fill(ed.form, staff_id=ids.cover_lsa, weekly_minutes=300)
    if which == "outcome":
        skip = ("status_date",)  # kept with a change of status, not on the outcome
    want = type_every_date(qtbot, ed, skip)
    # An end after its start, as the rules want, where there is one.
    if "end_date" in want and "start_date" in want:
        type_date(qtbot, ed.form.fields["start_date"], "1/9/2025")
        type_date(qtbot, ed.form.fields["end_date"], "31/8/27")
        want["start_date"], want["end_date"] = dt.date(2025, 9, 1), dt.date(2027, 8, 31)
    if which == "pupil":
        type_date(qtbot, ed.form.fields["date_of_birth"], "3/10/17")
        want["date_of_birth"] = dt.date(2017, 10, 3)
    row_id = save(qtbot, ed)
    assert stored(store, cls, row_id, list(want)) == want


@pytest.mark.parametrize("which", ["record", "review"])
def test_a_date_and_time_is_typed_and_saved(qtbot, seeded, which):
    from ui.dialogs.record_editor import RecordEditor
    from ui.dialogs.review_editor import ReviewEditor

    win, ids, store = seeded
    if which == "record":
        ed = RecordEditor(win.ctx, pupil_id=ids.pupil, parent=win)
        fill(ed.form, text="Worked on phonics")
        name, cls = "occurred_at", model.Record
    else:
        ed = ReviewEditor(win.ctx, pupil_id=ids.pupil, parent=win)
        name, cls = "meeting_at", model.ReviewMeeting
    ed.show()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    field = ed.form.fields[name]
    today = dt.date.today()
    # A meeting on a school day: the Monday after next, as "+Nd".
    typed = "-3d" if which == "record" else f"+{7 + (7 - today.weekday())}d"
    type_date(qtbot, field, typed)
    field.time.setTime(QTime(14, 5))
    row_id = save(qtbot, ed)
    day = expected(typed)
    assert stored(store, cls, row_id, [name]) == {name: dt.datetime.combine(day, dt.time(14, 5))}


def test_changing_only_the_time_asks_before_the_edit_is_lost(qtbot, seeded, dialogs):
    """A record's and a meeting's time are the same widget: a changed time is an edit."""
    from ui.dialogs.record_editor import RecordEditor
    from ui.dialogs.review_editor import ReviewEditor

    win, ids, _store = seeded
    for ed, name in (
        (RecordEditor(win.ctx, pupil_id=ids.pupil, parent=win), "occurred_at"),
        (ReviewEditor(win.ctx, pupil_id=ids.pupil, parent=win), "meeting_at"),
    ):
        ed.show()
        qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
        ed.form.mark_clean()
        time = ed.form.fields[name].time
        time.setFocus()
        qtbot.keyClick(time, Qt.Key.Key_Up)  # one hour on
        dialogs.asked.clear()
        dialogs.save_answer = "cancel"
        ed.buttons.button(ed.buttons.StandardButton.Cancel).click()
        assert dialogs.asked == [f"unsaved {ed.what}"] and ed.isVisible()
        dialogs.save_answer = "discard"
        ed.reject()


@pytest.mark.parametrize("typed", ["31/02/2024", "10/06/202", "next tuesday", "1"])
def test_a_date_that_is_not_one_is_shown_beside_the_box_and_blocks_save(qtbot, seeded, typed):
    from ui.dialogs.staff_editors import StaffEditor

    win, _ids, store = seeded
    ed = StaffEditor(win.ctx, None, win)
    ed.show()
    # whatever the editor asks the worker on opening finishes first: busy below is a save
    qtbot.waitUntil(lambda: not win.worker.busy)
    fill(ed.form, first_name="Rachel", last_name="Henry")
    field = ed.form.fields["start_date"]
    type_date(qtbot, field, typed)
    assert field.text() == typed  # kept as typed: never replaced by a guess
    assert field.note.isVisible() and f'"{typed}"' in field.note.text()
    assert field.line.property("invalid") == "true"
    ed.save_button.click()
    qtbot.wait(50)
    assert not win.worker.busy and ed.isVisible()
    assert "Started" in ed.form.summary.text()
    with store.read() as s:
        assert s.query(model.Staff).filter_by(last_name="Henry").count() == 0
    # Put right, it saves.
    type_date(qtbot, field, "1/9/25")
    assert not field.note.isVisible()
    staff_id = save(qtbot, ed)
    assert stored(store, model.Staff, staff_id, ["start_date"])["start_date"] == dt.date(2025, 9, 1)


def test_a_required_date_emptied_is_an_error_not_today(qtbot, seeded):
    from ui.dialogs.support_editors import FundingEditor

    win, ids, _store = seeded
    ed = FundingEditor(win.ctx, pupil_id=ids.pupil, parent=win)
    ed.show()
    # the editor asks the worker for the pupil's EHCP funder: let that finish first, so a busy
    # worker below can only be a save
    qtbot.waitUntil(lambda: not win.worker.busy)
    field = ed.form.fields["start_date"]
    type_date(qtbot, field, "")
    assert field.value() is None and ed.form.input_errors()
    ed.save_button.click()
    assert not win.worker.busy and ed.isVisible()
    ed.form.mark_clean()
    ed.reject()


def test_while_typing_the_box_says_which_day_it_will_hold(qtbot, seeded):
    from ui.dialogs.staff_editors import StaffEditor

    win, _ids, _store = seeded
    ed = StaffEditor(win.ctx, None, win)
    ed.show()
    field = ed.form.fields["start_date"]
    field.line.setFocus()
    qtbot.keyClicks(field.line, "+2w")
    want = expected("+2w")
    assert field.note.isVisible() and field.note.text() == f"= {want:%a} {want:%d/%m/%Y}"
    ed.form.mark_clean()
    ed.reject()


# The offscreen platform's words when a popup opens (about the plugin, not the app).
@pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing", "propagateSizeHints"
)
def test_the_calendar_button_picks_a_day(qtbot, seeded):
    from PySide6.QtCore import QDate

    from ui.dialogs.staff_editors import StaffEditor

    win, _ids, _store = seeded
    ed = StaffEditor(win.ctx, None, win)
    ed.show()
    field = ed.form.fields["start_date"]
    field.button.click()
    cal = field._calendar
    assert cal is not None and cal.isVisible()
    cal.setSelectedDate(QDate(2025, 9, 3))
    cal.clicked.emit(QDate(2025, 9, 3))
    assert field.value() == dt.date(2025, 9, 3) and field.text() == "03/09/2025"
    assert ed.form.dirty
    ed.form.mark_clean()
    ed.reject()


def test_the_cover_day_and_review_pack_range_are_typed(qtbot, seeded):
    from ui.dialogs.review_packs import ReviewPacksDialog

    win, ids, _store = seeded
    page = win.show_page("cover")
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    type_date(qtbot, page.day, "10062024")
    assert page.day.value() == dt.date(2024, 6, 10)
    dialog = ReviewPacksDialog(win.ctx, win)
    dialog.show()
    type_date(qtbot, dialog.start, "1/9/25")
    type_date(qtbot, dialog.end, "31/10/25")
    assert dialog.dates() == (dt.date(2025, 9, 1), dt.date(2025, 10, 31))
    type_date(qtbot, dialog.end, "31/13/25")
    assert not dialog.make.isEnabled() and "Put the dates right" in dialog.count.text()
    dialog.reject()


def test_the_first_run_term_dates_are_typed(qtbot, tmp_path):
    from tests.ui.helpers import open_first_run

    win, dialog = open_first_run(qtbot, tmp_path / "new.db")
    field = dialog.form.fields["half-term 1: start"]
    type_date(qtbot, field, "3/9/25")
    assert field.value() == dt.date(2025, 9, 3)
    type_date(qtbot, field, "3/9")
    assert field.value() == dt.date(dt.date.today().year, 9, 3)
    type_date(qtbot, field, "x")
    dialog.go()
    assert not win.worker.busy and dialog.isVisible()
    dialog.reject()
    win.close()


def test_cover_opens_on_the_next_school_day_not_a_weekend(qtbot, seeded):
    from sencodesk.rules.schoolyear import is_working_day, next_working_day

    win, _ids, _store = seeded
    page = win.show_page("cover")
    day = page.day.value()
    assert day == next_working_day(win.ctx.today) and is_working_day(day)
