"""Making the facts from plain rows (``facts_from_rows``), whoever read those:
``queries.facts.load_facts`` through SQLAlchemy, or ``glance`` with the standard library's sqlite3
while the app starts. No SQLAlchemy here (#17). The rows themselves are in ``factrows``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import BadData
from ..rules.coverage import Slot, funding_gap, notice_by
from ..rules.names import names
from ..rules.pay import annual_pay, employer_cost
from ..rules.reviews import ReviewOffsets
from ..rules.schooldays import SchoolDays
from ..rules.settings import SchoolRow
from .factrows import (
    ContractFact,
    DbsFact,
    Facts,
    FundingFact,
    MeetingFact,
    PupilFact,
    StaffFact,
    TrainingFact,
)


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


def _contract(
    school: SchoolRow,
    days: SchoolDays,
    r: Sequence[Any],
    f: FundingFact | None,
    costs: dict[tuple[Any, ...], tuple[Decimal, Decimal]] | None = None,
) -> ContractFact:
    """``r``: the values of ``COLUMNS["contract"]`` in that order. ``costs``: pay and cost
    already worked out under these settings, by (salary, minutes, term time, paid weeks)."""
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
    terms = (salary, minutes, term_time, paid_weeks)
    known = costs.get(terms) if costs is not None else None
    if known is None:
        try:
            known = contract_costs(school, salary, minutes, term_time, paid_weeks)
        except (ValueError, TypeError, ArithmeticError) as exc:  # a row the rules refuse
            raise BadData("contract", cid, str(exc).rstrip(".").lower()) from None
        if costs is not None:
            costs[terms] = known
    pay, cost = known
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


Rows = Iterable[Sequence[Any]]


@dataclass(frozen=True)
class FactRows:
    """What the facts are made from: the school's settings and, for each table, its rows as
    plain sequences of the values of that table's ``COLUMNS``, in that order
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
    left_out: frozenset[str] = frozenset()  # tables not read (their rows above are empty)


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
            *names(first, last),
            role,
            first,
            last,
            start,
            leaving,
        )
    contracts = {}
    # Pay and cost worked out once for each set of terms: a school's LSAs share a few grades,
    # hours and paid weeks (a pure function of these and the school's settings).
    costs: dict[tuple[Any, ...], tuple[Decimal, Decimal]] = {}
    for r in rows.contracts:
        fid = r[13]  # funding_id
        contracts[r[0]] = _contract(school, days, r, funding.get(fid) if fid else None, costs)

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
        left_out=rows.left_out,
    )


def _by_id(p: PupilFact) -> int:
    return p.id


def _pupil(r: Sequence[Any]) -> PupilFact:
    """``r``: the values of ``COLUMNS["pupil"]`` in that order."""
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
        *names(first, last, preferred),
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
