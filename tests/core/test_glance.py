"""The first page's data read without SQLAlchemy (sencodesk.glance, #17) is the normal load's:
the same facts, alerts (with their urgency), timeline and incident count; and a file it
cannot read that way gives None, never a wrong answer."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sencodesk.demo import make_demo
from sencodesk.glance import glance_dashboard, open_read_only, read_facts
from sencodesk.queries.facts import load_facts, load_facts_sqlalchemy
from sencodesk.store import open_store

TODAY = dt.date(2026, 3, 1)
ROOT = Path(__file__).resolve().parents[2]


def dashboard(store, today):
    """What the dashboard page loads (ui.pages.dashboard.load_dashboard, without Qt)."""
    from sencodesk.alerts import alerts_and_timeline, current_half_term_end, urgency
    from sencodesk.queries.records import count_records

    start = today - dt.timedelta(days=30)
    end = start + dt.timedelta(days=365)
    with store.read() as s:
        alerts, lanes = alerts_and_timeline(s, today=today, start=start, end=end)
        ht_end = current_half_term_end(s, today)
        week_ago = dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min)
        incidents = count_records(s, kind="incident", since=week_ago)
    return tuple((urgency(a, today, ht_end), a) for a in alerts), tuple(lanes), incidents


@pytest.mark.parametrize("pupils", [420, 2000])
def test_glance_is_the_normal_load(tmp_path, pupils):
    path = tmp_path / "school.db"
    store = open_store(path, user="test")
    try:
        make_demo(store, pupils=pupils, seed=1, today=TODAY)
        with store.read() as s:
            facts = load_facts_sqlalchemy(s)  # as a server reads them
            assert load_facts(s) == facts  # a file's own: with the driver (factread)
        conn = open_read_only(path)
        assert conn is not None
        assert read_facts(conn) == facts
        conn.close()
        for on in (TODAY, TODAY + dt.timedelta(days=47), TODAY + dt.timedelta(days=190)):
            got = glance_dashboard(path, on)
            assert got is not None
            alerts, lanes, incidents = dashboard(store, on)
            assert got.alerts == alerts and alerts
            assert got.lanes == lanes and lanes
            assert got.incidents_week == incidents
            assert got.start == on - dt.timedelta(days=30)
    finally:
        store.close()


def test_what_it_cannot_read_gives_none(tmp_path):
    today = TODAY
    assert glance_dashboard(tmp_path / "missing.db", today) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)  # e.g. an encrypted file
    assert glance_dashboard(junk, today) is None
    old = tmp_path / "old.db"
    store = open_store(old, user="test")
    store.close()
    with sqlite3.connect(old) as c:
        c.execute("UPDATE alembic_version SET version_num = '0001_initial'")  # an older schema
    assert glance_dashboard(old, today) is None


def test_read_without_sqlalchemy(tmp_path):
    path = tmp_path / "school.db"
    store = open_store(path, user="test")
    make_demo(store, pupils=420, seed=1, today=TODAY)
    store.close()
    code = (
        "import sys, datetime as dt\n"
        "from sencodesk.glance import glance_dashboard\n"
        f"g = glance_dashboard({str(path)!r}, dt.date(2026, 3, 1))\n"
        "assert g is not None and g.alerts\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_an_encrypted_file_loads_the_same_facts_both_ways(tmp_path):
    """``load_facts`` reads a school's own file with its driver (``factread``): for an
    encrypted file that is SQLCipher's, on the session's unlocked connection. The glance
    cannot read it (it has no key) and says nothing."""
    path = tmp_path / "locked.db"
    store = open_store(path, user="test", passphrase="a long enough test passphrase")
    try:
        make_demo(store, pupils=420, seed=1, today=TODAY)
        with store.read() as s:
            fast = load_facts(s)
            assert fast == load_facts_sqlalchemy(s)
        assert fast.pupils and fast.contracts and fast.meetings
        assert glance_dashboard(path, TODAY) is None
    finally:
        store.close()


def test_pending_changes_are_in_the_facts(tmp_path):
    """The driver reads on the session's own connection after a flush, so a change not yet
    committed in that session is in its facts, as SQLAlchemy's own read would have it."""
    from sencodesk.model import Pupil

    path = tmp_path / "school.db"
    store = open_store(path, user="test")
    try:
        make_demo(store, pupils=420, seed=1, today=TODAY)
        with store.session() as s:
            before = load_facts(s)
            pid = next(iter(before.pupils))
            s.get(Pupil, pid).ehcp_weekly_minutes = 123
            after = load_facts(s)
            assert after.pupils[pid].ehcp_weekly_minutes == 123
            assert after == load_facts_sqlalchemy(s)
            s.rollback()
    finally:
        store.close()
