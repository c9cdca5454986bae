"""EHCP annual reviews and their deadline chain (SEND Code of Practice 2015, Regs 2014)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from .schooldays import NO_TERMS, SchoolDays
from .schoolyear import age_on, previous_working_day


@dataclass(frozen=True)
class ReviewOffsets:
    """Weeks before or after the meeting for each step; a setting per LA.

    The defaults are the statutory minimums of the SEND Code of Practice 2015: invitations
    and papers at least 2 weeks before, the school's report within 2 weeks after, the LA's
    decision within 4 weeks after. Advice requests 6 weeks ahead is our default (LAs often
    want 12).
    """

    advice_request_weeks: int = 6
    invitations_weeks: int = 2
    papers_weeks: int = 2
    report_weeks: int = 2
    la_decision_weeks: int = 4

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"{f.name.replace('_', ' ')} cannot be negative")


@lru_cache(maxsize=8192)  # relativedelta is slow; a trust asks about the same dates often
def next_review_due(last_review_or_issue: dt.date, interval_months: int = 12) -> dt.date:
    """Last review (or issue) + the interval; 29 February + 12 months is 28 February."""
    if interval_months < 1:
        raise ValueError("The review interval must be at least 1 month")
    return last_review_or_issue + relativedelta(months=interval_months)


def suggested_interval_months(dob: dt.date, on: dt.date) -> int:
    """6 for a child under 5 on ``on`` (the Code: consider reviews every 3–6 months), else 12."""
    return 6 if age_on(dob, on) < 5 else 12


class Step(StrEnum):
    ADVICE_REQUESTS = "advice_requests"
    INVITATIONS = "invitations"
    PAPERS = "papers"
    MEETING = "meeting"
    REPORT_TO_LA = "report_to_la"
    LA_DECISION = "la_decision"
    PHASE_TRANSFER = "phase_transfer"


STEP_LABELS: dict[Step, str] = {
    Step.ADVICE_REQUESTS: "Request advice from professionals",
    Step.INVITATIONS: "Send invitations",
    Step.PAPERS: "Circulate advice and reports",
    Step.MEETING: "Hold the review meeting",
    Step.REPORT_TO_LA: "Send review report to LA and invitees",
    Step.LA_DECISION: "LA decides: maintain, amend or cease",
    Step.PHASE_TRANSFER: "Amended plan issued for phase transfer",
}


@dataclass(frozen=True)
class Deadline:
    """``due`` by the rule; ``act_by`` the latest working day on or before it."""

    step: Step
    due: dt.date
    act_by: dt.date


def _deadline(step: Step, due: dt.date, days: SchoolDays = NO_TERMS) -> Deadline:
    return Deadline(step, due, days.act_by(due))


_STEP_ORDER = {step: i for i, step in enumerate(Step)}


def deadline_chain(
    meeting: dt.date,
    offsets: ReviewOffsets = ReviewOffsets(),
    *,
    phase_transfer_due: dt.date | None = None,
    school_days: SchoolDays = NO_TERMS,
) -> list[Deadline]:
    """Every step of an annual review around a meeting, sorted by due date.

    Each act-by date is the last school day on or before the due date (weekends, bank
    holidays and, given ``school_days``, the school's holidays move it earlier). Steps due
    on the same day keep the order of :class:`Step`.
    """
    # A trust's meetings share dates: each chain is worked out once under the terms.
    key = (meeting, offsets, phase_transfer_due)
    chain = school_days.chains.get(key)
    if chain is None:
        chain = school_days.chains[key] = _chain(meeting, offsets, phase_transfer_due, school_days)
    return list(chain)


def _chain(
    meeting: dt.date,
    offsets: ReviewOffsets,
    phase_transfer_due: dt.date | None,
    school_days: SchoolDays,
) -> tuple[Deadline, ...]:
    week = dt.timedelta(weeks=1)
    chain = [
        _deadline(Step.ADVICE_REQUESTS, meeting - offsets.advice_request_weeks * week, school_days),
        _deadline(Step.INVITATIONS, meeting - offsets.invitations_weeks * week, school_days),
        _deadline(Step.PAPERS, meeting - offsets.papers_weeks * week, school_days),
        _deadline(Step.MEETING, meeting, school_days),
        _deadline(Step.REPORT_TO_LA, meeting + offsets.report_weeks * week, school_days),
        _deadline(Step.LA_DECISION, meeting + offsets.la_decision_weeks * week, school_days),
    ]
    if phase_transfer_due is not None:
        chain.append(_deadline(Step.PHASE_TRANSFER, phase_transfer_due, school_days))
    return tuple(sorted(chain, key=lambda d: (d.due, _STEP_ORDER[d.step])))


POST_16_TRANSFER_FROM = 11


def phase_transfer_deadline(
    year_group_now: int,
    academic_year: int,
    transfer_from_years: Iterable[int] = (-1, 6, 11),
) -> dt.date | None:
    """When the amended plan must be issued for a pupil who changes phase after this year.

    Args:
        year_group_now: the pupil's year group in ``academic_year`` (Nursery = -1).
        academic_year: the start year of the academic year.
        transfer_from_years: the year groups that leave the school's phase at the end of the
            year. The default suits an early-years/primary/secondary pattern (Nursery ->
            Reception, Year 6 -> secondary, Year 11 -> post-16); an infant school passes
            ``(2,)``, a first school ``(4,)``, a middle school its last year, and so on.

    Returns:
        15 February of the calendar year of transfer (``academic_year + 1``), or 31 March of
        that year for secondary -> post-16 (Year 11); None when the pupil does not transfer.
    """
    if year_group_now not in set(transfer_from_years):
        return None
    year = academic_year + 1
    if year_group_now == POST_16_TRANSFER_FROM:
        return dt.date(year, 3, 31)
    return dt.date(year, 2, 15)


def latest_meeting_date(due: dt.date) -> dt.date:
    """The latest working day on or before a review's due date."""
    return previous_working_day(due)


# The review meeting's field that records each step as done.
STEP_DONE_FIELD = {
    Step.ADVICE_REQUESTS: "advice_requested_on",
    Step.INVITATIONS: "invitations_sent_on",
    Step.PAPERS: "papers_circulated_on",
    Step.MEETING: "held_on",
    Step.REPORT_TO_LA: "report_sent_on",
    Step.LA_DECISION: "la_decision_on",
}
