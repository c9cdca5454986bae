"""Staff deployment and cost, and the provision map: two views of the same cost data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy.orm import Session

from ..exchange.tabular import (
    DATE,
    FLAG,
    HOURS,
    INT,
    MONEY,
    TEXT,
    Column,
    Flagged,
    Report,
    TableData,
)
from ..queries.school import get_school
from ..rules.dates import format_date
from ..rules.pay import format_hours, format_money
from ..vocab import CONTRACT_KIND_LABELS, NEED_LABELS, AssignmentRole, format_sessions
from .data_costs import CostData, load_costs

STAFF_COLUMNS = (
    Column("Staff", TEXT, 1.4),
    Column("Role", TEXT, 1),
    Column("Contracts", TEXT, 2.6),
    Column("Contract ends", DATE, 0.9),
    Column("Contracted a week", HOURS, 0.9),
    Column("Assigned a week", HOURS, 0.9),
    Column("Unassigned a week", HOURS, 0.9),
    Column("Pay a year", MONEY, 1),
    Column("On-costs a year", MONEY, 1),
    Column("Employer cost a year", MONEY, 1),
    Column("Check", FLAG, 1.0),
)
PUPIL_COLUMNS = (
    Column("Pupil", TEXT, 1.4),
    Column("UPN", TEXT, 1.1),
    Column("Year", TEXT, 0.7),
    Column("SEN", TEXT, 0.4),
    Column("Support", TEXT, 2.2),
    Column("Hours a week", HOURS, 0.8),
    Column("Cost a year", MONEY, 1),
    Column("Funding a year", MONEY, 1),
    Column("Shortfall", MONEY, 1),
    Column("Check", FLAG, 1.1),
)


def _contract_text(data: CostData, staff_index: int) -> str:
    s = data.staff[staff_index]
    parts = []
    for c in s.contracts:
        kind = CONTRACT_KIND_LABELS[c.kind]
        pay = " ".join(x for x in (c.grade, c.pay_point) if x)
        basis = "term-time" if c.term_time else "all year"
        parts.append(
            f"{kind}, {format_hours(c.weekly_minutes)}, {basis}"
            + (f", {pay}" if pay else "")
            + f", FTE {format_money(c.fte_salary)}"
        )
    return "; ".join(parts) or "No current contract"


def staff_rows(data: CostData) -> list[list[object]]:
    rows: list[list[object]] = []
    for i, s in enumerate(data.staff):
        ends = [c.end_date for c in s.contracts if c.end_date is not None]
        open_ended = any(c.end_date is None for c in s.contracts)
        spare = s.contracted_minutes - s.assigned_minutes
        if not s.contracts:
            check = "No current contract"
        elif spare < 0:
            check = (
                f"Over-assigned by {format_hours(-spare)}: its cost is shared over "
                f"{format_hours(s.assigned_minutes)}, never more than the contract's"
            )
        else:
            check = ""
        rows.append(
            [
                s.name,
                s.role,
                _contract_text(data, i),
                None if open_ended or not ends else max(ends),
                s.contracted_minutes,
                s.assigned_minutes,
                spare,
                s.annual_pay,
                s.on_costs,
                s.employer_cost,
                check,
            ]
        )
    return rows


def pupil_rows(data: CostData) -> list[list[object]]:
    rows: list[list[object]] = []
    for p in data.pupils:
        support = (
            "; ".join(
                f"{x.staff_name} ({x.role_label}, {format_hours(x.weekly_minutes)})"
                for x in p.lines
            )
            or "None assigned"
        )
        checks = []
        if p.unstaffed_minutes:
            checks.append(f"EHCP hours unstaffed: {format_hours(p.unstaffed_minutes)} a week")
        if p.uncosted:
            checks.append("Staff without a contract: cost incomplete")
        if p.funded_lines and p.shortfall > 0:
            checks.append("Shortfall")  # top-up funding that does not cover the support
        check = "; ".join(checks)
        rows.append(
            [
                p.name,
                p.upn,
                p.year_label,
                p.sen_code,
                support,
                p.weekly_minutes,
                p.cost,
                p.funding,
                p.shortfall,
                check,
            ]
        )
    return rows


def costs_report(session: Session, *, today: dt.date) -> Report:
    school = get_school(session)
    data = load_costs(session, today=today)
    cost = sum((s.employer_cost for s in data.staff), Decimal(0))
    support = sum((p.cost for p in data.pupils), Decimal(0))
    funding = sum((p.funding for p in data.pupils), Decimal(0))
    gap = sum((p.shortfall for p in data.pupils if p.funded_lines and p.shortfall > 0), Decimal(0))
    over = [s for s in data.staff if s.over_assigned_minutes]
    return Report(
        title="Staff deployment and cost",
        school=school.name,
        today=today,
        landscape=True,
        subtitle=(
            f"Current contracts and assignments on {format_date(today)}. Employer cost "
            f"includes on-costs at {school.on_cost_percent}%.",
            f"Staff employer cost {format_money(cost)} a year; support to pupils "
            f"{format_money(support)}; their funding {format_money(funding)}; "
            f"shortfall where cost exceeds funding {format_money(gap)}.",
            *(
                (
                    f"{len(over)} member{'s' if len(over) != 1 else ''} of staff assigned "
                    "more hours than contracted: their cost is shared over the hours "
                    "assigned, never more than they cost.",
                )
                if over
                else ()
            ),
        ),
        tables=(
            TableData("Staff: contracts, pay and hours", STAFF_COLUMNS, staff_rows(data)),
            TableData(
                "Pupils: cost of support against funding",
                PUPIL_COLUMNS,
                pupil_rows(data),
                notes=(
                    "A pupil's cost is each assigned member of staff's employer cost "
                    "shared pro rata to the hours assigned (over the larger of their "
                    "contracted and assigned hours, so no more than they cost); cover "
                    "costs nothing extra. Shortfall = cost - funding (negative: funding "
                    "exceeds cost); flagged only where there is funding to fall short. "
                    "EHCP hours unstaffed: the EHCP's weekly hours less the distinct "
                    "hours staffed.",
                ),
            ),
        ),
    )


PROVISION_COLUMNS = (
    Column("Provision", TEXT, 1.0),
    Column("Staff", TEXT, 1.3),
    Column("Pupil", TEXT, 1.4),
    Column("UPN", TEXT, 1.1),
    Column("Year", TEXT, 0.7),
    Column("Primary need", TEXT, 1.6),
    Column("Sessions", TEXT, 1.4),
    Column("Hours a week", HOURS, 0.8),
    Column("Cost a year", MONEY, 0.9),
    Column("Check", FLAG, 1.1),
)
SUMMARY_COLUMNS = (
    Column("Provision", TEXT, 2),
    Column("Pupils", INT, 0.7),
    Column("Staff", INT, 0.7),
    Column("Hours a week", HOURS, 1),
    Column("Cost a year", MONEY, 1),
)
PROVISION_NAMES = {
    AssignmentRole.ONE_TO_ONE: "1:1 support",
    AssignmentRole.SHARED: "Shared support",
    AssignmentRole.COVER: "Cover",
}


def provision_map_report(session: Session, *, today: dt.date) -> Report:
    school = get_school(session)
    data = load_costs(session, today=today)
    rows: list[list[object]] = []
    totals: dict[str, list[object]] = {}
    pupils_by: dict[str, set[int]] = defaultdict(set)
    staff_by: dict[str, set[int]] = defaultdict(set)
    lines = [
        (PROVISION_NAMES.get(x.role, x.role_label), x, p)  # type: ignore[call-overload]
        for p in data.pupils
        for x in p.lines
    ]
    order = list(PROVISION_NAMES.values())
    lines.sort(
        key=lambda t: (
            order.index(t[0]) if t[0] in order else 99,
            t[1].staff_name.lower(),
            t[2].sort_name.lower(),
        )
    )
    for name, x, p in lines:
        need = NEED_LABELS.get(p.primary_need, p.primary_need)
        cost: object = x.cost if x.cost is not None else Flagged("No contract")
        rows.append(
            [
                name,
                x.staff_name,
                p.name,
                p.upn,
                p.year_label,
                need,
                format_sessions(x.sessions),
                x.weekly_minutes,
                cost,
                "",
            ]
        )
        t = totals.setdefault(name, [name, 0, 0, 0, Decimal(0)])
        pupils_by[name].add(p.pupil_id)
        staff_by[name].add(x.staff_id)
        t[3] = int(t[3]) + x.weekly_minutes  # type: ignore[call-overload]
        t[4] = Decimal(t[4]) + (x.cost or 0)  # type: ignore[arg-type]
    for p in data.pupils:  # an EHCP's hours nobody staffs are provision too: missing
        if p.unstaffed_minutes:
            rows.append(
                [
                    "Unstaffed EHCP hours",
                    "",
                    p.name,
                    p.upn,
                    p.year_label,
                    NEED_LABELS.get(p.primary_need, p.primary_need),
                    "",
                    p.unstaffed_minutes,
                    None,
                    Flagged(f"EHCP hours unstaffed: {format_hours(p.unstaffed_minutes)} a week"),
                ]
            )
    summary = []
    for name, t in totals.items():
        t[1], t[2] = len(pupils_by[name]), len(staff_by[name])
        summary.append(t)
    return Report(
        title="Provision map",
        school=school.name,
        today=today,
        landscape=True,
        subtitle=(f"Support current on {format_date(today)}, by provision.",),
        tables=(
            TableData("Summary by provision", SUMMARY_COLUMNS, summary),
            TableData("Pupils by provision", PROVISION_COLUMNS, rows),
        ),
    )
