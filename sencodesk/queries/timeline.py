"""The dashboard's 12-month picture: a lane per supported pupil with their funding, the
contracts of the LSAs who support them, their review dates, and the red stretches where a
contract outlives its funding or EHCP hours go unstaffed.

The facts come from ``queries.facts`` and the stretches from ``rules.coverage``: a red
stretch for a contract outliving its funding gives the gap's real dates (not the edge of the
window), its days and its unfunded cost, the figures the alerts and reports give.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..frozen_slots import fast_slots
from ..rules.coverage import Gap, overlaps, unstaffed_stretches
from ..rules.dates import format_date
from ..rules.pay import format_hours
from ..rules.reviews import next_review_due
from ..vocab import FUNDING_SOURCE_LABELS, AssignmentRole, SenCode
from .factrows import Facts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ONE_DAY = dt.timedelta(days=1)


@fast_slots
@dataclass(frozen=True, slots=True)
class Bar:
    kind: str  # "funding" or "contract"
    start: dt.date
    end: dt.date | None  # None: no end date
    label: str
    target: str  # what clicking opens: "pupil" or "staff"
    target_id: int


@fast_slots
@dataclass(frozen=True, slots=True)
class RedStretch:
    start: dt.date
    end: dt.date | None  # None: a contract with no end date (red to the window's edge)
    reason: str
    target: str
    target_id: int
    gap: Gap | None = None  # for a contract outliving its funding: days and £
    tip: str = ""  # the whole story, with the real dates

    @property
    def tooltip(self) -> str:
        if self.tip:
            return self.tip
        return f"{self.reason}: {format_date(self.start)} to {format_date(self.end) or 'no end'}"


@fast_slots
@dataclass(frozen=True, slots=True)
class Lane:
    pupil_id: int
    pupil_name: str
    funding: tuple[Bar, ...]
    contracts: tuple[Bar, ...]
    reviews: tuple[dt.date, ...]
    red: tuple[RedStretch, ...]


def timeline(session: Session, start: dt.date, end: dt.date) -> list[Lane]:
    from .facts import load_facts  # SQLAlchemy: not needed for timeline_from_facts

    return timeline_from_facts(load_facts(session), start, end)


def timeline_from_facts(facts: Facts, start: dt.date, end: dt.date) -> list[Lane]:
    facts.need_all("The timeline")
    funding_by_pupil: dict[int, list[int]] = {}
    for f in facts.funding.values():
        funding_by_pupil.setdefault(f.pupil_id, []).append(f.id)
    pupils = sorted(
        (
            p
            for p in facts.pupils.values()
            if not p.archived and (p.sen_code == SenCode.EHCP or p.id in funding_by_pupil)
        ),
        key=lambda p: (p.legal_last_name, p.legal_first_name, p.id),
    )
    # The last day each member of staff is contracted (None: a contract with no end date).
    last_day: dict[int, dt.date | None] = {}
    for sid, cids in facts.contracts_by_staff.items():
        ends = [facts.contracts[c].end_date for c in cids]
        last_day[sid] = None if None in ends else max(e for e in ends if e is not None)

    lanes = []
    for p in pupils:
        funding, contracts, red = [], [], []
        seen: set[int] = set()
        for fid in sorted(funding_by_pupil.get(p.id, ())):
            f = facts.funding[fid]
            if overlaps(f.start_date, f.end_date, start, end):
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
            # A contract can outlive, into the window, funding that ended before it.
            for c in facts.gaps_of(fid):
                gap = c.gap
                assert gap is not None
                real_end = c.end_date  # None: no end date
                if not overlaps(gap.first_day, real_end, start, end):
                    continue
                who = facts.staff[c.staff_id].name if c.staff_id in facts.staff else "A contract"
                red.append(
                    RedStretch(
                        gap.first_day,
                        real_end,
                        "contract outlives its funding",
                        "staff",
                        c.staff_id,
                        gap,
                        f"{who}'s contract outlives its funding. {gap.sentence()}. Give "
                        f"notice by {format_date(c.funding_act_by)} to end it with the "
                        "funding.",
                    )
                )
        slots = facts.slots_by_pupil.get(p.id, ())
        for a in slots:
            if a.role == AssignmentRole.COVER or not overlaps(a.start, a.end, start, end):
                continue
            for cid in facts.contracts_by_staff.get(a.staff_id, ()):
                c = facts.contracts[cid]
                if c.id in seen or not overlaps(c.start_date, c.end_date, start, end):
                    continue
                seen.add(c.id)
                who = facts.staff[c.staff_id].name if c.staff_id in facts.staff else ""
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
            for lo, hi, short in unstaffed_stretches(
                p.ehcp_weekly_minutes, slots, start, end, last_day
            ):
                reason = f"{format_hours(short)} a week of EHCP support unstaffed"
                red.append(
                    RedStretch(
                        lo,
                        hi,
                        reason,
                        "pupil",
                        p.id,
                        None,
                        f"{reason}: {format_date(lo)} to {format_date(hi)}",
                    )
                )
        reviews = sorted(
            {
                m.meeting_at.date()
                for m in facts.meetings.get(p.id, ())
                if start <= m.meeting_at.date() <= end
            }
        )
        base = p.ehcp_last_review or p.ehcp_issued
        if p.sen_code == SenCode.EHCP and base is not None:
            due = next_review_due(base, p.review_interval_months)
            if start <= due <= end and not any(abs((d - due).days) < 60 for d in reviews):
                reviews.append(due)
        if not (funding or contracts or reviews or red):
            continue
        lanes.append(
            Lane(p.id, p.name, tuple(funding), tuple(contracts), tuple(sorted(reviews)), tuple(red))
        )
    lanes.sort(key=lambda lane: (not lane.red, lane.pupil_name))
    return lanes
