"""Funding, contracts and hours: the one home of the facts derived from them.

Every page, alert, report, pack and calendar asks these functions; none works them out on its
own (``tests/core/test_one_truth.py`` scans for that).

**The open-ended policy.** Funding with no end date pays for any contract linked to it: no
contract outlives it. A contract with no end date, linked to funding that ends, outlives it
by :data:`OPEN_ENDED_COSTED_DAYS` (a year): its unfunded cost is a year's pay and on-costs
from the first unfunded day, and it is described as "has no end date", never as a number of
days it runs longer.

**Unfunded cost** is the contract's employer cost a year (pay plus on-costs) x unfunded days
÷ 365, to the penny (:func:`sencodesk.rules.pay.cost_for_period`), and always says so:
"pay and on-costs, 153 of 365 days".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from ..frozen_slots import fast_slots
from .dates import format_date
from .pay import DAYS_PER_YEAR, cost_for_period, format_money
from .schooldays import NO_TERMS, SchoolDays

ONE_DAY = dt.timedelta(days=1)
OPEN_ENDED_COSTED_DAYS = 365
PENNY = Decimal("0.01")


# --------------------------------------------------------------------------- current


def is_current(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """The range ``start``..``end`` (inclusive; None = open) includes ``on``."""
    return (start is None or start <= on) and (end is None or end >= on)


def overlaps(
    start: dt.date | None, end: dt.date | None, lo: dt.date | None, hi: dt.date | None
) -> bool:
    """Two inclusive date ranges (None = open at that side) share at least one day."""
    return (start is None or hi is None or start <= hi) and (end is None or lo is None or end >= lo)


def not_ended(end: dt.date | None, on: dt.date) -> bool:
    """Still running on ``on`` or later (an open end never ends)."""
    return end is None or end >= on


# --------------------------------------------------------------------------- notice


def notice_by(
    end: dt.date | None, notice_weeks: int, days: SchoolDays = NO_TERMS
) -> dt.date | None:
    """The last school day on which notice can be given for a contract ending on ``end``."""
    if end is None:
        return None
    return days.act_by(end - dt.timedelta(weeks=notice_weeks))


# --------------------------------------------------------------------------- the gap


@fast_slots
@dataclass(frozen=True, slots=True)
class Gap:
    """A contract outliving the funding linked to it."""

    funding_end: dt.date
    contract_end: dt.date | None  # None: the contract has no end date
    first_day: dt.date  # the first unfunded day
    last_day: dt.date  # the last unfunded day costed (a year on, for an open end)
    annual_cost: Decimal  # the contract's pay and on-costs a year
    cost: Decimal  # the unfunded cost

    @property
    def open_ended(self) -> bool:
        return self.contract_end is None

    @property
    def days(self) -> int:
        """Unfunded days costed (365 for a contract with no end date)."""
        return (self.last_day - self.first_day).days + 1

    @property
    def method(self) -> str:
        """What the £ figure is: "pay and on-costs, 153 of 365 days"."""
        if self.open_ended:
            return "pay and on-costs for a year, as the contract has no end date"
        return f"pay and on-costs, {self.days} of {DAYS_PER_YEAR} days"

    @property
    def how_long(self) -> str:
        """ "runs 153 days longer" or "has no end date"."""
        if self.open_ended:
            return "has no end date"
        return f"runs {self.days} {'day' if self.days == 1 else 'days'} longer"

    @property
    def short(self) -> str:
        """For a narrow column: "153 days, £6,525.18 unfunded"."""
        if self.open_ended:
            return f"no end date, {format_money(self.cost)} a year unfunded"
        return (
            f"{self.days} {'day' if self.days == 1 else 'days'}, {format_money(self.cost)} unfunded"
        )

    @property
    def cost_text(self) -> str:
        """ "unfunded cost £6,525.18 (pay and on-costs, 153 of 365 days)"."""
        return f"unfunded cost {format_money(self.cost)} ({self.method})"

    def sentence(self) -> str:
        """The headline, with dates, days and £."""
        ends = (
            "has no end date"
            if self.open_ended
            else f"ends {format_date(self.contract_end)}, {self.days} "
            f"{'day' if self.days == 1 else 'days'} later"
        )
        return (
            f"Funding ends {format_date(self.funding_end)}; the contract {ends}: {self.cost_text}"
        )

    def still_matters(self, on: dt.date) -> bool:
        """Some unfunded day is on or after ``on`` (a gap wholly in the past is history; a
        contract with no end date stays unfunded while it runs)."""
        return self.open_ended or self.last_day >= on


def funding_gap(
    funding_end: dt.date | None,
    contract_start: dt.date,
    contract_end: dt.date | None,
    annual_cost: Decimal,
) -> Gap | None:
    """The stretch a contract runs past its funding, and what it costs; None if it does not.

    Funding with no end date pays for any contract (no gap). See the module's open-ended
    policy for a contract with no end date.
    """
    if funding_end is None:
        return None
    if contract_end is not None and contract_end <= funding_end:
        return None
    first = max(funding_end + ONE_DAY, contract_start)
    last = (
        contract_end
        if contract_end is not None
        else funding_end + dt.timedelta(days=OPEN_ENDED_COSTED_DAYS)
    )
    if last < first:
        return None
    return Gap(
        funding_end, contract_end, first, last, annual_cost, unfunded_cost(annual_cost, first, last)
    )


def unfunded_cost(annual_cost: Decimal, first: dt.date, last: dt.date) -> Decimal:
    """Pay and on-costs a year x days ÷ 365 for the inclusive days ``first``..``last``."""
    return cost_for_period(annual_cost, first, last)


# --------------------------------------------------------------------------- sessions


@fast_slots
@dataclass(frozen=True, slots=True)
class Slot:
    """An assignment as the coverage rules need it."""

    id: int
    staff_id: int
    pupil_id: int
    minutes: int
    sessions: int  # 10-bit mask, Mon AM = bit 0
    role: str
    start: dt.date
    end: dt.date | None


COVER = "cover"
SHARED = "shared"


def clashes(a: Slot, b: Slot) -> bool:
    """Two assignments put the same person in the same half-day session on some day they
    both run. Two shared assignments to different pupils are one group, not a clash."""
    if a.id == b.id or a.staff_id != b.staff_id:
        return False
    if not (a.sessions & b.sessions) or not overlaps(a.start, a.end, b.start, b.end):
        return False
    if a.pupil_id == b.pupil_id:
        return True
    return not (a.role == SHARED and b.role == SHARED)


def same_place_twice(new: Slot, existing: Iterable[Slot]) -> Slot | None:
    """An existing assignment of the same person to the same pupil that shares a session
    with ``new`` on some day both run (the command refuses it: counted once, it is one)."""
    for s in existing:
        if s.id != new.id and s.pupil_id == new.pupil_id and clashes(new, s):
            return s
    return None


def session_clashes(slots: Sequence[Slot]) -> list[tuple[Slot, Slot]]:
    """Every pair of clashing assignments (by staff, so linear in the common case)."""
    by_staff: dict[int, list[Slot]] = defaultdict(list)
    for s in slots:
        if s.role != COVER and s.sessions:
            by_staff[s.staff_id].append(s)
    out = []
    for mine in by_staff.values():
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                if clashes(a, b):
                    out.append((a, b))
    return out


def staffed_minutes(slots: Iterable[Slot], on: dt.date) -> int:
    """Distinct weekly minutes staffed for one pupil on ``on``: cover excluded, and the same
    person's assignments to the pupil that share a session counted once (the larger)."""
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)  # staff -> [(mask, minutes)]
    for s in slots:
        if s.role == COVER or not is_current(s.start, s.end, on):
            continue
        merged_mask, merged_min = s.sessions, s.minutes
        keep = []
        for mask, mins in groups[s.staff_id]:
            if mask & merged_mask:
                merged_mask |= mask
                merged_min = max(merged_min, mins)
            else:
                keep.append((mask, mins))
        keep.append((merged_mask, merged_min))
        groups[s.staff_id] = keep
    return sum(m for g in groups.values() for _, m in g)


