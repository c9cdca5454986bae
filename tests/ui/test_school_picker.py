"""A trust lead chooses the school they look at (or all the trust's schools) from the status
bar: the pupils list loads again with that school's pupils only; nobody else is offered the
picker."""

from __future__ import annotations

import pytest

from tests.integration.server_seed import server_fixture
from tests.ui.test_signin import _sign_in, win  # noqa: F401 - the window fixture
from ui.signin import SchoolPicker

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _picker(w) -> SchoolPicker:
    return w.findChild(SchoolPicker, "school_picker")


def _items(picker) -> list[str]:
    return [picker.combo.itemText(i) for i in range(picker.combo.count())]


def _pupil_ids(page) -> set[int]:
    return {r.id for r in page.model.rows}


def _choose(qtbot, w, page, text) -> None:
    with qtbot.waitSignal(page.loaded, timeout=20000):
        _picker(w).combo.setCurrentText(text)
    qtbot.waitUntil(lambda: not w.worker.busy, timeout=20000)


def test_a_trust_lead_picks_a_school_and_sees_only_its_pupils(
    qtbot,
    win,  # noqa: F811
    server,
    dialogs,
):
    ids = server.ids
    _sign_in(qtbot, win, server, "trust")
    picker = _picker(win)
    assert picker is not None and picker.isVisible()
    qtbot.waitUntil(lambda: picker.combo.count() == 3, timeout=20000)
    assert _items(picker) == ["All schools", "Birch Academy", "Oakfield Primary"]
    assert picker.combo.currentText() == "All schools"
    page = win.show_page("pupils")
    qtbot.waitUntil(lambda: page._ever_loaded, timeout=20000)
    assert _pupil_ids(page) == {ids["p1"], ids["p2"], ids["p3"]}

    _choose(qtbot, win, page, "Birch Academy")
    assert _pupil_ids(page) == {ids["p3"]}
    assert win.statusBar().currentMessage() == "Showing Birch Academy"
    _choose(qtbot, win, page, "Oakfield Primary")
    assert _pupil_ids(page) == {ids["p1"], ids["p2"]}
    # The page on screen loads again at each choice.
    records = win.show_page("records")
    qtbot.waitUntil(lambda: records._ever_loaded and not win.worker.busy, timeout=20000)
    assert len(records.model.rows) == 2
    _choose(qtbot, win, records, "Birch Academy")
    assert records.model.rows == []
    _choose(qtbot, win, records, "All schools")
    assert len(records.model.rows) == 2
    # A page not on screen then, when shown again, loads the choice.
    with qtbot.waitSignal(page.loaded, timeout=20000):
        win.show_page("pupils")
    assert _pupil_ids(page) == {ids["p1"], ids["p2"], ids["p3"]}

    # A SENCO, signed in in the same window, is not offered it.
    _sign_in(qtbot, win, server, "senco")
    assert not picker.isVisible()
    assert not dialogs.bugs
