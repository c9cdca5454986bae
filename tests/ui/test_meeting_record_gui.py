"""The meeting's record in the window (#13): Reviews > Meeting record… opens the meeting's
record, saves through the worker's change op, names a bad row of the advice in words and
saves nothing; Cancel with unsaved edits asks first. Reviews > Review report… shows the
report after the meeting."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
from PySide6.QtWidgets import QComboBox, QTableWidgetItem

from sencodesk.queries.review_record import meeting_record
from tests.ui.test_reports_gui import _preview, school  # noqa: F401
from ui.dialogs.meeting_record import MeetingRecordDialog


def _reviews(qtbot: Any, win: Any) -> Any:
    page = win.show_page("reviews")
    qtbot.waitUntil(lambda: page.meetings.current_row() is not None, timeout=10000)
    return page


def _open(qtbot: Any, page: Any) -> MeetingRecordDialog:
    page.record_button.click()
    qtbot.waitUntil(
        lambda: getattr(page, "record_dialog", None) is not None and page.record_dialog.isVisible(),
        timeout=10000,
    )
    return page.record_dialog


def _stored(win: Any, meeting_id: int) -> Any:
    got: list[Any] = []
    win.ctx.query(meeting_record, meeting_id, on_done=got.append)
    return got


def test_the_meeting_record_is_written_in_its_editor_and_saved(qtbot, school):  # noqa: F811
    win, sch = school
    page = _reviews(qtbot, win)
    assert page.meetings.current_row().id == sch.meeting_id
    d = _open(qtbot, page)
    f = d.form
    # an EHC plan's review: the recommendation to the LA, not a support plan's next step
    assert f.fields["recommendation"].isVisibleTo(d) and not f.fields["next_step"].isVisibleTo(d)
    # who came starts as those invited, and that alone is not an edit
    assert "Áine Ní Bhriain (Parent)" in f.fields["attendees"].value()
    assert not d.is_dirty()
    f.fields["attendance_percent"].setText("93.4")
    f.fields["parent_views"].setPlainText("Mornings are calmer.")
    advice = f.fields["advice"]
    advice.add_button.click()
    box = advice.table.cellWidget(0, 0)
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findData("salt"))
    advice.table.setItem(0, 3, QTableWidgetItem("Two sessions a week"))
    f.fields["recommendation"].set_value("amend")
    f.fields["amendments"].add_button.click()
    f.fields["amendments"].table.setItem(0, 1, QTableWidgetItem("Add speech therapy"))
    assert d.is_dirty()
    d.save_button.click()
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=10000)
    got = _stored(win, sch.meeting_id)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    rec = got[0]
    assert str(rec.attendance_percent) == "93.40"
    assert rec.parent_views == "Mornings are calmer."
    assert rec.recommendation == "amend" and rec.outcome is None
    assert [(a.source, a.summary, a.shared) for a in rec.advice] == [
        ("salt", "Two sessions a week", True)
    ]
    assert [(a.section, a.text) for a in rec.amendments] == [("A", "Add speech therapy")]
    assert "Dr O. Adeyemi" in rec.attendees  # the suggested list was saved with the rest


def test_a_bad_row_is_named_and_nothing_is_saved(qtbot, school):  # noqa: F811
    win, sch = school
    page = _reviews(qtbot, win)
    d = _open(qtbot, page)
    d.form.fields["school_view"].setPlainText("Written but not saved")
    advice = d.form.fields["advice"]
    advice.add_button.click()  # no summary
    advice.table.setItem(0, 2, QTableWidgetItem("31/02/2026"))
    d.form.fields["attendance_percent"].setText("150")
    d.save_button.click()
    qtbot.waitUntil(lambda: d.form.summary.isVisibleTo(d), timeout=10000)
    summary = d.form.summary.text()
    assert "Advice 1: summary is required" in summary
    assert "Advice 1: received on must be a date as dd/mm/yyyy" in summary
    assert d.form.error_text("attendance_percent") == "Attendance % must be at most 100"
    assert d.isVisible()
    got = _stored(win, sch.meeting_id)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got[0].school_view == "" and got[0].advice == ()
    d.form.mark_clean()
    d.reject()


def test_cancel_with_unsaved_edits_asks_first(qtbot, school, dialogs):  # noqa: F811
    win, _ = school
    page = _reviews(qtbot, win)
    d = _open(qtbot, page)
    d.form.fields["pupil_views"].setPlainText("I like the quiet room")
    dialogs.save_answer = "cancel"
    d.reject()
    assert dialogs.asked == ["unsaved this meeting"] and d.isVisible()
    dialogs.save_answer = "discard"
    d.reject()
    assert not d.isVisible()


def test_the_review_report_button_shows_the_report(qtbot, school):  # noqa: F811
    win, _ = school
    page = _reviews(qtbot, win)
    page.report_button.click()
    p = _preview(qtbot)
    with pdfplumber.open(io.BytesIO(p.pdf)) as doc:
        text = " ".join((pg.extract_text() or "") for pg in doc.pages)
    assert "Review report: annual review of the EHC plan" in text
    assert "Not yet recorded." in text
    assert p.stem.startswith("2026-03-09_review-report_")
    p.close()


def test_the_pupils_reviews_tab_opens_the_record_and_the_report(qtbot, school):  # noqa: F811
    win, sch = school
    win.open_pupil(sch.pupil_id)
    view = win.pages["pupils"].view
    qtbot.waitUntil(lambda: view.detail is not None, timeout=10000)
    tab = view.reviews
    qtbot.waitUntil(lambda: tab.table.current_row() is not None, timeout=5000)
    tab.record_button.click()
    qtbot.waitUntil(
        lambda: getattr(tab, "record_dialog", None) is not None and tab.record_dialog.isVisible(),
        timeout=10000,
    )
    assert tab.record_dialog.row_id == sch.meeting_id
    tab.record_dialog.reject()
    tab.report_button.click()
    p = _preview(qtbot)
    assert p.stem.startswith("2026-03-09_review-report_")
    p.close()


def test_the_review_report_preview_saves_a_word_copy(qtbot, school, tmp_path, monkeypatch, dialogs):  # noqa: F811
    """A SENCO edits the report before sending it to the LA: Save as Word… writes the same
    report as a .docx (in the worker)."""
    import docx

    from ui.dialogs import files

    win, _ = school
    page = _reviews(qtbot, win)
    page.report_button.click()
    p = _preview(qtbot)
    assert p.save_word is not None and p.save_word.isVisible()
    target = tmp_path / "report"  # no suffix typed: .docx is added
    monkeypatch.setattr(files, "choose_save_file", lambda *a, **k: str(target))
    p.save_word.click()
    saved = tmp_path / "report.docx"
    qtbot.waitUntil(saved.exists, timeout=10000)
    qtbot.waitUntil(lambda: bool(dialogs.told), timeout=5000)
    text = "\n".join(par.text for par in docx.Document(str(saved)).paragraphs)
    assert "Review report: annual review of the EHC plan" in text
    assert "for the local authority and everyone invited" in text
    assert "Saved" in dialogs.told[-1][1]
    p.close()


def test_someone_elses_save_since_the_form_opened_is_a_conflict_not_lost(
    qtbot,
    school,  # noqa: F811
    store,
    monkeypatch,
):
    from sencodesk import commands
    from ui.dialogs import conflict

    win, sch = school
    page = _reviews(qtbot, win)
    d = _open(qtbot, page)
    with store.session() as s:  # another SENCO adds advice meanwhile
        commands.save_review(s, {"advice": [{"source": "ep", "summary": "Theirs"}]}, sch.meeting_id)
    asked: list[Any] = []
    monkeypatch.setattr(conflict, "ask_conflict", lambda *a: asked.append(a) or conflict.CANCEL)
    advice = d.form.fields["advice"]
    advice.add_button.click()
    advice.table.setItem(0, 3, QTableWidgetItem("Mine"))
    d.save_button.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert d.isVisible()  # Cancel: back to the form, my row still in it
    assert [a["summary"] for a in advice.value()] == ["Mine"]
    got = _stored(win, sch.meeting_id)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert [a.summary for a in got[0].advice] == ["Theirs"]  # theirs not deleted
    d.form.mark_clean()
    d.reject()
