"""One pupil: everything on the pupil's page (``get_pupil`` and its rows: outcomes, status
changes, assignments) and finding a pupil by UPN or id. The pupil list is in ``pupils``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFound
from ..model import Assignment, LocalAuthority, Outcome, Pupil, Staff
from ..rules import upn as upn_rules
from .common import display_name, may_read
from .facts import Facts
from .money import FundingRow, funding_rows
from .pupils import PupilRow, _row, current_support
from .records import RecordRow, list_records
from .reviews import ReviewRow, review_rows


@dataclass(frozen=True)
class StatusChangeRow:
    changed_on: dt.date
    status: str
    note: str


@dataclass(frozen=True)
class OutcomeRow:
    id: int
    pupil_id: int
    source: str
    area: str
    text: str
    success_criteria: str
    set_date: dt.date
    target_date: dt.date | None
    status: str
    history: tuple[StatusChangeRow, ...]
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    staff_id: int
    staff_name: str
    pupil_id: int
    pupil_name: str
    weekly_minutes: int
    sessions: int
    role: str
    start_date: dt.date
    end_date: dt.date | None
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


@dataclass(frozen=True)
class PupilDetail:
    row: PupilRow
    ehcp_la_id: int | None
    ehcp_la_name: str
    ehcp_issued: dt.date | None
    ehcp_last_review: dt.date | None
    review_interval_months: int
    year_group_override: int | None
    medical_needs: str
    personal_care: bool
    behaviour_plan: bool
    admission_date: dt.date | None
    leaving_date: dt.date | None
    retention_hold: bool
    outcomes: tuple[OutcomeRow, ...]
    assignments: tuple[AssignmentRow, ...]
    funding: tuple[FundingRow, ...]
    reviews: tuple[ReviewRow, ...]
    records: tuple[RecordRow, ...]
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)
    # The one-page profile: what people like and admire about me, what is important to me,
    # how best to support me.
    profile_admire: str = ""
    profile_important: str = ""
    profile_support: str = ""


def outcome_rows(session: Session, pupil_ids: list[int]) -> list[OutcomeRow]:
    q = (
        select(Outcome)
        .where(Outcome.pupil_id.in_(pupil_ids))
        .options(selectinload(Outcome.history))
        .order_by(Outcome.pupil_id, Outcome.id)
    )
    return [
        OutcomeRow(
            id=o.id,
            pupil_id=o.pupil_id,
            source=o.source,
            area=o.area,
            text=o.text,
            success_criteria=o.success_criteria,
            set_date=o.set_date,
            target_date=o.target_date,
            status=o.status,
            history=tuple(StatusChangeRow(h.changed_on, h.status, h.note) for h in o.history),
            version=o.version,
        )
        for o in session.scalars(q)
    ]


def assignment_rows(
    session: Session, *, pupil_id: int | None = None, staff_id: int | None = None
) -> list[AssignmentRow]:
    # Only the names of the staff and pupil, not their whole rows: a business manager may
    # read a pupil's name but not their records (a column privilege on a server).
    q = (
        select(
            Assignment,
            Staff.first_name,
            Staff.last_name,
            Pupil.legal_first_name,
            Pupil.legal_last_name,
            Pupil.preferred_name,
        )
        .join(Staff, Staff.id == Assignment.staff_id)
        .join(Pupil, Pupil.id == Assignment.pupil_id)
        .order_by(Assignment.start_date.desc(), Assignment.id)
    )
    if pupil_id is not None:
        q = q.where(Assignment.pupil_id == pupil_id)
    if staff_id is not None:
        q = q.where(Assignment.staff_id == staff_id)
    return [
        AssignmentRow(
            id=a.id,
            staff_id=a.staff_id,
            staff_name=display_name(s_first, s_last),
            pupil_id=a.pupil_id,
            pupil_name=display_name(p_first, p_last, p_preferred),
            weekly_minutes=a.weekly_minutes,
            sessions=a.sessions,
            role=a.role,
            start_date=a.start_date,
            end_date=a.end_date,
            version=a.version,
        )
        for a, s_first, s_last, p_first, p_last, p_preferred in session.execute(q)
    ]


def get_pupil(
    session: Session,
    pupil_id: int,
    *,
    today: dt.date,
    records_limit: int | None = 500,
    facts: Facts | None = None,
) -> PupilDetail:
    """``facts``: the school's support facts already loaded (a batch of review packs loads
    them once, not once a pupil: loading them is most of the cost of a pack at a trust)."""
    p = session.get(Pupil, pupil_id)
    if p is None:
        raise NotFound(f"There is no pupil with id {pupil_id}.")
    la = session.get(LocalAuthority, p.ehcp_la_id) if p.ehcp_la_id else None
    support = current_support(session, today, [pupil_id]).get(pupil_id, [])
    return PupilDetail(
        row=_row(p, today, support),
        ehcp_la_id=p.ehcp_la_id,
        ehcp_la_name=la.name if la else "",
        ehcp_issued=p.ehcp_issued,
        ehcp_last_review=p.ehcp_last_review,
        review_interval_months=p.review_interval_months,
        year_group_override=p.year_group_override,
        medical_needs=p.medical_needs,
        personal_care=p.personal_care,
        behaviour_plan=p.behaviour_plan,
        admission_date=p.admission_date,
        leaving_date=p.leaving_date,
        retention_hold=p.retention_hold,
        outcomes=tuple(outcome_rows(session, [pupil_id])),
        assignments=tuple(assignment_rows(session, pupil_id=pupil_id)),
        funding=tuple(funding_rows(session, pupil_id=pupil_id, facts=facts))
        if may_read(session, "funding")
        else (),
        reviews=tuple(review_rows(session, pupil_id=pupil_id))
        if may_read(session, "review_meeting")
        else (),
        records=tuple(list_records(session, pupil_id=pupil_id, limit=records_limit)),
        version=p.version,
        profile_admire=p.profile_admire,
        profile_important=p.profile_important,
        profile_support=p.profile_support,
    )


MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on PostgreSQL


def find_pupil(session: Session, upn_or_id: str) -> int:
    """A pupil's id from a UPN (any case, spaces ignored) or a numeric id."""
    text = str(upn_or_id).strip()
    upn = upn_rules.normalise_upn(text)
    found = session.scalar(select(Pupil.id).where(Pupil.upn == upn))
    if found is not None:
        return found
    # ids are 32-bit: a longer number is no id (and would overflow the database's integer)
    if (
        text.isascii()
        and text.isdigit()
        and int(text) <= MAX_ID
        and session.get(Pupil, int(text)) is not None
    ):
        return int(text)
    raise NotFound(f"No pupil has the UPN or id {text!r}.")
