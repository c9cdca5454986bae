"""The first page's data read at a glance: the dashboard's alerts and timeline from an SQLite
file with the standard library's ``sqlite3``, before SQLAlchemy is imported (#17).

The app paints the dashboard from this while its database is still being opened (SQLAlchemy's
import alone takes longer than a bare window); the normal load replaces it moments later. The
rows become facts through ``queries.factrows.facts_from_rows`` and alerts and lanes through
``alerts.alerts_from_facts`` and ``queries.timeline.timeline_from_facts``: the same functions
as the normal load, so the glance says exactly what the page will.

Only a plain file at this version's schema is read (read only, nothing written); anything
else (an encrypted or damaged file, an older or newer schema, a server) gives None, and the
page waits for the normal load as before.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .alerts import Alert, alerts_from_facts, urgency
from .queries.factread import read_date, read_facts
from .queries.timeline import Lane, timeline_from_facts
from .vocab import Urgency

TIMELINE_BEFORE = dt.timedelta(days=30)  # the dashboard's timeline starts a month back


@dataclass(frozen=True)
class Glance:
    alerts: tuple[tuple[Urgency, Alert], ...]
    lanes: tuple[Lane, ...]
    start: dt.date
    end: dt.date
    incidents_week: int


def open_read_only(path: str | Path) -> sqlite3.Connection | None:
    """The file opened read only, if it is an SQLite file at this version's schema."""
    from .schema import head_revision

    p = Path(path)
    if not p.is_file():
        return None
    try:
        # A file another program is writing is not waited for (the open after it would be).
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=0.25)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != head_revision():
            conn.close()
            return None
    except sqlite3.Error:  # encrypted, damaged, or not ours
        conn.close()
        return None
    return conn


def glance_dashboard(path: str | Path, today: dt.date, timeline_days: int = 365) -> Glance | None:
    """The dashboard's data, as ``ui.pages.dashboard.load_dashboard`` gives it; None when the
    file cannot be read this way (the normal load will say why)."""
    conn = open_read_only(path)
    if conn is None:
        return None
    try:
        facts = read_facts(conn)
        start = today - TIMELINE_BEFORE
        end = start + dt.timedelta(days=timeline_days)
        alerts = alerts_from_facts(facts, today=today)
        lanes = timeline_from_facts(facts, start, end)
        ht = conn.execute(
            'SELECT "end" FROM term_date WHERE "end" >= ? ORDER BY start LIMIT 1',
            (today.isoformat(),),
        ).fetchone()
        ht_end = read_date(ht[0]) if ht else None
        week_ago = dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min)
        incidents = conn.execute(
            "SELECT count(*) FROM record WHERE kind = 'incident' AND occurred_at >= ?",
            (week_ago.strftime("%Y-%m-%d %H:%M:%S.%f"),),  # as SQLAlchemy stores it
        ).fetchone()[0]
    except (sqlite3.Error, ValueError, TypeError, ArithmeticError, KeyError):
        return None  # a row the rules refuse: the normal load names it
    finally:
        conn.close()
    grouped = tuple((urgency(a, today, ht_end), a) for a in alerts)
    return Glance(grouped, tuple(lanes), start, end, int(incidents))
