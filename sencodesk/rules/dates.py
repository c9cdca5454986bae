"""UK date formats: dd/mm/yyyy for people, ISO yyyy-mm-dd for machines."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

DATE_MESSAGE = "Enter a date as dd/mm/yyyy"

_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


@lru_cache(maxsize=8192)  # a trust's alerts format the same few hundred dates thousands of times
def format_date(d: dt.date | None) -> str:
    """dd/mm/yyyy, or "" for None (a datetime shows its date only)."""
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_datetime(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM, or "" for None (the clock time as stored; no time-zone conversion)."""
    if value is None:
        return ""
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}"


def parse_date(text: str) -> dt.date:
    """Read "dd/mm/yyyy", "d/m/yyyy" or ISO "yyyy-mm-dd" (surrounding spaces ignored).

    Raises:
        ValueError: with the message "Enter a date as dd/mm/yyyy" for anything else,
            including dates that do not exist such as 31/02/2025.
    """
    s = text.strip()
    if m := _UK.fullmatch(s):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.fullmatch(s):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(DATE_MESSAGE)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(DATE_MESSAGE) from None


# ---------------------------------------------------------------------- typed dates

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)

TYPED_DATE_HELP = (
    "Type a date as dd/mm/yyyy (also 5/4/27, 050427, 10062024), or today, tomorrow, +2w, -3d, +1m"
)

_SEP = re.compile(r"\s*[/.\-\s]\s*", re.ASCII)
_RELATIVE = re.compile(r"([+-])\s*(\d{1,4})\s*([dwmy]?)", re.ASCII)
_WORDS = {"today": 0, "t": 0, "now": 0, "tomorrow": 1, "tom": 1, "yesterday": -1}


class TypedDateError(ValueError):
    """A typed date that is not a date; the message says what was typed and what is wanted."""


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise TypedDateError("is out of range")  # pragma: no cover - day 28 always exists


def _century(yy: int, today: dt.date) -> int:
    """A two-digit year: within 20 years ahead of today, else the century before
    (27 is 2027 and 85 is 1985 in 2026)."""
    pivot = (today.year + 20) % 100
    base = today.year - today.year % 100
    year = base + yy
    if yy > pivot:
        year -= 100
    return year


def _build(day: int, month: int, year: int, text: str) -> dt.date:
    try:
        d = dt.date(year, month, day)
    except ValueError:
        raise TypedDateError(f'"{text}" is not a date (dd/mm/yyyy)') from None
    if not EARLIEST <= d <= LATEST:
        raise TypedDateError(f'"{text}" is out of range (1900 to 2200)')
    return d


def parse_typed_date(text: str, today: dt.date) -> dt.date | None:
    """Read a date as a person in England types it; None for an empty box.

    Accepts dd/mm/yyyy and d/m/yy (separators /, ., - or a space), dd/mm (this year),
    ddmmyy and ddmmyyyy digits (050427, 10062024), ISO yyyy-mm-dd, "today"/"t",
    "tomorrow", "yesterday", and a step from today: "+2w", "-3d", "+1m", "+1y" ("+5" is
    days). Two-digit years fall within 20 years ahead of ``today`` (27 -> 2027, 85 -> 1985).

    Raises:
        TypedDateError: naming what was typed, for anything else (never a guess).
    """
    raw = text.strip()
    s = raw.lower()
    if not s:
        return None
    if s in _WORDS:
        return today + dt.timedelta(days=_WORDS[s])
    if m := _RELATIVE.fullmatch(s):
        sign = -1 if m.group(1) == "-" else 1
        n = sign * int(m.group(2))
        unit = m.group(3) or "d"
        try:
            if unit == "d":
                d = today + dt.timedelta(days=n)
            elif unit == "w":
                d = today + dt.timedelta(weeks=n)
            elif unit == "m":
                d = _add_months(today, n)
            else:
                d = _add_months(today, 12 * n)
        except (OverflowError, ValueError):
            raise TypedDateError(f'"{raw}" is out of range (1900 to 2200)') from None
        if not EARLIEST <= d <= LATEST:
            raise TypedDateError(f'"{raw}" is out of range (1900 to 2200)')
        return d
    if m := _ISO.fullmatch(s):
        year, month, day = (int(g) for g in m.groups())
        return _build(day, month, year, raw)
    if s.isdigit() and s.isascii():
        if len(s) == 6:
            return _build(int(s[:2]), int(s[2:4]), _century(int(s[4:]), today), raw)
        if len(s) == 8:
            return _build(int(s[:2]), int(s[2:4]), int(s[4:]), raw)
        if len(s) == 4:
            return _build(int(s[:2]), int(s[2:]), today.year, raw)
        raise TypedDateError(f'"{raw}" is not a date: type dd/mm/yyyy')
    parts = _SEP.split(s)
    if all(p.isdigit() and p.isascii() for p in parts) and len(parts) in (2, 3):
        if len(parts) == 2:
            day, month, year = int(parts[0]), int(parts[1]), today.year
            if len(parts[0]) > 2 or len(parts[1]) > 2:
                raise TypedDateError(f'"{raw}" is not a date: type dd/mm/yyyy')
        else:
            if len(parts[0]) > 2 or len(parts[1]) > 2 or len(parts[2]) not in (2, 4):
                raise TypedDateError(f'"{raw}" is not a date: type dd/mm/yyyy')
            day, month = int(parts[0]), int(parts[1])
            year = int(parts[2])
            if len(parts[2]) == 2:
                year = _century(year, today)
        return _build(day, month, year, raw)
    raise TypedDateError(f'"{raw}" is not a date: type dd/mm/yyyy')
