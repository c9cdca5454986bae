"""The school's settings as one frozen row, and their defaults (DOMAIN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .pay import FULL_TIME_HOURS, ON_COST_PERCENT, TERM_TIME_PAID_WEEKS, WEEKS_PER_YEAR


@dataclass(frozen=True)
class SchoolRow:
    name: str
    la_id: int | None
    la_name: str
    dfe_number: str
    phase: str
    transfer_years: tuple[int, ...]
    full_time_hours: Decimal
    weeks_per_year: Decimal
    default_paid_weeks: Decimal
    on_cost_percent: Decimal
    retention_years: int
    alert_horizon_days: int
    expiry_warning_days: int
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


DEFAULT_SCHOOL = SchoolRow(
    name="",
    la_id=None,
    la_name="",
    dfe_number="",
    phase="primary",
    transfer_years=(-1, 6, 11),
    full_time_hours=FULL_TIME_HOURS,
    weeks_per_year=WEEKS_PER_YEAR,
    default_paid_weeks=TERM_TIME_PAID_WEEKS,
    on_cost_percent=ON_COST_PERCENT,
    retention_years=31,
    alert_horizon_days=120,
    expiry_warning_days=60,
)


def parse_transfer_years(text: str) -> tuple[int, ...]:
    """The year groups after which pupils change phase, as stored: "-1,6,11"."""
    return tuple(int(x) for x in text.split(",") if x.strip())
