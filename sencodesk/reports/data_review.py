"""Everything one review pack shows, loaded in one go into a frozen dataclass.

Loading and drawing are apart so the pack can be rendered from data already in memory (the
benchmark compares the two) and so the GUI can load in the database worker and draw anywhere.

"Since the last review" means from the date of the previous review held before this meeting
(the latest of an earlier meeting's held date and the pupil's recorded last review date that
falls before this meeting), else the EHCP's issue date, else twelve months before the meeting.
The period ends on the meeting date, or today if the pack is printed before it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..guarded import names_bad_data
from ..model import AuditEntry, Pupil, ReviewMeeting, Staff
from ..queries.common import display_name
from ..queries.facts import Facts, contracts_paid_by
from ..queries.pupil_detail import PupilDetail, get_pupil
from ..queries.pupil_facts import load_pupil_facts
from ..queries.records import RecordRow, list_records
from ..queries.review_record import meeting_record
from ..queries.reviews import ReviewRow, StepRow
from ..queries.school import get_school, list_half_terms
from ..rules.coverage import Slot, is_current, not_ended, staffed_minutes
from ..rules.reviews import STEP_LABELS, Step, phase_transfer_deadline
from ..rules.schooldays import SchoolDays
from ..rules.schoolyear import academic_year_of, year_group, year_group_label
from ..vocab import RECORD_KIND_LABELS, AssignmentRole, OutcomeSource, RecordKind
from .plan_forms import PlanForm, form_for
from .review_pack_data import (
    ContractNotice,
    MonthCount,
    OutcomeSection,
    ReviewPackData,
    StaffSupport,
    _as_of,
    school_weeks,
    summarise_interventions,
)

# --------------------------------------------------------------------------- loading


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, m = [], start.replace(day=1)
    while m <= end:
        out.append(m)
        m = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _previous_review(
    detail: PupilDetail, meeting: ReviewRow | None, on: dt.date, form: PlanForm
) -> tuple[dt.date, str]:
    held = [
        s.done_on
        for r in detail.reviews
        if meeting is None or r.id != meeting.id
        for s in r.steps
        if s.step == "meeting" and s.done_on and s.done_on < on
    ]
    if detail.ehcp_last_review and detail.ehcp_last_review < on:
        held.append(detail.ehcp_last_review)
    if held:
        return max(held), "the last review"
    if form.statutory and detail.ehcp_issued and detail.ehcp_issued < on:
        return detail.ehcp_issued, "the EHC plan was issued"
    # An EHC plan: the pupil's review interval; a SEN-support plan: its cycle (a term).
    months = detail.review_interval_months if form.statutory else form.cycle_months
    y, m = divmod(on.month - 1 - months, 12)
    back = dt.date(on.year + y, m + 1, min(on.day, 28))
    return back, f"{months} months before the review"


AS_AT_FIELDS = ("class_name", "year_group_override")


def _fields_as_at(session: Session, pupil_id: int, day: dt.date) -> dict[str, str | None]:
    """A pupil's class and year-group override as they stood at the end of ``day``, from the
    audit trail: the value before the first change made after that day. Fields not changed
    since are left out (their value now is the value then)."""
    q = (
        select(AuditEntry.field, AuditEntry.old_value)
        .where(
            AuditEntry.table_name == Pupil.__tablename__,
            AuditEntry.row_id == pupil_id,
            AuditEntry.action == "update",
            AuditEntry.field.in_(AS_AT_FIELDS),
            AuditEntry.at > dt.datetime.combine(day, dt.time.max),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    out: dict[str, str | None] = {}
    for field, old in session.execute(q):
        out.setdefault(field, old)
    return out


def _contract_notices(
    session: Session, funding_ids: list[int], until: dt.date
) -> list[ContractNotice]:
    # Contracts that had begun by the end of the period (a past meeting's pack leaves out
    # the ones that started after it).
    facts = [c for c in contracts_paid_by(session, funding_ids) if c.start_date <= until]
    names = (
        {
            sid: display_name(first, last)
            for sid, first, last in session.execute(
                select(Staff.id, Staff.first_name, Staff.last_name).where(
                    Staff.id.in_({c.staff_id for c in facts})
                )
            )
        }
        if facts
        else {}
    )
    return [
        ContractNotice(
            c.id,
            names.get(c.staff_id, ""),
            c.funding_id or 0,
            c.end_date,
            c.notice_by,
            c.gap,
            c.funding_act_by,
        )
        for c in facts
    ]


def choose_meeting(
    session: Session, pupil_id: int, *, on: dt.date | None = None, today: dt.date
) -> int | None:
    """The meeting a pack is for: the one on ``on`` if given (NotFound if none), else the
    pupil's next meeting not yet held on or after today, else None."""
    q = (
        select(ReviewMeeting.id, ReviewMeeting.meeting_at, ReviewMeeting.held_on)
        .where(ReviewMeeting.pupil_id == pupil_id)
        .order_by(ReviewMeeting.meeting_at)
    )
    meetings = list(session.execute(q))
    if on is not None:
        for mid, at, _ in meetings:
            if at.date() == on:
                return int(mid)
        raise NotFound(f"This pupil has no review meeting on {on:%d/%m/%Y}.")
    for mid, at, held in meetings:
        if held is None and at.date() >= today:
            return int(mid)
    return None


