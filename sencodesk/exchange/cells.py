"""The kinds of a table's cells and the text forms they take (on paper, and made safe for a
spreadsheet): what every writer of ``tabular`` shares."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from ..rules.dates import format_date
from ..rules.pay import format_hours, format_money

TEXT, FLAG, DATE, DATETIME, MONEY, HOURS, INT, PERCENT = (
    "text",
    "flag",
    "date",
    "datetime",
    "money",
    "hours",
    "int",
    "percent",
)
KINDS = frozenset({TEXT, FLAG, DATE, DATETIME, MONEY, HOURS, INT, PERCENT})
NUMERIC = frozenset({MONEY, HOURS, INT, PERCENT})


class Flagged(str):
    """A text value that needs attention: printed bold (the word says why; no colour)."""

    __slots__ = ()


def hours_clock(minutes: int | None) -> str:
    """Weekly minutes as "31:40" (how a spreadsheet reads a duration)."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(int(minutes)), 60)
    return f"{sign}{h}:{m:02d}"


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def display(value: Any, kind: str) -> str:
    """How a value reads on paper (PDF)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, str):
        return value  # words in a typed column ("No contract") print as they are
    if kind == DATE or (kind == DATETIME and not isinstance(value, dt.datetime)):
        return format_date(value)
    if kind == DATETIME:
        return f"{format_date(value)} {value:%H:%M}"
    if kind == MONEY:
        return format_money(Decimal(value))
    if kind == HOURS:
        return format_hours(int(value))
    if kind == PERCENT:
        return f"{Decimal(value):.1f}%"
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A value that only looks like a formula because it is a negative number (an amount, a
# duration) stays as it is: -12.50, -£1,234.56, -1:30.
_PLAIN_NUMBER = re.compile(r"-£?\d{1,3}(,\d{3})*(\.\d+)?|-£?\d+(\.\d+)?|-\d+:\d{2}")


def safe_cell(value: Any) -> Any:
    """A value as it may go into a spreadsheet cell (CSV or XLSX): inert.

    Text that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return: ``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``@SUM(1)``) gets a
    leading apostrophe, as OWASP's "CSV injection" advice says, so it is shown as the text it
    is and never run. Numbers, dates and negative amounts written as text (``-12.50``) stay
    as they are. Every CSV and XLSX writer passes every cell through here.
    """
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value
