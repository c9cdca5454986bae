"""A walk through the window as each role, signed in to a real PostgreSQL server as that
role's own login: every page it is offered loads without an error, the pages, menu items and
tabs it may not read are hidden (not failing), and it is offered no control that writes
what the database would refuse. The business manager opens a member of staff (their
contracts and the pupils they support, by name)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton

from tests.integration.server_seed import server_fixture
from tests.ui.test_signin import _sign_in
from ui.main_window import PAGE_KEYS, MainWindow
from ui.roles import WRITES

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")

# Menu items that change data (or who may sign in).
WRITE_ACTIONS = {"new_pupil", "new_staff", "new_record", "settings", "retention", "import_mis"}
# Menu items that read what only some roles may (the history, a subject access request, lists).
READ_ACTIONS = {"history", "subject_access", "export"}
STAFF_SIDE = {"staff", "contract", "assignment", "qualification", "training", "dbs_check"}
PUPIL_TABS = ["Profile & EHCP", "Outcomes", "Support", "Funding", "Reviews", "Records"]

# who -> (pages offered, write menu items offered, tables whose write buttons are offered,
#         the pupil's tabs shown (None: no pupils page))
WALK = {
    "head": (list(PAGE_KEYS), set(), set(), PUPIL_TABS),
    "trust": (list(PAGE_KEYS), set(), set(), PUPIL_TABS),
    "amy": (
        ["pupils"],
        {"new_record"},
        {"record"},
        ["Profile & EHCP", "Outcomes", "Support", "Records"],
    ),
    "bm": (["staff", "money"], {"new_staff"}, STAFF_SIDE, None),
    "senco": (list(PAGE_KEYS), WRITE_ACTIONS, None, PUPIL_TABS),
}


@pytest.fixture
def win(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def _visible_pages(win) -> list[str]:
    return [k for row, k in enumerate(PAGE_KEYS) if not win.sidebar.isRowHidden(row)]


def _offered_buttons(win) -> set[str]:
    return {
        b.property(WRITES)
        for page in win.pages.values()
        for b in page.findChildren(QAbstractButton)
        if b.property(WRITES) and not b.isHidden()
    }


def _tab_titles(view) -> list[str]:
    tabs = view.tabs
    return [
        tabs.tabText(i).replace("&&", "\0").replace("&", "").replace("\0", "&")
        for i in range(tabs.count())
        if tabs.isTabVisible(i)
    ]


@pytest.mark.parametrize("who", list(WALK))
def test_each_role_walks_the_window_it_may_see(qtbot, win, server, dialogs, who):
    pages, write_actions, buttons, pupil_tabs = WALK[who]
    _sign_in(qtbot, win, server, who)
    dialogs.told.clear()
    assert _visible_pages(win) == pages
    for key in PAGE_KEYS:
        assert win.findChild(QAction, f"page_{key}").isVisible() is (key in pages)
    offered = {name for name in WRITE_ACTIONS if win.findChild(QAction, name).isVisible()}
    assert offered == write_actions
    reads = {name for name in READ_ACTIONS if win.findChild(QAction, name).isVisible()}
    assert reads == (
        READ_ACTIONS if who in ("head", "trust", "senco") else {"export"} if who == "bm" else set()
    )
    assert win.reports_menu.menuAction().isVisible() is (who in ("head", "trust", "senco"))
    assert win.findChild(QAction, "team").isVisible() is (who == "senco")

    # Every page it is offered loads, with no error told and no bug.
    for key in pages:
        page = win.show_page(key)
        qtbot.waitUntil(lambda p=page: p._ever_loaded or bool(dialogs.bugs), timeout=20000)
        qtbot.waitUntil(lambda: not win.worker.busy, timeout=20000)
    if "pupils" in pages:
        plist = win.pages["pupils"]
        ids = {r.id for r in plist.model.rows}
        if who == "amy":  # an LSA: the one pupil they are assigned to, nobody else
            assert ids == {server.ids["p1"]}
        elif who == "trust":  # the trust's schools
            assert ids == {server.ids["p1"], server.ids["p2"], server.ids["p3"]}
        else:
            assert ids == {server.ids["p1"], server.ids["p2"]}
        with qtbot.waitSignal(plist.view.loaded, timeout=20000):
            win.open_pupil(server.ids["p1"])
        assert _tab_titles(plist.view) == pupil_tabs
    if "staff" in pages:
        spage = win.pages["staff"]
        with qtbot.waitSignal(spage.view.loaded, timeout=20000):
            win.open_staff(server.ids["amy"])
        d = spage.view.detail
        assert [c.id for c in d.contracts] == [server.ids["c1"]]
        assert [a.pupil_name for a in d.assignments] == ["Ada Pupil"]
        assert spage.view.tabs.isVisible()
    if "history" in reads:  # the open row's history, as the role may read it
        box = win.safety.show_history()
        qtbot.waitUntil(lambda: not win.worker.busy, timeout=20000)
        assert box is not None
        box.close()
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=20000)
    if buttons is not None:
        assert _offered_buttons(win) == buttons
    assert not dialogs.bugs
    assert not dialogs.told, dialogs.told


def _open_dialogs() -> list:
    from PySide6.QtWidgets import QApplication, QDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


@pytest.mark.parametrize(("who", "row"), [("amy", "pupil"), ("bm", "staff")])
def test_every_editor_a_role_is_offered_opens_for_it(qtbot, win, server, dialogs, who, row):
    """Each Add/Edit button the role is offered on its row's page opens its editor, with the
    editor's own lists loaded, and nothing is refused on the way (an LSA's Add a record…, a
    business manager's contract, assignment, qualification, training and DBS editors)."""
    _sign_in(qtbot, win, server, who)
    if row == "pupil":
        view = win.pages["pupils"].view
        with qtbot.waitSignal(view.loaded, timeout=20000):
            win.open_pupil(server.ids["p1"])
    else:
        page = win.show_page("staff")
        qtbot.waitUntil(lambda: page._ever_loaded, timeout=20000)
        view = page.view
        with qtbot.waitSignal(view.loaded, timeout=20000):
            win.open_staff(server.ids["amy"])
    opened = []
    for i in range(view.tabs.count()):
        if not view.tabs.isTabVisible(i):
            continue
        view.tabs.setCurrentIndex(i)
        tab = view.tabs.widget(i)
        rows = getattr(getattr(tab, "model", None), "rows", [])
        if rows:
            tab.table.select_id(rows[0].id)
        for b in tab.findChildren(QAbstractButton):
            if not b.property(WRITES) or b.isHidden() or not b.isEnabled():
                continue
            b.click()
            qtbot.waitUntil(lambda: bool(_open_dialogs()) or bool(dialogs.bugs), timeout=20000)
            qtbot.waitUntil(lambda: not win.worker.busy, timeout=20000)
            qtbot.wait(100)
            opened.append(b.text().replace("&", ""))
            for d in _open_dialogs():
                d.reject()
            assert not dialogs.bugs, (b.text(), dialogs.bugs)
    assert not dialogs.told, dialogs.told
    assert (
        opened
        == {
            "amy": ["Add a record…"],
            "bm": [
                "Add contract…",
                "Edit contract…",
                "Assign to a pupil…",
                "Edit assignment…",
                "Add qualification…",
                "Add training…",
                "Add DBS check…",
            ],
        }[who]
    )
