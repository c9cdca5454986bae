"""How the GUI shows dates, money and hours: dd/mm/yyyy, £1,234.56, "31 h 40 min"."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate

from sencodesk.rules.dates import format_date, format_datetime

if TYPE_CHECKING:
    from decimal import Decimal

DATE_FORMAT = "dd/MM/yyyy"  # for QDateEdit.setDisplayFormat


def date(d: dt.date | dt.datetime | None) -> str:
    if isinstance(d, dt.datetime):
        d = d.date()
    return format_date(d)


def date_time(d: dt.datetime | None) -> str:
    return format_datetime(d)


# The pay rules (and decimal) are imported on first use, not as the window is built: start-up.
def money(amount: Decimal | int | float | None) -> str:
    from decimal import Decimal

    from sencodesk.rules.pay import format_money

    return "" if amount is None else format_money(Decimal(amount))


def hours(minutes: int | None) -> str:
    """Weekly minutes as "31 h 40 min" ("" for None)."""
    from sencodesk.rules.pay import format_hours

    return format_hours(minutes)


def count(n: int, noun: str, plural: str = "") -> str:
    """ "1 contract", "3 contracts" (``plural`` when it is not noun + s)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def to_qdate(d: dt.date | None) -> QDate:
    return QDate(d.year, d.month, d.day) if d is not None else QDate()


def from_qdate(q: QDate) -> dt.date | None:
    if not q.isValid():
        return None
    return dt.date(q.year(), q.month(), q.day())
