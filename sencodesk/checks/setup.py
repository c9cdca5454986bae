"""The rules of the school's set-up: the school, its local authorities, its term dates."""

from __future__ import annotations

from decimal import Decimal

from ..rules.pay import WEEKS_PER_YEAR
from ..validate import Checker
from .base import SCHOOL_PHASES, Current, Values, _req


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
