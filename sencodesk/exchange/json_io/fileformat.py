"""The file's format: its name and version, the tables it holds and each column's kind of value,
and how a value is written (``docs/json-format.md``)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, String, Table, Time
from sqlalchemy.engine import make_url

from ...model import Base
from ...types import ScaledDecimal

FORMAT = "sencodesk"
FORMAT_VERSION = 1
SKIPPED_TABLES = frozenset({"alembic_version"})
# The subset about one pupil names staff and the school, nothing more (see the docs).
SUBSET_COLUMNS = {"staff": ("id", "first_name", "last_name"), "school": ("id", "name")}
CHUNK = 500

INT, BOOL, DECIMAL, DATE, DATETIME, TIME, TEXT = (
    "integer",
    "boolean",
    "decimal",
    "date",
    "datetime",
    "time",
    "text",
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_INT32 = 2**31
_INT64 = 2**63


def model_tables() -> list[Table]:
    """Every table of the model, parents before children (the order of the file)."""
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def column_kind(column: Column[Any]) -> str:
    """The JSON form of a column: integer, boolean, decimal, date, datetime, time or text."""
    t = column.type
    if isinstance(t, ScaledDecimal):
        return DECIMAL
    for sa_type, kind in (
        (Boolean, BOOL),
        (DateTime, DATETIME),
        (Date, DATE),
        (Time, TIME),
        (Integer, INT),
        (String, TEXT),
    ):
        if isinstance(t, sa_type):
            return kind
    raise TypeError(f"{column.table.name}.{column.name}: no JSON form for {t!r}")


def to_json_value(column: Column[Any], value: Any) -> Any:
    return _encode(column_kind(column), value)


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == INT:
        return int(value)
    if kind == BOOL:
        return bool(value)
    if kind == DECIMAL:
        return str(value)  # already quantized: "16484.00", "43.108"
    if kind in (DATE, DATETIME, TIME):
        return value.isoformat()
    return str(value)


def app_version() -> str:
    from ...version import app_version as version

    return version()


def database_name(store: Any) -> str:
    """The SQLite file, or the server URL without its password."""
    return str(store.path) if store.path else make_url(store.url).render_as_string(True)
