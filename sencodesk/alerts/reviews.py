"""The alerts of annual reviews: each step's date, and a phase transfer's deadline."""

from __future__ import annotations

import datetime as dt

from ..queries.factrows import Facts, PupilFact
from ..rules.dates import format_date
from ..rules.reviews import (
    STEP_DONE_FIELD,
    STEP_LABELS,
    Deadline,
    Step,
    deadline_chain,
    latest_meeting_date,
    next_review_due,
)
from ..rules.schoolyear import academic_year_of
from ..vocab import REVIEW_KIND_LABELS, ReviewKind, SenCode
from .alert import Alert, AlertKind, _due_note


def _reviews(facts: Facts, today: dt.date, horizon: dt.date = dt.date.max) -> list[Alert]:
    """Reviews due, their steps and phase transfers, acted on by ``horizon`` (at a trust
    one in six falls beyond it; those are not built)."""
    out: list[Alert] = []
    for p in facts.pupils.values():
        if p.sen_code != SenCode.EHCP or p.archived:
            continue
        offsets = facts.offsets_for(p)
        open_meetings = [m for m in facts.meetings.get(p.id, ()) if m.la_decision_on is None]
        base = p.ehcp_last_review or p.ehcp_issued
        if base is not None:
            due = next_review_due(base, p.review_interval_months)
            planned = [
                m for m in open_meetings if m.held_on is None and m.kind == ReviewKind.ANNUAL
            ]
            if not planned:
                chain = deadline_chain(latest_meeting_date(due), offsets, school_days=facts.days)
                if chain[0].act_by <= horizon:
                    out.append(_review_due(p, due, base, chain[0], today))
        for m in open_meetings:
            when = m.meeting_at.date()
            for d in deadline_chain(when, offsets, school_days=facts.days):
                if d.act_by > horizon:
                    continue
                done_field = STEP_DONE_FIELD.get(d.step)
                if done_field is None or getattr(m, done_field) is not None:
                    continue
                if m.held_on is not None and d.step in (
                    Step.ADVICE_REQUESTS,
                    Step.INVITATIONS,
                    Step.PAPERS,
                    Step.MEETING,
                ):
                    continue  # the meeting happened: earlier steps are moot
                out.append(
                    Alert(
                        AlertKind.REVIEW_STEP,
                        "pupil",
                        p.id,
                        p.name,
                        STEP_LABELS[d.step],
                        f"{REVIEW_KIND_LABELS[m.kind]} review meeting "
                        f"{format_date(when)}" + _due_note(d.due, d.act_by),
                        due=d.due,
                        act_by=d.act_by,
                        row_id=m.id,
                    )
                )
        a = _phase_transfer(facts, p, today, horizon)
        if a is not None:
            out.append(a)
    return out


def _review_due(
    p: PupilFact, due: dt.date, base: dt.date, first: Deadline, today: dt.date
) -> Alert:
    """A review due with no meeting booked: ``first``, the first step of its chain."""
    if due < today:
        title = "Annual review overdue"
        detail = (
            f"Was due {format_date(due)} (last {format_date(base)}); no meeting "
            "booked: book the meeting for the earliest date the family and "
            "professionals can come, and request their advice today"
        )
    elif first.act_by < today:
        title = "Annual review due: advice requests late"
        detail = (
            f"Due {format_date(due)} (last {format_date(base)}); no meeting booked "
            f"and the date to request advice ({format_date(first.act_by)}) has "
            "passed: request advice today and book the meeting by "
            f"{format_date(latest_meeting_date(due))}"
        )
    else:
        title = "Annual review due"
        detail = (
            f"Due {format_date(due)} (last {format_date(base)}); no meeting booked: "
            f"{STEP_LABELS[first.step].lower()} by {format_date(first.act_by)}"
            + _due_note(first.due, first.act_by)
        )
    return Alert(
        AlertKind.REVIEW_DUE,
        "pupil",
        p.id,
        p.name,
        title,
        detail,
        due=due,
        act_by=first.act_by,
    )


def _phase_transfer(
    facts: Facts, p: PupilFact, today: dt.date, horizon: dt.date = dt.date.max
) -> Alert | None:
    deadline = p.phase_transfer_due(today, facts.school.transfer_years)
    if deadline is None:
        return None
    latest = facts.latest_transfer_meeting(p, deadline)
    if latest > horizon:
        return None  # acted on after the horizon: not shown
    year_start = dt.date(academic_year_of(today), 9, 1)
    meetings = [
        m for m in facts.meetings.get(p.id, ()) if year_start <= m.meeting_at.date() <= deadline
    ]
    if any(m.la_decision_on is not None for m in meetings):
        return None
    if any(m.held_on is not None and m.held_on <= latest for m in meetings):
        return None
    booked = [m for m in meetings if m.held_on is None and m.meeting_at.date() <= latest]
    if booked:
        return None  # the meeting's own steps are alerts
    late = [
        m
        for m in facts.meetings.get(p.id, ())
        if m.held_on is None and m.meeting_at.date() > latest
    ]
    label = "31 March" if deadline.month == 3 else "15 February"
    year = f"Year {p.year_group_on(today)}" if p.year_group_on(today) > 0 else "This"
    what = (
        f"The review meeting booked for {format_date(late[0].meeting_at.date())} is too late"
        if late
        else "No review meeting is booked"
    )
    return Alert(
        AlertKind.PHASE_TRANSFER,
        "pupil",
        p.id,
        p.name,
        f"Phase transfer: amended plan due {format_date(deadline)}",
        f"{year} pupil changes phase: the LA must issue the amended plan by {label} "
        f"({format_date(deadline)}). {what}: hold the review by {format_date(latest)} so the "
        "LA can decide in time",
        due=deadline,
        act_by=latest,
        row_id=late[0].id if late else None,
    )
