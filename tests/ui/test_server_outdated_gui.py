"""The window, signed in to a server whose policies another version of the app set up, tells
the user it needs updating and who can do it (and says nothing once it is up to date)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sencodesk.server.session import OUTDATED
from sencodesk.store import open_store
from tests.integration.server_seed import server_fixture
from tests.ui.test_signin import _sign_in, win  # noqa: F401 - the window fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def test_an_outdated_server_is_told_at_sign_in(qtbot, win, server, dialogs):  # noqa: F811
    _sign_in(qtbot, win, server, "head")
    assert not [t for t in dialogs.told if OUTDATED in t[1]]
    store = open_store(server.url, user="owner")
    try:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE app_setting SET value = 'x' WHERE key = 'policy_version'"))
    finally:
        store.close()
    _sign_in(qtbot, win, server, "head")
    assert ("This server needs updating", OUTDATED) in dialogs.told
    assert not dialogs.bugs
