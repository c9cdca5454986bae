"""The rules of funding, contracts (with their days) and assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .. import vocab
from ..rules.pay import WEEKS_PER_YEAR
from ..validate import MAX_WEEKLY_MINUTES, Checker
from .base import Current, Values, _now


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
    from ..rules.pay import weekly_minutes

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
