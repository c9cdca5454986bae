"""A new assignment starts with the EHCP's hours no one staffs yet and the LSA's working
sessions; a new funding line starts with the EHCP's local authority as its funder."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk import vocab
from tests.ui.seed import seed_school
from ui.dialogs.support_editors import AssignmentEditor, FundingEditor
from ui.main_window import MainWindow

ALL_WEEK = sum(vocab.session_bit(d, pm) for d in range(5) for pm in (False, True))


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


def idle(qtbot, win):
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=10000)


def test_assigning_an_lsa_fills_the_hours_left_and_their_working_sessions(qtbot, seeded, store):
    win, ids = seeded
    # Amelia's EHCP asks for 25 h; Sarah Cole staffs 20 h of it.
    ed = AssignmentEditor(win.ctx, pupil_id=ids.pupil)
    qtbot.addWidget(ed)
    ed.show()
    idle(qtbot, win)
    hours, sessions = ed.form.fields["weekly_minutes"], ed.form.fields["sessions"]
    assert hours.value() == 5 * 60
    assert sessions.value() == 0  # no LSA chosen yet
    ed.form.fields["staff_id"].set_value(ids.cover_lsa)  # Priya Shah: Monday to Friday
    idle(qtbot, win)
    assert sessions.value() == ALL_WEEK
    assert hours.value() == 5 * 60
    with qtbot.waitSignal(ed.saved, timeout=10000):
        ed.save_button.click()
    from sencodesk.queries.pupil_detail import assignment_rows

    with store.read() as s:
        saved = [a for a in assignment_rows(s, pupil_id=ids.pupil) if a.staff_id == ids.cover_lsa]
    assert [(a.weekly_minutes, a.sessions) for a in saved] == [(300, ALL_WEEK)]


def test_what_the_user_typed_stays_when_the_lsa_changes(qtbot, seeded):
    win, ids = seeded
    ed = AssignmentEditor(win.ctx, pupil_id=ids.pupil)
    qtbot.addWidget(ed)
    ed.show()
    idle(qtbot, win)
    hours = ed.form.fields["weekly_minutes"]
    hours.line.selectAll()
    qtbot.keyClicks(hours.line, "3")  # typed, key by key
    ed.form.fields["staff_id"].set_value(ids.untrained)
    idle(qtbot, win)
    assert hours.value() == 3 * 60
    assert ed.form.fields["sessions"].value() == ALL_WEEK
    ed.form.dirty = False
    ed.reject()


def test_defaults_alone_are_not_unsaved_changes(qtbot, seeded, dialogs):
    win, ids = seeded
    ed = AssignmentEditor(win.ctx, pupil_id=ids.pupil, staff_id=ids.cover_lsa)
    qtbot.addWidget(ed)
    ed.show()
    idle(qtbot, win)
    assert ed.form.fields["sessions"].value() == ALL_WEEK
    ed.reject()
    assert not ed.isVisible() and dialogs.asked == []


def test_new_funding_names_the_ehcp_local_authority_as_funder(qtbot, seeded):
    win, ids = seeded
    ed = FundingEditor(win.ctx, pupil_id=ids.pupil)
    qtbot.addWidget(ed)
    ed.show()
    idle(qtbot, win)
    assert ed.form.fields["funder"].value() == "Kent"
    ed.reject()


def test_a_local_authority_is_added_from_the_pupil_editor(qtbot, seeded, store, monkeypatch):
    from sencodesk.queries.school import list_local_authorities
    from ui.dialogs import ask
    from ui.dialogs.pupil_editors import ADD_LA, PupilEditor

    win, _ids = seeded
    monkeypatch.setattr(ask, "ask_text", lambda *_a, **_k: "Medway")
    ed = PupilEditor(win.ctx)
    qtbot.addWidget(ed)
    ed.show()
    idle(qtbot, win)
    la = ed.form.fields["ehcp_la_id"]
    la.set_value(ADD_LA)  # the last choice: "Add a local authority…"
    idle(qtbot, win)
    assert la.currentText() == "Medway"
    with store.read() as s:
        names = {x.id: x.name for x in list_local_authorities(s)}
    assert names[la.value()] == "Medway"


def test_a_local_authority_already_there_is_refused_and_the_choice_kept(
    qtbot, seeded, monkeypatch, dialogs
):
    from ui.dialogs import ask
    from ui.dialogs.pupil_editors import ADD_LA, PupilEditor

    win, _ids = seeded
    monkeypatch.setattr(ask, "ask_text", lambda *_a, **_k: "kent")
    ed = PupilEditor(win.ctx)
    qtbot.addWidget(ed)
    ed.show()
    idle(qtbot, win)
    la = ed.form.fields["ehcp_la_id"]
    la.set_value(ADD_LA)
    idle(qtbot, win)
    assert la.value() is None  # back to "(none)", as before
    assert any("already a local authority" in text for _t, text in dialogs.told), dialogs.told
    ed.form.dirty = False
    ed.reject()
