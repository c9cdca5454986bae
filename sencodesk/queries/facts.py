"""The facts about funding, contracts and hours, loaded once into frozen rows.

A handful of set-based queries (no query per pupil), indexed by id in dicts. Each contract
carries what ``rules.coverage`` derives from it (pay, cost, notice-by, the gap against its
funding), so the alerts, the Funding & contracts page, the timeline, the reports, the pack
and the calendar read one answer. Only the pupils the support facts concern are loaded
(EHCP pupils on roll, and anyone with funding or an assignment): a 20,000-pupil school loads
a few hundred rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import BadData
from ..frozen import fast_init
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
from ..rules.coverage import Gap, Slot, funding_gap, notice_by
from ..rules.pay import annual_pay, employer_cost
from ..rules.reviews import ReviewOffsets, phase_transfer_deadline
from ..rules.schooldays import SchoolDays
from ..rules.schoolyear import academic_year_of, year_group
from .common import display_name, may_read, readable, sort_name
from .school import SchoolRow, get_school, offsets_by_la

FUNDING_LEAD_WEEKS = 4  # act on funding that pays for no contract this long before it ends


@fast_init
@dataclass(frozen=True)
class PupilFact:
    id: int
    name: str
    sort_name: str
    upn: str
    date_of_birth: dt.date
    year_group_override: int | None
    sen_code: str
    primary_need: str
    ehcp_la_id: int | None
    ehcp_issued: dt.date | None
    ehcp_last_review: dt.date | None
    review_interval_months: int
    ehcp_weekly_minutes: int | None
    leaving_date: dt.date | None
    archived: bool
    preferred_name: str = ""
    legal_first_name: str = ""
    legal_last_name: str = ""

    def year_group_on(self, on: dt.date) -> int:
        if self.year_group_override is not None:
            return self.year_group_override
        return year_group(self.date_of_birth, on)

    def phase_transfer_due(self, on: dt.date, transfer_years: tuple[int, ...]) -> dt.date | None:
        """The amended-plan deadline if the pupil changes phase at the end of the academic
        year containing ``on``: year group and year both as on that date."""
        return phase_transfer_deadline(self.year_group_on(on), academic_year_of(on), transfer_years)


@fast_init
@dataclass(frozen=True)
class StaffFact:
    id: int
    name: str
    sort_name: str
    role: str
    first_name: str
    last_name: str
    start_date: dt.date | None
    leaving_date: dt.date | None


@fast_init
@dataclass(frozen=True)
class FundingFact:
    id: int
    pupil_id: int
    source: str
    funder: str
    reference: str
    amount_per_year: Decimal | None
    weekly_minutes: int | None
    start_date: dt.date
    end_date: dt.date | None
    status: str
    version: int = 0  # the row's version when read (a save sends it back)


@fast_init
@dataclass(frozen=True)
class ContractFact:
    id: int
    staff_id: int
    kind: str
    job_title: str
    start_date: dt.date
    end_date: dt.date | None
    grade: str
    pay_point: str
    fte_salary: Decimal
    weekly_minutes: int
    term_time: bool
    paid_weeks: Decimal | None
    notice_weeks: int
    funding_id: int | None
    annual_pay: Decimal
    annual_cost: Decimal
    notice_by: dt.date | None  # the last school day to give notice before its own end
    funding_end: dt.date | None
    gap: Gap | None  # the contract outlives the funding linked to it
    funding_act_by: dt.date | None  # the last school day to give notice to end with the funding
    version: int = 0  # the row's version when read (a save sends it back)


@fast_init
@dataclass(frozen=True)
class MeetingFact:
    id: int
    pupil_id: int
    kind: str
    meeting_at: dt.datetime
    advice_requested_on: dt.date | None
    invitations_sent_on: dt.date | None
    papers_circulated_on: dt.date | None
    held_on: dt.date | None
    report_sent_on: dt.date | None
    la_decision_on: dt.date | None


@fast_init
@dataclass(frozen=True)
class TrainingFact:
    id: int
    staff_id: int
    kind: str
    completed: dt.date
    expires: dt.date | None


@fast_init
@dataclass(frozen=True)
class DbsFact:
    id: int
    staff_id: int
    level: str
    certificate_number: str
    issued: dt.date
    renew_by: dt.date | None


@dataclass(frozen=True)
class Facts:
    school: SchoolRow
    days: SchoolDays
    offsets: dict[int, ReviewOffsets]
    default_offsets: ReviewOffsets
    pupils: dict[int, PupilFact]
    staff: dict[int, StaffFact]
    funding: dict[int, FundingFact]
    contracts: dict[int, ContractFact]
    slots: tuple[Slot, ...]
    meetings: dict[int, tuple[MeetingFact, ...]]  # by pupil, in meeting order
    training: dict[int, tuple[TrainingFact, ...]]  # by staff, oldest first
    dbs: dict[int, tuple[DbsFact, ...]]  # by staff, oldest first
    contracts_by_funding: dict[int, tuple[int, ...]] = field(default_factory=dict)
    contracts_by_staff: dict[int, tuple[int, ...]] = field(default_factory=dict)
    slots_by_pupil: dict[int, tuple[Slot, ...]] = field(default_factory=dict)
    slots_by_staff: dict[int, tuple[Slot, ...]] = field(default_factory=dict)

    def offsets_for(self, p: PupilFact) -> ReviewOffsets:
        return (
            self.offsets.get(p.ehcp_la_id, self.default_offsets)
            if p.ehcp_la_id
            else (self.default_offsets)
        )

    def latest_transfer_meeting(self, p: PupilFact, deadline: dt.date) -> dt.date:
        """The last school day a review can be held for the LA's decision (its weeks after
        the meeting) to fall by a phase-transfer deadline."""
        weeks = self.offsets_for(p).la_decision_weeks
        return self.days.act_by(deadline - dt.timedelta(weeks=weeks))

    def funding_of(self, c: ContractFact) -> FundingFact | None:
        return self.funding.get(c.funding_id) if c.funding_id is not None else None

    def gaps_of(self, funding_id: int) -> list[ContractFact]:
        """The contracts linked to a funding line that outlive it."""
        return [
            self.contracts[cid]
            for cid in self.contracts_by_funding.get(funding_id, ())
            if self.contracts[cid].gap is not None
        ]

    def funding_act_by(self, funding_id: int) -> tuple[dt.date, list[ContractFact]] | None:
        """When to act on a funding line that ends: the earliest date notice must be given
        for a contract it pays for to end with it, else 4 weeks before its end (as a school
        day). Also the contracts that outlive it. None: the funding has no end date."""
        f = self.funding[funding_id]
        if f.end_date is None:
            return None
        paid = self.gaps_of(funding_id)
        dates = [c.funding_act_by for c in paid if c.funding_act_by is not None]
        if dates:
            return min(dates), paid
        return self.days.act_by(f.end_date - dt.timedelta(weeks=FUNDING_LEAD_WEEKS)), paid


def school_days(session: Session) -> SchoolDays:
    rows = session.execute(select(TermDate.start, TermDate.end))
    return SchoolDays.from_terms((start, end) for start, end in rows)


def contract_costs(
    school: SchoolRow,
    fte_salary: Decimal,
    weekly_minutes: int,
    term_time: bool,
    paid_weeks: Decimal | None,
) -> tuple[Decimal, Decimal]:
    """Pay a year and employer cost a year (pay plus on-costs) under the school's settings."""
    pay = annual_pay(
        fte_salary,
        weekly_minutes,
        term_time=term_time,
        paid_weeks=paid_weeks,
        full_time_hours=school.full_time_hours,
        weeks_per_year=school.weeks_per_year,
    )
    return pay, employer_cost(pay, school.on_cost_percent)


