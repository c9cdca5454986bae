"""The demo school: made-up but realistic data, the same every time for a seed and a date.

``make_demo(store, pupils=420, seed=1, today=...)`` writes a two-form-entry primary school
(Reception to Year 6, year groups from dates of birth) with about 60 pupils on the SEN
register (48 SEN support, 12 EHCPs), about ten support staff on the contract patterns of the
job adverts in ``seeds/``, funding lines, assignments, EHCP outcomes with their history,
records, training, DBS checks and annual reviews. Everything is dated relative to ``today``
and arranged so that every kind of alert has something to say: contracts that outlive their
funding, EHCP hours not covered, an LSA assigned more hours than contracted, funding with
nobody assigned, reviews overdue and due, training and DBS checks expiring.

More than 1,000 pupils make a trust-sized database (Reception to Year 11) for benchmarks:
the same school structure repeated, written with bulk inserts instead of the validated,
audited ``commands`` (which write the default school).

How it works: a :class:`_Builder` draws everything from one ``random.Random(seed)`` into a
plan (rows per table, with references between rows), then a writer puts the plan into the
database in dependency order, through the commands or in bulk. The plan never depends on the
database, so both writers give the same rows; the wall clock is used only for the audit
trail's timestamps.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..errors import KnownError
from ..model import (
    AuditEntry,
    Pupil,
)
from .plan import (
    DEFAULT_PUPILS,
    LARGE_FROM,
    MAX_PUPILS,
    MIN_PUPILS,
    ONE_DAY,
    DemoSummary,
    Progress,
)
from .school import _Builder
from .unit import _Unit
from .writer import _BulkWriter, _CommandWriter, _table

__all__ = [
    "DEFAULT_PUPILS",
    "LARGE_FROM",
    "MAX_PUPILS",
    "MIN_PUPILS",
    "DemoSummary",
    "check_demo_date",
    "make_demo",
]

# =========================================================================== public API


def check_demo_date(today: dt.date) -> None:
    """Refuse a demo dated in the future (called before any database is opened or created)."""
    if today > dt.date.today() + ONE_DAY:
        raise KnownError(
            f"The demo's date {today:%d/%m/%Y} is in the future: its records would be dated "
            "after today. Give a date up to today."
        )


def make_demo(
    target: Any,
    *,
    pupils: int = DEFAULT_PUPILS,
    seed: int = 1,
    today: dt.date | None = None,
    progress: Progress | None = None,
    bulk: bool | None = None,
) -> DemoSummary:
    """Write the demo school into an empty database and say what was written.

    Args:
        target: a ``Store`` (the demo is one transaction: all or nothing) or a ``Session``
            (the caller commits).
        pupils: how many pupils on roll (20 to 200,000).
        seed: the same seed and ``today`` give the same data.
        today: the date everything is relative to (default: the real today).
        progress: ``progress(done, total, text)``, called often; it may raise (for example
            the GUI's ``Cancelled``) to stop, and nothing is then written.
        bulk: write with bulk inserts (no per-row validation or audit) rather than through
            the commands; the default is bulk for more than 1,000 pupils.

    Raises:
        KnownError: the database already holds pupils, or the arguments make no sense.
    """
    if isinstance(pupils, bool) or not MIN_PUPILS <= int(pupils) <= MAX_PUPILS:
        raise KnownError(
            f"The demo school needs between {MIN_PUPILS} and {MAX_PUPILS:,} pupils, not {pupils}."
        )
    pupils = int(pupils)
    today = today or dt.date.today()
    check_demo_date(today)
    use_bulk = pupils > LARGE_FROM if bulk is None else bulk
    report = progress or _no_progress
    if isinstance(target, Session):
        return _make(
            target, _database_name_of_session(target), pupils, seed, today, report, use_bulk
        )
    with target.session(reason="demo data") as session:
        return _make(
            session, _database_name_of_store(target), pupils, seed, today, report, use_bulk
        )


#: The name the GUI's first-run dialog calls.


def _no_progress(done: int, total: int, text: str = "") -> None:
    return None


def _database_name_of_store(store: Any) -> str:
    path = getattr(store, "path", None)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(store.url).render_as_string(hide_password=True)


def _database_name_of_session(session: Session) -> str:
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or "the database"
    return url.render_as_string(hide_password=True)


def _make(
    session: Session,
    name: str,
    pupils: int,
    seed: int,
    today: dt.date,
    progress: Progress,
    bulk: bool,
) -> DemoSummary:
    held = session.scalar(select(func.count()).select_from(Pupil)) or 0
    if held:
        raise KnownError(
            f"{name} already holds {held:,} pupil{'s' if held != 1 else ''}: the demo school "
            "is only written into a new, empty database, so nothing was changed. "
            "Give a new database file (or an empty server database) with --db."
        )
    progress(0, 1, "Planning the demo school")
    builder = _Builder(random.Random(seed), today, pupils)
    for e_kids, k_kids in builder.units():
        _Unit(builder, e_kids, k_kids).build()
    plan = builder.plan
    summary = plan.summary(builder.school_name)
    writer = (
        _BulkWriter(session, plan, progress) if bulk else _CommandWriter(session, plan, progress)
    )
    writer.write()
    _audit_summary(session, summary, seed, today, bulk)
    session.flush()
    progress(writer.total, writer.total, "Done")
    return summary


def _audit_summary(
    session: Session, summary: DemoSummary, seed: int, today: dt.date, bulk: bool
) -> None:
    """One audit entry for the whole demo (bulk rows have none of their own)."""
    text = "; ".join(summary.lines()) + f"; seed {seed}, as at {today:%d/%m/%Y}"
    session.execute(
        insert(_table(AuditEntry)),
        [
            {
                "at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                "user": session.info.get("user") or "demo",
                "action": "demo",
                "table_name": "school",
                "row_id": 1,
                "field": "",
                "old_value": None,
                "new_value": text[:4000],
                "reason": "demo data generated"
                + (" (bulk insert: rows not audited one by one)" if bulk else ""),
            }
        ],
    )
