"""Half-day sessions (the 10-bit mask of ``vocab.session_bit``) from a working pattern: a day
that starts before noon works the morning; one that ends after 13:00 works the afternoon.
Used by cover (who works that session) and by a new assignment's default sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..vocab import session_bit

NOON = dt.time(12, 0)
AFTERNOON_FROM = dt.time(13, 0)
WEEKDAYS = range(5)


def day_bits(weekday: int) -> int:
    """The two session bits (AM, PM) of a weekday (0 = Monday); 0 at the weekend."""
    if weekday not in WEEKDAYS:
        return 0
    return session_bit(weekday, False) | session_bit(weekday, True)


def day_sessions(weekday: int, start: dt.time, end: dt.time) -> int:
    """The sessions one working day covers (none at the weekend)."""
    if weekday not in WEEKDAYS:
        return 0
    bits = 0
    if start < NOON:
        bits |= session_bit(weekday, False)
    if end > AFTERNOON_FROM:
        bits |= session_bit(weekday, True)
    return bits


def pattern_sessions(days: Iterable[tuple[int, dt.time, dt.time]]) -> int:
    """Every session of a week's pattern of (weekday, start, end); with no days recorded,
    every weekday session (the contract says nothing, so assume all)."""
    bits, any_day = 0, False
    for weekday, start, end in days:
        any_day = True
        bits |= day_sessions(weekday, start, end)
    if not any_day:
        return sum(day_bits(d) for d in WEEKDAYS)
    return bits
