"""Funding lines and contracts, with pay, cost, notice dates and the gaps between them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import Contract, Funding, Pupil
from ..rules.pay import WorkDay, annual_pay, employer_cost
from ..rules.schoolyear import previous_working_day
from .common import display_name
from .school import SchoolRow, get_school

# Only a pupil's name: a business manager's login may read no more of a pupil on a server.
PUPIL_NAME = (Pupil.legal_first_name, Pupil.legal_last_name, Pupil.preferred_name)


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
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)

    @property
    def gap_days(self) -> int | None:
        """Days a linked contract runs past this funding (positive = unfunded), or None."""
        if self.end_date is None:
            return None
        if self.open_ended_contract:
            return 10**6
        if self.latest_contract_end is None:
            return None
        return (self.latest_contract_end - self.end_date).days


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
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)

    @property
    def outlives_funding_days(self) -> int | None:
        """Days the contract runs past its linked funding's end (None if not linked/no end)."""
        if self.funding_id is None or self.funding_end is None:
            return None
        if self.end_date is None:
            return 10**6
        return (self.end_date - self.funding_end).days


def notice_by(end: dt.date | None, notice_weeks: int) -> dt.date | None:
    """The last working day on which notice can be given for a contract ending on ``end``."""
    if end is None:
        return None
    return previous_working_day(end - dt.timedelta(weeks=notice_weeks))


def contract_pay(c: Contract, school: SchoolRow) -> tuple[Decimal, Decimal]:
    pay = annual_pay(
        c.fte_salary,
        c.weekly_minutes,
        term_time=c.term_time,
        paid_weeks=c.paid_weeks,
        full_time_hours=school.full_time_hours,
        weeks_per_year=school.weeks_per_year,
    )
    return pay, employer_cost(pay, school.on_cost_percent)


def funding_rows(
    session: Session, *, pupil_id: int | None = None, today: dt.date | None = None
) -> list[FundingRow]:
    q = (
        select(Funding)
        .options(
            selectinload(Funding.pupil).load_only(*PUPIL_NAME), selectinload(Funding.contracts)
        )
        .order_by(Funding.end_date.is_(None), Funding.end_date, Funding.id)
    )
    if pupil_id is not None:
        q = q.where(Funding.pupil_id == pupil_id)
    rows = []
    for f in session.scalars(q):
        ends = [c.end_date for c in f.contracts if c.end_date is not None]
        rows.append(
            FundingRow(
                id=f.id,
                pupil_id=f.pupil_id,
                pupil_name=display_name(
                    f.pupil.legal_first_name, f.pupil.legal_last_name, f.pupil.preferred_name
                ),
                source=f.source,
                funder=f.funder,
                reference=f.reference,
                amount_per_year=f.amount_per_year,
                weekly_minutes=f.weekly_minutes,
                start_date=f.start_date,
                end_date=f.end_date,
                status=f.status,
                contract_ids=tuple(sorted(c.id for c in f.contracts)),
                latest_contract_end=max(ends) if ends else None,
                open_ended_contract=any(c.end_date is None for c in f.contracts),
                version=f.version,
            )
        )
    return rows


def list_funding(session: Session, *, today: dt.date | None = None) -> list[FundingRow]:
    return funding_rows(session, today=today)


def contract_rows(session: Session, *, staff_id: int | None = None) -> list[ContractRow]:
    school = get_school(session)
    q = (
        select(Contract)
        .options(
            selectinload(Contract.staff),
            selectinload(Contract.days),
            selectinload(Contract.funding).selectinload(Funding.pupil).load_only(*PUPIL_NAME),
        )
        .order_by(Contract.end_date.is_(None), Contract.end_date, Contract.id)
    )
    if staff_id is not None:
        q = q.where(Contract.staff_id == staff_id)
    rows = []
    for c in session.scalars(q):
        pay, cost = contract_pay(c, school)
        f = c.funding
        rows.append(
            ContractRow(
                id=c.id,
                staff_id=c.staff_id,
                staff_name=display_name(c.staff.first_name, c.staff.last_name),
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
                notice_by=notice_by(c.end_date, c.notice_weeks),
                annual_pay=pay,
                annual_cost=cost,
                funding_id=c.funding_id,
                funding_end=f.end_date if f else None,
                funding_pupil_name=(
                    display_name(
                        f.pupil.legal_first_name, f.pupil.legal_last_name, f.pupil.preferred_name
                    )
                    if f
                    else ""
                ),
                days=tuple(
                    WorkDay(d.weekday, d.start, d.end, d.unpaid_break_minutes) for d in c.days
                ),
                version=c.version,
            )
        )
    return rows


def list_contracts(session: Session) -> list[ContractRow]:
    return contract_rows(session)
