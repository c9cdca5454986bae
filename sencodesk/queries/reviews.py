"""Review meetings with their deadline chains, and the reviews that are due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import BadData
from ..model import Pupil, ReviewMeeting
from ..rules.reviews import STEP_DONE_FIELD, STEP_LABELS, Step, deadline_chain, next_review_due
from ..vocab import SenCode
from .common import display_name
from .school import offsets_by_la

# The meeting field that records each step as done.


@dataclass(frozen=True)
class StepRow:
    step: str
    label: str
    due: dt.date
    act_by: dt.date
    done_on: dt.date | None
    field: str


@dataclass(frozen=True)
class InviteeRow:
    name: str
    role: str
    email: str


@dataclass(frozen=True)
class ReviewRow:
    id: int
    pupil_id: int
    pupil_name: str
    kind: str
    meeting_at: dt.datetime
    place: str
    outcome: str | None
    notes: str
    invitees: tuple[InviteeRow, ...]
    steps: tuple[StepRow, ...]
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)

    @property
    def held(self) -> bool:
        return any(s.step == Step.MEETING and s.done_on for s in self.steps)

    def next_step(self) -> StepRow | None:
        """The earliest step not yet done."""
        return next((s for s in self.steps if s.done_on is None), None)


def review_rows(
    session: Session,
    *,
    pupil_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[ReviewRow]:
    from .facts import school_days

    by_la, default = offsets_by_la(session)
    days = school_days(session)
    q = (
        select(ReviewMeeting)
        .options(selectinload(ReviewMeeting.invitees), selectinload(ReviewMeeting.pupil))
        .order_by(ReviewMeeting.meeting_at, ReviewMeeting.id)
    )
    if pupil_id is not None:
        q = q.where(ReviewMeeting.pupil_id == pupil_id)
    if start is not None:
        q = q.where(ReviewMeeting.meeting_at >= dt.datetime.combine(start, dt.time.min))
    if end is not None:
        q = q.where(ReviewMeeting.meeting_at <= dt.datetime.combine(end, dt.time.max))
    rows = []
    for m in session.scalars(q):
        p = m.pupil
        offsets = by_la.get(p.ehcp_la_id, default) if p.ehcp_la_id else default
        try:
            chain = deadline_chain(m.meeting_at.date(), offsets, school_days=days)
        except OverflowError:
            raise BadData(
                "review_meeting",
                m.id,
                f"meeting_at {m.meeting_at:%d/%m/%Y} is not a plausible date",
            ) from None
        steps = tuple(
            StepRow(
                step=d.step.value,
                label=STEP_LABELS[d.step],
                due=d.due,
                act_by=d.act_by,
                done_on=getattr(m, STEP_DONE_FIELD[d.step]) if d.step in STEP_DONE_FIELD else None,
                field=STEP_DONE_FIELD.get(d.step, ""),
            )
            for d in chain
        )
        rows.append(
            ReviewRow(
                id=m.id,
                pupil_id=m.pupil_id,
                pupil_name=display_name(p.legal_first_name, p.legal_last_name, p.preferred_name),
                kind=m.kind,
                meeting_at=m.meeting_at,
                place=m.place,
                outcome=m.outcome,
                notes=m.notes,
                invitees=tuple(InviteeRow(i.name, i.role, i.email) for i in m.invitees),
                steps=steps,
                version=m.version,
            )
        )
    return rows


def list_reviews(
    session: Session, *, start: dt.date | None = None, end: dt.date | None = None
) -> list[ReviewRow]:
    return review_rows(session, start=start, end=end)


@dataclass(frozen=True)
class ReviewDueRow:
    pupil_id: int
    pupil_name: str
    last_review: dt.date | None
    due: dt.date
    scheduled_meeting_id: int | None
    scheduled_for: dt.datetime | None


def reviews_due(session: Session, *, before: dt.date) -> list[ReviewDueRow]:
    """EHCP pupils whose next annual review falls before ``before`` (overdue ones too)."""
    pupils = session.scalars(
        select(Pupil).where(Pupil.sen_code == SenCode.EHCP, Pupil.archived.is_(False))
    ).all()
    upcoming: dict[int, tuple[int, dt.datetime]] = {}
    for mid, pid, at in session.execute(
        select(ReviewMeeting.id, ReviewMeeting.pupil_id, ReviewMeeting.meeting_at)
        .where(ReviewMeeting.held_on.is_(None))
        .order_by(ReviewMeeting.meeting_at)
    ):
        upcoming.setdefault(pid, (mid, at))
    rows = []
    for p in pupils:
        base = p.ehcp_last_review or p.ehcp_issued
        if base is None:
            continue
        due = next_review_due(base, p.review_interval_months)
        if due < before:
            sched = upcoming.get(p.id)
            rows.append(
                ReviewDueRow(
                    pupil_id=p.id,
                    pupil_name=display_name(
                        p.legal_first_name, p.legal_last_name, p.preferred_name
                    ),
                    last_review=p.ehcp_last_review,
                    due=due,
                    scheduled_meeting_id=sched[0] if sched else None,
                    scheduled_for=sched[1] if sched else None,
                )
            )
    rows.sort(key=lambda r: (r.due, r.pupil_name))
    return rows
