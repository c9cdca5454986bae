"""The field and cross-field rules of every record: one set, used by every way in.

Each rule is a plain function ``<table>(values, current=None, ...) -> Checker`` over a dict of
field values (``current`` is the row as stored, for an update; None for a new row). It needs
no database: the editors' commands (``commands.save_*``) add the checks that do (a UPN
already taken, a pupil that does not exist) to the same ``Checker`` and call ``done()``; the
JSON import (``exchange.json_io``) and the MIS import run the same functions over every row of
a file; ``check`` runs them over every row of a database (:func:`row_problems`).

``validate(table, values, current=None)`` is the one-call form: it returns the cleaned values
or raises ``errors.ValidationError`` keyed by field.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from . import vocab
from .errors import BadRows, KnownError, ValidationError
from .rules import upn as upn_rules
from .rules.pay import WEEKS_PER_YEAR
from .validate import MAX_WEEKLY_MINUTES, Checker

Values = Mapping[str, Any]
Current = Mapping[str, Any] | None
SCHOOL_PHASES = (
    "nursery",
    "infant",
    "junior",
    "primary",
    "middle",
    "secondary",
    "all_through",
    "special",
)


def _cur(current: Current) -> Mapping[str, Any]:
    return current or {}


def _now(c: Checker, name: str, current: Current) -> Any:
    """A field's value after the change: the new value if given, else the stored one."""
    return c.out[name] if name in c.out else _cur(current).get(name)


def _req(current: Current, name: str, values: Values) -> bool:
    """Required when creating, and never blanked on an update."""
    return current is None or name in values


# --------------------------------------------------------------------------- school


