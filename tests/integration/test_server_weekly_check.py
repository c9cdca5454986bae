"""The app's weekly check of the links between rows, on a server: run for a login that reads
its whole school (and finds nothing wrong in a sound database), never for an LSA's or a
business manager's partial view, where rows whose parents they may not read would look like
broken links ("avoid making changes" told them of damage that is not there)."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk.safety import integrity
from sencodesk.store import open_store
from tests.integration.server_seed import server_fixture
from ui import safety_ops

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")
NOW = dt.datetime(2026, 1, 5, 9)


@pytest.mark.parametrize("who", ["amy", "bm"])
def test_no_weekly_check_from_a_partial_view(server, who):
    store = open_store(server.url_for(who), user=who)
    try:
        assert integrity.full_check(store)  # what it would have told them: false gaps
        r = safety_ops.routine(store, NOW)
        assert (r.checked, r.problems) == (False, ())
    finally:
        store.close()


@pytest.mark.parametrize("who", ["senco", "head"])
def test_the_weekly_check_runs_for_a_whole_school_view(server, who):
    store = open_store(server.url_for(who), user=who)
    try:
        r = safety_ops.routine(store, NOW)
        assert r.checked
        assert r.problems == ()
    finally:
        store.close()
