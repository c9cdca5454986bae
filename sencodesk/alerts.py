"""Alerts: the answer to "what must I act on, and by when?".

Each alert has a kind, a subject (a pupil or a member of staff), the date the thing happens
(``due``, the statutory or contractual date) and the last school day on which the SENCO can
still act (``act_by``: weekends, bank holidays and the school's holidays move it earlier).
An alert is shown when its act-by date falls within the horizon, or has passed. The list is
sorted by act-by date, then due date. docs/alerts.md gives every kind's rule.

The facts come from ``queries.facts`` and the derived figures (the gap between a contract
and its funding, its unfunded cost, notice-by dates, distinct staffed hours, session
clashes) from ``rules.coverage``: :func:`alerts_from_facts` needs no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from .checks import names_bad_data
from .frozen import fast_init
from .queries.factrows import ContractFact, Facts, PupilFact
from .queries.timeline import Lane, timeline_from_facts
from .rules.coverage import (
    COVER,
    is_current,
    not_ended,
    notice_by,
    session_clashes,
    staffed_minutes,
)
from .rules.dates import format_date
from .rules.pay import format_hours, format_money
from .rules.reviews import (
    STEP_DONE_FIELD,
    STEP_LABELS,
    Step,
    deadline_chain,
    latest_meeting_date,
    next_review_due,
)
from .rules.schoolyear import academic_year_of
from .vocab import (
    REVIEW_KIND_LABELS,
    TRAINING_LABELS,
    URGENCY_LABELS,
    AssignmentRole,
    DbsLevel,
    FundingStatus,
    ReviewKind,
    SenCode,
    StaffRole,
    Urgency,
    format_sessions,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# No SQLAlchemy at import: ``glance`` builds the first page's alerts before it is loaded.
ONE_DAY = dt.timedelta(days=1)
ENHANCED_DBS = frozenset({DbsLevel.ENHANCED_BARRED.value, DbsLevel.ENHANCED.value})


class AlertKind(StrEnum):
    FUNDING_ENDING = "funding_ending"
    CONTRACT_ENDING = "contract_ending"
    UNFUNDED_CONTRACT = "unfunded_contract"  # a contract outlives the funding linked to it
    EHCP_HOURS_UNCOVERED = "ehcp_hours_uncovered"
    OVER_ASSIGNED = "over_assigned"
    SESSION_CLASH = "session_clash"
    FUNDING_UNSTAFFED = "funding_unstaffed"
    SUPPORT_ENDING = "support_ending"  # the pupil's LSAs' contracts end; the EHCP goes on
    REVIEW_DUE = "review_due"
    REVIEW_STEP = "review_step"
    PHASE_TRANSFER = "phase_transfer"
    TRAINING_EXPIRING = "training_expiring"
    DBS_EXPIRING = "dbs_expiring"
    DBS_MISSING = "dbs_missing"


ALERT_KIND_LABELS: dict[AlertKind, str] = {
    AlertKind.FUNDING_ENDING: "Funding ending",
    AlertKind.CONTRACT_ENDING: "Contract ending",
    AlertKind.UNFUNDED_CONTRACT: "Contract outlives its funding",
    AlertKind.EHCP_HOURS_UNCOVERED: "EHCP hours not covered",
    AlertKind.OVER_ASSIGNED: "Assigned more hours than contracted",
    AlertKind.SESSION_CLASH: "In two places in one session",
    AlertKind.FUNDING_UNSTAFFED: "Funding with no LSA assigned",
    AlertKind.SUPPORT_ENDING: "Support ends while the EHCP goes on",
    AlertKind.REVIEW_DUE: "Annual review due",
    AlertKind.REVIEW_STEP: "Review deadline",
    AlertKind.PHASE_TRANSFER: "Phase transfer deadline",
    AlertKind.TRAINING_EXPIRING: "Training expiring",
    AlertKind.DBS_EXPIRING: "DBS check due for renewal",
    AlertKind.DBS_MISSING: "No enhanced DBS recorded",
}


@fast_init
@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    subject_kind: str  # "pupil" or "staff"
    subject_id: int
    subject_name: str
    title: str
    detail: str
    due: dt.date
    act_by: dt.date
    amount: Decimal | None = None  # e.g. the unfunded cost
    row_id: int | None = None  # the funding line, contract, meeting, training or DBS row
    related: tuple[tuple[str, int], ...] = field(default=())  # other rows it is about
    days: int | None = None  # e.g. the days a contract outlives its funding

    @property
    def kind_label(self) -> str:
        return ALERT_KIND_LABELS[self.kind]


def urgency(alert: Alert, today: dt.date, half_term_end: dt.date | None = None) -> Urgency:
    """Overdue (act-by passed), this week (by Sunday), this half-term, or later.

    Without term dates, "this half-term" means the next six weeks.
    """
    if alert.act_by < today:
        return Urgency.OVERDUE
    if alert.act_by <= today + dt.timedelta(days=6 - today.weekday()):
        return Urgency.THIS_WEEK
    end = half_term_end or today + dt.timedelta(weeks=6)
    if alert.act_by <= end:
        return Urgency.THIS_HALF_TERM
    return Urgency.LATER


def current_half_term_end(session: Session, today: dt.date) -> dt.date | None:
    from .queries.school import half_term_containing

    ht = half_term_containing(session, today)
    return ht.end if ht else None


@names_bad_data
def compute_alerts(
    session: Session, *, today: dt.date | None = None, within_days: int | None = None
) -> list[Alert]:
    """Every alert whose act-by date is within ``within_days`` of ``today``, or past."""
    from .queries.facts import load_facts

    return alerts_from_facts(load_facts(session), today=today, within_days=within_days)


@names_bad_data
def alerts_and_timeline(
    session: Session, *, today: dt.date, start: dt.date, end: dt.date
) -> tuple[list[Alert], list[Lane]]:
    """The dashboard's alerts (within the school's horizon) and its timeline from ``start`` to
    ``end``, over one load of the facts (each loading them was half the dashboard's time)."""
    from .queries.facts import load_facts

    facts = load_facts(session)
    return alerts_from_facts(facts, today=today), timeline_from_facts(facts, start, end)


def alerts_from_facts(
    facts: Facts, *, today: dt.date | None = None, within_days: int | None = None
) -> list[Alert]:
    today = today or dt.date.today()
    within = facts.school.alert_horizon_days if within_days is None else within_days
    if within < 0:
        raise ValueError("within_days cannot be negative")
    horizon = today + dt.timedelta(days=within)
    out: list[Alert] = []
    out += _contracts(facts, today)
    out += _funding(facts, today)
    out += _coverage(facts, today)
    out += _reviews(facts, today)
    out += _expiries(facts, today, horizon)
    out = [a for a in out if a.act_by <= horizon]
    out.sort(key=lambda a: (a.act_by, a.due, a.kind.value, a.subject_name, a.row_id or 0))
    return out


def _on_staff(facts: Facts, staff_id: int, today: dt.date) -> bool:
    s = facts.staff.get(staff_id)
    return s is not None and not_ended(s.leaving_date, today)


def _due_note(due: dt.date, act_by: dt.date, what: str = "due") -> str:
    """ "(due 01/01/2027)" when a closure or weekend moved the act-by date earlier."""
    return f" ({what} {format_date(due)})" if due != act_by else ""


# ----------------------------------------------------------------- funding and contracts


def unfunded_alert(facts: Facts, c: ContractFact) -> Alert | None:
    """The headline: a contract outliving its funding, with its dates, days and £."""
    gap, f = c.gap, facts.funding_of(c)
    if gap is None or f is None or c.funding_act_by is None:
        return None
    s = facts.staff[c.staff_id]
    p = facts.pupils.get(f.pupil_id)
    who = p.name if p else "a pupil"
    by = "no end date" if gap.open_ended else f"{gap.days} days"
    return Alert(
        AlertKind.UNFUNDED_CONTRACT,
        "staff",
        c.staff_id,
        s.name,
        f"Contract outlives its funding: {by}, {format_money(gap.cost)}",
        f"{format_money(gap.cost)} unfunded ({gap.method}). Funding for {who} ends "
        f"{format_date(gap.funding_end)}; the contract {gap.how_long}"
        + ("" if gap.open_ended else f" (ends {format_date(c.end_date)})")
        + f". Give {c.notice_weeks} weeks' notice by {format_date(c.funding_act_by)} to end "
        "it with the funding, or find the money",
        due=gap.first_day,
        act_by=c.funding_act_by,
        amount=gap.cost,
        row_id=c.id,
        related=(("funding", f.id), ("pupil", f.pupil_id)),
        days=gap.days,
    )


def _contracts(facts: Facts, today: dt.date) -> list[Alert]:
    out: list[Alert] = []
    for c in facts.contracts.values():
        if not not_ended(c.end_date, today) or not _on_staff(facts, c.staff_id, today):
            continue
        name = facts.staff[c.staff_id].name
        if c.end_date is not None and c.notice_by is not None:
            passed = c.notice_by < today
            out.append(
                Alert(
                    AlertKind.CONTRACT_ENDING,
                    "staff",
                    c.staff_id,
                    name,
                    f"Contract ends {format_date(c.end_date)}",
                    f"{c.job_title or 'Contract'}: "
                    + (
                        f"the date to give {c.notice_weeks} weeks' notice "
                        f"({format_date(c.notice_by)}) has passed: renew or extend it now, or "
                        "agree the end with them"
                        if passed
                        else f"renew, or give {c.notice_weeks} weeks' notice by "
                        f"{format_date(c.notice_by)}"
                    ),
                    due=c.end_date,
                    act_by=c.notice_by,
                    row_id=c.id,
                )
            )
        if c.gap is not None and c.gap.still_matters(today):
            a = unfunded_alert(facts, c)
            if a is not None:
                out.append(a)
    return out


def _funding(facts: Facts, today: dt.date) -> list[Alert]:
    out: list[Alert] = []
    for f in facts.funding.values():
        p = facts.pupils.get(f.pupil_id)
        if p is None or p.archived or f.status == FundingStatus.ENDED.value:
            continue
        if not not_ended(f.end_date, today):
            continue
        end = f.end_date
        chosen = facts.funding_act_by(f.id)
        if end is not None and chosen is not None:
            act, paid = chosen
            if paid:
                total = sum((c.gap.cost for c in paid if c.gap), Decimal(0))
                # The days and the £ first: the list's Detail column shows its start whole.
                longest = max((c.gap.days for c in paid if c.gap), default=0)
                why = (
                    f"{len(paid)} {'contract runs' if len(paid) == 1 else 'contracts run'} "
                    f"{'' if len(paid) == 1 else 'up to '}"
                    f"{longest} {'day' if longest == 1 else 'days'} past it, "
                    f"{format_money(total)} unfunded if it is not renewed"
                )
            else:
                why = "ask the funder about renewal"
            amount = f"{format_money(f.amount_per_year)} a year" if f.amount_per_year else ""
            out.append(
                Alert(
                    AlertKind.FUNDING_ENDING,
                    "pupil",
                    p.id,
                    p.name,
                    f"Funding ends {format_date(end)}",
                    "; ".join(x for x in (why, f.funder or f.source, f.reference, amount) if x),
                    due=end,
                    act_by=act,
                    amount=f.amount_per_year,
                    row_id=f.id,
                )
            )
        on = max(f.start_date, today)
        staffed = any(
            s.role != COVER and is_current(s.start, s.end, on)
            for s in facts.slots_by_pupil.get(p.id, ())
        )
        if not staffed:
            out.append(
                Alert(
                    AlertKind.FUNDING_UNSTAFFED,
                    "pupil",
                    p.id,
                    p.name,
                    "Funding with no LSA assigned",
                    f"{f.funder or f.source} from {format_date(f.start_date)}: nobody is assigned",
                    due=on,
                    act_by=on,
                    amount=f.amount_per_year,
                    row_id=f.id,
                )
            )
    return out


# ------------------------------------------------------------------------- coverage


def _in_force(p: PupilFact, today: dt.date) -> bool:
    return (
        p.sen_code == SenCode.EHCP.value
        and not p.archived
        and (p.ehcp_issued is None or p.ehcp_issued <= today)
    )


def _coverage(facts: Facts, today: dt.date) -> list[Alert]:
    out: list[Alert] = []
    for p in facts.pupils.values():
        if not _in_force(p, today):
            continue
        need = p.ehcp_weekly_minutes or 0
        mine = facts.slots_by_pupil.get(p.id, ())
        have = staffed_minutes(mine, today)
        if need > have:
            out.append(
                Alert(
                    AlertKind.EHCP_HOURS_UNCOVERED,
                    "pupil",
                    p.id,
                    p.name,
                    f"EHCP hours not covered: {format_hours(need - have)} a week short",
                    f"The EHCP specifies {format_hours(need)} a week; {format_hours(have)} "
                    f"staffed: {format_hours(need - have)} short",
                    due=today,
                    act_by=today,
                )
            )
        current = [s for s in mine if s.role != COVER and is_current(s.start, s.end, today)]
        if not current or need == 0:
            continue
        ends: list[tuple[dt.date, ContractFact]] = []
        open_ended = False
        for s in current:
            theirs = [
                facts.contracts[cid]
                for cid in facts.contracts_by_staff.get(s.staff_id, ())
                if is_current(facts.contracts[cid].start_date, facts.contracts[cid].end_date, today)
            ]
            if not theirs:
                continue
            if any(c.end_date is None for c in theirs):
                open_ended = True
                continue
            last = max(theirs, key=lambda c: c.end_date or dt.date.max)
            assert last.end_date is not None
            ends.append((min(last.end_date, s.end or last.end_date), last))
        if open_ended or not ends:
            continue
        support_end = max(e for e, _ in ends)
        if p.leaving_date and p.leaving_date <= support_end:
            continue
        act = min(notice_by(e, c.notice_weeks, facts.days) or e for e, c in ends)
        out.append(
            Alert(
                AlertKind.SUPPORT_ENDING,
                "pupil",
                p.id,
                p.name,
                "Support ends while the EHCP goes on",
                f"Every LSA supporting them is on a contract ending by {format_date(support_end)}",
                due=support_end + ONE_DAY,
                act_by=act,
                related=tuple(("contract", c.id) for _, c in ends),
            )
        )

    assigned: dict[int, int] = {}
    for s in facts.slots:
        if is_current(s.start, s.end, today):
            assigned[s.staff_id] = assigned.get(s.staff_id, 0) + s.minutes
    for sid, mins in sorted(assigned.items()):
        has = sum(
            facts.contracts[cid].weekly_minutes
            for cid in facts.contracts_by_staff.get(sid, ())
            if is_current(facts.contracts[cid].start_date, facts.contracts[cid].end_date, today)
        )
        if mins > has and sid in facts.staff:
            out.append(
                Alert(
                    AlertKind.OVER_ASSIGNED,
                    "staff",
                    sid,
                    facts.staff[sid].name,
                    "Assigned more hours than contracted",
                    f"Assigned {format_hours(mins)} a week; contracted {format_hours(has)}: "
                    f"{format_hours(mins - has)} over",
                    due=today,
                    act_by=today,
                )
            )

    live = [s for s in facts.slots if not_ended(s.end, today)]
    for a, b in session_clashes(live):
        if a.staff_id not in facts.staff:
            continue
        start = max(a.start, b.start, today)
        pa, pb = facts.pupils.get(a.pupil_id), facts.pupils.get(b.pupil_id)
        whom = (
            f"twice to {pa.name if pa else 'the same pupil'}"
            if a.pupil_id == b.pupil_id
            else f"to {pa.name if pa else 'a pupil'} and {pb.name if pb else 'another pupil'}"
        )
        out.append(
            Alert(
                AlertKind.SESSION_CLASH,
                "staff",
                a.staff_id,
                facts.staff[a.staff_id].name,
                "In two places in one session",
                f"Assigned {whom} in the same sessions ({format_sessions(a.sessions & b.sessions)}"
                f") from {format_date(start)}: change one assignment",
                due=start,
                act_by=start,
                row_id=a.id,
                related=(("assignment", b.id),),
            )
        )

    for member in facts.staff.values():
        if not not_ended(member.leaving_date, today):
            continue
        one_to_one = any(
            x.role == AssignmentRole.ONE_TO_ONE and not_ended(x.end, today)
            for x in facts.slots_by_staff.get(member.id, ())
        ) or (
            member.role == StaffRole.ONE_TO_ONE_LSA.value
            and any(
                not_ended(facts.contracts[cid].end_date, today)
                for cid in facts.contracts_by_staff.get(member.id, ())
            )
        )
        if not one_to_one:
            continue
        if any(d.level in ENHANCED_DBS for d in facts.dbs.get(member.id, ())):
            continue
        out.append(
            Alert(
                AlertKind.DBS_MISSING,
                "staff",
                member.id,
                member.name,
                "No enhanced DBS check recorded",
                "Works 1:1 with a pupil but no enhanced DBS check is recorded: check the "
                "certificate (or the Update Service) and record it before they work alone "
                "with a child",
                due=today,
                act_by=today,
            )
        )
    return out


# -------------------------------------------------------------------------- reviews


def _reviews(facts: Facts, today: dt.date) -> list[Alert]:
    out: list[Alert] = []
    for p in facts.pupils.values():
        if p.sen_code != SenCode.EHCP.value or p.archived:
            continue
        offsets = facts.offsets_for(p)
        open_meetings = [m for m in facts.meetings.get(p.id, ()) if m.la_decision_on is None]
        base = p.ehcp_last_review or p.ehcp_issued
        if base is not None:
            due = next_review_due(base, p.review_interval_months)
            planned = [
                m for m in open_meetings if m.held_on is None and m.kind == ReviewKind.ANNUAL
            ]
            if not planned:
                chain = deadline_chain(latest_meeting_date(due), offsets, school_days=facts.days)
                first = chain[0]
                if due < today:
                    title = "Annual review overdue"
                    detail = (
                        f"Was due {format_date(due)} (last {format_date(base)}); no meeting "
                        "booked: book the meeting for the earliest date the family and "
                        "professionals can come, and request their advice today"
                    )
                elif first.act_by < today:
                    title = "Annual review due: advice requests late"
                    detail = (
                        f"Due {format_date(due)} (last {format_date(base)}); no meeting booked "
                        f"and the date to request advice ({format_date(first.act_by)}) has "
                        "passed: request advice today and book the meeting by "
                        f"{format_date(latest_meeting_date(due))}"
                    )
                else:
                    title = "Annual review due"
                    detail = (
                        f"Due {format_date(due)} (last {format_date(base)}); no meeting booked: "
                        f"{STEP_LABELS[first.step].lower()} by {format_date(first.act_by)}"
                        + _due_note(first.due, first.act_by)
                    )
                out.append(
                    Alert(
                        AlertKind.REVIEW_DUE,
                        "pupil",
                        p.id,
                        p.name,
                        title,
                        detail,
                        due=due,
                        act_by=first.act_by,
                    )
                )
        for m in open_meetings:
            when = m.meeting_at.date()
            for d in deadline_chain(when, offsets, school_days=facts.days):
                done_field = STEP_DONE_FIELD.get(d.step)
                if done_field is None or getattr(m, done_field) is not None:
                    continue
                if m.held_on is not None and d.step in (
                    Step.ADVICE_REQUESTS,
                    Step.INVITATIONS,
                    Step.PAPERS,
                    Step.MEETING,
                ):
                    continue  # the meeting happened: earlier steps are moot
                out.append(
                    Alert(
                        AlertKind.REVIEW_STEP,
                        "pupil",
                        p.id,
                        p.name,
                        STEP_LABELS[d.step],
                        f"{REVIEW_KIND_LABELS[m.kind]} review meeting "
                        f"{format_date(when)}" + _due_note(d.due, d.act_by),
                        due=d.due,
                        act_by=d.act_by,
                        row_id=m.id,
                    )
                )
        a = _phase_transfer(facts, p, today)
        if a is not None:
            out.append(a)
    return out


def _phase_transfer(facts: Facts, p: PupilFact, today: dt.date) -> Alert | None:
    deadline = p.phase_transfer_due(today, facts.school.transfer_years)
    if deadline is None:
        return None
    latest = facts.latest_transfer_meeting(p, deadline)
    year_start = dt.date(academic_year_of(today), 9, 1)
    meetings = [
        m for m in facts.meetings.get(p.id, ()) if year_start <= m.meeting_at.date() <= deadline
    ]
    if any(m.la_decision_on is not None for m in meetings):
        return None
    if any(m.held_on is not None and m.held_on <= latest for m in meetings):
        return None
    booked = [m for m in meetings if m.held_on is None and m.meeting_at.date() <= latest]
    if booked:
        return None  # the meeting's own steps are alerts
    late = [
        m
        for m in facts.meetings.get(p.id, ())
        if m.held_on is None and m.meeting_at.date() > latest
    ]
    label = "31 March" if deadline.month == 3 else "15 February"
    year = f"Year {p.year_group_on(today)}" if p.year_group_on(today) > 0 else "This"
    what = (
        f"The review meeting booked for {format_date(late[0].meeting_at.date())} is too late"
        if late
        else "No review meeting is booked"
    )
    return Alert(
        AlertKind.PHASE_TRANSFER,
        "pupil",
        p.id,
        p.name,
        f"Phase transfer: amended plan due {format_date(deadline)}",
        f"{year} pupil changes phase: the LA must issue the amended plan by {label} "
        f"({format_date(deadline)}). {what}: hold the review by {format_date(latest)} so the "
        "LA can decide in time",
        due=deadline,
        act_by=latest,
        row_id=late[0].id if late else None,
    )


# ------------------------------------------------------------------ training and DBS


def _expiries(facts: Facts, today: dt.date, horizon: dt.date = dt.date.max) -> list[Alert]:
    """Training and DBS renewals acted on by ``horizon``: the others are not built (at a
    trust four in five fall beyond it, and would be dropped anyway)."""
    out: list[Alert] = []
    for s in facts.staff.values():
        if not not_ended(s.leaving_date, today):
            continue
        latest = {t.kind: t for t in facts.training.get(s.id, ())}
        for t in latest.values():
            if t.expires is None:
                continue
            act_by = facts.days.act_by(t.expires - ONE_DAY)
            if act_by > horizon:
                continue
            label = TRAINING_LABELS.get(t.kind, t.kind.replace("_", " "))
            gone = t.expires < today
            out.append(
                Alert(
                    AlertKind.TRAINING_EXPIRING,
                    "staff",
                    s.id,
                    s.name,
                    f"{label} training {'expired' if gone else 'expires'}",
                    f"Completed {format_date(t.completed)}; "
                    f"{'expired' if gone else 'expires'} {format_date(t.expires)}",
                    due=t.expires,
                    act_by=act_by,
                    row_id=t.id,
                )
            )
        checks = facts.dbs.get(s.id, ())
        if checks and checks[-1].renew_by is not None:
            d = checks[-1]
            renew_by = d.renew_by
            assert renew_by is not None
            act_by = facts.days.act_by(renew_by - ONE_DAY)
            if act_by > horizon:
                continue
            out.append(
                Alert(
                    AlertKind.DBS_EXPIRING,
                    "staff",
                    s.id,
                    s.name,
                    "DBS check overdue for renewal" if renew_by < today else "DBS check due",
                    f"Certificate {d.certificate_number} issued {format_date(d.issued)}; "
                    f"renew by {format_date(renew_by)}",
                    due=renew_by,
                    act_by=act_by,
                    row_id=d.id,
                )
            )
    return out


__all__ = [
    "ALERT_KIND_LABELS",
    "Alert",
    "AlertKind",
    "URGENCY_LABELS",
    "Urgency",
    "alerts_and_timeline",
    "alerts_from_facts",
    "compute_alerts",
    "current_half_term_end",
    "urgency",
]
