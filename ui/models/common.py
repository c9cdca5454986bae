"""Small column helpers shared by the table models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor

from .. import format as fmt
from .base import AMBER_BG, RED_BG, Column


def date_col(
    title: str,
    get: Callable[[Any], dt.date | dt.datetime | None],
    background: Callable[[Any, dt.date], QColor | None] | None = None,
    tooltip: Callable[[Any], str] | None = None,
) -> Column:
    return Column(
        title, lambda r: fmt.date(get(r)), key=get, background=background, tooltip=tooltip
    )


def hours_col(
    title: str,
    get: Callable[[Any], int | None],
    background: Callable[[Any, dt.date], QColor | None] | None = None,
) -> Column:
    return Column(title, lambda r: fmt.hours(get(r)), key=get, right=True, background=background)


def money_col(title: str, get: Callable[[Any], Any]) -> Column:
    return Column(title, lambda r: fmt.money(get(r)), key=get, right=True)


def expiry_colour(when: dt.date | None, today: dt.date, warn_days: int = 60) -> QColor | None:
    """Red once expired, amber within the warning period."""
    if when is None:
        return None
    if when < today:
        return RED_BG
    if (when - today).days <= warn_days:
        return AMBER_BG
    return None


def label(labels: dict[Any, str], value: Any) -> str:
    if value is None:
        return ""
    return labels.get(value, str(value).replace("_", " ").capitalize())
