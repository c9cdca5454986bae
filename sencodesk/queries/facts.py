"""The facts about funding, contracts and hours, loaded once into frozen rows.

A handful of set-based queries (no query per pupil), indexed by id in dicts. Each contract
carries what ``rules.coverage`` derives from it (pay, cost, notice-by, the gap against its
funding), so the alerts, the Funding & contracts page, the timeline, the reports, the pack
and the calendar read one answer. Only the pupils the support facts concern are loaded
(EHCP pupils on roll, and anyone with funding or an assignment): a 20,000-pupil school loads
a few hundred rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..model import (
    Assignment,
    Contract,
    DbsCheck,
    Funding,
    Pupil,
    ReviewMeeting,
    Staff,
    TermDate,
    Training,
)
from ..rules.schooldays import SchoolDays
from ..vocab import SenCode
from .common import may_read, readable
from .factmake import (  # noqa: F401 - and their making, here as before
    FactRows,
    Rows,
    _contract,
    contract_costs,
    facts_from_rows,
)
from .factread import read_facts
from .factrows import (  # noqa: F401 - the facts' rows, here as before (queries.factrows)
    COLUMNS,
    FUNDING_LEAD_WEEKS,
    NOT_MONEY,
    ContractFact,
    DbsFact,
    Facts,
    FundingFact,
    MeetingFact,
    PupilFact,
    StaffFact,
    TrainingFact,
)
from .school import get_school, offsets_by_la


def school_days(session: Session) -> SchoolDays:
    rows = session.execute(select(TermDate.start, TermDate.end))
    return SchoolDays.from_terms((start, end) for start, end in rows)


def _columns(model: Any, table: str) -> tuple[Any, ...]:
    return tuple(getattr(model, name) for name in COLUMNS[table])


_CONTRACT_COLUMNS = _columns(Contract, "contract")
_FUNDING_COLUMNS = _columns(Funding, "funding")
_ASSIGNMENT_COLUMNS = _columns(Assignment, "assignment")
_PUPIL_COLUMNS = _columns(Pupil, "pupil")
_STAFF_COLUMNS = _columns(Staff, "staff")
_MEETING_COLUMNS = _columns(ReviewMeeting, "review_meeting")
_TRAINING_COLUMNS = _columns(Training, "training")
_DBS_COLUMNS = _columns(DbsCheck, "dbs_check")


def contracts_paid_by(session: Session, funding_ids: list[int]) -> list[ContractFact]:
    """The contracts linked to some funding lines, with the same derived facts as
    :func:`load_facts` gives (for one pupil's pack, without loading the school)."""
    if not funding_ids:
        return []
    school = get_school(session)
    days = school_days(session)
    funding = {
        f.id: f
        for f in (
            FundingFact(*tuple(row))
            for row in session.execute(select(*_FUNDING_COLUMNS).where(Funding.id.in_(funding_ids)))
        )
    }
    q = (
        select(*_CONTRACT_COLUMNS)
        .where(Contract.funding_id.in_(funding_ids))
        .order_by(Contract.end_date, Contract.id)
    )
    return [_contract(school, days, r, funding.get(r[13])) for r in session.execute(q)]


_GUARDED = ("funding", "assignment", "contract", "review_meeting", "training", "dbs_check")


def load_facts(session: Session, *, without: frozenset[str] = frozenset()) -> Facts:
    """Everything the support facts need, in one go. ``without``: tables a caller does not
    read, left empty (``factrows.NOT_MONEY``: reviews, training and DBS checks, for the
    reports of money and hours); the facts say so (``Facts.left_out``).

    On a school's own SQLite file the rows are read with the driver itself, on the session's
    own connection and transaction (``factread``: SQLAlchemy's handling of each value was a
    third of the load at a trust, #17). On a server they are read through SQLAlchemy, whose
    row-level security and column grants decide what the login sees. Pending changes are
    flushed first, as the session's own execute would."""
    session.flush()
    conn = session.connection()
    if without - NOT_MONEY:
        raise ValueError(f"the facts cannot be loaded without {sorted(without - NOT_MONEY)}")
    if conn.dialect.name == "sqlite":
        return read_facts(conn.connection.driver_connection, without)
    return load_facts_sqlalchemy(session, without=without)


def load_facts_sqlalchemy(session: Session, *, without: frozenset[str] = frozenset()) -> Facts:
    """:func:`load_facts` through SQLAlchemy Core, as on a server (on SQLite too: the tests
    hold the two ways to the same facts). The queries are Core statements: the ORM's handling
    of each result row cost about a third of the load at a trust (#17)."""
    school = get_school(session)
    days = school_days(session)
    by_la, default = offsets_by_la(session)
    session.flush()
    conn = session.connection()

    # On a shared server each login reads only what its role may (``server.ddl``): a table it
    # may not read is left empty, a pupil's column it may not read is None. The guard goes
    # before the query (a comprehension's ``if`` runs after it has been sent).
    can = {t: t not in without and may_read(session, t) for t in _GUARDED}

    def run(table: str, stmt: Any) -> list[Any]:  # all rows at once: one by one is slower
        return list(conn.execute(stmt).all()) if can[table] else []

    funding = run("funding", select(*_FUNDING_COLUMNS).order_by(Funding.id))
    assignments = run("assignment", select(*_ASSIGNMENT_COLUMNS).order_by(Assignment.id))
    wanted = {r[1] for r in funding} | {r[2] for r in assignments}
    pcols = readable(session, *_PUPIL_COLUMNS)
    # The EHCP pupils (by the index on sen_code), then any other pupil the funding or the
    # assignments name: two indexed reads, where one "E or in (funding, assignments)" read
    # scanned every pupil.
    pupils = list(conn.execute(select(*pcols).where(Pupil.sen_code == SenCode.EHCP)).all())
    missing = sorted(wanted - {r[0] for r in pupils})
    for chunk in range(0, len(missing), 900):  # SQLite's limit on bound parameters
        pupils += conn.execute(
            select(*pcols).where(Pupil.id.in_(missing[chunk : chunk + 900]))
        ).all()
    return facts_from_rows(
        FactRows(
            school=school,
            days=days,
            offsets=by_la,
            default_offsets=default,
            funding=funding,
            assignments=assignments,
            pupils=pupils,
            staff=conn.execute(select(*_STAFF_COLUMNS)).all(),
            contracts=run("contract", select(*_CONTRACT_COLUMNS).order_by(Contract.id)),
            meetings=run(
                "review_meeting",
                select(*_MEETING_COLUMNS).order_by(ReviewMeeting.meeting_at, ReviewMeeting.id),
            ),
            training=run(
                "training", select(*_TRAINING_COLUMNS).order_by(Training.completed, Training.id)
            ),
            dbs=run("dbs_check", select(*_DBS_COLUMNS).order_by(DbsCheck.issued, DbsCheck.id)),
            left_out=without,
        )
    )
