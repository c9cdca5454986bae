"""A trust lead chooses a school to look at (or all the trust's schools): the choice goes to
the database as ``sencodesk.view_school`` on each of the app's connections, and only the
trust lead's policies read it, so setting it narrows a trust lead's view and widens nobody's
(a SENCO or a head who sets it still sees their own school, no more, no less)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sencodesk.server.session import choose_school, schools, viewing
from sencodesk.store import open_store
from tests.integration.server_seed import server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _pupils(store) -> set[int]:
    with store.read() as s:
        return set(s.execute(text("SELECT id FROM pupil")).scalars())


def _counts(store) -> dict[str, int]:
    with store.read() as s:
        return {
            t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("record", "contract", "funding", "audit_entry")
        }


def test_a_trust_lead_sees_every_school_or_the_one_they_choose(server):
    ids = server.ids
    store = open_store(server.url_for("trust"), user="trust")
    try:
        with store.read() as s:
            assert [n for _i, n in schools(s)] == ["Birch Academy", "Oakfield Primary"]
            assert viewing(s) is None
        everything = {ids["p1"], ids["p2"], ids["p3"]}
        assert _pupils(store) == everything
        all_counts = _counts(store)
        assert all_counts["record"] == 2 and all_counts["contract"] == 1

        with store.read() as s:
            choose_school(s, 2)
        for _ in range(3):  # every connection the app takes from now on
            assert _pupils(store) == {ids["p3"]}
        assert _counts(store) == {"record": 0, "contract": 0, "funding": 0, "audit_entry": 0}
        with store.read() as s:
            assert viewing(s) == 2
            # the school list stays whole, for the picker
            assert {i for i, _n in schools(s)} == {1, 2}

        with store.read() as s:
            choose_school(s, 1)
        assert _pupils(store) == {ids["p1"], ids["p2"]}
        assert _counts(store)["record"] == 2

        with store.read() as s:
            choose_school(s, None)  # All schools
        assert _pupils(store) == everything
        assert _counts(store) == all_counts
    finally:
        store.close()


@pytest.mark.parametrize("who", ["senco", "head", "senco2", "amy", "bm"])
def test_the_setting_is_read_only_by_the_trust_leads_policies(server, who):
    """Every other role sees exactly what it saw before, whatever the setting says."""
    store = open_store(server.url_for(who), user=who)
    try:
        before = _pupils(store)
        for value in ("1", "2", "999", "all", "1 OR true"):
            with store.read() as s:
                s.execute(
                    text("SELECT set_config('sencodesk.view_school', :v, false)"), {"v": value}
                )
                assert set(s.execute(text("SELECT id FROM pupil")).scalars()) == before
        assert (
            before
            == {
                "senco": {server.ids["p1"], server.ids["p2"]},
                "head": {server.ids["p1"], server.ids["p2"]},
                "senco2": {server.ids["p3"]},
                "amy": {server.ids["p1"]},
                "bm": {server.ids["p1"], server.ids["p2"]},
            }[who]
        )
    finally:
        store.close()


def test_a_setting_that_is_not_a_school_number_shows_the_trust_lead_every_school(server):
    store = open_store(server.url_for("trust"), user="trust")
    try:
        with store.read() as s:
            s.execute(text("SELECT set_config('sencodesk.view_school', '2 OR 1=1', false)"))
            assert s.execute(text("SELECT sencodesk_view_school()")).scalar() is None
            assert s.execute(text("SELECT count(*) FROM pupil")).scalar() == 3
    finally:
        store.close()
