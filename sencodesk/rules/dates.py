"""UK date formats: dd/mm/yyyy for people, ISO yyyy-mm-dd for machines."""

from __future__ import annotations

import datetime as dt
import re

DATE_MESSAGE = "Enter a date as dd/mm/yyyy"

_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


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
