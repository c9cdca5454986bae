"""The "changed by someone else" dialog for a business manager's contract and an LSA's
record, signed in to a real server as those roles: theirs and yours side by side, who saved
last, and "overwrite with mine" saves only the fields changed (the SENCO's change stays)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sencodesk import commands
from sencodesk.model import Contract, Record
from sencodesk.store import open_store
from tests.integration.server_seed import server_fixture
from tests.ui.test_signin import _sign_in, win  # noqa: F401 - the window fixture
from ui.dialogs import conflict
from ui.dialogs.contract_editor import ContractEditor
from ui.dialogs.record_editor import RecordEditor

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _senco_saves(server, save, row_id, model, **values):
    store = open_store(server.url_for("senco"), user="senco")
    try:
        with store.session() as s:
            version = s.get(model, row_id).version
            save(s, {**values, "version": version}, row_id)
    finally:
        store.close()


def _read(server, model, row_id):
    store = open_store(server.url, user="owner")
    try:
        with store.read() as s:
            obj = s.get(model, row_id)
            s.expunge(obj)
            return obj
    finally:
        store.close()


@pytest.fixture
def answers(monkeypatch):
    asked: list[tuple[list[tuple[str, str, str]], str]] = []

    def answer(_parent, exc, form):
        asked.append((conflict.rows(exc, form), exc.by))
        return conflict.MINE

    monkeypatch.setattr(conflict, "ask_conflict", answer)
    return asked


def test_a_business_manager_sees_theirs_and_yours_and_overwrites_with_theirs_kept(
    qtbot,
    win,  # noqa: F811
    server,
    dialogs,
    answers,
):
    _sign_in(qtbot, win, server, "bm")
    page = win.show_page("staff")
    qtbot.waitUntil(lambda: page._ever_loaded, timeout=20000)
    with qtbot.waitSignal(page.view.loaded, timeout=20000):
        win.open_staff(server.ids["amy"])
    row = page.view.detail.contracts[0]
    ed = ContractEditor(win.ctx, staff_id=server.ids["amy"], row=row)
    qtbot.addWidget(ed)
    ed.show()
    field = ed.form.fields["job_title"]
    field.selectAll()
    qtbot.keyClicks(field, "Senior LSA")
    _senco_saves(server, commands.save_contract, row.id, Contract, fte_salary="25000")
    with qtbot.waitSignal(ed.saved, timeout=20000):
        ed.save_button.click()
    assert answers == [([("Job title", conflict.EMPTY, "Senior LSA")], server.logins["senco"])]
    c = _read(server, Contract, row.id)
    assert (c.job_title, c.fte_salary) == ("Senior LSA", Decimal("25000.00"))
    assert not dialogs.bugs


def test_an_lsa_sees_theirs_and_yours_for_their_own_record(
    qtbot,
    win,  # noqa: F811
    server,
    dialogs,
    answers,
):
    _sign_in(qtbot, win, server, "amy")
    page = win.pages["pupils"]
    with qtbot.waitSignal(page.view.loaded, timeout=20000):
        win.open_pupil(server.ids["p1"])
    row = next(r for r in page.view.detail.records if r.id == server.ids["r_amy"])
    ed = RecordEditor(win.ctx, pupil_id=server.ids["p1"], row=row)
    qtbot.addWidget(ed)
    ed.show()
    ed.form.fields["text"].set_value("Worked on sharing")
    _senco_saves(server, commands.save_record, row.id, Record, minutes=45)
    with qtbot.waitSignal(ed.saved, timeout=20000):
        ed.save_button.click()
    assert answers == [
        ([("Notes", "Worked on turn-taking", "Worked on sharing")], server.logins["senco"])
    ]
    r = _read(server, Record, row.id)
    assert (r.text, r.minutes) == ("Worked on sharing", 45)
    assert not dialogs.bugs
