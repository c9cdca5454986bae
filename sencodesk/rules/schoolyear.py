"""The English school year, year groups, ages, census days and working days."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType

SEPTEMBER = 9
THURSDAY = 3
ONE_DAY = dt.timedelta(days=1)


def academic_year_of(d: dt.date) -> int:
    """The start year of the academic year (1 September – 31 August) containing ``d``."""
    return d.year if d.month >= SEPTEMBER else d.year - 1


def academic_year_label(start_year: int) -> str:
    """2025 -> "2025/26"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def reception_start_year(dob: dt.date) -> int:
    """Born 1 Sep Y – 31 Aug Y+1: Reception starts in September of Y+5."""
    return academic_year_of(dob) + 5


def year_group(dob: dt.date, on: dt.date) -> int:
    """Reception = 0, Nursery = -1, Year N = N; plain arithmetic outside school age."""
    return academic_year_of(on) - reception_start_year(dob)


def year_group_label(n: int) -> str:
    if n < -1:
        return "Pre-school"
    if n == -1:
        return "Nursery"
    if n == 0:
        return "Reception"
    if n <= 13:
        return f"Year {n}"
    return "Post-19"


def _birthday_in(year: int, dob: dt.date) -> dt.date:
    """The birthday in ``year``; a 29 February birthday falls on 1 March in a common year.

    That is the usual reading in UK law (a person attains an age at the start of the
    anniversary of their birth, Family Law Reform Act 1969 s.9).
    """
    if (dob.month, dob.day) == (2, 29):
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 3, 1)
    return dt.date(year, dob.month, dob.day)


def age_on(dob: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``.

    Raises:
        ValueError: ``on`` is before the date of birth.
    """
    if on < dob:
        raise ValueError(f"{on.isoformat()} is before the date of birth {dob.isoformat()}")
    years = on.year - dob.year
    return years - 1 if on < _birthday_in(on.year, dob) else years


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th (1-based) ``weekday`` (0 = Monday) of a month."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def census_days(academic_year: int) -> list[dt.date]:
    """First Thursday of October, third Thursday of January and of May, in date order."""
    return [
        nth_weekday(academic_year, 10, THURSDAY, 1),
        nth_weekday(academic_year + 1, 1, THURSDAY, 3),
        nth_weekday(academic_year + 1, 5, THURSDAY, 3),
    ]


def next_census_day(on: dt.date) -> dt.date:
    """The first census day on or after ``on``."""
    year = academic_year_of(on)
    # The October census of the next academic year always follows the May one of this year.
    return next(d for d in census_days(year) + census_days(year + 1) if d >= on)


@functools.lru_cache(maxsize=64)
def _holidays_for(year: int) -> Mapping[dt.date, str]:
    from . import bank_holidays_eng as known  # the package's answer, kept (no 0.17 s import)

    if known.FIRST <= year <= known.LAST:
        return MappingProxyType(
            {dt.date.fromisoformat(d): n for d, n in known.ENGLAND if d.startswith(f"{year}-")}
        )
    import holidays  # deferred: the package takes ~0.1 s to import

    return MappingProxyType(dict(holidays.country_holidays("GB", subdiv="ENG", years=year)))


def bank_holidays(years: Iterable[int]) -> dict[dt.date, str]:
    """England's bank holidays, including substitute days, from the ``holidays`` package."""
    out: dict[dt.date, str] = {}
    for year in years:
        out.update(_holidays_for(year))
    return dict(sorted(out.items()))


def is_working_day(d: dt.date) -> bool:
    """Monday to Friday and not an England bank holiday."""
    return d.weekday() < 5 and d not in _holidays_for(d.year)


def previous_working_day(d: dt.date) -> dt.date:
    """``d`` itself if a working day, else the nearest earlier one."""
    while not is_working_day(d):
        d -= ONE_DAY
    return d


def next_working_day(d: dt.date) -> dt.date:
    """``d`` itself if a working day, else the nearest later one."""
    while not is_working_day(d):
        d += ONE_DAY
    return d
