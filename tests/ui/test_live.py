"""Two apps on one server, two logins: an LSA's incident appears on the SENCO's dashboard
within 2 s, without a restart (LISTEN/NOTIFY, debounced refresh)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import QSettings

from sencodesk import commands
from tests.integration.server_seed import server_fixture
from tests.ui.helpers import write_in_worker
from ui.main_window import PAGE_KEYS, MainWindow

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _open(qtbot, url, page):
    QSettings().setValue("main/page", PAGE_KEYS.index(page))
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(url)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=15000)
    return win


def test_an_lsas_incident_appears_on_the_sencos_dashboard_within_2_s(qtbot, server, dialogs):
    senco = _open(qtbot, server.url_for("senco"), "dashboard")
    lsa = _open(qtbot, server.url_for("amy"), "pupils")
    try:
        dash = senco.pages["dashboard"]
        qtbot.waitUntil(lambda: dash.data is not None, timeout=15000)
        assert "incident" not in dash.summary.text()
        saved: list[int] = []
        write_in_worker(
            lsa,
            commands.save_record,
            {
                "pupil_id": server.ids["p1"],
                "author_id": server.ids["amy"],
                "occurred_at": dt.datetime.now().replace(second=0, microsecond=0),
                "kind": "incident",
                "behaviour": "Threw a chair",
            },
            changes={"record"},
            on_done=saved.append,
        )
        qtbot.waitUntil(lambda: bool(saved), timeout=10000)
        began = time.monotonic()
        qtbot.waitUntil(
            lambda: "1 incident recorded in the last 7 days" in dash.summary.text(), timeout=2000
        )
        assert time.monotonic() - began < 2.0
        assert not dialogs.bugs and not dialogs.told
    finally:
        lsa.close()
        senco.close()
