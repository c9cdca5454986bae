"""What was written for one review meeting (#13): what an LA's review form asks for, the
advice received and the amendments proposed, as frozen rows for the editor and the reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFound
from ..model import ReviewMeeting
from .common import display_name


@dataclass(frozen=True)
class AdviceRow:
    id: int
    source: str
    given_by: str
    received_on: dt.date | None
    summary: str
    shared: bool  # may go to every invitee


@dataclass(frozen=True)
class AmendmentRow:
    id: int
    section: str
    text: str


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    version: int
    pupil_id: int
    pupil_name: str
    sen_code: str
    kind: str
    meeting_at: dt.datetime
    place: str
    held_on: dt.date | None
    report_sent_on: dt.date | None
    recommendation: str | None  # an EHC plan's review to the LA: maintain, amend, cease
    outcome: str | None  # the LA's decision, when it comes
    next_step: str | None  # a SEN-support plan's
    attendance_percent: Decimal | None
    exclusions: str
    attainment: str
    needs_changes: str
    health_care: str
    social_care: str
    aspirations: str
    pupil_views: str
    parent_views: str
    school_view: str
    attendees: str
    sent_to: str
    invitees: tuple[tuple[str, str], ...]  # (name, role)
    advice: tuple[AdviceRow, ...]
    amendments: tuple[AmendmentRow, ...]

    def texts(self) -> dict[str, str]:
        """The free-text fields by name (as the editor and ``checks.REVIEW_TEXT_FIELDS``)."""
        from ..checks import REVIEW_TEXT_FIELDS

        return {f: getattr(self, f) for f in REVIEW_TEXT_FIELDS}


def meeting_record(session: Session, meeting_id: int) -> MeetingRecord:
    m = session.scalars(
        select(ReviewMeeting)
        .where(ReviewMeeting.id == meeting_id)
        .options(
            selectinload(ReviewMeeting.pupil),
            selectinload(ReviewMeeting.invitees),
            selectinload(ReviewMeeting.advice),
            selectinload(ReviewMeeting.amendments),
        )
    ).one_or_none()
    if m is None:
        raise NotFound(f"There is no review meeting with id {meeting_id}.")
    p = m.pupil
    return MeetingRecord(
        id=m.id,
        version=m.version,
        pupil_id=m.pupil_id,
        pupil_name=display_name(p.legal_first_name, p.legal_last_name, p.preferred_name),
        sen_code=p.sen_code,
        kind=m.kind,
        meeting_at=m.meeting_at,
        place=m.place,
        held_on=m.held_on,
        report_sent_on=m.report_sent_on,
        recommendation=m.recommendation,
        outcome=m.outcome,
        next_step=m.next_step,
        attendance_percent=m.attendance_percent,
        exclusions=m.exclusions,
        attainment=m.attainment,
        needs_changes=m.needs_changes,
        health_care=m.health_care,
        social_care=m.social_care,
        aspirations=m.aspirations,
        pupil_views=m.pupil_views,
        parent_views=m.parent_views,
        school_view=m.school_view,
        attendees=m.attendees,
        sent_to=m.sent_to,
        invitees=tuple((i.name, i.role) for i in m.invitees),
        advice=tuple(
            AdviceRow(a.id, a.source, a.given_by, a.received_on, a.summary, a.shared)
            for a in sorted(m.advice, key=lambda a: (a.received_on or dt.date.min, a.id))
        ),
        amendments=tuple(
            AmendmentRow(a.id, a.section, a.text)
            for a in sorted(m.amendments, key=lambda a: (_section_order(a.section), a.id))
        ),
    )


def _section_order(section: str) -> int:
    from ..vocab import PlanSection

    order = [s.value for s in PlanSection]
    return order.index(section) if section in order else len(order)
