"""File > Users of this school…: a SENCO signed in to a real server adds, moves and removes
their school's logins through the window; nobody else is offered it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QAction
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.integration.server_seed import PASSWORD, _drop_roles, server_fixture
from tests.ui.test_signin import _sign_in
from ui.dialogs.team import AddUserDialog, RoleDialog, TeamDialog, show_team
from ui.main_window import MainWindow

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


@pytest.fixture
def win(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def _can_sign_in(url: str, login: str) -> bool:
    eng = create_engine(make_url(url).set(username=login, password=PASSWORD))
    try:
        with eng.connect() as conn:
            return conn.execute(text("SELECT sencodesk_role()")).scalar() is not None
    except OperationalError:
        return False
    finally:
        eng.dispose()


def _select(box: TeamDialog, login: str) -> None:
    row = next(i for i, u in enumerate(box.model.rows) if u.login == login)
    box.view.selectionModel().select(
        box.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _reload(qtbot, box: TeamDialog, act) -> None:
    with qtbot.waitSignal(box.loaded, timeout=15000):
        act()


def test_only_a_senco_on_a_server_is_offered_the_users_screen(
    qtbot, win, server, dialogs, tmp_path
):
    team = win.findChild(QAction, "team")
    win.open_database(tmp_path / "school.db", first_run_check=False)
    qtbot.waitUntil(lambda: win.db_path is not None, timeout=15000)
    assert not team.isVisible()  # a file on this computer: no logins to manage
    for who, offered in (("senco", True), ("head", False), ("amy", False), ("bm", False)):
        _sign_in(qtbot, win, server, who)
        assert team.isVisible() is offered, who
    assert not dialogs.bugs


def test_a_senco_adds_changes_and_removes_a_user(qtbot, win, server, dialogs):
    new = server.prefix + "u_cat"
    try:
        _sign_in(qtbot, win, server, "senco")
        box = show_team(win.ctx)
        qtbot.addWidget(box)
        qtbot.waitUntil(lambda: bool(box.users), timeout=15000)
        logins = {u.login for u in box.users}
        assert server.logins["amy"] in logins and server.logins["senco2"] not in logins
        # Their own login cannot be changed or removed from here.
        _select(box, server.logins["senco"])
        assert not box.role_button.isEnabled() and not box.remove_button.isEnabled()

        add = box.add()
        assert isinstance(add, AddUserDialog)
        add.login.setText("Bad Name")
        add.role.set_value("lsa")
        add.password.setText(PASSWORD)
        add.confirm.setText(PASSWORD + "x")
        add.go()
        assert add.form.error_text("confirm")
        add.confirm.setText(PASSWORD)
        add.go()  # the core names the bad login and the missing staff row, saves nothing
        qtbot.waitUntil(lambda: bool(add.form.error_text("login")), timeout=15000)
        assert add.form.error_text("staff")
        assert add.isVisible()
        add.login.setText(new)
        add.staff.set_value(server.ids["ben"])
        _reload(qtbot, box, add.go)
        cat = {u.login: u for u in box.users}[new]
        assert (cat.role, cat.staff_name, cat.active) == ("lsa", "Ben Birch", True)
        assert _can_sign_in(server.url, new)

        _select(box, new)
        assert box.role_button.isEnabled()
        role = box.change_role()
        assert isinstance(role, RoleDialog)
        role.role.set_value("head")
        _reload(qtbot, box, role.go)
        assert {u.login: u for u in box.users}[new].role_label == "Headteacher"

        _select(box, new)
        dialogs.answer = True
        _reload(qtbot, box, box.remove)
        gone = {u.login: u for u in box.users}[new]
        assert not gone.active
        assert (
            box.model.index(box.model.rows.index(gone), box.model.COL_STATUS)
            .data()
            .startswith("Removed")
        )
        assert not _can_sign_in(server.url, new)
        assert not dialogs.bugs
    finally:
        _drop_roles(server.url, [new])


def test_records_past_retention_on_a_server_says_why_a_senco_cannot_erase(
    qtbot, win, server, dialogs
):
    from PySide6.QtWidgets import QLabel

    from sencodesk.safety.retention import ERASE_ON_SERVER
    from ui.dialogs.retention import RetentionDialog

    _sign_in(qtbot, win, server, "senco")
    box = RetentionDialog(win.ctx)
    qtbot.addWidget(box)
    box.show()
    assert box.erase_button.isHidden()
    assert any(w.text() == ERASE_ON_SERVER and w.isVisible() for w in box.findChildren(QLabel))