_CONTRACT_COLUMNS = (
    Contract.id,
    Contract.staff_id,
    Contract.kind,
    Contract.job_title,
    Contract.start_date,
    Contract.end_date,
    Contract.grade,
    Contract.pay_point,
    Contract.fte_salary,
    Contract.weekly_minutes,
    Contract.term_time,
    Contract.paid_weeks,
    Contract.notice_weeks,
    Contract.funding_id,
    Contract.version,
)


def _contract(
    school: SchoolRow, days: SchoolDays, r: Sequence[Any], f: FundingFact | None
) -> ContractFact:
    """``r``: the values of ``_CONTRACT_COLUMNS`` in that order."""
    (
        cid,
        staff_id,
        kind,
        job_title,
        start,
        end,
        grade,
        pay_point,
        salary,
        minutes,
        term_time,
        paid_weeks,
        notice_weeks,
        funding_id,
        version,
    ) = r
    try:
        pay, cost = contract_costs(school, salary, minutes, term_time, paid_weeks)
    except (ValueError, TypeError, ArithmeticError) as exc:  # a row the rules would refuse
        raise BadData("contract", cid, str(exc).rstrip(".").lower()) from None
    f_end = f.end_date if f else None
    gap = funding_gap(f_end, start, end, cost) if f else None
    return ContractFact(
        cid,
        staff_id,
        kind,
        job_title,
        start,
        end,
        grade,
        pay_point,
        salary,
        minutes,
        term_time,
        paid_weeks,
        notice_weeks,
        funding_id,
        pay,
        cost,
        notice_by(end, notice_weeks, days),
        f_end,
        gap,
        notice_by(f_end, notice_weeks, days) if gap else None,
        version,
    )


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


