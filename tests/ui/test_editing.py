"""Editing through the GUI: pay recomputed live, incidents recorded, cover planned, errors
shown beside their fields, unsaved edits never dropped silently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.ui.helpers import fill, find_dialog
from tests.ui.seed import seed_school
from ui.dialogs.contract_editor import ContractEditor
from ui.dialogs.pupil_editors import PupilEditor
from ui.main_window import MainWindow


@pytest.fixture
def seeded(qtbot, store, db_path):
    today = dt.date.today()
    ids = seed_school(store, today)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win, ids
    win.close()


def open_staff(qtbot, win, staff_id):
    page = win.show_page("staff")
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        win.open_staff(staff_id)
    return page


def test_editing_a_contract_recomputes_pay_as_you_type_and_saves(qtbot, seeded):
    win, ids = seeded
    page = open_staff(qtbot, win, ids.lsa)
    row = page.view.contracts.model.row_at(0)
    assert row.annual_pay == Decimal("16484.00")  # DOMAIN.md's test vector
    page.view.contracts.table.selectRow(0)
    page.view.contracts.edit_row(page.view.contracts.table.current_row())
    ed = find_dialog(ContractEditor)
    qtbot.waitUntil(lambda: ed.school is not None)
    assert "£16,484.00" in ed.computed.text()
    salary = ed.form.fields["fte_salary"]
    salary.setFocus()
    salary.selectAll()
    qtbot.keyClicks(salary, "24223")  # typing a new FTE salary, key by key
    assert salary.value() == 24223
    assert "pay £17,139." in ed.computed.text()  # DOMAIN.md: £17,139 to the pound
    assert "cost £22,280.95 a year" in ed.computed.text()  # 30% on-costs
    friday = ed.form.fields["days"].rows[4][0]
    friday.setChecked(False)  # four days a week
    assert "25 h 20 min a week" in ed.computed.text()
    friday.setChecked(True)
    end = ed.form.fields["end_date"].value()
    assert "give notice by" in ed.computed.text()
    with (
        qtbot.waitSignal(page.view.loaded, timeout=10000),
        qtbot.waitSignal(ed.saved, timeout=10000),
    ):
        ed.save_button.click()
    saved = page.view.contracts.model.row_at(0)
    assert saved.annual_pay.quantize(Decimal(1)) == Decimal("17139")
    assert saved.end_date == end


def test_validation_errors_show_beside_their_fields(qtbot, seeded, dialogs):
    win, _ids = seeded
    page = win.show_page("pupils")
    page.new_button.click()
    ed = find_dialog(PupilEditor)
    fill(ed.form, legal_first_name="", legal_last_name="Hart", upn="B801200005002")
    ed.save_button.click()
    qtbot.waitUntil(lambda: bool(ed.form.error_text("legal_first_name")), timeout=10000)
    assert "required" in ed.form.error_text("legal_first_name")
    # A bad check letter, said once: not "UPN UPN check letter…".
    assert ed.form.error_text("upn").startswith("UPN check letter should be")
    assert ed.isVisible()  # nothing lost: the dialog stays open with what was typed
    assert ed.form.fields["legal_last_name"].value() == "Hart"
    # Cancel with unsaved edits asks first; "cancel" keeps the dialog open.
    dialogs.save_answer = "cancel"
    ed.reject()
    assert ed.isVisible() and dialogs.asked == ["unsaved this pupil"]
    dialogs.save_answer = "discard"
    ed.reject()
    assert not ed.isVisible()


def test_80_hours_typed_is_refused_beside_the_field_not_cut_to_8(qtbot, seeded, dialogs):
    """Typing 80 into the EHCP hours box keeps 80 (the box does not silently drop a digit);
    the core's limit is then shown beside the field and nothing is saved."""
    from PySide6.QtCore import Qt

    win, _ids = seeded
    page = win.show_page("pupils")
    page.new_button.click()
    ed = find_dialog(PupilEditor)
    fill(ed.form, legal_first_name="Ada", legal_last_name="Lovelace")
    hours = ed.form.fields["ehcp_weekly_minutes"]
    hours.line.selectAll()
    qtbot.keyClicks(hours.line, "80")
    qtbot.keyClick(hours.line, Qt.Key.Key_Tab)
    assert hours.value() == 80 * 60
    ed.save_button.click()
    qtbot.waitUntil(lambda: bool(ed.form.error_text("ehcp_weekly_minutes")), timeout=10000)
    assert "more than 60 hours" in ed.form.error_text("ehcp_weekly_minutes")
    assert ed.isVisible()
    dialogs.save_answer = "discard"
    ed.reject()


