"""dd/mm/yyyy in and out."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk.rules.dates import format_date, format_datetime, parse_date

d = dt.date


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (d(2025, 3, 7), "07/03/2025"),
        (d(2026, 12, 31), "31/12/2026"),
        (d(999, 1, 2), "02/01/0999"),
        (dt.datetime(2025, 3, 7, 23, 59), "07/03/2025"),
        (None, ""),
    ],
)
def test_format_date(value: dt.date | None, text: str) -> None:
    assert format_date(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.datetime(2025, 3, 7, 9, 5, 59), "07/03/2025 09:05"),
        (dt.datetime(2025, 12, 31, 23, 0), "31/12/2025 23:00"),
        (None, ""),
    ],
)
def test_format_datetime(value: dt.datetime | None, text: str) -> None:
    assert format_datetime(value) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("07/03/2025", d(2025, 3, 7)),
        ("7/3/2025", d(2025, 3, 7)),
        ("07/3/2025", d(2025, 3, 7)),
        (" 31/12/2025 ", d(2025, 12, 31)),
        ("29/02/2024", d(2024, 2, 29)),
        ("2025-03-07", d(2025, 3, 7)),
        ("2024-02-29", d(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, value: dt.date) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "31/02/2025",  # no such day
        "29/02/2025",  # not a leap year
        "13/13/2025",
        "00/01/2025",
        "7/3/25",  # two-digit year
        "07-03-2025",
        "2025/03/07",
        "2025-3-7",  # not ISO
        "03/07/2025/1",
        "07/03/2025 10:00",
        "\u0660\u0667/\u0660\u0663/\u0662\u0660\u0662\u0665",  # Arabic-Indic digits
    ],
)
def test_parse_date_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_date(text)
    assert str(err.value) == "Enter a date as dd/mm/yyyy"


def test_parse_date_reads_what_format_date_writes() -> None:
    day = d(2024, 1, 1)
    while day < d(2025, 1, 1):
        assert parse_date(format_date(day)) == day
        day += dt.timedelta(days=1)
