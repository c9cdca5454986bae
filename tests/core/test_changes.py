"""A write reports what it changed, side effects included (``sencodesk.changes``)."""

from __future__ import annotations

import datetime as dt

from sencodesk import commands
from sencodesk.changes import TABLE_KINDS, Change, changed
from sencodesk.model import AuditEntry, Base, Pupil
from tests.ui.seed import seed_school


def test_every_table_has_a_kind():
    tables = {t.name for t in Base.metadata.sorted_tables} - {AuditEntry.__tablename__}
    assert tables == set(TABLE_KINDS)


def test_a_leaving_date_reports_the_assignments_it_ended(store):
    today = dt.date.today()
    ids = seed_school(store, today - dt.timedelta(days=30))
    with store.session() as s:
        commands.save_pupil(s, {"leaving_date": today}, ids.pupil)
    assert changed(s) == {Change.PUPIL, Change.ASSIGNMENT}


def test_a_record_reports_only_the_record(store):
    today = dt.date.today()
    ids = seed_school(store, today)
    with store.session() as s:
        commands.save_record(
            s,
            {
                "pupil_id": ids.pupil,
                "kind": "support",
                "occurred_at": dt.datetime.now(),
                "text": "Phonics",
            },
        )
    assert changed(s) == {Change.RECORD}


def test_a_read_reports_nothing(store):
    ids = seed_school(store, dt.date.today())
    with store.read() as s:
        assert s.get(Pupil, ids.pupil) is not None
    assert changed(s) == frozenset()


def test_an_erasure_reports_the_rows_it_deleted_past_the_audit_hook(store):
    """Erasure deletes with core statements (so the audit keeps nothing of the rows): it says
    itself what went."""
    from sencodesk.safety.retention import erase_pupil

    ids = seed_school(store, dt.date.today() - dt.timedelta(days=30))
    with store.session() as s:
        erase_pupil(
            s, ids.pupil, "Retention ended", confirm_upn_or_name="B801200005001", force=True
        )
    assert {Change.PUPIL, Change.ASSIGNMENT, Change.FUNDING, Change.REVIEW} <= changed(s)
