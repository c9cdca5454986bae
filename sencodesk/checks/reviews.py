"""The rules of an annual review meeting: its steps and text, advice, amendments and invitees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import vocab
from ..validate import Checker
from .base import Current, Values, _now, _req

STEP_FIELDS = (
    "advice_requested_on",
    "invitations_sent_on",
    "papers_circulated_on",
    "held_on",
    "report_sent_on",
    "la_decision_on",
)


def school_closed(day: dt.date) -> str:
    """Why nobody would meet at school that day (a weekend or an England bank holiday)."""
    from ..rules.schoolyear import bank_holidays

    if day.weekday() >= 5:
        return f"a {day:%A}"
    name = bank_holidays([day.year]).get(day)
    return f"{name} (a bank holiday)" if name else ""


# What an LA's review form asks for, kept on the meeting (#13): free text, by heading.
REVIEW_TEXT_FIELDS = (
    "exclusions",
    "attainment",
    "needs_changes",
    "health_care",
    "social_care",
    "aspirations",
    "pupil_views",
    "parent_views",
    "school_view",
    "attendees",
    "sent_to",
)


def review_meeting(values: Values, current: Current = None) -> Checker:
    """A review meeting; ``invitees`` (a list of dicts name/role/email) may come with it, and
    ``advice`` and ``amendments`` (lists of dicts, each checked by ``review_advice`` and
    ``review_amendment``; an item with an ``id`` is that stored row)."""
    new = current is None
    c = Checker(values, new=new)
    c.known("invitees", "advice", "amendments")
    c.decimal("attendance_percent", low=Decimal(0), high=Decimal(100))
    for f in REVIEW_TEXT_FIELDS:
        c.text(f, max_len=20000)
    c.choice(
        "recommendation", [o.value for o in vocab.ReviewOutcome], required=False, nullable=True
    )
    c.choice("next_step", [s.value for s in vocab.SupportNextStep], required=False, nullable=True)
    for key, rule, what in (
        ("advice", review_advice, "advice"),
        ("amendments", review_amendment, "amendment"),
    ):
        items = values.get(key)
        if items is None:
            continue
        if not isinstance(items, list | tuple):
            c.fail(key, "must be a list")
            continue
        for i, item in enumerate(items, start=1):
            inner = rule(item, None, in_meeting=True)
            for name, message in inner.errors.items():
                c.fail(f"{what} {i}: {name.replace('_', ' ')}", message)
    c.integer("pupil_id", required=new)
    c.choice("kind", [k.value for k in vocab.ReviewKind], required=False)
    c.datetime("meeting_at", required=new)
    c.text("place", max_len=120)
    for f in STEP_FIELDS:
        c.date(f)
    c.choice("outcome", [o.value for o in vocab.ReviewOutcome], required=False, nullable=True)
    c.text("notes", max_len=20000)
    if c.out.get("meeting_at") is not None:
        closed = school_closed(c.out["meeting_at"].date())
        if closed:
            c.fail("meeting_at", f"is {closed}: choose a school day")
    meeting = _now(c, "meeting_at", current)
    for f in ("held_on", "report_sent_on", "la_decision_on"):
        d = c.out.get(f)
        if d is not None and meeting is not None and d < meeting.date():
            c.fail(f, "cannot be before the meeting")
    invitees = values.get("invitees")
    if invitees is not None:
        for i, inv in enumerate(invitees, start=1):
            if not str(inv.get("name", "")).strip():
                c.fail(f"invitee {i}: name", "is required")
    return c


def review_advice(values: Values, current: Current = None, *, in_meeting: bool = False) -> Checker:
    """A summary of advice received for a review. ``in_meeting``: one item of a meeting's
    ``advice`` list (its meeting is the one being saved; ``id`` names a stored row)."""
    new = current is None
    c = Checker(values, new=new)
    if in_meeting:
        c.known("id", "meeting_id")
    else:
        c.integer("meeting_id", required=new)
    c.choice("source", [s.value for s in vocab.AdviceSource], required=new)
    c.text("given_by", max_len=120)
    c.date("received_on")
    c.text("summary", required=_req(current, "summary", values), max_len=20000)
    c.boolean("shared")
    if new and "shared" not in c.out:
        c.out["shared"] = True
    return c


def review_amendment(
    values: Values, current: Current = None, *, in_meeting: bool = False
) -> Checker:
    """An amendment to the plan proposed at a review, by section (A to K)."""
    new = current is None
    c = Checker(values, new=new)
    if in_meeting:
        c.known("id", "meeting_id")
    else:
        c.integer("meeting_id", required=new)
    c.choice("section", [s.value for s in vocab.PlanSection], required=new)
    c.text("text", required=_req(current, "text", values), max_len=20000)
    return c


def review_invitee(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("meeting_id", required=current is None)
    c.text("name", required=_req(current, "name", values), max_len=120)
    c.text("role", max_len=120)
    c.text("email", max_len=200)
    return c