def unstaffed_stretches(
    ehcp_minutes: int,
    slots: Sequence[Slot],
    lo: dt.date,
    hi: dt.date,
    last_day: dict[int, dt.date | None] | None = None,
) -> list[tuple[dt.date, dt.date, int]]:
    """Stretches of ``lo``..``hi`` where the EHCP's weekly minutes are not all staffed, with
    the minutes short. ``last_day`` (staff id -> last day of their contracts, None = open)
    ends an assignment when its person's contracts end."""
    last_day = last_day or {}

    def clipped(s: Slot) -> Slot:
        if s.staff_id not in last_day:
            return s
        cap = last_day[s.staff_id]
        end = s.end if cap is None else min(cap, s.end or cap)
        return Slot(s.id, s.staff_id, s.pupil_id, s.minutes, s.sessions, s.role, s.start, end)

    spans = [clipped(s) for s in slots if s.role != COVER]
    cuts = {lo, hi + ONE_DAY}
    for s in spans:
        if lo <= s.start <= hi:
            cuts.add(s.start)
        if s.end is not None and lo <= s.end + ONE_DAY <= hi:
            cuts.add(s.end + ONE_DAY)
    points = sorted(cuts)
    out: list[tuple[dt.date, dt.date, int]] = []
    for a, b in zip(points, points[1:], strict=False):
        short = ehcp_minutes - staffed_minutes(spans, a)
        if short > 0:
            end = b - ONE_DAY
            if out and out[-1][1] + ONE_DAY == a and out[-1][2] == short:
                out[-1] = (out[-1][0], end, short)
            else:
                out.append((a, end, short))
    return out


