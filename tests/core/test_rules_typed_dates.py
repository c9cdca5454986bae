"""Dates as people type them: one parser (``rules.dates.parse_typed_date``) behind every date
box, never a guess: anything it cannot read is an error naming what was typed."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk.rules.dates import TypedDateError, parse_typed_date

TODAY = dt.date(2026, 12, 5)  # a Saturday


@pytest.mark.parametrize(
    ("typed", "want"),
    [
        ("05/04/2027", dt.date(2027, 4, 5)),
        ("5/4/2027", dt.date(2027, 4, 5)),
        ("5/4/27", dt.date(2027, 4, 5)),
        ("050427", dt.date(2027, 4, 5)),
        ("10062024", dt.date(2024, 6, 10)),
        ("10.06.2024", dt.date(2024, 6, 10)),
        ("10-6-24", dt.date(2024, 6, 10)),
        ("10 6 2024", dt.date(2024, 6, 10)),
        (" 10/06/2024 ", dt.date(2024, 6, 10)),
        ("2024-06-10", dt.date(2024, 6, 10)),
        ("10/6", dt.date(2026, 6, 10)),  # this year
        ("1006", dt.date(2026, 6, 10)),
        ("1/2/85", dt.date(1985, 2, 1)),  # a two-digit year more than 20 years ahead
        ("1/2/46", dt.date(2046, 2, 1)),
        ("1/2/47", dt.date(1947, 2, 1)),
        ("29/02/2028", dt.date(2028, 2, 29)),
        ("today", TODAY),
        ("Today", TODAY),
        ("t", TODAY),
        ("tomorrow", dt.date(2026, 12, 6)),
        ("yesterday", dt.date(2026, 12, 4)),
        ("+2w", dt.date(2026, 12, 19)),
        ("-3d", dt.date(2026, 12, 2)),
        ("+5", dt.date(2026, 12, 10)),
        ("+1m", dt.date(2027, 1, 5)),
        ("-1y", dt.date(2025, 12, 5)),
    ],
)
def test_typed_dates_are_read_as_a_person_in_england_means_them(typed: str, want: dt.date) -> None:
    assert parse_typed_date(typed, TODAY) == want


def test_a_month_step_from_the_31st_lands_on_the_months_last_day() -> None:
    assert parse_typed_date("+1m", dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_box_is_no_date(typed: str) -> None:
    assert parse_typed_date(typed, TODAY) is None


@pytest.mark.parametrize(
    "typed",
    [
        "31/02/2024",  # no such day
        "29/02/2027",
        "13/13/2024",
        "1",
        "12345",
        "1234567",
        "1/2/3",
        "10/06/202",
        "abc",
        "next week",
        "10/06/2024 9am",
        "05/04/1899",  # out of range
        "01/01/2201",
        "+9999y",
        "١٠/٠٦/٢٠٢٤",  # digits, but not the ones a UK keyboard types
    ],
)
def test_anything_else_is_an_error_naming_what_was_typed(typed: str) -> None:
    with pytest.raises(TypedDateError) as err:
        parse_typed_date(typed, TODAY)
    assert f'"{typed.strip()}"' in str(err.value)
