"""School days: when the SENCO is in school to act.

A date to act by must be a day the school is open: a weekday, not an England bank holiday,
and not in a holiday between two of the school's half-terms (its term dates, a setting).
Where term dates are not known for a date's academic year, weekdays less bank holidays are
taken as school days.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .schoolyear import academic_year_of, previous_working_day


@dataclass(frozen=True)
class SchoolDays:
    """The school's half-terms as (first day, last day) pairs, sorted."""

    terms: tuple[tuple[dt.date, dt.date], ...] = ()
    _starts: tuple[dt.date, ...] = field(default=(), repr=False, compare=False)
    _years: frozenset[int] = field(default=frozenset(), repr=False, compare=False)
    # act_by's answers so far: the rules ask about the same few hundred dates thousands of
    # times at a trust (#17). A pure function of the date and the terms, so never stale.
    _act_by: dict[dt.date, dt.date] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )
    # rules.reviews.deadline_chain's answers under these terms, kept the same way.
    chains: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @classmethod
    def from_terms(cls, terms: Iterable[tuple[dt.date, dt.date]]) -> SchoolDays:
        ordered = tuple(sorted((s, e) for s, e in terms if e >= s))
        return cls(
            ordered,
            tuple(s for s, _ in ordered),
            frozenset(academic_year_of(s) for s, _ in ordered),
        )

    def _term_before(self, d: dt.date) -> tuple[dt.date, dt.date] | None:
        """The half-term starting on or before ``d`` (the last such), if any."""
        i = bisect_right(self._starts, d)
        return self.terms[i - 1] if i else None

    def in_closure(self, d: dt.date) -> bool:
        """True when ``d`` falls in a school holiday the term dates record."""
        if academic_year_of(d) not in self._years:
            return False
        before = self._term_before(d)
        return before is not None and before[1] < d

    def act_by(self, d: dt.date) -> dt.date:
        """The last school day on or before ``d``: weekends, bank holidays and (where term
        dates are known) school holidays move it earlier."""
        known = self._act_by.get(d)
        if known is None:
            known = self._act_by[d] = self._find_act_by(d)
        return known

    def _find_act_by(self, d: dt.date) -> dt.date:
        d = previous_working_day(d)
        for _ in range(64):  # a closure ends on a term's last day; bounded, not a busy loop
            if not self.in_closure(d):
                return d
            before = self._term_before(d)
            assert before is not None
            d = previous_working_day(before[1])
        return d


NO_TERMS = SchoolDays()


def _weekday_on_or_after(d: dt.date, weekday: int) -> dt.date:
    return d + dt.timedelta(days=(weekday - d.weekday()) % 7)


def _weekday_on_or_before(d: dt.date, weekday: int) -> dt.date:
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


def suggested_half_terms(year: int) -> list[tuple[dt.date, dt.date]]:
    """A typical English pattern (Monday starts, Friday ends), for the user to correct."""
    y, n = year, year + 1
    pattern = [
        ((y, 9, 2), (y, 10, 24)),
        ((y, 11, 3), (y, 12, 19)),
        ((n, 1, 5), (n, 2, 13)),
        ((n, 2, 23), (n, 3, 27)),
        ((n, 4, 13), (n, 5, 22)),
        ((n, 6, 1), (n, 7, 21)),
    ]
    out = []
    for (sy, sm, sd), (ey, em, ed) in pattern:
        start = _weekday_on_or_after(dt.date(sy, sm, sd), 0 if sm != 9 else 1)
        end = _weekday_on_or_before(dt.date(ey, em, ed), 4 if em != 7 else 1)
        out.append((start, end))
    return out
