"""The facts' rows read with the database driver itself (``sqlite3``, or SQLCipher's), no
SQLAlchemy: for ``glance`` before SQLAlchemy is imported, and for ``queries.facts.load_facts``
on a school's own file, where SQLAlchemy's handling of each value was a third of the load at a
trust (#17). On a server the facts are read through SQLAlchemy, whose row-level security and
column grants decide what each login sees (``queries.facts``).

Each stored value is read as the model's column type reads it (``types.ScaledDecimal``, the
SQLite date and time strings SQLAlchemy writes); ``tests/core/test_glance.py`` holds the two
ways of reading to the same facts. The rows then become facts through ``facts_from_rows``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ..rules.reviews import ReviewOffsets
from ..rules.schooldays import SchoolDays
from ..rules.settings import DEFAULT_SCHOOL, SchoolRow, parse_transfer_years
from ..vocab import SenCode
from .factmake import FactRows, facts_from_rows
from .factrows import COLUMNS, Facts

Connection = Any  # a DB-API connection to an SQLite file (sqlite3 or sqlcipher3)


def read_date(v: Any) -> dt.date | None:
    return None if v is None else dt.date.fromisoformat(v)


def read_datetime(v: Any) -> dt.datetime | None:
    return None if v is None else dt.datetime.fromisoformat(v)


def scaled(scale: int) -> Callable[[Any], Decimal | None]:
    """As ``types.ScaledDecimal`` reads its stored integer."""
    quantum, factor = Decimal(1).scaleb(-scale), 10**scale

    def read(v: Any) -> Decimal | None:
        return None if v is None else (Decimal(int(v)) / factor).quantize(quantum)

    return read


def read_bool(v: Any) -> bool | None:
    return None if v is None else bool(v)


MONEY, WEEKS, PERCENT = scaled(2), scaled(3), scaled(2)
# How each stored value is read, where it is not as the driver gives it (the model's types).
READ: dict[str, dict[str, Callable[[Any], Any]]] = {
    "funding": {
        "amount_per_year": MONEY,
        "start_date": read_date,
        "end_date": read_date,
    },
    "assignment": {"start_date": read_date, "end_date": read_date},
    "pupil": {
        "date_of_birth": read_date,
        "ehcp_issued": read_date,
        "ehcp_last_review": read_date,
        "leaving_date": read_date,
        "archived": read_bool,
    },
    "staff": {"start_date": read_date, "leaving_date": read_date},
    "contract": {
        "start_date": read_date,
        "end_date": read_date,
        "fte_salary": MONEY,
        "term_time": read_bool,
        "paid_weeks": WEEKS,
    },
    "review_meeting": {
        "meeting_at": read_datetime,
        **{
            name: read_date
            for name in COLUMNS["review_meeting"]
            if name.endswith("_on")  # advice_requested_on ... la_decision_on
        },
    },
    "training": {"completed": read_date, "expires": read_date},
    "dbs_check": {"issued": read_date, "renew_by": read_date},
}
ORDER = {
    "funding": "id",
    "assignment": "id",
    "contract": "id",
    "review_meeting": "meeting_at, id",
    "training": "completed, id",
    "dbs_check": "issued, id",
}


def row_reader(
    names: Sequence[str], read: dict[str, Callable[[Any], Any]]
) -> Callable[[list[Any]], list[tuple[Any, ...]]]:
    """A function from the driver's rows to the rows as the model reads them: one tuple per
    row, built in one expression (a call per value was most of the read, #17). A date string
    is parsed once per read: a school's rows share a few hundred dates."""
    env: dict[str, Any] = {"_iso": dt.date.fromisoformat}
    parts = []
    for i, name in enumerate(names):
        f = read.get(name)
        if f is None:
            parts.append(f"r[{i}]")
        elif f is read_date:
            parts.append(f"(None if r[{i}] is None else (_seen(r[{i}]) or _parse(r[{i}])))")
        else:
            env[f"_f{i}"] = f
            parts.append(f"_f{i}(r[{i}])")
    src = (
        "def _read(rows):\n"
        "    seen = {}\n"
        "    _seen = seen.get\n"
        "    def _parse(v):\n"
        "        d = seen[v] = _iso(v)\n"
        "        return d\n"
        f"    return [({', '.join(parts)},) for r in rows]\n"
    )
    exec(src, env)  # noqa: S102 - built from the tables' own column names, not input
    reader: Callable[[list[Any]], list[tuple[Any, ...]]] = env["_read"]
    return reader


_READERS = {table: row_reader(names, READ.get(table, {})) for table, names in COLUMNS.items()}


def rows(conn: Connection, table: str, where: str = "", args: Sequence[Any] = ()) -> list[Any]:
    """A table's rows of its ``COLUMNS``, read as the model reads them, in the facts' order."""
    sql = f"SELECT {', '.join(COLUMNS[table])} FROM {table}"  # names from COLUMNS, not input
    if where:
        sql += f" WHERE {where}"
    if table in ORDER:
        sql += f" ORDER BY {ORDER[table]}"
    return _READERS[table](conn.execute(sql, tuple(args)).fetchall())


def read_school(conn: Connection) -> SchoolRow:
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
        full_time_hours=PERCENT(r[6]),  # type: ignore[arg-type]
        weeks_per_year=WEEKS(r[7]),  # type: ignore[arg-type]
        default_paid_weeks=WEEKS(r[8]),  # type: ignore[arg-type]
        on_cost_percent=PERCENT(r[9]),  # type: ignore[arg-type]
        retention_years=r[10],
        alert_horizon_days=r[11],
        expiry_warning_days=r[12],
        version=r[13],
    )


def read_facts(conn: Connection, without: frozenset[str] = frozenset()) -> Facts:
    """The facts of an SQLite file, as ``queries.facts.load_facts`` reads them on a server;
    ``without``: tables not read (``factrows.NOT_MONEY``)."""

    def table(name: str) -> list[Any]:
        return [] if name in without else rows(conn, name)

    school = read_school(conn)
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
    funding = rows(conn, "funding")
    assignments = rows(conn, "assignment")
    pupils = rows(conn, "pupil", "sen_code = ?", (SenCode.EHCP.value,))
    missing = sorted(
        ({r[1] for r in funding} | {r[2] for r in assignments}) - {r[0] for r in pupils}
    )
    for chunk in range(0, len(missing), 900):  # SQLite's limit on bound parameters
        ids = missing[chunk : chunk + 900]
        pupils += rows(conn, "pupil", f"id IN ({', '.join('?' * len(ids))})", ids)
    return facts_from_rows(
        FactRows(
            school=school,
            days=days,
            offsets=offsets,
            default_offsets=default,
            funding=funding,
            assignments=assignments,
            pupils=pupils,
            staff=rows(conn, "staff"),
            contracts=rows(conn, "contract"),
            meetings=table("review_meeting"),
            training=table("training"),
            dbs=table("dbs_check"),
            left_out=without,
        )
    )