_FUNDING_COLUMNS = (
    Funding.id,
    Funding.pupil_id,
    Funding.source,
    Funding.funder,
    Funding.reference,
    Funding.amount_per_year,
    Funding.weekly_minutes,
    Funding.start_date,
    Funding.end_date,
    Funding.status,
    Funding.version,
)


_ASSIGNMENT_COLUMNS = (
    Assignment.id,
    Assignment.staff_id,
    Assignment.pupil_id,
    Assignment.weekly_minutes,
    Assignment.sessions,
    Assignment.role,
    Assignment.start_date,
    Assignment.end_date,
)
_PUPIL_COLUMNS = (
    Pupil.id,
    Pupil.legal_first_name,
    Pupil.legal_last_name,
    Pupil.preferred_name,
    Pupil.upn,
    Pupil.date_of_birth,
    Pupil.year_group_override,
    Pupil.sen_code,
    Pupil.primary_need,
    Pupil.ehcp_la_id,
    Pupil.ehcp_issued,
    Pupil.ehcp_last_review,
    Pupil.review_interval_months,
    Pupil.ehcp_weekly_minutes,
    Pupil.leaving_date,
    Pupil.archived,
)
_STAFF_COLUMNS = (
    Staff.id,
    Staff.first_name,
    Staff.last_name,
    Staff.role,
    Staff.start_date,
    Staff.leaving_date,
)
_MEETING_COLUMNS = (
    ReviewMeeting.id,
    ReviewMeeting.pupil_id,
    ReviewMeeting.kind,
    ReviewMeeting.meeting_at,
    ReviewMeeting.advice_requested_on,
    ReviewMeeting.invitations_sent_on,
    ReviewMeeting.papers_circulated_on,
    ReviewMeeting.held_on,
    ReviewMeeting.report_sent_on,
    ReviewMeeting.la_decision_on,
)
_TRAINING_COLUMNS = (
    Training.id,
    Training.staff_id,
    Training.kind,
    Training.completed,
    Training.expires,
)
_DBS_COLUMNS = (
    DbsCheck.id,
    DbsCheck.staff_id,
    DbsCheck.level,
    DbsCheck.certificate_number,
    DbsCheck.issued,
    DbsCheck.renew_by,
)

Rows = Iterable[Sequence[Any]]


@dataclass(frozen=True)
class FactRows:
    """What the facts are made from: the school's settings and, for each table, its rows as
    plain sequences of the values of that table's ``_..._COLUMNS`` above, in that order
    (funding and contracts by id, meetings by meeting time then id, training by completion
    then id, DBS checks by issue then id). ``pupils``: the EHCP pupils and any other pupil the
    funding or assignments name, in any order."""

    school: SchoolRow
    days: SchoolDays
    offsets: dict[int, ReviewOffsets]
    default_offsets: ReviewOffsets
    funding: Rows
    assignments: Rows
    pupils: Rows
    staff: Rows
    contracts: Rows
    meetings: Rows
    training: Rows
    dbs: Rows


_GUARDED = ("funding", "assignment", "contract", "review_meeting", "training", "dbs_check")


