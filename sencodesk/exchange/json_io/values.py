"""One JSON value -> its column's Python value, or what is wrong with it (``_Bad``)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, Column

from .fileformat import (
    _DATE,
    _DATETIME,
    _DECIMAL,
    _INT32,
    _INT64,
    _TIME,
    BOOL,
    DATE,
    DATETIME,
    DECIMAL,
    INT,
    TEXT,
    TIME,
    column_kind,
)


class _Bad(Exception):
    pass


def _from_json(column: Column[Any], value: Any, kind: str | None = None) -> Any:
    """A JSON value -> the column's Python value, or ``_Bad`` saying what is wrong."""
    if value is None:
        if not column.nullable:
            raise _Bad("must have a value (it is null)")
        return None
    kind = kind or column_kind(column)
    if isinstance(value, _Huge):
        raise _Bad(f"is a number of {len(value.digits)} digits: far too large")
    if kind == INT:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Bad(f"must be a whole number, not {_shown(value)}")
        limit = _INT64 if isinstance(column.type, BigInteger) else _INT32
        if not -limit <= value < limit:
            raise _Bad(f"{value} is too large")
        return value
    if kind == BOOL:
        if not isinstance(value, bool):
            raise _Bad(f"must be true or false, not {_shown(value)}")
        return value
    if kind == DECIMAL:
        return _decimal(column, value)
    if not isinstance(value, str):
        raise _Bad(f"must be {_EXPECTED[kind]} in a string, not {_shown(value)}")
    if kind == TEXT:
        length = getattr(column.type, "length", None)
        if length is not None and len(value) > length:
            raise _Bad(f"is {len(value)} characters long; at most {length} fit")
        if "\x00" in value:
            raise _Bad("holds a NUL character")
        if not value.isascii():
            _encodable(value)
        return value
    pattern, parse = {
        DATE: (_DATE, dt.date.fromisoformat),
        DATETIME: (_DATETIME, dt.datetime.fromisoformat),
        TIME: (_TIME, dt.time.fromisoformat),
    }[kind]
    try:
        if not pattern.fullmatch(value):
            raise ValueError
        return parse(value)
    except ValueError:
        raise _Bad(f"{value!r} is not {_EXPECTED[kind]}") from None


_EXPECTED = {
    DATE: "a date (YYYY-MM-DD)",
    DATETIME: "a date and time (YYYY-MM-DDTHH:MM:SS)",
    TIME: "a time (HH:MM:SS)",
    TEXT: "text",
}


def _encodable(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Bad("holds a character that is not text (a lone surrogate escape)") from None


class _Huge(str):
    """A JSON number too long to be any value here (parsed as text, never as an int)."""

    @property
    def digits(self) -> str:
        return str(self)


def _parse_int(text: str) -> int | _Huge:
    return _Huge(text) if len(text) > 40 else int(text)


def _parse_float(text: str) -> float | _Huge:
    return _Huge(text) if len(text) > 40 else float(text)


def _decimal(column: Column[Any], value: Any) -> Decimal:
    scale = column.type.scale  # type: ignore[attr-defined]
    example = "1234." + "0" * scale
    if not isinstance(value, str | int) or isinstance(value, bool | _Huge):
        raise _Bad(f'must be a decimal number in a string such as "{example}", not {_shown(value)}')
    s = str(value)
    try:
        if len(s) > 40 or not _DECIMAL.fullmatch(s):
            raise InvalidOperation
        d = Decimal(s)
    except InvalidOperation:
        raise _Bad(f'{s!r} is not a decimal number such as "{example}"') from None
    if -d.as_tuple().exponent > scale:  # type: ignore[operator]
        raise _Bad(f"{s} has more than {scale} decimal places")
    if abs(d) * 10**scale >= _INT64:
        raise _Bad(f"{s} is too large")
    return d


def _shown(value: Any) -> str:
    kind = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)
    if isinstance(value, _Huge):
        return f"a number of {len(value)} digits"
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        shown = "..."
    return f"{kind} {shown if len(shown) <= 40 else shown[:37] + '...'}"