@names_bad_data
def load_review_pack(
    session: Session,
    pupil_id: int,
    meeting_id: int | None,
    *,
    today: dt.date,
    facts: Facts | None = None,
) -> ReviewPackData:
    """Load everything the pack for one pupil (and one meeting, or none yet) shows.
    ``facts``: the school's support facts, when a batch has loaded them already; without
    them, only this pupil's are loaded (``queries.pupil_facts``: the same facts for them)."""
    if facts is None:
        facts = load_pupil_facts(session, pupil_id)
    detail = get_pupil(session, pupil_id, today=today, records_limit=0, facts=facts)
    meeting = None
    if meeting_id is not None:
        meeting = next((r for r in detail.reviews if r.id == meeting_id), None)
        if meeting is None:
            raise NotFound(f"Review meeting {meeting_id} is not one of this pupil's.")
    form = form_for(detail.row.sen_code, meeting.kind if meeting else None)
    meeting_day = meeting.meeting_at.date() if meeting else None
    anchor = meeting_day or today
    start, basis = _previous_review(detail, meeting, anchor, form)
    end = min(anchor, today) if meeting_day else today
    end = max(end, start)
    records = sorted(
        list_records(session, pupil_id=pupil_id, since=start, until=end, limit=None),
        key=lambda r: (r.occurred_at, r.id),
    )
    half_terms = list_half_terms(session)

    by_outcome: dict[int, list[RecordRow]] = defaultdict(list)
    for r in records:
        if r.outcome_id is not None:
            by_outcome[r.outcome_id].append(r)
    # A pack printed again after its meeting shows the outcomes as they stood then: none
    # set at or after the meeting, no status changes after the period.
    past = end < today
    shown = [
        _as_of(o, end) if past else o
        for o in detail.outcomes
        if o.set_date < anchor or (o.set_date == anchor and meeting_day is None)
    ]
    ordered = sorted(
        shown, key=lambda o: (o.source != OutcomeSource.EHCP, o.area, o.set_date, o.id)
    )
    outcomes = tuple(OutcomeSection(o, tuple(by_outcome.get(o.id, ()))) for o in ordered)

    support_records = [r for r in records if r.kind == RecordKind.SUPPORT]
    by_author: dict[int | None, list[RecordRow]] = defaultdict(list)
    for r in support_records:
        by_author[r.author_id].append(r)
    support: list[StaffSupport] = []
    counted: set[int] = set()  # record ids already counted against an assignment
    weeks_cache: dict[tuple[dt.date, dt.date], tuple[Decimal, bool]] = {}
    any_estimated = False
    for a in sorted(detail.assignments, key=lambda a: (a.start_date, a.staff_name)):
        a_start, a_end = max(a.start_date, start), min(a.end_date or end, end)
        if a_end < a_start:
            continue
        key = (a_start, a_end)
        if key not in weeks_cache:
            weeks_cache[key] = school_weeks(a_start, a_end, half_terms)
        weeks, est = weeks_cache[key]
        any_estimated |= est
        # Only what this person recorded within this assignment's own dates.
        mine = [
            r
            for r in by_author.get(a.staff_id, [])
            if r.id not in counted and a_start <= r.occurred_at.date() <= a_end
        ]
        counted.update(r.id for r in mine)
        planned = 0 if a.role == AssignmentRole.COVER else int(a.weekly_minutes * weeks)
        support.append(
            StaffSupport(
                staff_id=a.staff_id,
                staff_name=a.staff_name,
                role=a.role,
                sessions=a.sessions,
                weekly_minutes=a.weekly_minutes,
                start_date=a.start_date,
                end_date=a.end_date,
                planned_minutes=planned,
                recorded_minutes=sum(r.minutes or 0 for r in mine),
                recorded_sessions=len(mine),
            )
        )
    weeks, est = school_weeks(start, end, half_terms)
    recorded = sum(r.minutes or 0 for r in support_records)
    other = sum(r.minutes or 0 for r in support_records if r.id not in counted)
    current = [
        a
        for a in detail.assignments
        if is_current(a.start_date, a.end_date, end) and a.role != AssignmentRole.COVER
    ]
    # Staffed on the period's last day, by the coverage rule the alerts use (one person's
    # assignments sharing a session counted once, cover left out).
    staffed = staffed_minutes(
        (
            Slot(
                a.id,
                a.staff_id,
                a.pupil_id,
                a.weekly_minutes,
                a.sessions,
                a.role,
                a.start_date,
                a.end_date,
            )
            for a in detail.assignments
        ),
        end,
    )

    months = _months(start, end)
    sup_count: Counter[dt.date] = Counter()
    sup_mins: Counter[dt.date] = Counter()
    for r in support_records:
        m = r.occurred_at.date().replace(day=1)
        sup_count[m] += 1
        sup_mins[m] += r.minutes or 0
    incidents = tuple(r for r in records if r.kind == RecordKind.INCIDENT)
    inc_count = Counter(r.occurred_at.date().replace(day=1) for r in incidents)
    kinds = Counter(r.kind for r in records)

    funding = tuple(f for f in detail.funding if not_ended(f.end_date, start))
    school = get_school(session)
    # Year group and academic year both as on the meeting date (or today, with no meeting):
    # a pack printed in July for a September meeting is about next year's transfer.
    then = _fields_as_at(session, pupil_id, end) if past else {}
    override = (
        (int(then["year_group_override"]) if then["year_group_override"] else None)
        if "year_group_override" in then
        else detail.year_group_override
    )
    class_name = (then["class_name"] or "") if "class_name" in then else detail.row.class_name
    yg = override if override is not None else year_group(detail.row.date_of_birth, anchor)
    transfer = (
        phase_transfer_deadline(yg, academic_year_of(anchor), school.transfer_years)
        if form.statutory
        else None
    )
    if meeting is not None and transfer is not None:
        days = SchoolDays.from_terms((h.start, h.end) for h in half_terms)
        step = StepRow(
            step=Step.PHASE_TRANSFER.value,
            label=STEP_LABELS[Step.PHASE_TRANSFER],
            due=transfer,
            act_by=days.act_by(transfer),
            done_on=None,
            field="",
        )
        meeting = replace(meeting, steps=tuple(sorted((*meeting.steps, step), key=lambda x: x.due)))
    return ReviewPackData(
        today=today,
        school=school,
        pupil=detail,
        meeting=meeting,
        next_review_due=detail.row.next_review_due,
        period_start=start,
        period_end=end,
        period_basis=basis,
        outcomes=outcomes,
        support=tuple(support),
        planned_weekly_minutes=sum(a.weekly_minutes for a in current),
        school_weeks=weeks,
        school_weeks_estimated=est or any_estimated,
        recorded_support_minutes=recorded,
        other_support_minutes=other,
        support_by_month=tuple(MonthCount(m, sup_count[m], sup_mins[m]) for m in months),
        incidents=incidents,
        incidents_by_month=tuple(MonthCount(m, inc_count[m]) for m in months),
        record_counts=tuple((RECORD_KIND_LABELS[k], kinds[k]) for k in RecordKind if kinds[k]),
        funding=funding,
        contracts=tuple(_contract_notices(session, [f.id for f in funding], end)),
        phase_transfer_due=transfer,
        interventions=summarise_interventions(support_records),
        status_as_of=end if past else None,
        form=form,
        year_label=year_group_label(yg),
        class_name=class_name,
        plan_weekly_minutes=(detail.row.ehcp_weekly_minutes or None) if form.statutory else None,
        staffed_weekly_minutes=staffed,
        record=meeting_record(session, meeting.id) if meeting is not None else None,
    )
