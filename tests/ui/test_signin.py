"""Signing in to a server: the server and login are remembered, never the password in a
file; the status bar says who is signed in; the window offers only the role's pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction

from tests.integration.server_seed import PASSWORD, server_fixture
from tests.ui.helpers import find_dialog
from ui.main_window import PAGE_KEYS, MainWindow
from ui.signin import SignInDialog, sign_in

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _sign_in(qtbot, win, server, who, *, remember=False):
    from sqlalchemy.engine import make_url

    u = make_url(server.url)

    def fill() -> None:
        box = find_dialog(SignInDialog)
        box.host.setText(u.host or "")
        box.port.setValue(u.port or 5432)
        box.database.setText(u.database or "")
        box.login.setText(server.logins[who])
        box.password.setText(PASSWORD)
        box.remember.setChecked(remember)
        qtbot.keyClicks(box.password, "")
        box._accept()

    win.signed_in = None
    QTimer.singleShot(0, win, fill)
    assert sign_in(win)
    qtbot.waitUntil(lambda: getattr(win, "signed_in", None) is not None, timeout=15000)
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=15000)


@pytest.fixture
def win(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def _visible_pages(win):
    return [k for row, k in enumerate(PAGE_KEYS) if not win.sidebar.isRowHidden(row)]


def test_an_lsa_sees_only_their_pupils_page_and_who_is_signed_in(
    qtbot, win, server, dialogs, tmp_path
):
    _sign_in(qtbot, win, server, "amy", remember=True)
    assert win.db_label.text() == (
        f"Signed in as {server.logins['amy']} (Learning support assistant)"
    )
    assert _visible_pages(win) == ["pupils"]
    assert win.current_key == "pupils"
    assert not win.reports_menu.menuAction().isVisible()
    assert not win.findChild(QAction, "page_money").isVisible()
    assert not win.findChild(QAction, "settings").isVisible()
    # Their pupil opens (the funding and reviews their role may not read are left out).
    page = win.pages["pupils"]
    with qtbot.waitSignal(page.view.loaded, timeout=15000):
        win.open_pupil(server.ids["p1"])
    assert not dialogs.bugs
    # This computer has no password store: told so, and the password is in no file.
    assert any("could not be remembered" in text for _t, text in dialogs.told)
    st = QSettings()
    assert st.value("server/login") == server.logins["amy"]
    assert st.value("last_kind") == "server"
    st.sync()
    for f in Path(tmp_path / "settings").rglob("*"):
        if f.is_file():
            assert PASSWORD not in f.read_text(encoding="utf-8", errors="replace")


def test_a_senco_sees_every_page_and_the_business_manager_staff_and_money(
    qtbot, win, server, dialogs
):
    _sign_in(qtbot, win, server, "senco")
    assert _visible_pages(win) == list(PAGE_KEYS)
    assert win.reports_menu.menuAction().isVisible()
    _sign_in(qtbot, win, server, "bm")
    assert _visible_pages(win) == ["staff", "money"]
    assert not win.findChild(QAction, "new_pupil").isVisible()
    assert win.findChild(QAction, "new_staff").isVisible()
    for key in ("staff", "money"):
        page = win.show_page(key)
        qtbot.waitUntil(lambda p=page: p._ever_loaded or bool(dialogs.bugs), timeout=15000)
    assert not dialogs.bugs
