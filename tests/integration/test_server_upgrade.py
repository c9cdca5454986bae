"""``server init`` stamps the version of the policies it applied (a hash of their SQL); an
app whose own version differs is told the server needs updating, and running ``server init``
again brings the server up to date without touching its people or their data."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sencodesk.server import admin, ddl
from sencodesk.server.session import OUTDATED, server_outdated, whoami
from sencodesk.store import open_store
from tests.integration.server_seed import server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _owner_sql(server, sql: str) -> None:
    store = open_store(server.url, user="owner")
    try:
        with store.engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        store.close()


def _me(server, who):
    store = open_store(server.url_for(who), user=who)
    try:
        return whoami(store)
    finally:
        store.close()


def test_init_stamps_the_policy_version_and_an_up_to_date_server_is_not_outdated(server):
    store = open_store(server.url, user="owner")
    try:
        with store.engine.connect() as conn:
            stamp = conn.execute(
                text("SELECT value FROM app_setting WHERE key = :k"), {"k": ddl.POLICY_KEY}
            ).scalar()
    finally:
        store.close()
    assert stamp == ddl.policy_version()
    assert len(stamp) == 16
    for who in ("senco", "amy", "bm", "head", "trust"):
        assert _me(server, who).outdated == ""  # every role may read the stamp
    assert server_outdated(server.url_for("amy")) == ""


def test_a_stamp_from_another_version_is_told_and_server_init_again_fixes_it(server):
    _owner_sql(server, "UPDATE app_setting SET value = 'an older one' WHERE key = 'policy_version'")
    me = _me(server, "senco")
    assert me.outdated == OUTDATED
    assert "ask whoever set it up to run `server init` again" in OUTDATED
    assert server_outdated(server.url_for("bm")) == OUTDATED
    admin.init_server(server.url, prefix=server.prefix)
    assert _me(server, "senco").outdated == ""
    # Nobody lost their login or their role; the data is all there.
    users = {u.login: u.role for u in admin.list_users(server.url)}
    assert users[server.logins["amy"]] == "lsa"
    store = open_store(server.url_for("amy"), user="amy")
    try:
        with store.read() as s:
            assert s.execute(text("SELECT id FROM pupil")).scalars().all() == [server.ids["p1"]]
    finally:
        store.close()


def test_a_server_set_up_before_the_stamp_is_outdated(server):
    _owner_sql(server, "DROP FUNCTION sencodesk_policy_version()")
    assert _me(server, "head").outdated == OUTDATED
    admin.init_server(server.url, prefix=server.prefix)
    assert _me(server, "head").outdated == ""


def test_the_version_follows_the_policy_sql(monkeypatch):
    before = ddl.policy_version()
    assert ddl.policy_version() == before  # the same SQL, the same stamp
    ddl.policy_version.cache_clear()
    monkeypatch.setattr(ddl, "FUNCTIONS", ddl.FUNCTIONS + "\n-- a changed policy\n")
    try:
        assert ddl.policy_version() != before
    finally:
        ddl.policy_version.cache_clear()


def test_a_file_or_a_plain_postgresql_database_is_never_outdated(pg_url, tmp_path):
    assert server_outdated(pg_url) == ""  # no SENCO Desk server functions at all
    assert server_outdated(f"sqlite:///{tmp_path / 'x.db'}") == ""
