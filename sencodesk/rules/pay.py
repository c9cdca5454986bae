"""Pro-rata pay and cost of support staff (DOMAIN.md: "Pro-rata pay").

All money is :class:`~decimal.Decimal` and is rounded to pence with ROUND_HALF_UP only at the
end of each calculation. Floats are refused: a float such as 0.1 is not the amount it looks like.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# The pay defaults, in one place: a new school starts with these (model.School, DEFAULT_SCHOOL)
# and the editors show them until the school sets its own.
WEEKS_PER_YEAR = Decimal("52.143")  # 365/7, as employers' pro-rata formulas write it
FULL_TIME_HOURS = Decimal(37)  # the full-time week an FTE salary is for
ON_COST_PERCENT = Decimal(30)  # employer NI and pension on top of pay, a school setting
TERM_TIME_PAID_WEEKS = Decimal("43.108")  # term-time weeks plus holiday: a school default
PENNY = Decimal("0.01")
DAYS_PER_YEAR = 365
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class WorkDay:
    """One day of a working pattern (weekday 0 = Monday .. 6 = Sunday)."""

    weekday: int
    start: dt.time
    end: dt.time
    unpaid_break_minutes: int = 0


def _decimal(value: Decimal | int, name: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, not a float")
    return Decimal(value)


def to_pence(amount: Decimal) -> Decimal:
    """Round to the penny, halves away from zero (ROUND_HALF_UP)."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def _minute_of_day(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def day_minutes(day: WorkDay) -> int:
    """Paid minutes in one day: end − start − unpaid break (seconds are ignored)."""
    span = _minute_of_day(day.end) - _minute_of_day(day.start)
    if span <= 0:
        raise ValueError(
            f"The day's end ({day.end:%H:%M}) must be after its start ({day.start:%H:%M})"
        )
    if day.unpaid_break_minutes < 0:
        raise ValueError("An unpaid break cannot be negative")
    if day.unpaid_break_minutes >= span:
        raise ValueError(
            f"The unpaid break ({day.unpaid_break_minutes} min) must be shorter than the "
            f"working day ({span} min)"
        )
    return span - day.unpaid_break_minutes


def weekly_minutes(days: Iterable[WorkDay]) -> int:
    """Paid minutes in a week; each weekday may appear once."""
    seen: set[int] = set()
    total = 0
    for day in days:
        if not 0 <= day.weekday <= 6:
            raise ValueError(f"Weekday must be 0 (Monday) to 6 (Sunday), not {day.weekday}")
        if day.weekday in seen:
            raise ValueError(f"{WEEKDAY_NAMES[day.weekday]} appears twice in the working pattern")
        seen.add(day.weekday)
        total += day_minutes(day)
    return total


