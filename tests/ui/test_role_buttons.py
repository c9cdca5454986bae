"""Read-only roles, LSAs and the business manager are not offered the Add/Edit buttons of
tables their role may not write (hidden, not failing), on every page they can open; signing
in as a SENCO afterwards in the same window brings them back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog

from tests.integration.server_seed import server_fixture
from tests.ui.test_signin import _sign_in
from ui.main_window import MainWindow
from ui.roles import WRITES

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")

STAFF_SIDE = {"staff", "contract", "assignment", "qualification", "training", "dbs_check"}
EVERY = STAFF_SIDE | {"pupil", "outcome", "funding", "review_meeting", "record"}
# The getting-started checklist of a school not yet set up (the Dashboard's): the SENCO's.
SETUP = {"school", "local_authority", "term_date"}


@pytest.fixture
def win(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def _offered(win) -> tuple[set[str], set[str]]:
    """The tables whose write buttons are offered, and those hidden, on every page built."""
    shown, hidden = set(), set()
    for page in win.pages.values():
        for b in page.findChildren(QAbstractButton):
            table = b.property(WRITES)
            if table:
                (hidden if b.isHidden() else shown).add(table)
    return shown, hidden


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("head", set()),
        ("trust", set()),
        ("amy", {"record"}),
        ("bm", STAFF_SIDE),
    ],
)
def test_each_role_is_offered_only_the_buttons_it_may_use(
    qtbot, win, server, dialogs, who, offered
):
    _sign_in(qtbot, win, server, who)
    for key in win.signed_in.pages:
        win.show_page(key)
    if "pupils" in win.signed_in.pages:
        with qtbot.waitSignal(win.pages["pupils"].view.loaded, timeout=15000):
            win.open_pupil(server.ids["p1"])
    shown, hidden = _offered(win)
    assert shown == offered
    assert not (hidden & offered)
    assert bool(hidden) is (who != "bm")  # the business manager's pages: all theirs
    # Enter on a row of a tab it may not write opens no editor.
    if who == "head":
        tab = win.pages["pupils"].view.outcomes
        assert tab.model.rows
        tab.table.row_activated.emit(tab.model.rows[0])
        assert not [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
        ]
    # The same window, signed in as the SENCO: everything is offered again.
    _sign_in(qtbot, win, server, "senco")
    for key in win.signed_in.pages:
        win.show_page(key)
    shown, hidden = _offered(win)
    assert not hidden
    assert shown >= offered
    if who in ("head", "trust"):
        assert shown - SETUP == EVERY
    assert not dialogs.bugs
