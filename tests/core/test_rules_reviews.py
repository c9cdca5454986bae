"""EHCP annual review dates: due dates, the deadline chain, phase transfer, working days."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sencodesk.rules.reviews import (
    STEP_LABELS,
    Deadline,
    ReviewOffsets,
    Step,
    deadline_chain,
    latest_meeting_date,
    next_review_due,
    phase_transfer_deadline,
    suggested_interval_months,
)
from sencodesk.rules.schoolyear import is_working_day

d = dt.date
SAT, SUN = 5, 6


def by_step(chain: list[Deadline]) -> dict[Step, Deadline]:
    return {x.step: x for x in chain}


# --- offsets and due dates ---------------------------------------------------------------------


def test_default_offsets_are_the_statutory_minimums() -> None:
    o = ReviewOffsets()
    assert (
        o.advice_request_weeks,
        o.invitations_weeks,
        o.papers_weeks,
        o.report_weeks,
        o.la_decision_weeks,
    ) == (6, 2, 2, 2, 4)


def test_offsets_are_frozen_and_not_negative() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ReviewOffsets().report_weeks = 3  # type: ignore[misc]
    with pytest.raises(ValueError, match="invitations weeks cannot be negative"):
        ReviewOffsets(invitations_weeks=-1)


@pytest.mark.parametrize(
    ("last", "months", "due"),
    [
        (d(2025, 3, 14), 12, d(2026, 3, 14)),
        (d(2024, 2, 29), 12, d(2025, 2, 28)),  # no 29 February: the month's last day
        (d(2024, 2, 29), 48, d(2028, 2, 29)),
        (d(2025, 8, 31), 6, d(2026, 2, 28)),
        (d(2025, 10, 31), 3, d(2026, 1, 31)),
    ],
)
def test_next_review_due(last: dt.date, months: int, due: dt.date) -> None:
    assert next_review_due(last, months) == due


def test_next_review_due_defaults_to_12_months() -> None:
    assert next_review_due(d(2025, 1, 20)) == d(2026, 1, 20)


def test_next_review_due_refuses_a_zero_interval() -> None:
    with pytest.raises(ValueError, match="at least 1 month"):
        next_review_due(d(2025, 1, 20), 0)


def test_suggested_interval_is_6_months_under_5() -> None:
    dob = d(2021, 3, 1)
    assert suggested_interval_months(dob, d(2026, 2, 28)) == 6  # aged 4
    assert suggested_interval_months(dob, d(2026, 3, 1)) == 12  # fifth birthday


# --- steps -------------------------------------------------------------------------------------


def test_step_values_and_labels() -> None:
    assert [s.value for s in Step] == [
        "advice_requests",
        "invitations",
        "papers",
        "meeting",
        "report_to_la",
        "la_decision",
        "phase_transfer",
    ]
    assert Step("report_to_la") is Step.REPORT_TO_LA
    assert set(STEP_LABELS) == set(Step)
    assert STEP_LABELS[Step.PAPERS] == "Circulate advice and reports"
    assert STEP_LABELS[Step.LA_DECISION] == "LA decides: maintain, amend or cease"
    assert STEP_LABELS[Step.PHASE_TRANSFER] == "Amended plan issued for phase transfer"


# --- the chain ---------------------------------------------------------------------------------


def test_chain_for_a_wednesday_meeting_with_default_offsets() -> None:
    meeting = d(2026, 3, 18)  # Wednesday; no bank holiday near any step
    chain = deadline_chain(meeting)
    assert [(x.step, x.due) for x in chain] == [
        (Step.ADVICE_REQUESTS, d(2026, 2, 4)),
        (Step.INVITATIONS, d(2026, 3, 4)),
        (Step.PAPERS, d(2026, 3, 4)),  # same day as invitations: Step order breaks the tie
        (Step.MEETING, meeting),
        (Step.REPORT_TO_LA, d(2026, 4, 1)),
        (Step.LA_DECISION, d(2026, 4, 15)),
    ]
    assert all(x.act_by == x.due for x in chain)


def test_chain_uses_the_offsets_and_sorts_by_date() -> None:
    offsets = ReviewOffsets(
        advice_request_weeks=12, invitations_weeks=6, papers_weeks=8, report_weeks=1
    )
    chain = deadline_chain(d(2026, 3, 18), offsets)
    assert [x.step for x in chain] == [
        Step.ADVICE_REQUESTS,
        Step.PAPERS,  # 8 weeks before: now before the invitations
        Step.INVITATIONS,
        Step.MEETING,
        Step.REPORT_TO_LA,
        Step.LA_DECISION,
    ]
    steps = by_step(chain)
    assert steps[Step.ADVICE_REQUESTS].due == d(2025, 12, 24)
    assert steps[Step.PAPERS].due == d(2026, 1, 21)
    assert steps[Step.REPORT_TO_LA].due == d(2026, 3, 25)


def test_deadline_on_a_saturday_moves_to_friday() -> None:
    steps = by_step(deadline_chain(d(2026, 3, 14)))  # a Saturday meeting
    report = steps[Step.REPORT_TO_LA]
    assert report.due == d(2026, 3, 28) and report.due.weekday() == SAT
    assert report.act_by == d(2026, 3, 27)
    assert steps[Step.MEETING].act_by == d(2026, 3, 13)


def test_deadline_on_a_sunday_moves_to_friday() -> None:
    steps = by_step(deadline_chain(d(2026, 3, 15)))
    report = steps[Step.REPORT_TO_LA]
    assert report.due == d(2026, 3, 29) and report.due.weekday() == SUN
    assert report.act_by == d(2026, 3, 27)


def test_deadline_on_easter_monday_moves_to_the_thursday_before_good_friday() -> None:
    meeting = d(2026, 4, 6) - dt.timedelta(weeks=2)
    steps = by_step(deadline_chain(meeting))
    report = steps[Step.REPORT_TO_LA]
    assert report.due == d(2026, 4, 6)
    assert report.act_by == d(2026, 4, 2)  # Good Friday, 3 April, is a bank holiday too
    assert steps[Step.LA_DECISION].act_by == steps[Step.LA_DECISION].due == d(2026, 4, 20)


def test_step_before_the_meeting_on_a_bank_holiday_moves_earlier() -> None:
    steps = by_step(deadline_chain(d(2026, 6, 8)))
    invitations = steps[Step.INVITATIONS]
    assert invitations.due == d(2026, 5, 25)  # spring bank holiday
    assert invitations.act_by == d(2026, 5, 22)


@pytest.mark.parametrize("offsets", [ReviewOffsets(), ReviewOffsets(12, 8, 3, 1, 5)])
def test_act_by_is_the_latest_working_day_on_or_before_due(offsets: ReviewOffsets) -> None:
    meeting = d(2025, 9, 1)
    while meeting < d(2026, 9, 1):
        chain = deadline_chain(meeting, offsets)
        assert [x.due for x in chain] == sorted(x.due for x in chain)
        for x in chain:
            assert x.act_by <= x.due and is_working_day(x.act_by)
            day = x.act_by + dt.timedelta(days=1)
            while day <= x.due:
                assert not is_working_day(day), (x, day)
                day += dt.timedelta(days=1)
        meeting += dt.timedelta(days=1)


def test_phase_transfer_step_is_added_in_date_order() -> None:
    chain = deadline_chain(d(2026, 2, 4), phase_transfer_due=d(2026, 2, 15))
    assert [x.step for x in chain] == [
        Step.ADVICE_REQUESTS,
        Step.INVITATIONS,
        Step.PAPERS,
        Step.MEETING,
        Step.PHASE_TRANSFER,  # 15 Feb, before the report due on 18 Feb
        Step.REPORT_TO_LA,
        Step.LA_DECISION,
    ]
    transfer = by_step(chain)[Step.PHASE_TRANSFER]
    assert transfer.due == d(2026, 2, 15)  # a Sunday
    assert transfer.act_by == d(2026, 2, 13)


def test_no_phase_transfer_step_unless_given() -> None:
    assert Step.PHASE_TRANSFER not in by_step(deadline_chain(d(2026, 2, 4)))


# --- phase transfer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "due"),
    [
        (6, d(2026, 2, 15)),  # primary -> secondary
        (11, d(2026, 3, 31)),  # secondary -> post-16
        (-1, d(2026, 2, 15)),  # nursery -> Reception
        (5, None),
        (0, None),
        (10, None),
        (12, None),
    ],
)
def test_phase_transfer_with_default_phases(group: int, due: dt.date | None) -> None:
    assert phase_transfer_deadline(group, 2025) == due


def test_phase_transfer_is_in_the_calendar_year_of_transfer() -> None:
    assert phase_transfer_deadline(6, 2030) == d(2031, 2, 15)
    assert phase_transfer_deadline(11, 2030) == d(2031, 3, 31)


def test_phase_transfer_for_an_infant_and_a_middle_school() -> None:
    assert phase_transfer_deadline(2, 2025, (2,)) == d(2026, 2, 15)  # infant -> junior
    assert phase_transfer_deadline(6, 2025, (2,)) is None
    assert phase_transfer_deadline(8, 2025, [8]) == d(2026, 2, 15)  # middle -> secondary
    assert phase_transfer_deadline(11, 2025, iter([11])) == d(2026, 3, 31)


def test_latest_meeting_date() -> None:
    assert latest_meeting_date(d(2026, 3, 18)) == d(2026, 3, 18)
    assert latest_meeting_date(d(2026, 3, 14)) == d(2026, 3, 13)  # Saturday
    assert latest_meeting_date(d(2026, 12, 28)) == d(2026, 12, 24)  # substitute Boxing Day
