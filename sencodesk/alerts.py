"""Alerts: the answer to "what must I act on, and by when?".

Each alert has a kind, a subject (a pupil or a member of staff), the date the thing happens
(``due``) and the latest working day on which the SENCO can still act (``act_by``). The list
is sorted by act-by date, then due date.

How each act-by date is chosen (a decision recorded here and in docs/alerts.md):

- funding ending: the notice-by date of the longest notice among the contracts it pays for
  that run past it (so that, if the funding is not renewed, notice can still be given in
  time); 4 weeks before the end when it pays for no contract;
- contract ending: its notice-by date (end date less the notice period, on a working day);
- contract outliving its funding: the date notice would have to be given for the contract to
  end with the funding; the amount is the employer cost of the unfunded stretch (a year for a
  contract with no end date);
- EHCP hours not covered, an LSA assigned more hours than contracted: today;
- funding with nobody assigned: its start (or today, if it has started);
- a pupil whose LSAs' contracts all end while their EHCP goes on: the earliest notice-by date
  of those contracts (time to extend or recruit);
- annual review due with no meeting booked: the first step of the deadline chain for a
  meeting held by the due date; a step of a booked meeting: that step's act-by date;
- training and DBS: the working day before they expire.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from .checks import names_bad_data
from .model import Assignment, Contract, DbsCheck, Funding, Pupil, ReviewMeeting, Staff, Training
from .queries.common import display_name
from .queries.money import contract_pay, notice_by
from .queries.reviews import STEP_DONE_FIELD
from .queries.school import get_school, half_term_containing, offsets_by_la
from .rules.dates import format_date
from .rules.pay import cost_for_period, format_hours, format_money
from .rules.reviews import STEP_LABELS, Step, deadline_chain, latest_meeting_date, next_review_due
from .rules.schoolyear import previous_working_day
from .vocab import (
    REVIEW_KIND_LABELS,
    TRAINING_LABELS,
    URGENCY_LABELS,
    FundingStatus,
    ReviewKind,
    SenCode,
    Urgency,
)

FUNDING_LEAD_WEEKS = 4  # act on funding that pays for no contract this long before it ends
ONE_DAY = dt.timedelta(days=1)


class AlertKind(StrEnum):
    FUNDING_ENDING = "funding_ending"
    CONTRACT_ENDING = "contract_ending"
    UNFUNDED_CONTRACT = "unfunded_contract"  # a contract outlives the funding linked to it
    EHCP_HOURS_UNCOVERED = "ehcp_hours_uncovered"
    OVER_ASSIGNED = "over_assigned"
    FUNDING_UNSTAFFED = "funding_unstaffed"
    SUPPORT_ENDING = "support_ending"  # the pupil's LSAs' contracts end; the EHCP goes on
    REVIEW_DUE = "review_due"
    REVIEW_STEP = "review_step"
    TRAINING_EXPIRING = "training_expiring"
    DBS_EXPIRING = "dbs_expiring"


ALERT_KIND_LABELS: dict[AlertKind, str] = {
    AlertKind.FUNDING_ENDING: "Funding ending",
    AlertKind.CONTRACT_ENDING: "Contract ending",
    AlertKind.UNFUNDED_CONTRACT: "Contract outlives its funding",
    AlertKind.EHCP_HOURS_UNCOVERED: "EHCP hours not covered",
    AlertKind.OVER_ASSIGNED: "Assigned more hours than contracted",
    AlertKind.FUNDING_UNSTAFFED: "Funding with no LSA assigned",
    AlertKind.SUPPORT_ENDING: "Support ends while the EHCP goes on",
    AlertKind.REVIEW_DUE: "Annual review due",
    AlertKind.REVIEW_STEP: "Review deadline",
    AlertKind.TRAINING_EXPIRING: "Training expiring",
    AlertKind.DBS_EXPIRING: "DBS check due for renewal",
}


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
    ht = half_term_containing(session, today)
    return ht.end if ht else None


def _pupil_name(p: Pupil) -> str:
    return display_name(p.legal_first_name, p.legal_last_name, p.preferred_name)


def _staff_name(s: Staff) -> str:
    return display_name(s.first_name, s.last_name)


def _current(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    return (start is None or start <= on) and (end is None or end >= on)


@names_bad_data
def compute_alerts(
    session: Session, *, today: dt.date | None = None, within_days: int | None = None
) -> list[Alert]:
    """Every alert due within ``within_days`` of ``today`` (and all overdue ones)."""
    today = today or dt.date.today()
    school = get_school(session)
    within = school.alert_horizon_days if within_days is None else within_days
    if within < 0:
        raise ValueError("within_days cannot be negative")
    horizon = today + dt.timedelta(days=within)
    out: list[Alert] = []
    out += _funding_and_contracts(session, today, horizon)
    out += _coverage(session, today, horizon)
    out += _reviews(session, today, horizon)
    out += _expiries(session, today, horizon)
    out.sort(key=lambda a: (a.act_by, a.due, a.kind.value, a.subject_name, a.row_id or 0))
    return out


# ----------------------------------------------------------------- funding and contracts


def _funding_and_contracts(session: Session, today: dt.date, horizon: dt.date) -> list[Alert]:
    school = get_school(session)
    out: list[Alert] = []
    contracts = session.scalars(
        select(Contract)
        .options(
            selectinload(Contract.staff), selectinload(Contract.funding).selectinload(Funding.pupil)
        )
        .where(or_(Contract.end_date.is_(None), Contract.end_date >= today))
    ).all()
    by_funding: dict[int, list[Contract]] = defaultdict(list)
    for c in contracts:
        if c.funding_id is not None:
            by_funding[c.funding_id].append(c)
        if c.staff.leaving_date is not None and c.staff.leaving_date < today:
            continue
        name = _staff_name(c.staff)
        if c.end_date is not None and c.end_date <= horizon:
            nb = notice_by(c.end_date, c.notice_weeks) or c.end_date
            out.append(
                Alert(
                    AlertKind.CONTRACT_ENDING,
                    "staff",
                    c.staff_id,
                    name,
                    f"Contract ends {format_date(c.end_date)}",
                    f"{c.job_title or 'Contract'}: renew, or give {c.notice_weeks} weeks' notice "
                    f"by {format_date(nb)}",
                    due=c.end_date,
                    act_by=nb,
                    row_id=c.id,
                )
            )
        f = c.funding
        if f is None or f.end_date is None or f.end_date > horizon:
            continue
        if c.end_date is not None and c.end_date <= f.end_date:
            continue
        gap_start = f.end_date + ONE_DAY
        if c.end_date is None:
            gap_end = f.end_date + dt.timedelta(days=365)
            how_long = "has no end date"
        else:
            gap_end = c.end_date
            how_long = f"runs {(c.end_date - f.end_date).days} days longer"
        _pay, cost = contract_pay(c, school)
        unfunded = cost_for_period(cost, max(gap_start, c.start_date), gap_end)
        per = " a year" if c.end_date is None else ""
        nb = notice_by(f.end_date, c.notice_weeks) or f.end_date
        out.append(
            Alert(
                AlertKind.UNFUNDED_CONTRACT,
                "staff",
                c.staff_id,
                name,
                "Contract outlives its funding",
                f"Funding for {_pupil_name(f.pupil)} ends {format_date(f.end_date)}; the contract "
                f"{how_long}: unfunded cost {format_money(unfunded)}{per}",
                due=gap_start,
                act_by=nb,
                amount=unfunded,
                row_id=c.id,
                related=(("funding", f.id), ("pupil", f.pupil_id)),
            )
        )

    funding = session.scalars(
        select(Funding)
        .options(selectinload(Funding.pupil))
        .where(Funding.status != FundingStatus.ENDED.value)
        .where(or_(Funding.end_date.is_(None), Funding.end_date >= today))
    ).all()
    staffed = _staffed_pupils(session, today)
    for f in funding:
        p = f.pupil
        if p.archived:
            continue
        name = _pupil_name(p)
        if f.end_date is not None and f.end_date <= horizon:
            paid = [
                c for c in by_funding.get(f.id, ()) if c.end_date is None or c.end_date > f.end_date
            ]
            weeks = max((c.notice_weeks for c in paid), default=None)
            if weeks is None:
                act = previous_working_day(f.end_date - dt.timedelta(weeks=FUNDING_LEAD_WEEKS))
                why = "ask the funder about renewal"
            else:
                act = notice_by(f.end_date, weeks) or f.end_date
                why = f"it pays for {len(paid)} contract(s) that run past it"
            amount = f"{format_money(f.amount_per_year)} a year" if f.amount_per_year else ""
            out.append(
                Alert(
                    AlertKind.FUNDING_ENDING,
                    "pupil",
                    p.id,
                    name,
                    f"Funding ends {format_date(f.end_date)}",
                    "; ".join(x for x in (f.funder or f.source, f.reference, amount, why) if x),
                    due=f.end_date,
                    act_by=act,
                    amount=f.amount_per_year,
                    row_id=f.id,
                )
            )
        if f.start_date <= horizon and p.id not in staffed:
            start = max(f.start_date, today)
            out.append(
                Alert(
                    AlertKind.FUNDING_UNSTAFFED,
                    "pupil",
                    p.id,
                    name,
                    "Funding with no LSA assigned",
                    f"{f.funder or f.source} from {format_date(f.start_date)}: nobody is assigned",
                    due=start,
                    act_by=start,
                    amount=f.amount_per_year,
                    row_id=f.id,
                )
            )
    return out


def _staffed_pupils(session: Session, on: dt.date) -> set[int]:
    rows = session.execute(
        select(Assignment.pupil_id)
        .where(Assignment.start_date <= on)
        .where(or_(Assignment.end_date.is_(None), Assignment.end_date >= on))
    )
    return {pid for (pid,) in rows}


# ------------------------------------------------------------------------- coverage


def _coverage(session: Session, today: dt.date, horizon: dt.date) -> list[Alert]:
    out: list[Alert] = []
    assignments = session.scalars(
        select(Assignment)
        .options(selectinload(Assignment.staff))
        .where(Assignment.start_date <= today)
        .where(or_(Assignment.end_date.is_(None), Assignment.end_date >= today))
    ).all()
    by_pupil: dict[int, list[Assignment]] = defaultdict(list)
    by_staff: dict[int, int] = defaultdict(int)
    for a in assignments:
        by_pupil[a.pupil_id].append(a)
        by_staff[a.staff_id] += a.weekly_minutes

    contracts = session.execute(
        select(
            Contract.id,
            Contract.staff_id,
            Contract.weekly_minutes,
            Contract.start_date,
            Contract.end_date,
            Contract.notice_weeks,
        ).where(or_(Contract.end_date.is_(None), Contract.end_date >= today))
    ).all()
    contracted: dict[int, int] = defaultdict(int)
    staff_contracts: dict[int, list[Any]] = defaultdict(list)
    for row in contracts:
        staff_contracts[row.staff_id].append(row)
        if _current(row.start_date, row.end_date, today):
            contracted[row.staff_id] += row.weekly_minutes

    pupils = session.scalars(
        select(Pupil).where(Pupil.sen_code == SenCode.EHCP.value, Pupil.archived.is_(False))
    ).all()
    for p in pupils:
        if p.ehcp_issued is not None and p.ehcp_issued > today:
            continue  # the plan is not in force yet (an as-at date in the past)
        need = p.ehcp_weekly_minutes or 0
        mine = by_pupil.get(p.id, [])
        have = sum(a.weekly_minutes for a in mine)
        name = _pupil_name(p)
        if need > have:
            out.append(
                Alert(
                    AlertKind.EHCP_HOURS_UNCOVERED,
                    "pupil",
                    p.id,
                    name,
                    "EHCP hours not covered",
                    f"The EHCP specifies {format_hours(need)} a week; {format_hours(have)} assigned: "
                    f"{format_hours(need - have)} short",
                    due=today,
                    act_by=today,
                )
            )
        if not mine or need == 0:
            continue
        # When do the contracts of everyone supporting this pupil run out?
        ends: list[tuple[dt.date, int, int]] = []  # (last day of cover, contract id, notice)
        open_ended = False
        for a in mine:
            current = [
                c
                for c in staff_contracts.get(a.staff_id, [])
                if _current(c.start_date, c.end_date, today)
            ]
            if any(c.end_date is None for c in current) or not current:
                open_ended = open_ended or bool(current)
                continue
            last = max(current, key=lambda c: c.end_date)
            cover_end = min(last.end_date, a.end_date or last.end_date)
            ends.append((cover_end, last.id, last.notice_weeks))
        if open_ended or not ends:
            continue
        support_end = max(e for e, _, _ in ends)
        if support_end > horizon or (p.leaving_date and p.leaving_date <= support_end):
            continue
        act = min(notice_by(e, w) or e for e, _, w in ends)
        out.append(
            Alert(
                AlertKind.SUPPORT_ENDING,
                "pupil",
                p.id,
                name,
                "Support ends while the EHCP goes on",
                f"Every LSA supporting them is on a contract ending by {format_date(support_end)}",
                due=support_end + ONE_DAY,
                act_by=act,
                related=tuple(("contract", cid) for _, cid, _ in ends),
            )
        )

    staff = {s.id: s for s in session.scalars(select(Staff).where(Staff.id.in_(by_staff)))}
    for sid, assigned in sorted(by_staff.items()):
        if assigned > contracted.get(sid, 0):
            s = staff[sid]
            has = contracted.get(sid, 0)
            out.append(
                Alert(
                    AlertKind.OVER_ASSIGNED,
                    "staff",
                    sid,
                    _staff_name(s),
                    "Assigned more hours than contracted",
                    f"Assigned {format_hours(assigned)} a week; contracted {format_hours(has)}: "
                    f"{format_hours(assigned - has)} over",
                    due=today,
                    act_by=today,
                )
            )
    return out


# -------------------------------------------------------------------------- reviews


def _reviews(session: Session, today: dt.date, horizon: dt.date) -> list[Alert]:
    out: list[Alert] = []
    by_la, default = offsets_by_la(session)
    pupils = session.scalars(
        select(Pupil).where(Pupil.sen_code == SenCode.EHCP.value, Pupil.archived.is_(False))
    ).all()
    pupil_by_id = {p.id: p for p in pupils}
    meetings = session.scalars(
        select(ReviewMeeting)
        .where(ReviewMeeting.pupil_id.in_(pupil_by_id))
        .order_by(ReviewMeeting.meeting_at, ReviewMeeting.id)
    ).all()
    booked: dict[int, list[ReviewMeeting]] = defaultdict(list)
    for m in meetings:
        booked[m.pupil_id].append(m)

    for p in pupils:
        offsets = by_la.get(p.ehcp_la_id, default) if p.ehcp_la_id else default
        name = _pupil_name(p)
        base = p.ehcp_last_review or p.ehcp_issued
        open_meetings = [m for m in booked.get(p.id, []) if m.la_decision_on is None]
        if base is not None:
            due = next_review_due(base, p.review_interval_months)
            planned = [
                m for m in open_meetings if m.held_on is None and m.kind == ReviewKind.ANNUAL
            ]
            if due <= horizon and not planned:
                chain = deadline_chain(latest_meeting_date(due), offsets)
                first = chain[0]
                overdue = due < today
                out.append(
                    Alert(
                        AlertKind.REVIEW_DUE,
                        "pupil",
                        p.id,
                        name,
                        "Annual review overdue" if overdue else "Annual review due",
                        f"Due {format_date(due)} (last {format_date(base)}); no meeting booked: "
                        f"{STEP_LABELS[first.step].lower()} by {format_date(first.act_by)}",
                        due=due,
                        act_by=first.act_by,
                    )
                )
        for m in open_meetings:
            when = m.meeting_at.date()
            for d in deadline_chain(when, offsets):
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
                if d.act_by > horizon:
                    continue
                out.append(
                    Alert(
                        AlertKind.REVIEW_STEP,
                        "pupil",
                        p.id,
                        name,
                        STEP_LABELS[d.step],
                        f"{REVIEW_KIND_LABELS[m.kind]} review meeting {format_date(when)}",
                        due=d.due,
                        act_by=d.act_by,
                        row_id=m.id,
                    )
                )
    return out


# ------------------------------------------------------------------ training and DBS


def _expiries(session: Session, today: dt.date, horizon: dt.date) -> list[Alert]:
    out: list[Alert] = []
    staff = session.scalars(
        select(Staff)
        .options(selectinload(Staff.training), selectinload(Staff.dbs_checks))
        .where(or_(Staff.leaving_date.is_(None), Staff.leaving_date >= today))
    ).all()
    for s in staff:
        name = _staff_name(s)
        latest: dict[str, Training] = {}
        for t in sorted(s.training, key=lambda t: (t.completed, t.id)):
            latest[t.kind] = t
        for t in latest.values():
            if t.expires is None or t.expires > horizon:
                continue
            label = TRAINING_LABELS.get(t.kind, t.kind.replace("_", " "))
            gone = t.expires < today
            out.append(
                Alert(
                    AlertKind.TRAINING_EXPIRING,
                    "staff",
                    s.id,
                    name,
                    f"{label} training {'expired' if gone else 'expires'}",
                    f"Completed {format_date(t.completed)}; "
                    f"{'expired' if gone else 'expires'} {format_date(t.expires)}",
                    due=t.expires,
                    act_by=previous_working_day(t.expires - ONE_DAY),
                    row_id=t.id,
                )
            )
        checks: list[DbsCheck] = sorted(s.dbs_checks, key=lambda d: (d.issued, d.id))
        if checks and checks[-1].renew_by is not None and checks[-1].renew_by <= horizon:
            d = checks[-1]
            renew_by = d.renew_by
            assert renew_by is not None
            out.append(
                Alert(
                    AlertKind.DBS_EXPIRING,
                    "staff",
                    s.id,
                    name,
                    "DBS check overdue for renewal" if renew_by < today else "DBS check due",
                    f"Certificate {d.certificate_number} issued {format_date(d.issued)}; "
                    f"renew by {format_date(renew_by)}",
                    due=renew_by,
                    act_by=previous_working_day(renew_by - ONE_DAY),
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
    "compute_alerts",
    "current_half_term_end",
    "urgency",
]
