"""The review pack's data, as frozen rows (``ReviewPackData`` and its parts), with the pure
helpers that make some of them: counting school weeks and naming and summing interventions.
The reads that fill them are in ``data_review``."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from ..queries.money import FundingRow
from ..queries.pupil_detail import OutcomeRow, PupilDetail
from ..queries.records import RecordRow
from ..queries.review_record import MeetingRecord
from ..queries.reviews import ReviewRow
from ..queries.school import HalfTermRow, SchoolRow
from ..rules.coverage import Gap
from ..rules.schoolyear import bank_holidays
from .plan_forms import SEN_SUPPORT, PlanForm

# Without term dates, a year is taken to have 39 school weeks in its 52.
ESTIMATED_TERM_SHARE = Decimal(39) / Decimal(52)


@dataclass(frozen=True)
class OutcomeSection:
    outcome: OutcomeRow
    evidence: tuple[RecordRow, ...]  # records linked to the outcome in the period, oldest first


@dataclass(frozen=True)
class StaffSupport:
    """One assignment of a member of staff to the pupil, planned against recorded."""

    staff_id: int
    staff_name: str
    role: str
    sessions: int
    weekly_minutes: int
    start_date: dt.date
    end_date: dt.date | None
    planned_minutes: int  # weekly minutes x school weeks of the assignment within the period
    recorded_minutes: int  # support records this person wrote in the period
    recorded_sessions: int


@dataclass(frozen=True)
class ContractNotice:
    """A contract paid from the pupil's funding, with the facts ``rules.coverage`` gives."""

    contract_id: int
    staff_name: str
    funding_id: int
    end_date: dt.date | None
    notice_by: dt.date | None  # its own notice-by date
    gap: Gap | None = None  # it outlives the funding (days and unfunded cost)
    funding_act_by: dt.date | None = None  # notice-by to end it with the funding


@dataclass(frozen=True)
class MonthCount:
    month: dt.date  # first of the month
    count: int
    minutes: int = 0


@dataclass(frozen=True)
class InterventionSummary:
    """Support sessions recorded in the period, grouped by what was done."""

    name: str
    sessions: int
    minutes: int
    first: dt.date
    last: dt.date
    staff: tuple[str, ...]


@dataclass(frozen=True)
class ReviewPackData:
    today: dt.date
    school: SchoolRow
    pupil: PupilDetail
    meeting: ReviewRow | None
    next_review_due: dt.date | None
    period_start: dt.date
    period_end: dt.date
    period_basis: str
    outcomes: tuple[OutcomeSection, ...]
    support: tuple[StaffSupport, ...]
    planned_weekly_minutes: int
    school_weeks: Decimal
    school_weeks_estimated: bool
    recorded_support_minutes: int
    other_support_minutes: int  # support recorded by people with no assignment to the pupil
    support_by_month: tuple[MonthCount, ...]
    incidents: tuple[RecordRow, ...]
    incidents_by_month: tuple[MonthCount, ...]
    record_counts: tuple[tuple[str, int], ...]
    funding: tuple[FundingRow, ...]
    contracts: tuple[ContractNotice, ...]
    phase_transfer_due: dt.date | None = None  # amended plan due (pupil changes phase)
    interventions: tuple[InterventionSummary, ...] = ()
    status_as_of: dt.date | None = None  # outcome statuses as on this day (a past meeting)
    form: PlanForm = SEN_SUPPORT  # which review this is (plan_forms.form_for)
    # Year group and class as on the meeting day (today's for a meeting still to come).
    year_label: str = ""
    class_name: str = ""
    # Weekly minutes the EHC plan specifies (None: no plan hours), and staffed on period_end.
    plan_weekly_minutes: int | None = None
    staffed_weekly_minutes: int = 0
    # What was written for the meeting (#13: views, advice, attendance…), None with no meeting.
    record: MeetingRecord | None = None

    @property
    def unrecorded_period_minutes(self) -> int:
        """Planned time in the period with no support record (not the same as not given)."""
        return sum(max(s.planned_minutes - s.recorded_minutes, 0) for s in self.support)

    @property
    def planned_period_minutes(self) -> int:
        return sum(s.planned_minutes for s in self.support)


# --------------------------------------------------------------------------- school weeks


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    out, d = [], start
    while d <= end:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def school_weeks(
    start: dt.date, end: dt.date, half_terms: list[HalfTermRow]
) -> tuple[Decimal, bool]:
    """School weeks between two dates (term-time weekdays less bank holidays, over 5).

    Academic years without term dates are estimated (39 weeks in 52); the flag says so.
    """
    if end < start:
        return Decimal(0), False
    years_with_terms = {h.academic_year for h in half_terms}
    holidays = bank_holidays(range(start.year, end.year + 1))
    in_term = 0
    estimated_days = Decimal(0)
    estimated = False
    for d in _weekdays(start, end):
        year = d.year if d.month >= 9 else d.year - 1
        if year in years_with_terms:
            if d not in holidays and any(h.start <= d <= h.end for h in half_terms):
                in_term += 1
        else:
            estimated = True
            estimated_days += ESTIMATED_TERM_SHARE
    weeks = (Decimal(in_term) + estimated_days) / 5
    return weeks.quantize(Decimal("0.1")), estimated


# --------------------------------------------------------------------------- interventions

_NAME_END = re.compile(r"\s*(?:\(|\. |\.$|;|:|\n| with | for \d)")
NAME_LIMIT = 60


def intervention_name(text: str) -> str:
    """What a support record says was done, for grouping: "Phonics catch-up with Anas (45
    min). Joined in well…" -> "Phonics catch-up" (the words before "with", "(" or the end of
    the first sentence)."""
    s = (text or "").strip()
    m = _NAME_END.search(s)
    name = (s[: m.start()] if m else s).strip(" .,-–") or "Support session"
    if len(name) > NAME_LIMIT:
        name = name[: NAME_LIMIT - 1].rstrip() + "…"
    return name[0].upper() + name[1:]


def summarise_interventions(records: list[RecordRow]) -> tuple[InterventionSummary, ...]:
    """Support records grouped by intervention, most sessions first."""
    groups: dict[str, list[RecordRow]] = defaultdict(list)
    shown: dict[str, str] = {}
    for r in records:
        name = intervention_name(r.text)
        key = name.casefold()
        shown.setdefault(key, name)
        groups[key].append(r)
    out = []
    for key, rows in groups.items():
        days = [r.occurred_at.date() for r in rows]
        staff = tuple(sorted({r.author_name for r in rows if r.author_name}))
        out.append(
            InterventionSummary(
                shown[key],
                len(rows),
                sum(r.minutes or 0 for r in rows),
                min(days),
                max(days),
                staff,
            )
        )
    out.sort(key=lambda i: (-i.sessions, i.name.casefold()))
    return tuple(out)


def _as_of(o: OutcomeRow, day: dt.date) -> OutcomeRow:
    """An outcome as it stood at the end of ``day``: later status changes left out."""
    history = tuple(h for h in o.history if h.changed_on <= day)
    status = history[-1].status if history else o.status
    return replace(o, history=history, status=status)
