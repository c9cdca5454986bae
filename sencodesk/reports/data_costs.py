"""What support costs: per member of staff (contracts, pay, on-costs, hours) and per pupil.

A member of staff's employer cost (pay plus on-costs, from their current contracts) is shared
over their current assignments other than cover pro rata to hours (``rules.coverage.
attribute_cost``): each gets ``employer cost x assigned minutes / the larger of contracted
and assigned minutes``. So the cost attributed from one person never exceeds what they cost:
hours assigned beyond their contract are over-assignment, shown as such, not extra money.
Set against the pupil's current funding a year (confirmed and pending lines), the difference
is the shortfall. EHCP pupils whose hours are not all staffed are listed, staff or not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from ..frozen import fast_init, once_property
from ..frozen_slots import fast_slots
from ..queries.facts import NOT_MONEY, ContractFact, Facts, load_facts
from ..rules.coverage import attribute_cost, is_current, staffed_minutes
from ..rules.schoolyear import year_group_label
from ..vocab import (
    ASSIGNMENT_ROLE_LABELS,
    STAFF_ROLE_LABELS,
    AssignmentRole,
    FundingStatus,
    SenCode,
)


@fast_slots
@dataclass(frozen=True, slots=True)
class StaffCost:
    staff_id: int
    name: str
    sort_name: str
    role: str
    contracts: tuple[ContractFact, ...]
    contracted_minutes: int
    assigned_minutes: int
    annual_pay: Decimal
    employer_cost: Decimal
    attributed: Decimal = Decimal(0)  # shared out to pupils (never more than the cost)

    @property
    def over_assigned_minutes(self) -> int:
        return max(0, self.assigned_minutes - self.contracted_minutes)

    @property
    def on_costs(self) -> Decimal:
        return self.employer_cost - self.annual_pay

    @property
    def cost_per_minute(self) -> Decimal | None:
        """Employer cost a year per contracted weekly minute (None without a contract)."""
        return self.employer_cost / self.contracted_minutes if self.contracted_minutes else None


@fast_slots
@dataclass(frozen=True, slots=True)
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


@fast_init
@dataclass(frozen=True)
class PupilCost:
    # The sums over its lines are worked out once (the report, its sort and its totals read
    # each several times: a fifth of the report at a trust, #17); fields never change.
    pupil_id: int
    name: str
    sort_name: str
    upn: str
    year_label: str
    sen_code: str
    primary_need: str
    lines: tuple[SupportLine, ...]
    funding: Decimal
    ehcp_minutes: int = 0  # weekly hours the EHCP specifies (0: no EHCP in force)
    staffed_minutes: int = 0  # distinct weekly minutes staffed (rules.coverage)
    funded_lines: int = 0  # current funding lines with an amount

    @property
    def unstaffed_minutes(self) -> int:
        return max(0, self.ehcp_minutes - self.staffed_minutes)

    @once_property
    def weekly_minutes(self) -> int:
        return sum(x.weekly_minutes for x in self.lines if x.role != AssignmentRole.COVER)

    @once_property
    def cost(self) -> Decimal:
        return sum((x.cost or Decimal(0) for x in self.lines), Decimal(0))

    @once_property
    def shortfall(self) -> Decimal:
        """Cost less funding: positive means the school pays the difference."""
        return self.cost - self.funding

    @once_property
    def uncosted(self) -> bool:
        return any(x.cost is None and x.role != AssignmentRole.COVER for x in self.lines)


@dataclass(frozen=True)
class CostData:
    today: dt.date
    staff: tuple[StaffCost, ...]
    pupils: tuple[PupilCost, ...]


def load_costs(session: Session, *, today: dt.date) -> CostData:
    return costs_from_facts(load_facts(session, without=NOT_MONEY), today=today)


def costs_from_facts(facts: Facts, *, today: dt.date) -> CostData:
    """What support costs, from the facts (of money and hours: ``NOT_MONEY`` left out)."""
    contracts: dict[int, list[ContractFact]] = defaultdict(list)
    for c in facts.contracts.values():
        if is_current(c.start_date, c.end_date, today):
            contracts[c.staff_id].append(c)
    current = [s for s in facts.slots if is_current(s.start, s.end, today)]
    assigned: dict[int, int] = defaultdict(int)
    # Each person's current non-cover assignments, in order: looked up, not searched for
    # (a search per person was quadratic: 19 of 27 s at 200,000 pupils, #17).
    theirs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for x in current:
        assigned[x.staff_id] += x.minutes
        if x.role != AssignmentRole.COVER:
            theirs[x.staff_id].append((x.id, x.minutes))
    shares: dict[int, Decimal] = {}
    staff: dict[int, StaffCost] = {}
    for sid in sorted(set(contracts) | set(assigned)):
        s = facts.staff.get(sid)
        if s is None:
            continue
        mine = contracts.get(sid, [])
        cost = sum((c.annual_cost for c in mine), Decimal(0))
        contracted = sum(c.weekly_minutes for c in mine)
        att = attribute_cost(cost, contracted, theirs.get(sid, []))
        if mine:
            shares.update(att.shares)
        staff[sid] = StaffCost(
            staff_id=sid,
            name=s.name,
            sort_name=s.sort_name,
            role=STAFF_ROLE_LABELS.get(s.role, s.role),
            contracts=tuple(
                sorted(mine, key=lambda c: (c.end_date is None, c.end_date or dt.date.max, c.id))
            ),
            contracted_minutes=contracted,
            assigned_minutes=assigned.get(sid, 0),
            annual_pay=sum((c.annual_pay for c in mine), Decimal(0)),
            employer_cost=cost,
            attributed=sum(att.shares.values(), Decimal(0)) if mine else Decimal(0),
        )
    lines: dict[int, list[SupportLine]] = defaultdict(list)
    for x in sorted(current, key=lambda x: (x.pupil_id, x.id)):
        sc = staff.get(x.staff_id)
        if sc is None:
            continue
        line_cost: Decimal | None = shares.get(x.id) if sc.contracts else None
        if x.role == AssignmentRole.COVER:
            line_cost = Decimal("0.00")  # cover is paid for by the absent person's contract
        lines[x.pupil_id].append(
            SupportLine(
                assignment_id=x.id,
                staff_id=x.staff_id,
                staff_name=sc.name,
                pupil_id=x.pupil_id,
                role=x.role,
                role_label=ASSIGNMENT_ROLE_LABELS.get(x.role, x.role),
                weekly_minutes=x.minutes,
                sessions=x.sessions,
                cost=line_cost,
            )
        )
    funding: dict[int, Decimal] = defaultdict(Decimal)
    funded: dict[int, int] = defaultdict(int)
    for f in facts.funding.values():
        if (
            is_current(f.start_date, f.end_date, today)
            and f.status != FundingStatus.ENDED
            and f.amount_per_year is not None
        ):
            funding[f.pupil_id] += f.amount_per_year
            funded[f.pupil_id] += 1
    ehcp = {
        p.id: p.ehcp_weekly_minutes or 0
        for p in facts.pupils.values()
        if p.sen_code == SenCode.EHCP
        and not p.archived
        and (p.ehcp_issued is None or p.ehcp_issued <= today)
        and (p.ehcp_weekly_minutes or 0) > 0
    }
    pupils = []
    for pid in set(lines) | set(funding) | set(ehcp):
        p = facts.pupils.get(pid)
        if p is None:
            continue
        pupils.append(
            PupilCost(
                pupil_id=p.id,
                name=p.name,
                sort_name=p.sort_name,
                upn=p.upn,
                year_label=year_group_label(p.year_group_on(today)),
                sen_code=p.sen_code,
                primary_need=p.primary_need,
                lines=tuple(lines.get(p.id, ())),
                funding=funding.get(p.id, Decimal("0.00")),
                ehcp_minutes=ehcp.get(p.id, 0),
                staffed_minutes=staffed_minutes(facts.slots_by_pupil.get(p.id, ()), today),
                funded_lines=funded.get(p.id, 0),
            )
        )
    return CostData(
        today=today,
        staff=tuple(sorted(staff.values(), key=lambda s: (s.sort_name.lower(), s.staff_id))),
        pupils=tuple(sorted(pupils, key=lambda p: (p.sort_name.lower(), p.pupil_id))),
    )