def test_cancel_without_edits_asks_nothing(qtbot, seeded, dialogs):
    win, _ids = seeded
    page = win.show_page("pupils")
    page.new_button.click()
    ed = find_dialog(PupilEditor)
    ed.reject()
    assert not ed.isVisible() and dialogs.asked == []


def test_record_an_incident_linked_to_an_outcome(qtbot, seeded):
    win, ids = seeded
    page = win.show_page("records")
    qtbot.waitUntil(lambda: page.form.fields["pupil_id"].count() > 2, timeout=10000)
    form = page.form
    form.fields["pupil_id"].set_value(ids.pupil)
    form.fields["pupil_id"].edited.emit()
    qtbot.waitUntil(lambda: form.fields["outcome_id"].count() > 1, timeout=10000)
    form.fields["kind"].set_value("incident")
    assert form.fields["behaviour"].isVisibleTo(page)
    fill(
        form,
        outcome_id=form.fields["outcome_id"].itemData(1),
        author_id=ids.lsa,
        antecedent="Fire alarm test",
        behaviour="Ran from the hall, hid under a table",
        consequence="Calmed in the quiet room",
        deescalation="Ear defenders, timer",
        parents_informed=True,
    )
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.save_button.click()
    rows = page.model.rows
    assert len(rows) == 1
    r = rows[0]
    assert (r.kind, r.pupil_id, r.author_id) == ("incident", ids.pupil, ids.lsa)
    assert r.behaviour.startswith("Ran from the hall") and r.parents_informed
    assert r.outcome_id is not None
    assert form.fields["behaviour"].value() == ""  # ready for the next one
    assert not form.dirty or form.fields["pupil_id"].value() == ids.pupil


def test_an_incident_without_a_description_is_refused(qtbot, seeded):
    win, ids = seeded
    page = win.show_page("records")
    qtbot.waitUntil(lambda: page.form.fields["pupil_id"].count() > 2, timeout=10000)
    page.form.fields["pupil_id"].set_value(ids.pupil)
    page.form.fields["kind"].set_value("incident")
    page.save_button.click()
    qtbot.waitUntil(lambda: bool(page.form.error_text("behaviour")), timeout=10000)
    assert page.model.rowCount() == 0


def next_weekday(d: dt.date, weekday: int) -> dt.date:
    return d + dt.timedelta(days=(weekday - d.weekday()) % 7 or 7)


def test_plan_cover_for_an_absent_lsa(qtbot, seeded):
    win, ids = seeded
    page = win.show_page("cover")
    qtbot.waitUntil(lambda: page.absent.count() > 1 and not win.worker.busy, timeout=10000)
    monday = next_weekday(dt.date.today(), 0)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.choose(ids.lsa, monday)
    lost = {r.pupil_id: r for r in page.lost_model.rows}
    assert set(lost) == {ids.pupil, ids.medical_pupil}
    assert lost[ids.medical_pupil].needs_training == ("medication",)
    # Zoë needs a medication-trained cover: Priya is, Tom is not.
    page.lost.select_id(lost[ids.medical_pupil].assignment_id)
    cands = {c.staff_id: c for c in page.cand_model.rows}
    assert lost[ids.medical_pupil].assignment_id in cands[ids.cover_lsa].qualified_for
    assert lost[ids.medical_pupil].assignment_id not in cands[ids.untrained].qualified_for
    assert ids.lsa not in cands
    page.cands.select_id(ids.cover_lsa)
    assert page.assign.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.assign.click()
    covered = {r.pupil_id: r for r in page.lost_model.rows}[ids.medical_pupil]
    assert covered.covered_by == ("Priya Shah",) and not covered.uncovered_sessions
    # The line names the session the cover takes: Zoë loses only her afternoon.
    row = page.lost_model.rows.index(covered)
    cover_col = page.lost_model.COL_COVER
    assert page.lost_model.index(row, cover_col).data() == "Priya Shah (PM)"
    # Priya is now busy that afternoon, so she is no longer free for Amelia's PM session.
    cands = {c.staff_id: c for c in page.cand_model.rows}
    assert cands[ids.cover_lsa].busy
    # Amelia loses AM and PM; Priya covers her morning only.
    amelia = {r.pupil_id: r for r in page.lost_model.rows}[ids.pupil]
    page.lost.select_id(amelia.assignment_id)
    page.cands.select_id(ids.cover_lsa)
    assert page.assign.isEnabled(), page.assign.text()
    page.assign.click()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    qtbot.wait(50)
    amelia = {r.pupil_id: r for r in page.lost_model.rows}[ids.pupil]
    row = page.lost_model.rows.index(amelia)
    assert page.lost_model.index(row, cover_col).data() == "Priya Shah (AM), PM not covered"