# --------------------------------------------------------------------------- attribution


@dataclass(frozen=True)
class Attribution:
    """A member of staff's employer cost shared over their assignments."""

    annual_cost: Decimal
    contracted_minutes: int
    assigned_minutes: int
    shares: dict[int, Decimal]  # assignment id -> cost attributed

    @property
    def over_assigned_minutes(self) -> int:
        return max(0, self.assigned_minutes - self.contracted_minutes)

    @property
    def unattributed(self) -> Decimal:
        """Cost not attributed to any pupil (unassigned hours)."""
        return self.annual_cost - sum(self.shares.values(), Decimal(0))


def attribute_cost(
    annual_cost: Decimal, contracted_minutes: int, assigned: Sequence[tuple[int, int]]
) -> Attribution:
    """Share ``annual_cost`` over assignments ``(id, weekly minutes)`` pro rata to hours.

    Each gets cost x minutes ÷ the larger of contracted and assigned minutes, so the shares
    never add up to more than the cost: hours assigned beyond the contract are
    over-assignment, not extra money. Pence are shared by largest remainder, so the shares
    add up to exactly the pro-rata total (rounded down).
    """
    total_min = sum(m for _, m in assigned)
    base = max(contracted_minutes, total_min)
    if base <= 0 or not assigned:
        return Attribution(
            annual_cost, contracted_minutes, total_min, {i: Decimal("0.00") for i, _ in assigned}
        )
    cost = Decimal(annual_cost)
    target = (cost * total_min / base).quantize(PENNY, rounding=ROUND_DOWN)
    exact = [(i, cost * m / base) for i, m in assigned]
    floors = {i: x.quantize(PENNY, rounding=ROUND_DOWN) for i, x in exact}
    left = int((target - sum(floors.values(), Decimal(0))) / PENNY)
    for i, _x in sorted(exact, key=lambda t: (-(t[1] - floors[t[0]]), t[0]))[: max(0, left)]:
        floors[i] += PENNY
    return Attribution(cost, contracted_minutes, total_min, floors)