def school(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("id", low=1, high=1)
    c.text("name", required=_req(current, "name", values), max_len=200)
    c.integer("la_id")
    c.text("dfe_number", max_len=8)
    c.choice("phase", SCHOOL_PHASES, required=False)
    c.text("transfer_years", max_len=40, default=None)  # the model's: -1,6,11
    c.decimal("full_time_hours", low=Decimal(1), high=Decimal(60))
    c.decimal("weeks_per_year", low=Decimal(52), high=Decimal(53), places=3)
    c.decimal("default_paid_weeks", low=Decimal(1), high=WEEKS_PER_YEAR, places=3)
    c.decimal("on_cost_percent", low=Decimal(0), high=Decimal(100))
    c.integer("retention_years", low=1, high=100)
    c.integer("alert_horizon_days", low=1, high=3650)
    c.integer("expiry_warning_days", low=1, high=3650)
    if c.out.get("transfer_years"):
        try:
            years = [int(x) for x in c.out["transfer_years"].split(",") if x.strip()]
            if any(not -1 <= y <= 14 for y in years):
                raise ValueError
        except ValueError:
            c.fail("transfer_years", "must be year groups separated by commas, e.g. -1,6")
    return c


def local_authority(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.text("name", required=_req(current, "name", values), max_len=120)
    c.text("code", max_len=3)
    for f in (
        "advice_request_weeks",
        "invitations_weeks",
        "papers_weeks",
        "report_weeks",
        "la_decision_weeks",
    ):
        c.integer(f, low=0, high=52, nullable=False)
    return c


def term_date(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("academic_year", required=current is None, low=1900, high=2199)
    c.integer("half_term", required=current is None, low=1, high=6)
    c.date("start", required=current is None)
    c.date("end", required=current is None)
    c.order("start", "end", "cannot be before the start of the half-term", current)
    return c


# --------------------------------------------------------------------------- pupils


def pupil(values: Values, current: Current = None, *, today: dt.date | None = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    c.text("legal_first_name", required=_req(current, "legal_first_name", values), max_len=100)
    c.text("legal_last_name", required=_req(current, "legal_last_name", values), max_len=100)
    c.text("preferred_name", max_len=100, default="" if new else None)
    c.date("date_of_birth", required=_req(current, "date_of_birth", values))
    c.integer("year_group_override", low=-1, high=14)
    c.text("class_name", max_len=40, default="" if new else None)
    c.choice("sen_code", [s.value for s in vocab.SenCode], required=False)
    c.choice("primary_need", vocab.NEED_CODES, required=False, nullable=True)
    c.choice("secondary_need", vocab.NEED_CODES, required=False, nullable=True)
    c.integer("ehcp_la_id")
    for f in ("ehcp_issued", "ehcp_last_review", "admission_date", "leaving_date"):
        c.date(f)
    c.integer("review_interval_months", low=1, high=12, nullable=False)
    c.minutes("ehcp_weekly_minutes")
    c.text("medical_needs", max_len=4000, default="" if new else None)
    for f in ("profile_admire", "profile_important", "profile_support"):
        c.text(f, max_len=4000, default="" if new else None)
    c.boolean("personal_care")
    c.boolean("behaviour_plan")
    c.boolean("archived")
    c.boolean("retention_hold")
    c.text("retention_hold_reason", max_len=4000, default=None)
    if "upn" in values:
        raw = values["upn"]
        if raw in (None, ""):
            c.out["upn"] = None
        else:
            upn = upn_rules.normalise_upn(str(raw))
            problem = upn_rules.upn_error(upn)
            if problem:
                c.fail("upn", problem)
            else:
                c.out["upn"] = upn
    dob = c.out.get("date_of_birth")
    if dob is not None and dob > (today or dt.date.today()):
        c.fail("date_of_birth", "cannot be in the future")
    c.order("date_of_birth", "admission_date", "cannot be before the date of birth", current)
    c.order("admission_date", "leaving_date", "cannot be before the admission date", current)
    c.order("date_of_birth", "ehcp_issued", "cannot be before the date of birth", current)
    c.order("ehcp_issued", "ehcp_last_review", "cannot be before the EHCP was issued", current)
    if _now(c, "sen_code", current) == vocab.SenCode.NONE and c.out.get("primary_need"):
        c.fail("primary_need", "must be empty for a pupil with no SEN (code N)")
    return c


def outcome(values: Values, current: Current = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    if new:
        c.integer("pupil_id", required=True)
    c.choice("source", [s.value for s in vocab.OutcomeSource], required=False)
    c.choice("area", [a.value for a in vocab.Area], required=new)
    c.text("text", required=_req(current, "text", values), max_len=4000)
    c.text("success_criteria", max_len=4000, default="" if new else None)
    c.date("set_date", required=new)
    c.date("target_date")
    c.choice("status", [s.value for s in vocab.OutcomeStatus], required=False)
    c.date("status_date")
    c.text("status_note", max_len=2000, default=None)
    c.order("set_date", "target_date", "cannot be before the date the outcome was set", current)
    return c


def outcome_status_change(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("outcome_id", required=current is None)
    c.date("changed_on", required=current is None)
    c.choice("status", [s.value for s in vocab.OutcomeStatus], required=current is None)
    c.text("note", max_len=2000)
    return c


INCIDENT_FIELDS = ("antecedent", "behaviour", "consequence", "deescalation", "injury")


def record(values: Values, current: Current = None, *, now: dt.datetime | None = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    c.integer("pupil_id", required=new)
    c.integer("author_id")
    c.datetime("occurred_at", required=new)
    c.choice("kind", [k.value for k in vocab.RecordKind], required=new)
    c.text("text", max_len=20000, default="" if new else None)
    c.integer("outcome_id")
    c.integer("minutes", low=0, high=24 * 60)
    c.integer("progress", low=1, high=5)
    for f in INCIDENT_FIELDS:
        c.text(f, max_len=8000, default="" if new else None)
    c.boolean("physical_intervention")
    c.boolean("parents_informed")
    when = c.out.get("occurred_at")
    if when is not None and when > (now or dt.datetime.now()) + dt.timedelta(days=1):
        c.fail("occurred_at", "cannot be in the future")
    kind = _now(c, "kind", current)
    if kind == vocab.RecordKind.INCIDENT:
        if not _now(c, "behaviour", current) and not _now(c, "text", current):
            c.fail("behaviour", "describe what happened")
    elif kind is not None and "kind" not in c.errors and not _now(c, "text", current):
        c.fail("text", "is required")
    return c


# --------------------------------------------------------------------------- staff


def staff(values: Values, current: Current = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    c.text("first_name", required=_req(current, "first_name", values), max_len=100)
    c.text("last_name", required=_req(current, "last_name", values), max_len=100)
    c.choice("role", [r.value for r in vocab.StaffRole], required=new)
    c.text("email", max_len=200, default="" if new else None)
    c.text("phone", max_len=40, default="" if new else None)
    c.date("start_date")
    c.date("leaving_date")
    c.integer("line_manager_id")
    c.order("start_date", "leaving_date", "cannot be before the start date", current)
    email = c.out.get("email")
    if email and ("@" not in email or " " in email):
        c.fail("email", "is not an email address")
    own = values.get("id", _cur(current).get("id"))
    if c.out.get("line_manager_id") is not None and c.out["line_manager_id"] == own:
        c.fail("line_manager_id", "must be another member of staff")
    return c


def qualification(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("staff_id", required=current is None)
    c.text("kind", required=current is None, max_len=120)
    c.text("level", max_len=20)
    c.date("awarded")
    return c


def training(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("staff_id", required=current is None)
    c.choice("kind", [k.value for k in vocab.TrainingKind], required=current is None)
    c.date("completed", required=current is None)
    c.date("expires")
    c.order("completed", "expires", "cannot be before the training was completed", current)
    return c


def dbs_check(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("staff_id", required=current is None)
    c.choice("level", [d.value for d in vocab.DbsLevel], required=False)
    c.text("certificate_number", required=current is None, max_len=20)
    c.date("issued", required=current is None)
    c.boolean("update_service")
    c.date("renew_by")
    num = c.out.get("certificate_number")
    if num and not (num.isdigit() and len(num) == 12):
        c.fail("certificate_number", "must be the 12 digits on the certificate")
    c.order("issued", "renew_by", "cannot be before the issue date", current)
    return c


# --------------------------------------------------------------------------- money


def funding(values: Values, current: Current = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    c.integer("pupil_id", required=new)
    c.choice("source", [s.value for s in vocab.FundingSource], required=new)
    c.text("funder", max_len=120)
    c.text("reference", max_len=60)
    c.decimal("amount_per_year", low=Decimal(0), high=Decimal(1_000_000))
    c.minutes("weekly_minutes")
    c.date("start_date", required=new)
    c.date("end_date")
    c.choice("status", [s.value for s in vocab.FundingStatus], required=False)
    c.order("start_date", "end_date", "cannot be before the start date", current)
    if (
        _now(c, "amount_per_year", current) is None
        and _now(c, "weekly_minutes", current) is None
        and "amount_per_year" not in c.errors
        and "weekly_minutes" not in c.errors
    ):
        c.fail("amount_per_year", "give an amount a year, funded hours a week, or both")
    return c


def contract_day(values: Values, current: Current = None) -> Checker:
    """One day of a working pattern: the day, its times and its unpaid break."""
    c = Checker(values, new=current is None)
    c.integer("contract_id", required=current is None)
    c.integer("weekday", required=current is None, low=0, high=6, nullable=False)
    for f in ("start", "end"):
        v = values.get(f)
        if not isinstance(v, dt.time):
            c.fail(f, "must be a time of day")
        else:
            c.out[f] = v
    c.integer("unpaid_break_minutes", low=0, high=24 * 60, nullable=False)
    start, end = c.out.get("start"), c.out.get("end")
    if start is not None and end is not None:
        span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if span <= 0:
            c.fail("end", f"({end:%H:%M}) must be after the start ({start:%H:%M})")
        elif c.out.get("unpaid_break_minutes", 0) >= span:
            c.fail("unpaid_break_minutes", "is as long as the working day or longer")
    return c


def contract(
    values: Values,
    current: Current = None,
    *,
    days: Sequence[Any] | None = None,
    default_paid_weeks: Decimal | None = None,
) -> Checker:
    """A contract. ``days`` (``rules.pay.WorkDay``s) is its working pattern, if it has one:
    the weekly hours must agree with it (given alone, the pattern sets them). A term-time
    contract needs its paid weeks: ``default_paid_weeks`` (the school's) fills them in when
    none are given; without it, none given is an error."""
    from .rules.pay import weekly_minutes

    new = current is None
    c = Checker(values, new=new)
    c.known("days")
    c.integer("staff_id", required=new)
    c.choice("kind", [k.value for k in vocab.ContractKind], required=new)
    c.text("job_title", max_len=120)
    c.date("start_date", required=new)
    c.date("end_date")
    c.text("grade", max_len=40)
    c.text("pay_point", max_len=20)
    c.decimal("fte_salary", required=new, low=Decimal(0), high=Decimal(500_000))
    c.minutes("weekly_minutes", allow_zero=False)
    c.boolean("term_time")
    c.decimal("paid_weeks", low=Decimal(1), high=WEEKS_PER_YEAR, places=3)
    c.integer("notice_weeks", low=0, high=52, nullable=False)
    c.integer("funding_id")
    c.order("start_date", "end_date", "cannot be before the start date", current)
    if days is not None:
        try:
            mins = weekly_minutes(days)
        except ValueError as exc:
            c.fail("days", str(exc))
        else:
            if mins <= 0:
                c.fail("days", "the working pattern has no hours")
            elif mins > MAX_WEEKLY_MINUTES:
                c.fail("weekly_minutes", "is more than 60 hours a week")
            elif (
                "weekly_minutes" in values
                and "weekly_minutes" not in c.errors
                and c.out.get("weekly_minutes") != mins
            ):
                c.fail(
                    "weekly_minutes", f"does not match the working pattern ({mins} minutes a week)"
                )
            c.out.setdefault("weekly_minutes", mins)
    elif new and "weekly_minutes" not in values:
        c.fail("weekly_minutes", "is required (or give the working pattern)")
    kind = _now(c, "kind", current)
    if (
        kind == vocab.ContractKind.FIXED_TERM
        and _now(c, "end_date", current) is None
        and "end_date" not in c.errors
    ):
        c.fail("end_date", "is required for a fixed-term contract")
    term_time = _now(c, "term_time", current)
    if term_time is None:
        term_time = True
    if not term_time:
        c.out["paid_weeks"] = None
    elif _now(c, "paid_weeks", current) is None and "paid_weeks" not in c.errors:
        if default_paid_weeks is not None:
            c.out["paid_weeks"] = default_paid_weeks
        else:
            c.fail("paid_weeks", "is required for a term-time contract")
    return c


def assignment(values: Values, current: Current = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    c.integer("staff_id", required=new)
    c.integer("pupil_id", required=new)
    c.minutes("weekly_minutes", required=new, allow_zero=False)
    c.integer("sessions", low=0, high=vocab.ALL_SESSIONS, nullable=False)
    c.choice("role", [r.value for r in vocab.AssignmentRole], required=False)
    c.date("start_date", required=new)
    c.date("end_date")
    c.order("start_date", "end_date", "cannot be before the start date", current)
    return c


# --------------------------------------------------------------------------- reviews

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
    from .rules.schoolyear import bank_holidays

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


# --------------------------------------------------------------------------- every table

Rule = Callable[..., Checker]

RULES: dict[str, Rule] = {
    "school": school,
    "local_authority": local_authority,
    "term_date": term_date,
    "pupil": pupil,
    "outcome": outcome,
    "outcome_status_change": outcome_status_change,
    "record": record,
    "staff": staff,
    "qualification": qualification,
    "training": training,
    "dbs_check": dbs_check,
    "funding": funding,
    "contract": contract,
    "contract_day": contract_day,
    "assignment": assignment,
    "review_meeting": review_meeting,
    "review_invitee": review_invitee,
    "review_advice": review_advice,
    "review_amendment": review_amendment,
}
"""The rule of each table (``audit_entry`` has none: it is history, not a record)."""


def validate(table: str, values: Values, current: Current = None, **context: Any) -> dict:
    """The cleaned values of one record, or ``ValidationError`` naming every bad field."""
    return RULES[table](values, current, **context).done()


@functools.cache
def text_limits(table: str) -> Mapping[str, int]:
    """The longest text each field of ``table`` takes (characters): what its rule checks,
    read from the rule itself, so an editor can count down as you type with the limit Save
    would hold it to."""
    return dict(RULES[table]({}, None).limits)


def whole_row(table: str, row: Values, **context: Any) -> dict:
    """Check a complete row (every column, as stored or as in a file): the rule's fields are
    checked as for a new record; the row's id and any column the rule does not cover pass.
    Returns the cleaned values of the fields the rule covers."""
    c = RULES[table](row, None, **context)
    c.known(*row.keys())
    return c.done()


# --------------------------------------------------------------------------- whole sets


def work_days(day_rows: Iterable[Mapping[str, Any]]) -> list[Any]:
    """Contract-day rows -> the ``WorkDay`` list the contract rule takes."""
    from .rules.pay import WorkDay

    return [
        WorkDay(int(d["weekday"]), d["start"], d["end"], int(d.get("unpaid_break_minutes") or 0))
        for d in day_rows
    ]


def _rows_checked(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
) -> Iterator[tuple[str, int, Mapping[str, Any], dict[str, Any] | ValidationError]]:
    """Each row of each table with a rule: (table, row number, row, cleaned or the error)."""
    days_of: dict[Any, list[Mapping[str, Any]]] = {}
    for d in tables.get("contract_day", ()):
        days_of.setdefault(d.get("contract_id"), []).append(d)
    for table, rule in RULES.items():
        for n, row in enumerate(tables.get(table, ()), start=1):
            context: dict[str, Any] = {}
            if table == "contract" and days_of.get(row.get("id")):
                # (days that cannot make a pattern are named by their own rows)
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    context["days"] = work_days(days_of[row.get("id")])
            try:
                c = rule(row, None, **context)
                c.known(*row.keys())
                yield table, n, row, c.done()
            except ValidationError as exc:
                yield table, n, row, exc


def row_problems(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
) -> Iterator[tuple[str, int, Any, str, str]]:
    """Every rule broken by rows of whole tables (a file being imported, or a database):
    yields (table, row number from 1, row id, field, why). Rows whose values have the wrong
    type are the caller's to report first; they are skipped here."""
    for table, n, row, result in _rows_checked(tables):
        if isinstance(result, ValidationError):
            for field, why in result.errors.items():
                yield table, n, row.get("id"), field, why


def clean_tables(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    """Rows that pass their rules, as the editors would store them (a UPN in capitals, text
    without stray spaces). Raises ``ValidationError`` on the first row that does not pass."""
    out = {name: [dict(r) for r in rows] for name, rows in tables.items()}
    for table, n, row, result in _rows_checked(tables):
        if isinstance(result, ValidationError):
            raise ValidationError({f"{table} row {n}: {k}": v for k, v in result.errors.items()})
        out[table][n - 1].update({k: v for k, v in result.items() if k in row})
    return out


SHOWN_PROBLEMS = 50
F = TypeVar("F", bound=Callable[..., Any])


def names_bad_data(func: F) -> F:
    """For a reader whose first argument is a Session (alerts, reports, the calendar): if it
    fails on impossible data (a date of 31/12/9999 moved a week on, a negative hour), the
    failure becomes a ``BadRows`` naming the rows that break the rules, never a traceback.
    A failure with every row sound is a bug, and is raised as it is."""

    @functools.wraps(func)
    def guarded(session: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(session, *args, **kwargs)
        except KnownError:
            raise
        except (ArithmeticError, ValueError, TypeError) as exc:
            problems = database_problems(session.connection(), limit=5)
            if not problems:
                raise
            raise BadRows(problems) from exc

    return guarded  # type: ignore[return-value]


def database_problems(conn: Any, *, limit: int = SHOWN_PROBLEMS) -> list[str]:
    """The rules broken by rows already in a database (``conn``, an SQLAlchemy Connection),
    one sentence each naming the table, the row's id and the field: data written by an older
    version, or by an import that did not check it, is found and named. At most ``limit``
    sentences, then how many more."""
    from sqlalchemy import select

    from .model import Base

    tables = Base.metadata.tables
    days = [dict(r) for r in conn.execute(select(tables["contract_day"])).mappings()]
    found: list[str] = []
    more = 0
    for name in RULES:
        result = conn.execute(select(tables[name]).order_by(tables[name].c.id))
        for part in result.mappings().partitions(2000):
            chunk = {name: [dict(r) for r in part], "contract_day": days}
            for table, _n, rid, field, why in row_problems(chunk):
                if table != name:
                    continue
                if len(found) < limit:
                    found.append(f"Table {table}, row id {rid}, {field}: {why}.")
                else:
                    more += 1
    if more:
        found.append(f"... and {more} more problem{'s' if more != 1 else ''} of this kind.")
    return found


__all__ = [
    "RULES",
    "clean_tables",
    "database_problems",
    "row_problems",
    "school_closed",
    "validate",
    "whole_row",
    "work_days",
]
