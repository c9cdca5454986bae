"""``check`` on a server whose policies are not this version's: the message says what to do,
and the exit status is 1 (0 and 'ok' once ``server init`` has run again)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sencodesk.cli import run
from sencodesk.server import admin
from sencodesk.server.session import OUTDATED
from sencodesk.store import open_store
from tests.integration.server_seed import server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def test_check_exits_1_with_the_message_on_an_outdated_server(server, capsys):
    assert run(["check", "--db", server.url_for("senco")]) == 0
    assert capsys.readouterr().out.strip().endswith("ok")
    store = open_store(server.url, user="owner")
    try:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE app_setting SET value = 'x' WHERE key = 'policy_version'"))
    finally:
        store.close()
    assert run(["check", "--db", server.url_for("senco")]) == 1
    out = capsys.readouterr().out
    assert OUTDATED in out
    assert "ok" not in out.split()
    admin.init_server(server.url, prefix=server.prefix)
    assert run(["check", "--db", server.url_for("senco")]) == 0
