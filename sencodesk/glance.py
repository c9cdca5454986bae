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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .alerts import Alert, alerts_from_facts, urgency
from .queries.factmake import FactRows, facts_from_rows
from .queries.factrows import COLUMNS, Facts
from .queries.timeline import Lane, timeline_from_facts
from .rules.reviews import ReviewOffsets
from .rules.schooldays import SchoolDays
from .rules.settings import DEFAULT_SCHOOL, SchoolRow, parse_transfer_years
from .vocab import Urgency

TIMELINE_BEFORE = dt.timedelta(days=30)  # the dashboard's timeline starts a month back


@dataclass(frozen=True)
class Glance:
    alerts: tuple[tuple[Urgency, Alert], ...]
    lanes: tuple[Lane, ...]
    start: dt.date
    end: dt.date
    incidents_week: int


def _date(v: Any) -> dt.date | None:
    return None if v is None else dt.date.fromisoformat(v)


def _datetime(v: Any) -> dt.datetime | None:
    return None if v is None else dt.datetime.fromisoformat(v)


def _scaled(scale: int) -> Callable[[Any], Decimal | None]:
    """As ``types.ScaledDecimal`` reads its stored integer."""
    quantum, factor = Decimal(1).scaleb(-scale), 10**scale

    def read(v: Any) -> Decimal | None:
        return None if v is None else (Decimal(int(v)) / factor).quantize(quantum)

    return read


def _bool(v: Any) -> bool | None:
    return None if v is None else bool(v)


_MONEY, _WEEKS, _PERCENT = _scaled(2), _scaled(3), _scaled(2)
# How each stored value is read, where it is not as sqlite3 gives it (the model's column types).
_READ: dict[str, dict[str, Callable[[Any], Any]]] = {
    "funding": {
        "amount_per_year": _MONEY,
        "start_date": _date,
        "end_date": _date,
    },
    "assignment": {"start_date": _date, "end_date": _date},
    "pupil": {
        "date_of_birth": _date,
        "ehcp_issued": _date,
        "ehcp_last_review": _date,
        "leaving_date": _date,
        "archived": _bool,
    },
    "staff": {"start_date": _date, "leaving_date": _date},
    "contract": {
        "start_date": _date,
        "end_date": _date,
        "fte_salary": _MONEY,
        "term_time": _bool,
        "paid_weeks": _WEEKS,
    },
    "review_meeting": {
        "meeting_at": _datetime,
        **{
            name: _date
            for name in COLUMNS["review_meeting"]
            if name.endswith("_on")  # advice_requested_on ... la_decision_on
        },
    },
    "training": {"completed": _date, "expires": _date},
    "dbs_check": {"issued": _date, "renew_by": _date},
}
_ORDER = {
    "funding": "id",
    "assignment": "id",
    "contract": "id",
    "review_meeting": "meeting_at, id",
    "training": "completed, id",
    "dbs_check": "issued, id",
}


def _rows(
    conn: sqlite3.Connection, table: str, where: str = "", args: Sequence[Any] = ()
) -> list[Any]:
    names = COLUMNS[table]
    sql = f"SELECT {', '.join(names)} FROM {table}"  # names from COLUMNS, not input
    if where:
        sql += f" WHERE {where}"
    if table in _ORDER:
        sql += f" ORDER BY {_ORDER[table]}"
    rows = conn.execute(sql, tuple(args)).fetchall()
    read = _READ.get(table, {})
    if not read:
        return rows
    at = [(i, read[n]) for i, n in enumerate(names) if n in read]
    out = []
    for r in rows:
        values = list(r)
        for i, f in at:
            values[i] = f(values[i])
        out.append(values)
    return out


def _school(conn: sqlite3.Connection) -> SchoolRow:
    """As ``queries.school.get_school`` reads a file's school (id 1)."""
    r = conn.execute(
        "SELECT s.name, s.la_id, la.name, s.dfe_number, s.phase, s.transfer_years,"
        " s.full_time_hours, s.weeks_per_year, s.default_paid_weeks, s.on_cost_percent,"
        " s.retention_years, s.alert_horizon_days, s.expiry_warning_days, s.version"
        " FROM school s LEFT JOIN local_authority la ON la.id = s.la_id WHERE s.id = 1"
    ).fetchone()
    if r is None:
        return DEFAULT_SCHOOL
    return SchoolRow(
        name=r[0],
        la_id=r[1],
        la_name=r[2] or "",
        dfe_number=r[3],
        phase=r[4],
        transfer_years=parse_transfer_years(r[5]),
        full_time_hours=_PERCENT(r[6]),  # type: ignore[arg-type]
        weeks_per_year=_WEEKS(r[7]),  # type: ignore[arg-type]
        default_paid_weeks=_WEEKS(r[8]),  # type: ignore[arg-type]
        on_cost_percent=_PERCENT(r[9]),  # type: ignore[arg-type]
        retention_years=r[10],
        alert_horizon_days=r[11],
        expiry_warning_days=r[12],
        version=r[13],
    )


def read_facts(conn: sqlite3.Connection) -> Facts:
    """The facts of a file, as ``queries.facts.load_facts`` reads them."""
    school = _school(conn)
    days = SchoolDays.from_terms(
        (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
        for a, b in conn.execute('SELECT start, "end" FROM term_date')
    )
    offsets = {
        r[0]: ReviewOffsets(*r[1:])
        for r in conn.execute(
            "SELECT id, advice_request_weeks, invitations_weeks, papers_weeks, report_weeks,"
            " la_decision_weeks FROM local_authority"
        )
    }
    default = offsets.get(school.la_id, ReviewOffsets()) if school.la_id else ReviewOffsets()
    funding = _rows(conn, "funding")
    assignments = _rows(conn, "assignment")
    pupils = _rows(conn, "pupil", "sen_code = 'E'")
    missing = sorted(
        ({r[1] for r in funding} | {r[2] for r in assignments}) - {r[0] for r in pupils}
    )
    for chunk in range(0, len(missing), 900):  # SQLite's limit on bound parameters
        ids = missing[chunk : chunk + 900]
        pupils += _rows(conn, "pupil", f"id IN ({', '.join('?' * len(ids))})", ids)
    return facts_from_rows(
        FactRows(
            school=school,
            days=days,
            offsets=offsets,
            default_offsets=default,
            funding=funding,
            assignments=assignments,
            pupils=pupils,
            staff=_rows(conn, "staff"),
            contracts=_rows(conn, "contract"),
            meetings=_rows(conn, "review_meeting"),
            training=_rows(conn, "training"),
            dbs=_rows(conn, "dbs_check"),
        )
    )


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
        ht_end = _date(ht[0]) if ht else None
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
