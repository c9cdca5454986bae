"""Small helpers shared by the read modules."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_
from sqlalchemy.orm import InstrumentedAttribute

from ..rules import coverage


def display_name(first: str, last: str, preferred: str = "") -> str:
    """What people call the pupil or member of staff: preferred (or first) name and surname."""
    return f"{(preferred or first).strip()} {last.strip()}".strip()


def sort_name(first: str, last: str, preferred: str = "") -> str:
    return f"{last.strip()}, {(preferred or first).strip()}"


is_current = coverage.is_current  # the one rule, in rules.coverage


def current_filter(start: InstrumentedAttribute, end: InstrumentedAttribute, on: dt.date):
    """SQL: the row's date range includes ``on`` (an open end is current)."""
    return (start <= on) & or_(end.is_(None), end >= on)
