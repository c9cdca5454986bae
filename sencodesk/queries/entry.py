"""What a new record starts with, so a SENCO types less: a new assignment's hours (what the
pupil's EHCP asks for and no one staffs yet) and sessions (the LSA's working days), and a new
funding line's funder (the local authority that issued the EHCP)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import Contract, LocalAuthority, Pupil
from ..rules.coverage import staffed_minutes
from ..rules.sessions import pattern_sessions
from .common import current_filter
from .pupils import current_support


@dataclass(frozen=True)
class AssignmentDefaults:
    weekly_minutes: int | None  # the EHCP's hours not yet staffed; None: nothing to suggest
    sessions: int | None  # the LSA's working sessions; None: no current contract


def assignment_defaults(
    session: Session, *, pupil_id: int | None, staff_id: int | None, today: dt.date
) -> AssignmentDefaults:
    minutes = None
    if pupil_id is not None:
        p = session.get(Pupil, pupil_id)
        if p is not None and p.ehcp_weekly_minutes:
            support = current_support(session, today, [pupil_id]).get(pupil_id, [])
            left = p.ehcp_weekly_minutes - staffed_minutes([x[3] for x in support], today)
            minutes = left if left > 0 else None
    sessions = None
    if staff_id is not None:
        contracts = session.scalars(
            select(Contract)
            .where(
                Contract.staff_id == staff_id,
                current_filter(Contract.start_date, Contract.end_date, today),
            )
            .options(selectinload(Contract.days))
        ).all()
        if contracts:
            sessions = 0
            for c in contracts:
                sessions |= pattern_sessions((d.weekday, d.start, d.end) for d in c.days)
    return AssignmentDefaults(minutes, sessions)


def ehcp_funder(session: Session, pupil_id: int) -> str:
    """The name of the local authority that issued the pupil's EHCP ("" if none recorded)."""
    la_id = session.scalar(select(Pupil.ehcp_la_id).where(Pupil.id == pupil_id))
    if la_id is None:
        return ""
    return session.scalar(select(LocalAuthority.name).where(LocalAuthority.id == la_id)) or ""
