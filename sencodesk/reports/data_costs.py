"""What support costs: per member of staff (contracts, pay, on-costs, hours) and per pupil.

A pupil's cost of support is, for each current assignment other than cover, the assigned
member of staff's employer cost (pay plus on-costs, from their current contracts) pro rata to
hours: ``employer cost x assigned minutes / contracted minutes``. Set against the pupil's
current funding a year (confirmed and pending lines), the difference is the shortfall.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..model import Assignment, Funding, Pupil, Staff
from ..queries.common import current_filter, display_name, sort_name
from ..queries.money import ContractRow, contract_rows
from ..queries.pupils import pupil_year_group
from ..rules.schoolyear import year_group_label
from ..vocab import ASSIGNMENT_ROLE_LABELS, STAFF_ROLE_LABELS, AssignmentRole, FundingStatus

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class StaffCost:
    staff_id: int
    name: str
    sort_name: str
    role: str
    contracts: tuple[ContractRow, ...]
    contracted_minutes: int
    assigned_minutes: int
    annual_pay: Decimal
    employer_cost: Decimal

    @property
    def on_costs(self) -> Decimal:
        return self.employer_cost - self.annual_pay

    @property
    def cost_per_minute(self) -> Decimal | None:
        """Employer cost a year per contracted weekly minute (None without a contract)."""
        return self.employer_cost / self.contracted_minutes if self.contracted_minutes else None


@dataclass(frozen=True)
class SupportLine:
    """One current assignment with its share of the member of staff's cost."""

    assignment_id: int
    staff_id: int
    staff_name: str
    pupil_id: int
    role: str
    role_label: str
    weekly_minutes: int
    sessions: int
    cost: Decimal | None  # None: the member of staff has no current contract


@dataclass(frozen=True)
class PupilCost:
    pupil_id: int
    name: str
    sort_name: str
    upn: str
    year_label: str
    sen_code: str
    primary_need: str
    lines: tuple[SupportLine, ...]
    funding: Decimal

    @property
    def weekly_minutes(self) -> int:
        return sum(x.weekly_minutes for x in self.lines if x.role != AssignmentRole.COVER)

    @property
    def cost(self) -> Decimal:
        return sum((x.cost or Decimal(0) for x in self.lines), Decimal(0))

    @property
    def shortfall(self) -> Decimal:
        """Cost less funding: positive means the school pays the difference."""
        return self.cost - self.funding

    @property
    def uncosted(self) -> bool:
        return any(x.cost is None and x.role != AssignmentRole.COVER for x in self.lines)


@dataclass(frozen=True)
class CostData:
    today: dt.date
    staff: tuple[StaffCost, ...]
    pupils: tuple[PupilCost, ...]


def _money(x: Decimal) -> Decimal:
    return x.quantize(PENNY, rounding=ROUND_HALF_UP)


def load_costs(session: Session, *, today: dt.date) -> CostData:
    contracts: dict[int, list[ContractRow]] = defaultdict(list)
    for c in contract_rows(session):
        if c.start_date <= today and (c.end_date is None or c.end_date >= today):
            contracts[c.staff_id].append(c)
    q = (
        select(
            Assignment.id,
            Assignment.staff_id,
            Assignment.pupil_id,
            Assignment.weekly_minutes,
            Assignment.sessions,
            Assignment.role,
        )
        .where(current_filter(Assignment.start_date, Assignment.end_date, today))
        .order_by(Assignment.pupil_id, Assignment.id)
    )
    assignments = list(session.execute(q))
    assigned: dict[int, int] = defaultdict(int)
    for _, sid, _, mins, _, _ in assignments:
        assigned[sid] += mins
    staff_ids = set(contracts) | set(assigned)
    staff: dict[int, StaffCost] = {}
    for s in session.scalars(select(Staff).where(Staff.id.in_(staff_ids))) if staff_ids else ():
        mine = contracts.get(s.id, [])
        staff[s.id] = StaffCost(
            staff_id=s.id,
            name=display_name(s.first_name, s.last_name),
            sort_name=sort_name(s.first_name, s.last_name),
            role=STAFF_ROLE_LABELS.get(s.role, s.role),
            contracts=tuple(mine),
            contracted_minutes=sum(c.weekly_minutes for c in mine),
            assigned_minutes=assigned.get(s.id, 0),
            annual_pay=sum((c.annual_pay for c in mine), Decimal(0)),
            employer_cost=sum((c.annual_cost for c in mine), Decimal(0)),
        )
    lines: dict[int, list[SupportLine]] = defaultdict(list)
    for aid, sid, pid, mins, sessions, role in assignments:
        sc = staff[sid]
        per = sc.cost_per_minute
        cost = None if per is None else _money(per * mins)
        if role == AssignmentRole.COVER:
            cost = Decimal("0.00")  # cover is paid for by the absent person's contract
        lines[pid].append(
            SupportLine(
                assignment_id=aid,
                staff_id=sid,
                staff_name=sc.name,
                pupil_id=pid,
                role=role,
                role_label=ASSIGNMENT_ROLE_LABELS.get(role, role),
                weekly_minutes=mins,
                sessions=sessions,
                cost=cost,
            )
        )
    funding: dict[int, Decimal] = defaultdict(Decimal)
    fq = select(Funding.pupil_id, Funding.amount_per_year).where(
        current_filter(Funding.start_date, Funding.end_date, today),
        Funding.status != FundingStatus.ENDED,
        Funding.amount_per_year.is_not(None),
    )
    for pid, amount in session.execute(fq):
        funding[pid] += amount or Decimal(0)
    pupil_ids = set(lines) | set(funding)
    pupils = []
    if pupil_ids:
        for p in session.scalars(select(Pupil).where(Pupil.id.in_(pupil_ids))):
            pupils.append(
                PupilCost(
                    pupil_id=p.id,
                    name=display_name(p.legal_first_name, p.legal_last_name, p.preferred_name),
                    sort_name=sort_name(p.legal_first_name, p.legal_last_name, p.preferred_name),
                    upn=p.upn or "",
                    year_label=year_group_label(pupil_year_group(p, today)),
                    sen_code=p.sen_code,
                    primary_need=p.primary_need or "",
                    lines=tuple(lines.get(p.id, ())),
                    funding=funding.get(p.id, Decimal("0.00")),
                )
            )
    return CostData(
        today=today,
        staff=tuple(sorted(staff.values(), key=lambda s: (s.sort_name.lower(), s.staff_id))),
        pupils=tuple(sorted(pupils, key=lambda p: (p.sort_name.lower(), p.pupil_id))),
    )
