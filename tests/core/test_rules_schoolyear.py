"""School year, year groups, ages, census days and England's working days."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from sencodesk.rules.schoolyear import (
    academic_year_label,
    academic_year_of,
    age_on,
    bank_holidays,
    census_days,
    is_working_day,
    next_census_day,
    next_working_day,
    previous_working_day,
    reception_start_year,
    year_group,
    year_group_label,
)

d = dt.date


# --- academic year -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start_year"),
    [
        (d(2025, 8, 31), 2024),
        (d(2025, 9, 1), 2025),
        (d(2025, 12, 31), 2025),
        (d(2026, 1, 1), 2025),
        (d(2026, 8, 31), 2025),
    ],
)
def test_academic_year_of(day: dt.date, start_year: int) -> None:
    assert academic_year_of(day) == start_year


@pytest.mark.parametrize(
    ("start_year", "label"), [(2025, "2025/26"), (2009, "2009/10"), (1999, "1999/00")]
)
def test_academic_year_label(start_year: int, label: str) -> None:
    assert academic_year_label(start_year) == label


# --- year groups -------------------------------------------------------------------------------


def test_31_august_and_1_september_births_start_reception_a_year_apart() -> None:
    assert reception_start_year(d(2020, 8, 31)) == 2024
    assert reception_start_year(d(2020, 9, 1)) == 2025
    assert reception_start_year(d(2021, 8, 31)) == 2025  # the youngest of the 2025 intake


def test_31_august_and_1_september_births_are_in_different_year_groups() -> None:
    on = d(2025, 10, 1)
    assert year_group(d(2019, 8, 31), on) == 2
    assert year_group(d(2019, 9, 1), on) == 1


def test_29_february_2016_is_year_5_throughout_2025_26() -> None:
    dob = d(2016, 2, 29)
    assert year_group(dob, d(2025, 9, 1)) == 5
    assert year_group(dob, d(2026, 2, 28)) == 5
    assert year_group(dob, d(2026, 8, 31)) == 5
    assert year_group(dob, d(2026, 9, 1)) == 6


def test_year_group_changes_on_1_september_not_on_the_birthday() -> None:
    dob = d(2014, 11, 20)
    assert year_group(dob, d(2025, 8, 31)) == 5
    assert year_group(dob, d(2025, 9, 1)) == 6
    assert year_group(dob, d(2025, 11, 20)) == 6


def test_reception_is_the_year_a_child_turns_5() -> None:
    for dob in (d(2020, 9, 1), d(2021, 2, 28), d(2021, 8, 31)):
        fifth_birthday = dob.replace(year=dob.year + 5)
        assert year_group(dob, fifth_birthday) == 0


@pytest.mark.parametrize(
    ("dob", "group"),
    [
        (d(2021, 9, 1), -1),  # Nursery in 2025/26
        (d(2025, 1, 1), -4),  # a baby
        (d(2005, 6, 1), 16),  # an adult (Year 13 in 2022/23): plain arithmetic
    ],
)
def test_year_group_outside_school_age_is_arithmetic(dob: dt.date, group: int) -> None:
    assert year_group(dob, d(2025, 10, 1)) == group


@pytest.mark.parametrize(
    ("n", "label"),
    [
        (-4, "Pre-school"),
        (-2, "Pre-school"),
        (-1, "Nursery"),
        (0, "Reception"),
        (1, "Year 1"),
        (6, "Year 6"),
        (13, "Year 13"),
        (14, "Post-19"),
        (20, "Post-19"),
    ],
)
def test_year_group_label(n: int, label: str) -> None:
    assert year_group_label(n) == label


# --- age ---------------------------------------------------------------------------------------


def test_age_changes_on_the_birthday() -> None:
    dob = d(2015, 6, 10)
    assert age_on(dob, dob) == 0
    assert age_on(dob, d(2025, 6, 9)) == 9
    assert age_on(dob, d(2025, 6, 10)) == 10
    assert age_on(dob, d(2025, 12, 31)) == 10


def test_a_leapling_attains_an_age_on_1_march_in_a_common_year() -> None:
    dob = d(2008, 2, 29)
    assert age_on(dob, d(2025, 2, 28)) == 16
    assert age_on(dob, d(2025, 3, 1)) == 17
    # In a leap year the birthday is 29 February itself.
    assert age_on(dob, d(2024, 2, 28)) == 15
    assert age_on(dob, d(2024, 2, 29)) == 16


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(d(2020, 5, 1), d(2020, 4, 30))


# --- census days -------------------------------------------------------------------------------


def test_census_days_2025_26() -> None:
    # Calendar: 1 Oct 2025 is a Wednesday; 1 Jan 2026 a Thursday; 1 May 2026 a Friday.
    assert census_days(2025) == [d(2025, 10, 2), d(2026, 1, 15), d(2026, 5, 21)]


def test_census_days_2026_27_when_1_october_is_a_thursday() -> None:
    assert calendar.weekday(2026, 10, 1) == calendar.THURSDAY
    assert census_days(2026) == [d(2026, 10, 1), d(2027, 1, 21), d(2027, 5, 20)]


@pytest.mark.parametrize("year", range(2020, 2035))
def test_census_days_are_the_right_thursdays(year: int) -> None:
    october, january, may = census_days(year)
    assert [x.weekday() for x in (october, january, may)] == [calendar.THURSDAY] * 3
    assert (october.year, october.month) == (year, 10) and 1 <= october.day <= 7
    assert (january.year, january.month) == (year + 1, 1) and 15 <= january.day <= 21
    assert (may.year, may.month) == (year + 1, 5) and 15 <= may.day <= 21


@pytest.mark.parametrize(
    ("on", "census"),
    [
        (d(2025, 9, 1), d(2025, 10, 2)),
        (d(2025, 10, 2), d(2025, 10, 2)),  # on the day itself
        (d(2025, 10, 3), d(2026, 1, 15)),
        (d(2026, 1, 16), d(2026, 5, 21)),
        (d(2026, 5, 22), d(2026, 10, 1)),  # after May: next academic year's October
        (d(2026, 8, 31), d(2026, 10, 1)),
    ],
)
def test_next_census_day(on: dt.date, census: dt.date) -> None:
    assert next_census_day(on) == census


# --- bank holidays and working days ------------------------------------------------------------


def test_bank_holidays_christmas_and_boxing_day_2025() -> None:
    hols = bank_holidays([2025])
    assert "Christmas" in hols[d(2025, 12, 25)]
    assert "Boxing" in hols[d(2025, 12, 26)]
    assert len(hols) == 8  # England's usual eight


def test_bank_holidays_include_substitute_days() -> None:
    hols = bank_holidays([2026, 2027])
    assert "Boxing" in hols[d(2026, 12, 28)]  # Boxing Day 2026 is a Saturday
    assert d(2027, 12, 27) in hols and d(2027, 12, 28) in hols  # both fall at a weekend
    assert d(2026, 12, 26) in hols  # the day itself is kept, though not a working day anyway


def test_bank_holidays_cover_every_year_asked_and_one_off_days() -> None:
    hols = bank_holidays(range(2022, 2024))
    assert d(2022, 9, 19) in hols  # state funeral of Queen Elizabeth II
    assert d(2023, 5, 8) in hols  # coronation of Charles III
    assert {x.year for x in hols} == {2022, 2023}
    assert list(hols) == sorted(hols)


def test_bank_holidays_are_england_only() -> None:
    hols = bank_holidays([2025, 2026])
    assert d(2026, 1, 2) not in hols  # Scotland's 2 January
    assert d(2025, 8, 4) not in hols  # Scotland's summer holiday
    assert d(2025, 8, 25) in hols  # England's late summer holiday
    assert d(2025, 3, 17) not in hols  # St Patrick's Day (Northern Ireland)


def test_bank_holidays_returns_a_copy_callers_may_change() -> None:
    first = bank_holidays([2025])
    first.clear()
    assert d(2025, 12, 25) in bank_holidays([2025])
    assert not is_working_day(d(2025, 12, 25))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (d(2026, 4, 2), True),  # Thursday
        (d(2026, 4, 3), False),  # Good Friday
        (d(2026, 4, 4), False),  # Saturday
        (d(2026, 4, 5), False),  # Sunday
        (d(2026, 4, 6), False),  # Easter Monday
        (d(2026, 4, 7), True),  # Tuesday
        (d(2026, 12, 28), False),  # substitute Boxing Day
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


def test_previous_working_day() -> None:
    assert previous_working_day(d(2026, 4, 7)) == d(2026, 4, 7)  # a working day is itself
    assert previous_working_day(d(2026, 4, 6)) == d(2026, 4, 2)  # over Easter
    assert previous_working_day(d(2026, 3, 15)) == d(2026, 3, 13)  # Sunday -> Friday
    assert previous_working_day(d(2026, 1, 1)) == d(2025, 12, 31)  # across a year
    assert previous_working_day(d(2026, 12, 28)) == d(2026, 12, 24)


def test_next_working_day() -> None:
    assert next_working_day(d(2026, 4, 2)) == d(2026, 4, 2)
    assert next_working_day(d(2026, 4, 3)) == d(2026, 4, 7)
    assert next_working_day(d(2026, 3, 14)) == d(2026, 3, 16)  # Saturday -> Monday
    assert next_working_day(d(2026, 12, 25)) == d(2026, 12, 29)
    assert next_working_day(d(2027, 12, 25)) == d(2027, 12, 29)