def format_hours(minutes: int | None) -> str:
    """1900 -> "31 h 40 min"; 1200 -> "20 h"; 30 -> "30 min"; 0 -> "0 h"; -90 -> "-1 h 30 min";
    None -> "".

    The one way hours are written, on screen and on paper."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(int(minutes)), 60)
    if not h and m:
        return f"{sign}{m} min"  # "30 min", never "0 h 30 min"
    return f"{sign}{h} h {m} min" if m else f"{sign}{h} h"


_HOURS_UNIT = r"(?:h|hr|hrs|hour|hours)"
_MIN_UNIT = r"(?:m|min|mins|minute|minutes)"
_HOURS_TYPED = re.compile(
    rf"(?:(\d{{1,3}}(?:[.,]\d+)?)\s*{_HOURS_UNIT}\.?)?\s*(?:(\d{{1,4}})\s*{_MIN_UNIT}?\.?)?"
)


def parse_hours(text: str) -> int | None:
    """Hours as people type them, to minutes: "25", "27.5", "27,5", "27:30", "27 h 30 min",
    "27h30", "90 min" (-> 1650 for 27 h 30 min); "" -> None. The reverse of
    ``format_hours``, whose text it reads back ("25 h", "27 h 30 min").

    Raises:
        ValueError: in words, when the text is not a number of hours (or not to the minute).
    """
    t = " ".join(text.strip().casefold().split())
    if not t:
        return None
    if m := re.fullmatch(r"(\d{1,3}):([0-5]\d)", t):
        return int(m.group(1)) * 60 + int(m.group(2))
    if re.fullmatch(r"\d{1,3}(?:[.,]\d+)?", t):
        minutes = Decimal(t.replace(",", ".")) * 60
    else:
        m = _HOURS_TYPED.fullmatch(t)
        if m is None or not (m.group(1) or m.group(2)):
            raise ValueError(f'"{text.strip()}" is not a number of hours (type 25, 27.5 or 27:30)')
        hours = Decimal(m.group(1).replace(",", ".")) if m.group(1) else Decimal(0)
        mins = int(m.group(2) or 0)
        if m.group(1) and mins > 59:
            raise ValueError(f'"{text.strip()}": the minutes after the hours must be under 60')
        minutes = hours * 60 + mins
    if minutes != minutes.to_integral_value():
        raise ValueError(f'"{text.strip()}" is not a whole number of minutes')
    return int(minutes)


def term_time_factor(paid_weeks: Decimal, weeks_per_year: Decimal = WEEKS_PER_YEAR) -> Decimal:
    """Paid weeks ÷ weeks in a year (unrounded)."""
    weeks = _decimal(paid_weeks, "paid_weeks")
    per_year = _decimal(weeks_per_year, "weeks_per_year")
    if weeks < 0:
        raise ValueError("Paid weeks cannot be negative")
    if per_year <= 0:
        raise ValueError("Weeks per year must be more than 0")
    return weeks / per_year


def annual_pay(
    fte_salary: Decimal,
    weekly_minutes: int,
    *,
    term_time: bool,
    paid_weeks: Decimal | None = None,
    full_time_hours: Decimal = FULL_TIME_HOURS,
    weeks_per_year: Decimal = WEEKS_PER_YEAR,
) -> Decimal:
    """Actual annual pay, to pence.

    FTE × (weekly hours ÷ full-time hours) × (paid weeks ÷ weeks per year when term-time).
    ``paid_weeks`` is ignored for an all-year contract.

    Raises:
        ValueError: a term-time contract without paid weeks, or a negative or zero input
            that makes the formula meaningless.
    """
    salary = _decimal(fte_salary, "fte_salary")
    ft_hours = _decimal(full_time_hours, "full_time_hours")
    if salary < 0:
        raise ValueError("FTE salary cannot be negative")
    if weekly_minutes < 0:
        raise ValueError("Weekly minutes cannot be negative")
    if ft_hours <= 0:
        raise ValueError("Full-time hours must be more than 0")
    pay = salary * Decimal(weekly_minutes) / (ft_hours * 60)
    if term_time:
        if paid_weeks is None:
            raise ValueError("A term-time contract needs its paid weeks")
        pay *= term_time_factor(paid_weeks, weeks_per_year)
    return to_pence(pay)


def employer_cost(annual_pay: Decimal, on_cost_percent: Decimal) -> Decimal:
    """Pay plus employer on-costs (National Insurance, pension) given as a percentage, to pence."""
    pay = _decimal(annual_pay, "annual_pay")
    pct = _decimal(on_cost_percent, "on_cost_percent")
    return to_pence(pay * (1 + pct / 100))


def cost_for_period(annual_amount: Decimal, start: dt.date, end: dt.date) -> Decimal:
    """The share of an annual amount for the inclusive days ``start``..``end``: days ÷ 365.

    A leap year's 366 days therefore cost slightly more than the annual amount; an empty
    range (``end`` before ``start``) costs nothing.
    """
    amount = _decimal(annual_amount, "annual_amount")
    if end < start:
        return Decimal("0.00")
    days = (end - start).days + 1
    return to_pence(amount * days / DAYS_PER_YEAR)


def format_money(amount: Decimal) -> str:
    """UK style, to pence: "£16,484.00"; "-£1,234.50"."""
    q = to_pence(_decimal(amount, "amount"))
    sign = "-" if q < 0 else ""
    return f"{sign}£{abs(q):,.2f}"