def load_facts(session: Session) -> Facts:
    """Everything the support facts need, in one go.

    The queries run on the session's connection as Core statements: the ORM's handling of
    each result row cost about a third of the load at a trust (#17), and these are plain
    columns. Pending changes are flushed first, as the session's own execute would."""
    school = get_school(session)
    days = school_days(session)
    by_la, default = offsets_by_la(session)
    session.flush()
    conn = session.connection()

    # On a shared server each login reads only what its role may (``server.ddl``): a table it
    # may not read is left empty, a pupil's column it may not read is None. The guard goes
    # before the query (a comprehension's ``if`` runs after it has been sent).
    can = {t: may_read(session, t) for t in _GUARDED}

    def run(table: str, stmt: Any) -> list[Any]:  # all rows at once: one by one is slower
        return list(conn.execute(stmt).all()) if can[table] else []

    funding = run("funding", select(*_FUNDING_COLUMNS).order_by(Funding.id))
    assignments = run("assignment", select(*_ASSIGNMENT_COLUMNS).order_by(Assignment.id))
    wanted = {r[1] for r in funding} | {r[2] for r in assignments}
    pcols = readable(session, *_PUPIL_COLUMNS)
    # The EHCP pupils (by the index on sen_code), then any other pupil the funding or the
    # assignments name: two indexed reads, where one "E or in (funding, assignments)" read
    # scanned every pupil.
    pupils = list(conn.execute(select(*pcols).where(Pupil.sen_code == "E")).all())
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
        )
    )


def facts_from_rows(rows: FactRows) -> Facts:
    """The facts from their rows: the one place they are made, whoever read the rows. Each
    row is read by position (by name, each value was a lookup: a third of the load)."""
    school, days = rows.school, rows.days
    funding = {r[0]: FundingFact(*r) for r in rows.funding}
    slots = tuple(Slot(*r) for r in rows.assignments)
    pupils = {p.id: p for p in sorted((_pupil(r) for r in rows.pupils), key=_by_id)}
    staff = {}
    for sid, first, last, role, start, leaving in rows.staff:
        staff[sid] = StaffFact(
            sid,
            display_name(first, last),
            sort_name(first, last),
            role,
            first,
            last,
            start,
            leaving,
        )
    contracts = {}
    for r in rows.contracts:
        fid = r[13]  # funding_id
        contracts[r[0]] = _contract(school, days, r, funding.get(fid) if fid else None)

    meetings: dict[int, list[MeetingFact]] = defaultdict(list)
    for r in rows.meetings:
        meetings[r[1]].append(MeetingFact(*r))
    training: dict[int, list[TrainingFact]] = defaultdict(list)
    for r in rows.training:
        training[r[1]].append(TrainingFact(*r))
    dbs: dict[int, list[DbsFact]] = defaultdict(list)
    for r in rows.dbs:
        dbs[r[1]].append(DbsFact(*r))

    by_funding: dict[int, list[int]] = defaultdict(list)
    by_staff: dict[int, list[int]] = defaultdict(list)
    for c in contracts.values():
        by_staff[c.staff_id].append(c.id)
        if c.funding_id is not None:
            by_funding[c.funding_id].append(c.id)
    slots_by_pupil: dict[int, list[Slot]] = defaultdict(list)
    slots_by_staff: dict[int, list[Slot]] = defaultdict(list)
    for s in slots:
        slots_by_pupil[s.pupil_id].append(s)
        slots_by_staff[s.staff_id].append(s)
    return Facts(
        school=school,
        days=days,
        offsets=rows.offsets,
        default_offsets=rows.default_offsets,
        pupils=pupils,
        staff=staff,
        funding=funding,
        contracts=contracts,
        slots=slots,
        meetings={k: tuple(v) for k, v in meetings.items()},
        training={k: tuple(v) for k, v in training.items()},
        dbs={k: tuple(v) for k, v in dbs.items()},
        contracts_by_funding={k: tuple(v) for k, v in by_funding.items()},
        contracts_by_staff={k: tuple(v) for k, v in by_staff.items()},
        slots_by_pupil={k: tuple(v) for k, v in slots_by_pupil.items()},
        slots_by_staff={k: tuple(v) for k, v in slots_by_staff.items()},
    )


def _by_id(p: PupilFact) -> int:
    return p.id


def _pupil(r: Sequence[Any]) -> PupilFact:
    """``r``: the values of ``_PUPIL_COLUMNS`` in that order."""
    (
        pid,
        first,
        last,
        preferred,
        upn,
        born,
        override,
        sen_code,
        primary_need,
        la_id,
        issued,
        last_review,
        interval,
        minutes,
        leaving,
        archived,
    ) = r
    return PupilFact(
        pid,
        display_name(first, last, preferred),
        sort_name(first, last, preferred),
        upn or "",
        born,
        override,
        sen_code,
        primary_need or "",
        la_id,
        issued,
        last_review,
        interval,
        minutes,
        leaving,
        archived,
        preferred,
        first,
        last,
    )
