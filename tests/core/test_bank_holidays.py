"""England's bank holidays kept in rules.bank_holidays_eng are the holidays package's own."""

from __future__ import annotations

import datetime as dt

import holidays

from sencodesk.rules import bank_holidays_eng as known
from sencodesk.rules.schoolyear import bank_holidays


def test_the_table_is_the_package_s_answer_year_by_year() -> None:
    years = range(known.FIRST, known.LAST + 1)
    package = dict(holidays.country_holidays("GB", subdiv="ENG", years=years))
    assert bank_holidays(years) == dict(sorted(package.items()))
    assert dt.date(2022, 9, 19) in bank_holidays([2022])  # a one-off: the State Funeral


def test_years_outside_it_come_from_the_package() -> None:
    for year in (known.FIRST - 1, known.LAST + 1):
        package = dict(holidays.country_holidays("GB", subdiv="ENG", years=year))
        assert bank_holidays([year]) == dict(sorted(package.items()))
