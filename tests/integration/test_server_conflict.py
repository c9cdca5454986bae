"""No lost updates for the roles that may change a table but not read the history: a
business manager's contract save and an LSA's record save, from a form loaded before the
SENCO saved the same row, are refused with theirs and yours and who saved last (the
database's own ``sencodesk_last_saved``), nothing is written, and saving again with the
row's new version goes through. Through real logins on a real PostgreSQL server."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from sencodesk import commands
from sencodesk.errors import Conflict
from sencodesk.model import Contract, Record
from sencodesk.store import open_store
from tests.integration.server_seed import server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def _store(server, who):
    return open_store(server.url_for(who), user=who)


def _version(store, model, row_id):
    with store.read() as s:
        return s.get(model, row_id).version


def test_a_business_managers_stale_contract_save_is_refused_with_both_values(server):
    bm, senco = _store(server, "bm"), _store(server, "senco")
    try:
        c1 = server.ids["c1"]
        loaded = _version(bm, Contract, c1)  # the BM opens the contract
        with senco.session() as s:  # the SENCO saves a new salary first
            commands.save_contract(s, {"fte_salary": "25000", "version": loaded}, c1)
        with pytest.raises(Conflict) as caught, bm.session() as s:
            commands.save_contract(s, {"job_title": "Senior LSA", "version": loaded}, c1)
        exc = caught.value
        assert exc.fields == {"job_title": ("", "Senior LSA")}
        assert exc.by == server.logins["senco"]
        assert exc.at is not None
        with bm.read() as s:  # nothing of the BM's save was written; the SENCO's stays
            c = s.get(Contract, c1)
            assert (c.job_title, c.fte_salary) == ("", Decimal("25000.00"))
        with bm.session() as s:  # "overwrite with mine": again with the version now
            commands.save_contract(s, {"job_title": "Senior LSA", "version": exc.version}, c1)
        with bm.read() as s:
            c = s.get(Contract, c1)
            assert (c.job_title, c.fte_salary) == ("Senior LSA", Decimal("25000.00"))
        # The history itself stays unreadable to the business manager.
        with pytest.raises(ProgrammingError, match="permission denied"), bm.read() as s:
            s.execute(text("SELECT count(*) FROM audit_entry")).scalar()
    finally:
        bm.close()
        senco.close()


def test_an_lsas_stale_record_save_is_refused_with_both_values(server):
    amy, senco = _store(server, "amy"), _store(server, "senco")
    try:
        rid = server.ids["r_amy"]
        loaded = _version(amy, Record, rid)
        with senco.session() as s:
            commands.save_record(
                s, {"text": "Worked on turn-taking (SENCO)", "version": loaded}, rid
            )
        with pytest.raises(Conflict) as caught, amy.session() as s:
            commands.save_record(s, {"text": "Worked on sharing", "version": loaded}, rid)
        exc = caught.value
        assert exc.fields == {"text": ("Worked on turn-taking (SENCO)", "Worked on sharing")}
        assert exc.by == server.logins["senco"]
        with amy.read() as s:
            assert s.get(Record, rid).text == "Worked on turn-taking (SENCO)"
    finally:
        amy.close()
        senco.close()


def test_who_saved_last_is_told_only_for_tables_the_login_may_change(server):
    """The function behind the dialog tells nobody about a table they may not update."""
    amy = _store(server, "amy")
    try:
        with amy.read() as s:
            row = s.execute(
                text("SELECT \"user\" FROM sencodesk_last_saved('contract', :r)"),
                {"r": server.ids["c1"]},
            ).first()
            assert row is None or row.user is None
            mine = s.execute(
                text("SELECT \"user\" FROM sencodesk_last_saved('record', :r)"),
                {"r": server.ids["r_amy"]},
            ).first()
            assert mine is not None and mine.user  # the owner's seed wrote it
    finally:
        amy.close()
