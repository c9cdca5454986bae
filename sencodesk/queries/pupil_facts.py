"""One pupil's support facts (#17): the rows ``facts.load_facts`` reads, filtered to those
one pupil's facts concern, made by the same ``factmake.facts_from_rows``.

For one pupil's review pack: loading the whole school's facts (every funding line, contract,
assignment and meeting of a trust) was most of the time of a pack made alone. The facts made
here are whole for this pupil: their funding lines, the contracts those pay for (with their
cost, notice-by date and gap, as the school's facts give them), their assignments, their
meetings, and the staff on those contracts and assignments with their training and DBS
checks. Another pupil's facts are not here: a reader about the school (the alerts, the
timeline, staffing across pupils) uses ``load_facts``.
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
    Training,
)
from ..vocab import SenCode
from .common import may_read, readable
from .factmake import FactRows, facts_from_rows
from .factrows import COLUMNS, Facts
from .facts import school_days
from .school import get_school, offsets_by_la


def _columns(model: Any, table: str) -> tuple[Any, ...]:
    return tuple(getattr(model, name) for name in COLUMNS[table])


def load_pupil_facts(session: Session, pupil_id: int) -> Facts:
    """The support facts of one pupil, as ``load_facts`` makes them for the whole school
    (same rows, same order, same guards on a shared server), for this pupil only."""
    school = get_school(session)
    days = school_days(session)
    by_la, default = offsets_by_la(session)
    session.flush()
    conn = session.connection()

    def run(table: str, stmt: Any) -> list[Any]:
        # On a shared server a table this login may not read is left empty (as load_facts).
        return list(conn.execute(stmt).all()) if may_read(session, table) else []

    funding = run(
        "funding",
        select(*_columns(Funding, "funding"))
        .where(Funding.pupil_id == pupil_id)
        .order_by(Funding.id),
    )
    assignments = run(
        "assignment",
        select(*_columns(Assignment, "assignment"))
        .where(Assignment.pupil_id == pupil_id)
        .order_by(Assignment.id),
    )
    funding_ids = [r[0] for r in funding]
    contracts = (
        run(
            "contract",
            select(*_columns(Contract, "contract"))
            .where(Contract.funding_id.in_(funding_ids))
            .order_by(Contract.id),
        )
        if funding_ids
        else []
    )
    # As load_facts: an EHCP pupil, or one the funding or the assignments name.
    which = [Pupil.id == pupil_id]
    if not (funding or assignments):
        which.append(Pupil.sen_code == SenCode.EHCP)
    pupils = conn.execute(select(*readable(session, *_columns(Pupil, "pupil"))).where(*which)).all()
    staff_ids = sorted({r[1] for r in contracts} | {r[1] for r in assignments})
    return facts_from_rows(
        FactRows(
            school=school,
            days=days,
            offsets=by_la,
            default_offsets=default,
            funding=funding,
            assignments=assignments,
            pupils=pupils,
            staff=conn.execute(
                select(*_columns(Staff, "staff")).where(Staff.id.in_(staff_ids))
            ).all(),
            contracts=contracts,
            meetings=run(
                "review_meeting",
                select(*_columns(ReviewMeeting, "review_meeting"))
                .where(ReviewMeeting.pupil_id == pupil_id)
                .order_by(ReviewMeeting.meeting_at, ReviewMeeting.id),
            ),
            training=run(
                "training",
                select(*_columns(Training, "training"))
                .where(Training.staff_id.in_(staff_ids))
                .order_by(Training.completed, Training.id),
            ),
            dbs=run(
                "dbs_check",
                select(*_columns(DbsCheck, "dbs_check"))
                .where(DbsCheck.staff_id.in_(staff_ids))
                .order_by(DbsCheck.issued, DbsCheck.id),
            ),
        )
    )
