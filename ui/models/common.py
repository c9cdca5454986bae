"""Small column helpers shared by the table models."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor

from .. import format as fmt
from .base import AMBER_BG, RED_BG, WHOLE, Column


def date_col(
    title: str,
    get: Callable[[Any], dt.date | dt.datetime | None],
    background: Callable[[Any, dt.date], QColor | None] | None = None,
    tooltip: Callable[[Any], str] | None = None,
) -> Column:
    return Column(
        title,
        lambda r: fmt.date(get(r)),
        key=get,
        background=background,
        tooltip=tooltip,
        squeeze=WHOLE,
    )


def hours_col(
    title: str,
    get: Callable[[Any], int | None],
    background: Callable[[Any, dt.date], QColor | None] | None = None,
    header_tip: str = "",
) -> Column:
    return Column(
        title,
        lambda r: fmt.hours(get(r)),
        key=get,
        right=True,
        background=background,
        header_tip=header_tip,
        squeeze=WHOLE,
    )


def money_col(title: str, get: Callable[[Any], Any], header_tip: str = "") -> Column:
    return Column(
        title,
        lambda r: fmt.money(get(r)),
        key=get,
        right=True,
        header_tip=header_tip,
        squeeze=WHOLE,
    )


def expiry_colour(when: dt.date | None, today: dt.date, warn_days: int = 60) -> QColor | None:
    """Red once expired, amber within the warning period."""
    if when is None:
        return None
    if when < today:
        return RED_BG
    if (when - today).days <= warn_days:
        return AMBER_BG
    return None


def expiry_words(when: dt.date | None, today: dt.date, warn_days: int = 60) -> str:
    """What ``expiry_colour`` shows, in words (colour is never the only sign)."""
    if when is None:
        return "no expiry"
    if when < today:
        return "Expired"
    if (when - today).days <= warn_days:
        return "Expires soon"
    return "Current"


def fold(text: str) -> str:
    """A sort key for names that puts Şahin with the S's and Țurcanu with the T's (accents
    off, case folded), where plain code-point order would put them after Z."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def label(labels: dict[Any, str], value: Any) -> str:
    if value is None:
        return ""
    return labels.get(value, str(value).replace("_", " ").capitalize())
