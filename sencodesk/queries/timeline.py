"""The dashboard's 12-month picture: a lane per supported pupil with their funding, the
contracts of the LSAs who support them, their review dates, and the red stretches where a
contract outlives its funding or EHCP hours go unstaffed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ..model import Contract, Funding, Pupil, ReviewMeeting
from ..rules.pay import format_hours
from ..rules.reviews import next_review_due
from ..vocab import FUNDING_SOURCE_LABELS, AssignmentRole, SenCode
from .common import display_name

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Bar:
    kind: str  # "funding" or "contract"
    start: dt.date
    end: dt.date | None  # None: no end date
    label: str
    target: str  # what clicking opens: "pupil" or "staff"
    target_id: int


@dataclass(frozen=True)
class RedStretch:
    start: dt.date
    end: dt.date
    reason: str
    target: str
    target_id: int


@dataclass(frozen=True)
class Lane:
    pupil_id: int
    pupil_name: str
    funding: tuple[Bar, ...]
    contracts: tuple[Bar, ...]
    reviews: tuple[dt.date, ...]
    red: tuple[RedStretch, ...]


def _overlaps(start: dt.date, end: dt.date | None, a: dt.date, b: dt.date) -> bool:
    return start <= b and (end is None or end >= a)


def _unstaffed(
    ehcp: int, spans: list[tuple[dt.date, dt.date | None, int]], a: dt.date, b: dt.date
) -> list[tuple[dt.date, dt.date, int]]:
    """Stretches of [a, b] where the minutes staffed fall short of ``ehcp`` (and by how much)."""
    cuts = {a, b + ONE_DAY}
    for s, e, _m in spans:
        if a <= s <= b:
            cuts.add(s)
        if e is not None and a <= e + ONE_DAY <= b:
            cuts.add(e + ONE_DAY)
    points = sorted(cuts)
    out: list[tuple[dt.date, dt.date, int]] = []
    for lo, hi in zip(points, points[1:], strict=False):
        staffed = sum(m for s, e, m in spans if s <= lo and (e is None or e >= lo))
        short = ehcp - staffed
        if short > 0:
            end = hi - ONE_DAY
            if out and out[-1][1] + ONE_DAY == lo and out[-1][2] == short:
                out[-1] = (out[-1][0], end, short)
            else:
                out.append((lo, end, short))
    return out


def timeline(session: Session, start: dt.date, end: dt.date) -> list[Lane]:
    pupils = session.scalars(
        select(Pupil)
        .where(
            Pupil.archived.is_(False),
            or_(Pupil.sen_code == SenCode.EHCP, Pupil.id.in_(select(Funding.pupil_id))),
        )
        .options(
            selectinload(Pupil.funding).selectinload(Funding.contracts),
            selectinload(Pupil.assignments),
        )
        .order_by(Pupil.legal_last_name, Pupil.legal_first_name)
    ).all()
    staff_ids = {a.staff_id for p in pupils for a in p.assignments}
    contracts_by_staff: dict[int, list[Contract]] = defaultdict(list)
    for c in session.scalars(
        select(Contract)
        .where(Contract.staff_id.in_(staff_ids))
        .options(selectinload(Contract.staff))
    ):
        contracts_by_staff[c.staff_id].append(c)
    meetings: dict[int, list[dt.date]] = defaultdict(list)
    for pid, at in session.execute(
        select(ReviewMeeting.pupil_id, ReviewMeeting.meeting_at).where(
            ReviewMeeting.meeting_at >= dt.datetime.combine(start, dt.time.min)
        )
    ):
        meetings[pid].append(at.date())

    lanes = []
    for p in pupils:
        name = display_name(p.legal_first_name, p.legal_last_name, p.preferred_name)
        funding, contracts, red = [], [], []
        seen: set[int] = set()
        for f in p.funding:
            if not _overlaps(f.start_date, f.end_date, start, end):
                continue
            funding.append(
                Bar(
                    "funding",
                    f.start_date,
                    f.end_date,
                    FUNDING_SOURCE_LABELS.get(f.source, f.source),
                    "pupil",
                    p.id,
                )
            )
            for c in f.contracts:
                if f.end_date is not None and (c.end_date is None or c.end_date > f.end_date):
                    lo = max(f.end_date + ONE_DAY, start)
                    hi = min(c.end_date or end, end)
                    if lo <= hi:
                        red.append(
                            RedStretch(lo, hi, "contract outlives its funding", "staff", c.staff_id)
                        )
        spans: list[tuple[dt.date, dt.date | None, int]] = []
        for a in p.assignments:
            if a.role == AssignmentRole.COVER:
                continue
            staff_contracts = contracts_by_staff.get(a.staff_id, [])
            ends = [c.end_date for c in staff_contracts]
            contract_end = (
                None if not ends or None in ends else max(e for e in ends if e is not None)
            )
            a_end = min((e for e in (a.end_date, contract_end) if e is not None), default=None)
            spans.append((a.start_date, a_end, a.weekly_minutes))
            if not _overlaps(a.start_date, a.end_date, start, end):
                continue
            for c in staff_contracts:
                if c.id in seen or not _overlaps(c.start_date, c.end_date, start, end):
                    continue
                seen.add(c.id)
                who = display_name(c.staff.first_name, c.staff.last_name)
                contracts.append(
                    Bar(
                        "contract",
                        c.start_date,
                        c.end_date,
                        f"{who}: {c.job_title or 'contract'}",
                        "staff",
                        c.staff_id,
                    )
                )
        if p.sen_code == SenCode.EHCP and p.ehcp_weekly_minutes:
            for lo, hi, short in _unstaffed(p.ehcp_weekly_minutes, spans, start, end):
                red.append(
                    RedStretch(
                        lo,
                        hi,
                        f"{format_hours(short)} a week of EHCP support unstaffed",
                        "pupil",
                        p.id,
                    )
                )
        reviews = [d for d in meetings.get(p.id, []) if start <= d <= end]
        base = p.ehcp_last_review or p.ehcp_issued
        if p.sen_code == SenCode.EHCP and base is not None:
            due = next_review_due(base, p.review_interval_months)
            if start <= due <= end and not any(abs((d - due).days) < 60 for d in reviews):
                reviews.append(due)
        if not (funding or contracts or reviews or red):
            continue
        lanes.append(
            Lane(p.id, name, tuple(funding), tuple(contracts), tuple(sorted(reviews)), tuple(red))
        )
    lanes.sort(key=lambda lane: (not lane.red, lane.pupil_name))
    return lanes