def test_cover_can_be_undone(qtbot, seeded):
    win, ids = seeded
    page = win.show_page("cover")
    qtbot.waitUntil(lambda: page.absent.count() > 1 and not win.worker.busy, timeout=10000)
    monday = next_weekday(dt.date.today(), 0)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.choose(ids.lsa, monday)
    zoe = {r.pupil_id: r for r in page.lost_model.rows}[ids.medical_pupil]
    page.lost.select_id(zoe.assignment_id)
    assert not page.undo.isEnabled()  # nothing to undo yet
    page.cands.select_id(ids.cover_lsa)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.assign.click()
    assert page.undo.isEnabled()
    said: list[str] = []  # every status message (a backup may write over the bar after it)
    win.ctx.status.connect(said.append)
    page.undo.click()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)
    qtbot.wait(50)
    zoe = {r.pupil_id: r for r in page.lost_model.rows}[ids.medical_pupil]
    assert zoe.cover_lines == () and zoe.uncovered_sessions == zoe.sessions
    assert "Cover removed for Zoë Nguyễn: Priya Shah (PM)." in said
    # Only the one-day cover went: Sarah's own assignment to Zoë is still there.
    assert {r.pupil_id for r in page.lost_model.rows} == {ids.pupil, ids.medical_pupil}


def test_edit_buttons_are_greyed_out_without_a_selected_row(qtbot, seeded):
    """ "Edit funding…" acts on the selected row: off while none is selected (an empty tab, or
    the selection cleared), on once one is."""
    win, ids = seeded
    page = win.show_page("pupils")
    with qtbot.waitSignal(page.view.loaded, timeout=10000):
        win.open_pupil(ids.pupil)
    tab = page.view.funding
    edit = next(b for b in tab._row_buttons if "funding" in b.text())
    assert tab.model.rowCount() > 0
    tab.table.selectRow(0)
    assert edit.isEnabled()
    tab.table.selectionModel().clearCurrentIndex()
    assert not edit.isEnabled()
    tab.model.set_rows([])
    assert not edit.isEnabled()


def test_contract_editor_warns_live_when_linked_funding_ends_first(qtbot, seeded):
    """#12 point 3: the editor turns red, with the days and the £, as soon as the contract is
    made to run past the funding linked to it; unlinking makes it green again."""
    win, ids = seeded
    today = dt.date.today()
    page = open_staff(qtbot, win, ids.lsa)
    page.view.contracts.table.selectRow(0)
    page.view.contracts.edit_row(page.view.contracts.table.current_row())
    ed = find_dialog(ContractEditor)
    qtbot.waitUntil(lambda: ed.school is not None)
    assert ed.form.fields["funding_id"].value() == ids.funding
    assert ed.computed.objectName() == "summaryGood"  # ends 10 days before the funding
    assert "outlives" not in ed.computed.text()
    funding_end = today + dt.timedelta(days=150)
    end_box = ed.form.fields["end_date"].line  # typed, as the SENCO would
    end_box.selectAll()
    qtbot.keyClicks(end_box, f"{funding_end + dt.timedelta(days=153):%d/%m/%Y}")
    text = ed.computed.text()
    assert ed.computed.objectName() == "summaryBad"
    assert "outlives the funding" in text and "153 days later" in text
    assert "pay and on-costs, 153 of 365 days" in text and "£" in text
    ed.form.fields["funding_id"].set_value(None)
    assert ed.computed.objectName() == "summaryGood"
    assert "outlives" not in ed.computed.text()
