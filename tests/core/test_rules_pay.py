"""Pro-rata pay: the DOMAIN.md vectors (seed 004) and the rounding, validation and formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from sencodesk.rules.pay import (
    FULL_TIME_HOURS,
    WEEKS_PER_YEAR,
    WorkDay,
    annual_pay,
    cost_for_period,
    day_minutes,
    employer_cost,
    format_hours,
    format_money,
    term_time_factor,
    weekly_minutes,
)

T = dt.time
D = Decimal


def five_days(start: dt.time, end: dt.time, unpaid: int = 0) -> list[WorkDay]:
    return [WorkDay(weekday, start, end, unpaid) for weekday in range(5)]


SEED_004 = five_days(T(8, 40), T(15, 30), 30)  # 08:40–15:30, 30-minute unpaid lunch
SEED_PAID_WEEKS = D("43.108")


def test_constants() -> None:
    assert D("52.143") == WEEKS_PER_YEAR
    assert D(37) == FULL_TIME_HOURS


# --- working pattern ---------------------------------------------------------------------------


def test_seed_004_pattern_is_31_h_40_min() -> None:
    assert day_minutes(SEED_004[0]) == 380
    assert weekly_minutes(SEED_004) == 1900
    assert format_hours(weekly_minutes(SEED_004)) == "31 h 40 min"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (T(8, 30), T(12, 30), "20 h"),  # five mornings
        (T(8, 30), T(15, 30), "35 h"),
    ],
)
def test_other_seed_patterns(start: dt.time, end: dt.time, expected: str) -> None:
    assert format_hours(weekly_minutes(five_days(start, end))) == expected


def test_weekly_minutes_adds_different_days() -> None:
    days = [WorkDay(0, T(9), T(12)), WorkDay(2, T(13), T(15, 15), 15), WorkDay(5, T(10), T(11))]
    assert weekly_minutes(days) == 180 + 120 + 60
    assert weekly_minutes([]) == 0


def test_weekly_minutes_accepts_any_iterable() -> None:
    assert weekly_minutes(iter(SEED_004)) == 1900


def test_duplicate_weekday_is_refused() -> None:
    with pytest.raises(ValueError, match="Tuesday appears twice"):
        weekly_minutes([WorkDay(1, T(9), T(10)), WorkDay(1, T(13), T(14))])


@pytest.mark.parametrize("weekday", [-1, 7])
def test_weekday_out_of_range_is_refused(weekday: int) -> None:
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6 \\(Sunday\\)"):
        weekly_minutes([WorkDay(weekday, T(9), T(10))])


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (WorkDay(0, T(9), T(9)), "end \\(09:00\\) must be after its start \\(09:00\\)"),
        (WorkDay(0, T(15), T(9)), "end \\(09:00\\) must be after its start \\(15:00\\)"),
        (WorkDay(0, T(9), T(15), -5), "cannot be negative"),
        (WorkDay(0, T(9), T(10), 60), "must be shorter than the working day"),
        (WorkDay(0, T(9), T(10), 90), "must be shorter than the working day"),
    ],
)
def test_day_minutes_refuses_impossible_days(day: WorkDay, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        day_minutes(day)


def test_day_minutes_allows_a_break_one_minute_shorter_than_the_day() -> None:
    assert day_minutes(WorkDay(0, T(9), T(10), 59)) == 1


def test_a_bad_day_inside_a_week_is_reported() -> None:
    with pytest.raises(ValueError, match="must be after its start"):
        weekly_minutes([WorkDay(0, T(9), T(12)), WorkDay(1, T(12), T(9))])


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (1900, "31 h 40 min"),
        (1200, "20 h"),
        (0, "0 h"),
        (59, "59 min"),
        (30, "30 min"),
        (-30, "-30 min"),
        (60, "1 h"),
        (61, "1 h 1 min"),
        (2220, "37 h"),
        (-90, "-1 h 30 min"),
    ],
)
def test_format_hours(minutes: int, text: str) -> None:
    assert format_hours(minutes) == text


# --- pay -----------------------------------------------------------------------------------------


def _exact_pay(fte: str, minutes: int, paid_weeks: str | None) -> Fraction:
    """The formula in exact rational arithmetic, independent of Decimal precision."""
    pay = Fraction(fte) * Fraction(minutes, 60) / 37
    if paid_weeks is not None:
        pay *= Fraction(paid_weeks) / Fraction("52.143")
    return pay


def _half_up_pence(x: Fraction) -> Decimal:
    pence = (x * 100 + Fraction(1, 2)).__floor__()
    return D(pence) / 100


@pytest.mark.parametrize(("fte", "to_the_pound"), [("23297", 16484), ("24223", 17139)])
def test_seed_004_vector(fte: str, to_the_pound: int) -> None:
    pay = annual_pay(D(fte), 1900, term_time=True, paid_weeks=SEED_PAID_WEEKS)
    assert round(pay) == to_the_pound
    assert pay == _half_up_pence(_exact_pay(fte, 1900, "43.108"))
    assert pay.as_tuple().exponent == -2


def test_seed_004_vector_to_the_penny() -> None:
    assert annual_pay(D(23297), 1900, term_time=True, paid_weeks=SEED_PAID_WEEKS) == D("16484.00")
    assert annual_pay(D(24223), 1900, term_time=True, paid_weeks=SEED_PAID_WEEKS) == D("17139.19")


def test_full_time_all_year_is_the_fte_salary_exactly() -> None:
    assert annual_pay(D("23297.00"), 37 * 60, term_time=False) == D("23297.00")
    assert annual_pay(D("24223.57"), 37 * 60, term_time=False) == D("24223.57")


def test_full_time_for_52_143_paid_weeks_is_the_fte_salary() -> None:
    assert annual_pay(D(23297), 37 * 60, term_time=True, paid_weeks=WEEKS_PER_YEAR) == D("23297.00")


@pytest.mark.parametrize(("minutes", "expected"), [(1200, "12592.97"), (2100, "22037.70")])
def test_part_time_all_year_is_pro_rata_to_37_hours(minutes: int, expected: str) -> None:
    # 23297 × 20/37 = 12592.9729…; 23297 × 35/37 = 22037.7027…
    assert annual_pay(D(23297), minutes, term_time=False) == D(expected)


def test_all_year_contract_ignores_paid_weeks() -> None:
    assert annual_pay(D(23297), 1900, term_time=False, paid_weeks=D("10")) == annual_pay(
        D(23297), 1900, term_time=False
    )


def test_term_time_needs_paid_weeks() -> None:
    with pytest.raises(ValueError, match="paid weeks"):
        annual_pay(D(23297), 1900, term_time=True)


def test_settings_for_full_time_hours_and_weeks_per_year_are_used() -> None:
    # 36-hour week: 18 h is half; 39 paid of 52 weeks is three quarters.
    pay = annual_pay(
        D(20000),
        18 * 60,
        term_time=True,
        paid_weeks=D(39),
        full_time_hours=D(36),
        weeks_per_year=D(52),
    )
    assert pay == D("7500.00")


def test_annual_pay_rounds_half_up_not_to_even() -> None:
    # 1.01 × 18.5/37 = 0.505 exactly: half-up gives 0.51 (banker's rounding would give 0.50).
    assert annual_pay(D("1.01"), 1110, term_time=False) == D("0.51")


def test_annual_pay_refuses_float_money() -> None:
    with pytest.raises(TypeError, match="float"):
        annual_pay(23297.0, 1900, term_time=False)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fte_salary": D(-1)}, "FTE salary"),
        ({"weekly_minutes": -1}, "Weekly minutes"),
        ({"full_time_hours": D(0)}, "Full-time hours"),
        ({"paid_weeks": D(-1)}, "Paid weeks"),
        ({"weeks_per_year": D(0)}, "Weeks per year"),
    ],
)
def test_annual_pay_refuses_meaningless_inputs(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "fte_salary": D(23297),
        "weekly_minutes": 1900,
        "term_time": True,
        "paid_weeks": SEED_PAID_WEEKS,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        annual_pay(**args)  # type: ignore[arg-type]


def test_term_time_factor() -> None:
    assert term_time_factor(SEED_PAID_WEEKS) == D("43.108") / D("52.143")
    assert D("0.8267") < term_time_factor(SEED_PAID_WEEKS) < D("0.8268")
    assert term_time_factor(D(39), D(52)) == D("0.75")
    assert term_time_factor(WEEKS_PER_YEAR) == 1


# --- cost ----------------------------------------------------------------------------------------


def test_employer_cost_adds_on_costs() -> None:
    assert employer_cost(D("16484.00"), D(30)) == D("21429.20")
    assert employer_cost(D("17139.19"), D("27.5")) == D("21852.47")  # 21852.4672…
    assert employer_cost(D("16484.00"), D(0)) == D("16484.00")


def test_employer_cost_rounds_half_up() -> None:
    assert employer_cost(D("0.03"), D(50)) == D("0.05")  # 0.045: half-even would give 0.04


def test_cost_for_period_is_days_over_365() -> None:
    assert cost_for_period(D(36500), dt.date(2025, 9, 1), dt.date(2025, 9, 1)) == D("100.00")
    assert cost_for_period(D(36500), dt.date(2025, 9, 1), dt.date(2025, 9, 30)) == D("3000.00")
    # An academic year with no 29 February is exactly the annual amount...
    assert cost_for_period(D("16484.00"), dt.date(2025, 9, 1), dt.date(2026, 8, 31)) == D(
        "16484.00"
    )
    # ...and one with a 29 February is 366/365 of it.
    assert cost_for_period(D(36500), dt.date(2023, 9, 1), dt.date(2024, 8, 31)) == D("36600.00")


def test_cost_for_period_rounds_half_up() -> None:
    one_day = dt.date(2025, 9, 1)
    assert cost_for_period(D("1.825"), one_day, one_day) == D("0.01")  # 0.005 exactly


def test_cost_for_period_with_end_before_start_is_zero() -> None:
    result = cost_for_period(D(36500), dt.date(2025, 9, 2), dt.date(2025, 9, 1))
    assert result == 0
    assert str(result) == "0.00"


# --- money format ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (D(16484), "£16,484.00"),
        (D("17139.19"), "£17,139.19"),
        (D("-1234.5"), "-£1,234.50"),
        (D(0), "£0.00"),
        (D("0.5"), "£0.50"),
        (D("999.995"), "£1,000.00"),
        (D("1234567.891"), "£1,234,567.89"),
        (D("-0.001"), "£0.00"),
        (12, "£12.00"),
    ],
)
def test_format_money(amount: Decimal, text: str) -> None:
    assert format_money(amount) == text


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("25", 1500),
        ("27.5", 1650),
        ("27,5", 1650),
        ("27:30", 1650),
        ("27 h 30 min", 1650),
        ("27h30", 1650),
        ("25 h 0 min", 1500),
        ("90 min", 90),
        ("", None),
    ],
)
def test_parse_hours_reads_what_people_type_and_what_format_hours_writes(typed, minutes):
    from sencodesk.rules.pay import parse_hours

    assert parse_hours(typed) == minutes
    if minutes:
        assert parse_hours(format_hours(minutes)) == minutes


@pytest.mark.parametrize("typed", ["twenty", "27.33", "1 h 90", "-5"])
def test_parse_hours_refuses_in_words(typed):
    from sencodesk.rules.pay import parse_hours

    with pytest.raises(ValueError, match=typed.split()[0].lstrip("-") or "hours"):
        parse_hours(typed)
