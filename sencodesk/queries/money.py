"""Funding lines and contracts, with pay, cost, notice dates and the gaps between them.

Rows are built from ``queries.facts`` (loaded once) and the rules in ``rules.coverage``: the
gap, its days, its unfunded cost and the words saying what that cost is are the same ones the
alerts, the reports, the timeline and the pack give.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..model import ContractDay
from ..rules.coverage import Gap
from ..rules.coverage import notice_by as _notice_by
from ..rules.pay import WorkDay
from .facts import ContractFact, Facts, load_facts


@dataclass(frozen=True)
class FundingRow:
    id: int
    pupil_id: int
    pupil_name: str
    source: str
    funder: str
    reference: str
    amount_per_year: Decimal | None
    weekly_minutes: int | None
    start_date: dt.date
    end_date: dt.date | None
    status: str
    contract_ids: tuple[int, ...]
    latest_contract_end: dt.date | None
    open_ended_contract: bool
    gaps: tuple[Gap, ...] = ()  # the linked contracts that outlive it
    act_by: dt.date | None = None  # when to act if it is not renewed (the alerts' date)

    @property
    def gap(self) -> Gap | None:
        """The longest of the linked contracts' gaps (an open end counts as its year)."""
        return max(self.gaps, key=lambda g: (g.last_day, g.cost), default=None)

    version: int = 0  # the row's version when read: a save sends it back (no lost updates)

    @property
    def gap_days(self) -> int | None:
        """Days the longest-running linked contract outlives it (None: none does)."""
        g = self.gap
        return g.days if g else None

    @property
    def unfunded_cost(self) -> Decimal:
        return sum((g.cost for g in self.gaps), Decimal(0))


@dataclass(frozen=True)
class ContractRow:
    id: int
    staff_id: int
    staff_name: str
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
    notice_by: dt.date | None
    annual_pay: Decimal
    annual_cost: Decimal
    funding_id: int | None
    funding_end: dt.date | None
    funding_pupil_name: str
    days: tuple[WorkDay, ...]
    gap: Gap | None = None  # the contract outlives its funding
    funding_act_by: dt.date | None = None  # notice-by to end it with its funding
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)

    @property
    def outlives_funding_days(self) -> int | None:
        """Days the contract outlives its funding (None: it does not)."""
        return self.gap.days if self.gap else None


def notice_by(end: dt.date | None, notice_weeks: int) -> dt.date | None:
    """The last working day to give notice (no term dates: for an editor's live preview)."""
    return _notice_by(end, notice_weeks)


def _funding_row(facts: Facts, fid: int) -> FundingRow:
    f = facts.funding[fid]
    linked = [facts.contracts[c] for c in facts.contracts_by_funding.get(fid, ())]
    ends = [c.end_date for c in linked if c.end_date is not None]
    chosen = facts.funding_act_by(fid)
    p = facts.pupils.get(f.pupil_id)
    return FundingRow(
        id=f.id,
        pupil_id=f.pupil_id,
        pupil_name=p.name if p else "",
        source=f.source,
        funder=f.funder,
        reference=f.reference,
        amount_per_year=f.amount_per_year,
        weekly_minutes=f.weekly_minutes,
        start_date=f.start_date,
        end_date=f.end_date,
        status=f.status,
        contract_ids=tuple(sorted(c.id for c in linked)),
        latest_contract_end=max(ends) if ends else None,
        open_ended_contract=any(c.end_date is None for c in linked),
        gaps=tuple(c.gap for c in linked if c.gap is not None),
        act_by=chosen[0] if chosen else None,
        version=f.version,
    )


def funding_rows(
    session: Session,
    *,
    pupil_id: int | None = None,
    facts: Facts | None = None,
) -> list[FundingRow]:
    facts = facts or load_facts(session)
    rows = [
        _funding_row(facts, f.id)
        for f in facts.funding.values()
        if pupil_id is None or f.pupil_id == pupil_id
    ]
    rows.sort(key=lambda r: (r.end_date is None, r.end_date or dt.date.max, r.id))
    return rows


def contract_row(facts: Facts, c: ContractFact, days: tuple[WorkDay, ...] = ()) -> ContractRow:
    f = facts.funding_of(c)
    p = facts.pupils.get(f.pupil_id) if f else None
    return ContractRow(
        id=c.id,
        staff_id=c.staff_id,
        staff_name=facts.staff[c.staff_id].name if c.staff_id in facts.staff else "",
        kind=c.kind,
        job_title=c.job_title,
        start_date=c.start_date,
        end_date=c.end_date,
        grade=c.grade,
        pay_point=c.pay_point,
        fte_salary=c.fte_salary,
        weekly_minutes=c.weekly_minutes,
        term_time=c.term_time,
        paid_weeks=c.paid_weeks,
        notice_weeks=c.notice_weeks,
        notice_by=c.notice_by,
        annual_pay=c.annual_pay,
        annual_cost=c.annual_cost,
        funding_id=c.funding_id,
        funding_end=c.funding_end,
        funding_pupil_name=p.name if p else "",
        days=days,
        gap=c.gap,
        funding_act_by=c.funding_act_by,
        version=c.version,
    )


def contract_rows(
    session: Session, *, staff_id: int | None = None, facts: Facts | None = None
) -> list[ContractRow]:
    facts = facts or load_facts(session)
    q = select(
        ContractDay.contract_id,
        ContractDay.weekday,
        ContractDay.start,
        ContractDay.end,
        ContractDay.unpaid_break_minutes,
    ).order_by(ContractDay.contract_id, ContractDay.weekday)
    if staff_id is not None:
        q = q.where(ContractDay.contract_id.in_(facts.contracts_by_staff.get(staff_id, ())))
    pattern: dict[int, list[WorkDay]] = defaultdict(list)
    for cid, wd, start, end, brk in session.execute(q):
        pattern[cid].append(WorkDay(wd, start, end, brk))
    rows = [
        contract_row(facts, c, tuple(pattern.get(c.id, ())))
        for c in facts.contracts.values()
        if staff_id is None or c.staff_id == staff_id
    ]
    rows.sort(key=lambda r: (r.end_date is None, r.end_date or dt.date.max, r.id))
    return rows
