"""The getting-started checklist of a new, empty school: shown on the Dashboard until every
step is done, ticked off as records arrive, each step a button to the place to do it; the
term dates typed into their editor; the first run offers the MIS and a server's sign-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from sencodesk import commands
from sencodesk.queries.school import list_half_terms
from tests.ui.helpers import find_dialog, open_first_run
from tests.ui.test_date_entry import type_date
from ui.dialogs.mis_import import MisImportDialog
from ui.dialogs.pupil_editors import PupilEditor
from ui.dialogs.school_editor import SchoolEditor
from ui.dialogs.staff_editors import StaffEditor
from ui.dialogs.term_dates import TermDatesEditor


def idle(qtbot: Any, win: Any) -> None:
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)


def shown_ticks(panel: Any) -> dict[str, str]:
    return {k: t.text() for k, t in panel.ticks.items()}


def close_all(cls: type) -> None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, cls) and w.isVisible():
            if hasattr(getattr(w, "form", None), "mark_clean"):
                w.form.mark_clean()
            w.reject()


def test_a_new_school_is_shown_what_to_set_up_and_each_button_goes_there(qtbot, db_path, store):
    win, first = open_first_run(qtbot, db_path)
    win.resize(1366, 728)
    first.form.fields["name"].set_value("Brook Lane Primary")
    first.form.fields["la_name"].set_value("")  # no LA yet: a step left to do
    first.go()
    qtbot.waitUntil(lambda: win.windowTitle() == "SENCO Desk — Brook Lane Primary", timeout=10000)
    idle(qtbot, win)
    dash = win.show_page("dashboard")
    panel = dash.checklist
    qtbot.waitUntil(lambda: panel.isVisible() and panel.state is not None, timeout=10000)
    ticks = shown_ticks(panel)
    assert ticks["school"] == "✓" and ticks["term_dates"] == "✓"  # from the first run
    assert ticks["las"] == ticks["staff"] == ticks["pupils"] == "○"
    assert "2 of 7 done" in panel.title.text()
    assert "MIS" in panel.details["pupils"].text()

    # Each step's button opens the place to do it.
    panel.buttons["school"][0].click()
    find_dialog(SchoolEditor).reject()
    panel.buttons["staff"][0].click()
    close_all(StaffEditor)
    panel.buttons["pupils"][1].click()
    close_all(PupilEditor)
    panel.buttons["pupils"][0].click()  # "Bring in pupils from the MIS…"
    qtbot.waitUntil(lambda: any(w.isVisible() for w in win.findChildren(MisImportDialog)))
    close_all(MisImportDialog)
    panel.buttons["assignments"][0].click()
    assert win.current_key == "staff"
    win.show_page("dashboard")

    # The term dates, typed key by key into their editor, replace the year's.
    panel.buttons["term_dates"][0].click()
    ed = find_dialog(TermDatesEditor)
    idle(qtbot, win)
    start = ed.form.fields["half-term 1: start"]
    year = ed.year
    type_date(qtbot, start, f"4/9/{year % 100:02d}")
    assert start.value() == dt.date(year, 9, 4)
    with qtbot.waitSignal(ed.saved, timeout=10000):
        ed.save_button.click()
    idle(qtbot, win)
    with store.read() as s:
        assert list_half_terms(s, year)[0].start == dt.date(year, 9, 4)

    # Records arrive (as the editors would save them): each step ticks itself off.
    with store.session() as s:
        la = commands.save_local_authority(s, {"name": "Kent"})
        commands.save_school(s, {"name": "Brook Lane Primary", "la_id": la})
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        dash.refresh()
    assert shown_ticks(panel)["las"] == "✓" and "3 of 7 done" in panel.title.text()
    win.close()


def test_a_bad_term_date_is_named_and_nothing_is_saved(qtbot, window, store):
    ed = TermDatesEditor(window.ctx)
    ed.show()
    idle(qtbot, window)
    end = ed.form.fields["half-term 2: end"]
    start = ed.form.fields["half-term 2: start"]
    type_date(qtbot, end, start.text())  # fine: a one-day half-term
    type_date(qtbot, end, "31/13/25")  # no 13th month: beside the field, Save refuses
    ed.save_button.click()
    assert ed.isVisible() and "Half-term 2 ends" in ed.form.summary.text()
    # An end before its start: the core's check, named beside the field.
    type_date(qtbot, end, (start.value() - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    ed.save_button.click()
    qtbot.waitUntil(lambda: bool(ed.form.error_text("half-term 2: end")), timeout=10000)
    assert "before its start" in ed.form.error_text("half-term 2: end")
    with store.read() as s:
        assert list_half_terms(s, ed.year) == []
    ed.form.mark_clean()
    ed.reject()


def test_the_checklist_is_gone_once_every_step_is_done(qtbot, store, db_path):
    from tests.ui.seed import seed_school
    from ui.main_window import MainWindow

    seed_school(store, dt.date.today())
    with store.session() as s:
        from sencodesk.rules.schooldays import suggested_half_terms
        from sencodesk.rules.schoolyear import academic_year_of

        year = academic_year_of(dt.date.today())
        commands.set_term_dates(s, year, suggested_half_terms(year))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_database(db_path)
    qtbot.waitUntil(lambda: bool(window.ctx.school_name) and not window.worker.busy, timeout=10000)
    dash = window.show_page("dashboard")
    with qtbot.waitSignal(dash.checklist.loaded, timeout=10000):
        dash.refresh()
    assert dash.checklist.state.done and not dash.checklist.isVisible()
    window.close()


def test_the_first_run_offers_the_mis_and_a_server(qtbot, db_path, monkeypatch):
    import ui.signin

    win, first = open_first_run(qtbot, db_path)
    asked: list[Any] = []
    monkeypatch.setattr(ui.signin, "sign_in", lambda w, message="": asked.append(w) or False)
    first.server.click()
    assert asked == [win] and not first.isVisible()
    win.close()


def test_start_empty_then_bring_in_pupils_from_the_mis(qtbot, db_path):
    win, first = open_first_run(qtbot, db_path)
    first.form.fields["name"].set_value("Brook Lane Primary")
    first.form.fields["la_name"].set_value("Kent")
    first.mis.setChecked(True)
    first.go()
    qtbot.waitUntil(
        lambda: any(w.isVisible() for w in win.findChildren(MisImportDialog)), timeout=10000
    )
    qtbot.waitUntil(lambda: win.windowTitle() == "SENCO Desk — Brook Lane Primary", timeout=10000)
    close_all(MisImportDialog)
    win.close()


def test_every_checklist_button_has_its_own_alt_key(qtbot, db_path, store):
    """Each step's button is reached with Alt and a letter of its own on the Dashboard (no
    other button, label, tab or menu there claims it)."""
    from tests.ui import keyboard as kb
    from tests.ui.test_access import check_keyboard

    win, first = open_first_run(qtbot, db_path)
    win.resize(1366, 728)
    first.form.fields["name"].set_value("Brook Lane Primary")
    first.form.fields["la_name"].set_value("")
    first.go()
    qtbot.waitUntil(lambda: win.windowTitle() == "SENCO Desk — Brook Lane Primary", timeout=10000)
    idle(qtbot, win)
    dash = win.show_page("dashboard")
    panel = dash.checklist
    qtbot.waitUntil(lambda: panel.isVisible() and panel.state is not None, timeout=10000)
    buttons = [b for bs in panel.buttons.values() for b in bs]
    assert len(buttons) == 9
    keys = [kb.MNEMONIC.search(b.text().replace("&&", "")) for b in buttons]
    assert all(keys), [b.text() for b, k in zip(buttons, keys, strict=True) if not k]
    assert check_keyboard("dashboard with the checklist", win) == []
    # Alt and the letter presses the button: "Term dates…" opens the term dates.
    term = panel.buttons["term_dates"][0]
    assert kb.MNEMONIC.search(term.text()).group(1) == "T"
    win.activateWindow()
    win.sidebar.setFocus()  # the keyboard elsewhere on the window, as after choosing a page
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(  # (a mnemonic "animates" the click: it lands a moment later)
        lambda: any(
            w.isVisible() for w in QApplication.topLevelWidgets() if isinstance(w, TermDatesEditor)
        ),
        timeout=5000,
    )
    ed = find_dialog(TermDatesEditor)
    idle(qtbot, win)
    ed.form.mark_clean()
    ed.reject()
    win.close()
