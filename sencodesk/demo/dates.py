"""School days for the demo: English term dates, and days near a date."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from .. import vocab
from ..rules.schoolyear import previous_working_day
from .plan import ONE_DAY

# =========================================================================== calendar


def english_term_dates(year: int) -> list[tuple[dt.date, dt.date]]:
    """Six half-terms of the academic year starting in September ``year``, as English LAs
    usually set them: autumn from the third weekday of September, half-terms in the last
    week of October, the week of the third Monday of February and the week of the late-May
    bank holiday, Christmas from about 21 December, two weeks at Easter, the summer term
    ending about 21 July."""

    def weekday_on_or_after(d: dt.date, weekday: int) -> dt.date:
        return d + dt.timedelta(days=(weekday - d.weekday()) % 7)

    d = dt.date(year, 9, 1)
    weekdays = 0
    while True:
        if d.weekday() < 5:
            weekdays += 1
            if weekdays == 3:
                break
        d += ONE_DAY
    autumn_start = d if d.weekday() != 4 else d + dt.timedelta(days=3)
    oct_ht = weekday_on_or_after(dt.date(year, 10, 25), 0)  # the last Monday of October
    if oct_ht.month != 10:
        oct_ht -= dt.timedelta(days=7)
    christmas = _weekday_near(dt.date(year, 12, 21))
    spring = dt.date(year + 1, 1, 5)
    while spring.weekday() >= 4:
        spring += ONE_DAY
    feb_ht = weekday_on_or_after(dt.date(year + 1, 2, 1), 0) + dt.timedelta(weeks=2)
    sunday = easter(year + 1)
    if sunday <= dt.date(year + 1, 4, 12):
        spring_end = sunday - dt.timedelta(days=3)  # Maundy Thursday
        summer_start = sunday + dt.timedelta(days=15)  # two weeks after Easter Monday
    else:
        spring_end = sunday - dt.timedelta(days=9)  # the Friday a week before Good Friday
        summer_start = sunday + dt.timedelta(days=2)  # the Tuesday after Easter Monday
    may_ht = weekday_on_or_after(dt.date(year + 1, 5, 25), 0)  # the last Monday of May
    summer_end = _weekday_near(dt.date(year + 1, 7, 21))
    return [
        (autumn_start, oct_ht - dt.timedelta(days=3)),
        (oct_ht + dt.timedelta(days=7), christmas),
        (spring, feb_ht - dt.timedelta(days=3)),
        (feb_ht + dt.timedelta(days=7), spring_end),
        (summer_start, may_ht - dt.timedelta(days=3)),
        (may_ht + dt.timedelta(days=7), summer_end),
    ]


def _weekday_near(d: dt.date) -> dt.date:
    """``d`` if Tuesday to Friday, else the Friday before (terms do not end on a Monday)."""
    if d.weekday() in (1, 2, 3, 4):
        return d
    return d - dt.timedelta(days=(d.weekday() - 4) % 7)


def _month_end(d: dt.date) -> dt.date:
    return (d.replace(day=1) + relativedelta(months=1)) - ONE_DAY


def _next_month_start(d: dt.date) -> dt.date:
    return d.replace(day=1) + relativedelta(months=1)


def _weekday_before(d: dt.date) -> dt.date:
    """``d``, or the working day before it (offices are shut at weekends and bank holidays)."""
    return previous_working_day(d)


def _weighted_sample(
    rng: random.Random, items: Sequence[Any], weights: Sequence[float], k: int
) -> list[Any]:
    """``k`` items without replacement, more likely the heavier (Efraimidis–Spirakis)."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _key, i in keyed[:k]]


# Sessions (half-days) in an assignment's mask.
_AM = sum(vocab.session_bit(d, False) for d in range(5))
_PM = sum(vocab.session_bit(d, True) for d in range(5))
_ALL = vocab.ALL_SESSIONS


def _sessions(*pairs: tuple[int, bool]) -> int:
    return sum(vocab.session_bit(d, pm) for d, pm in pairs)
