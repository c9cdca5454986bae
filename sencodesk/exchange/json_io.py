"""Everything in the database as one versioned JSON file, and back (``docs/json-format.md``).

``export_json(store, path)`` writes every table of the model (``Base.metadata.sorted_tables``,
parents before children, so a new table is never forgotten), the audit log included, with
rows sorted by id, keys sorted and every value in one fixed form: the same database always
gives the same file apart from ``exported_at``. With ``pupil_id`` it writes the subset about
one pupil (the JSON half of a subject access request).

``import_json(store, path)`` reads such a file into an EMPTY database, all or nothing, in one
transaction. The whole file is checked first: JSON syntax, format and version, every table,
column and value, then every row against the same rules as the editors (``checks``: a UPN's
check letter, end dates after start dates, a meeting on a school day...), then unique keys and
links. Every bad row is reported (an ``ImportRejected`` listing table, row, field and why) and
nothing is written. Rows go in with Core inserts on a connection, which the session's audit
listener never sees: the audit log is kept as history, each entry marked ``imported`` (made
elsewhere, never shown as a change made here), and no new entry is made.

Both ways the file is streamed (#17): the export is written row by row, and the import reads
the file as it goes (``ijson``), checking its rows a chunk at a time and keeping only what
is checked across rows (ids, unique keys); the rows are then read from the file again to
insert them. A 100,000-pupil file is never in memory whole (``benchmarks/bench_json_io.py``:
peak RSS 181 MB, from 903 MB). A file not in an export's shape (a syntax error to place,
tables in another order) is read whole with ``json``: the same checks and messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import ijson
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Time,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from ..errors import KnownError, NotFound
from ..files import atomic_path
from ..model import (
    Assignment,
    AuditEntry,
    Base,
    Funding,
    MisPupil,
    Outcome,
    OutcomeStatusChange,
    Pupil,
    Record,
    ReviewAdvice,
    ReviewAmendment,
    ReviewInvitee,
    ReviewMeeting,
)
from ..types import ScaledDecimal
from .tabular import MARKING

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
    from ..version import app_version as version

    return version()


def database_name(store: Any) -> str:
    """The SQLite file, or the server URL without its password."""
    return str(store.path) if store.path else make_url(store.url).render_as_string(True)


# --------------------------------------------------------------------------- export


@contextlib.contextmanager
def _snapshot(store: Any) -> Iterator[Connection]:
    """A connection that sees one consistent state of the database for all its reads."""
    with store.engine.connect() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("BEGIN")  # pysqlite only begins before writes by itself
            try:
                yield conn
            finally:
                conn.rollback()
        else:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn


def _ids(conn: Connection, stmt: Any) -> set[int]:
    return {int(i) for i in conn.scalars(stmt) if i is not None}


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def pupil_selection(conn: Connection, pupil_id: int) -> dict[str, set[int] | None]:
    """Per table, the ids of the rows in the subset about one pupil (None = every row)."""
    from ..safety.retention import pupil_entry_ids

    if conn.scalar(select(Pupil.id).where(Pupil.id == pupil_id)) is None:
        raise NotFound(f"There is no pupil with id {pupil_id}.")
    outcomes = _ids(conn, select(Outcome.id).where(Outcome.pupil_id == pupil_id))
    meetings = _ids(conn, select(ReviewMeeting.id).where(ReviewMeeting.pupil_id == pupil_id))
    chosen: dict[str, set[int] | None] = {
        "school": None,
        "pupil": {pupil_id},
        "outcome": outcomes,
        "outcome_status_change": _ids(
            conn,
            select(OutcomeStatusChange.id).where(
                OutcomeStatusChange.outcome_id.in_(
                    select(Outcome.id).where(Outcome.pupil_id == pupil_id)
                )
            ),
        ),
        "review_meeting": meetings,
        "review_invitee": _ids(
            conn,
            select(ReviewInvitee.id).where(
                ReviewInvitee.meeting_id.in_(
                    select(ReviewMeeting.id).where(ReviewMeeting.pupil_id == pupil_id)
                )
            ),
        ),
    }
    for child in (ReviewAdvice, ReviewAmendment):
        chosen[child.__tablename__] = _ids(
            conn,
            select(child.id).where(
                child.meeting_id.in_(
                    select(ReviewMeeting.id).where(ReviewMeeting.pupil_id == pupil_id)
                )
            ),
        )
    for model in (Record, Funding, Assignment, MisPupil):
        chosen[model.__tablename__] = _ids(conn, select(model.id).where(model.pupil_id == pupil_id))
    with Session(bind=conn) as s:
        entries = pupil_entry_ids(s, pupil_id)
    chosen["audit_entry"] = set(entries)
    # Staff and local authorities the rows name, now or in their history.
    staff = _ids(conn, select(Record.author_id).where(Record.pupil_id == pupil_id))
    staff |= _ids(conn, select(Assignment.staff_id).where(Assignment.pupil_id == pupil_id))
    las = _ids(conn, select(Pupil.ehcp_la_id).where(Pupil.id == pupil_id))
    for chunk in _chunks(entries):
        for field, old, new in conn.execute(
            select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value).where(
                AuditEntry.id.in_(chunk),
                AuditEntry.field.in_(("author_id", "staff_id", "ehcp_la_id")),
            )
        ):
            named = {int(v) for v in (old, new) if v is not None and v.isdigit()}
            (las if field == "ehcp_la_id" else staff).update(named)
    chosen["staff"] = staff
    chosen["local_authority"] = las
    return chosen


def _rows(
    conn: Connection, table: Table, ids: set[int] | None, names: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    columns = sorted(
        (c for c in table.columns if names is None or c.name in names), key=lambda c: c.name
    )
    kinds = [(c.name, column_kind(c)) for c in columns]
    pk = list(table.primary_key.columns)
    stmts = (
        [select(*columns).order_by(*pk)]
        if ids is None
        else [select(*columns).where(pk[0].in_(chunk)) for chunk in _chunks(sorted(ids))]
    )
    rows = [
        {name: _encode(kind, value) for (name, kind), value in zip(kinds, r, strict=True)}
        for stmt in stmts
        for r in conn.execute(stmt)
    ]
    rows.sort(key=lambda r: tuple(r[c.name] for c in pk))
    return rows


def export_json(store: Any, path: Path | str, *, pupil_id: int | None = None) -> dict[str, int]:
    """Write the database (or the subset about one pupil) to ``path``; returns rows per table.

    Written to a temporary file beside ``path`` and moved into place when complete.
    """
    from ..schema import current_revision, head_revision

    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "marking": MARKING,
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "app_version": app_version(),
        "schema_revision": current_revision(store.engine) or head_revision(),
    }
    if pupil_id is None:
        with _snapshot(store) as conn:
            return _write_streamed(Path(path), doc, conn)
    with _snapshot(store) as conn:
        chosen = pupil_selection(conn, pupil_id)
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in model_tables():
            if table.name in chosen:
                tables[table.name] = _rows(
                    conn, table, chosen[table.name], SUBSET_COLUMNS.get(table.name)
                )
    doc["subset"] = {"pupil_id": pupil_id}
    doc["tables"] = tables
    _write(Path(path), doc)
    return {name: len(rows) for name, rows in tables.items()}


def _streamed_rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of a table in primary-key order, a few hundred at a time from the database.
    A table keyed other than by one integer (a handful of rows) is sorted as ``_rows`` does."""
    pk = list(table.primary_key.columns)
    if len(pk) != 1 or column_kind(pk[0]) != INT:
        yield from _rows(conn, table, None)
        return
    columns = sorted(table.columns, key=lambda c: c.name)
    kinds = [(c.name, column_kind(c)) for c in columns]
    stmt = select(*columns).order_by(*pk).execution_options(yield_per=CHUNK)
    for r in conn.execute(stmt):
        yield {name: _encode(kind, value) for (name, kind), value in zip(kinds, r, strict=True)}


def _write_streamed(path: Path, doc: dict[str, Any], conn: Connection) -> dict[str, int]:
    """The whole database to ``path`` one row at a time (#17: a 100,000-pupil export held
    every row in memory first), byte for byte what ``json.dump(doc, indent=1)`` writes for
    the same document (``tests/core/test_exchange_json.py`` checks)."""
    counts: dict[str, int] = {}
    try:
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as f:
            head = json.dumps(doc, ensure_ascii=False, indent=1)
            f.write(head[: head.rindex("\n}")] + ',\n "tables": {')
            for i, table in enumerate(model_tables()):
                f.write(("," if i else "") + f"\n  {json.dumps(table.name)}: [")
                n = 0
                for row in _streamed_rows(conn, table):
                    body = json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n   ")
                    f.write(("," if n else "") + "\n   " + body)
                    n += 1
                f.write("\n  ]" if n else "]")
                counts[table.name] = n
            f.write("\n }\n}\n" if counts else "}\n}\n")
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise KnownError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    return counts


def _write(path: Path, doc: dict[str, Any]) -> None:
    try:
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise KnownError(f"Cannot write {path}: {exc.strerror or exc}.") from None


# --------------------------------------------------------------------------- reading a file


@dataclass(frozen=True)
class JsonExport:
    """A checked export file, ready to insert. Its rows are not held here: ``insert_export``
    reads them from the file again, a chunk at a time (#17: a 100,000-pupil file is never
    in memory as a whole)."""

    path: Path
    format_version: int
    schema_revision: str | None
    sizes: dict[str, int]  # rows per table
    parts: Callable[[], Generator[Any, None, None]]  # the file again: see ``_streamed``
    days: list[dict[str, Any]]  # the contract_day rows: the contract rule's context
    contracts: list[dict[str, Any]]  # the contract rows, cleaned (checked with their days)

    def counts(self) -> dict[str, int]:
        return dict(self.sizes)


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


def _parse(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KnownError(f"There is no file {path}.") from None
    except OSError as exc:
        raise KnownError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        body = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KnownError(
            f"{path} is not a SENCO Desk JSON file: it is not UTF-8 text (byte {exc.start + 1})."
        ) from None
    if not body.strip():
        raise KnownError(f"{path} is empty: it is not a SENCO Desk JSON file.")
    try:
        return json.loads(body, parse_int=_parse_int, parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        # The end came first, or a string was still open there: the file was cut short.
        cut = exc.pos >= len(body.rstrip()) or exc.msg.startswith("Unterminated string")
        hint = " The file ends too soon: it looks cut short (copied or saved incompletely)."
        raise KnownError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
            + (hint if cut else "")
            + " Nothing was imported."
        ) from None
    except RecursionError:
        raise KnownError(f"{path} is not a SENCO Desk JSON file (it nests too deeply).") from None


class _Unstreamable(Exception):
    """This file is for the whole-document reader (``json``): a syntax error to place by line
    and column, tables out of the export's order, or a value the streaming parser mishandles."""


_BOM = b"\xef\xbb\xbf"
# ijson's C parser crashes on a number of more than 4,300 digits and reads a lone surrogate
# escape as "?": a file with either (never an export's) goes to the whole-document reader.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 1000
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _Watched:
    """The file as ijson reads it, watched for what its C parser gets wrong."""

    def __init__(self, f: Any) -> None:
        self._f = f
        self._tail = b""

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self._f.read(size)
        seen = self._tail + chunk
        if _LONG_NUMBER in seen.translate(_DIGITS_AS_ZERO) or (
            b"\\u" in seen and _SURROGATE_ESCAPE.search(seen)
        ):
            raise _Unstreamable
        self._tail = seen[-1000:]
        return chunk


def _events(f: Any) -> Iterator[tuple[str, Any]]:
    try:
        yield from ijson.basic_parse(_Watched(f))
    except (ijson.JSONError, ArithmeticError, ValueError, SystemError, UnicodeError):
        raise _Unstreamable from None


_HUGE_INT = 10**40  # 41 characters: longer numbers are _Huge, as ``_parse_int`` makes them


def _number(value: Any) -> Any:
    """ijson's number as ``json`` with ``_parse_int``/``_parse_float`` gives it."""
    if isinstance(value, int):
        return value if -_HUGE_INT // 10 < value < _HUGE_INT else _Huge(str(value))
    text = str(value)
    return _Huge(text) if len(text) > 40 else float(text)


def _value(events: Iterator[tuple[str, Any]], event: str, value: Any) -> Any:
    """The JSON value that starts with ``event`` (duplicate keys: the last wins, as ``json``)."""
    if event == "start_map":
        obj: dict[str, Any] = {}
        key = ""
        for event, value in events:
            if event == "map_key":
                key = value
            elif event in ("string", "boolean", "null"):
                obj[key] = value
            elif event == "end_map":
                return obj
            else:
                obj[key] = _value(events, event, value)
        raise _Unstreamable
    if event == "start_array":
        items: list[Any] = []
        for event, value in events:
            if event == "end_array":
                return items
            items.append(_value(events, event, value))
        raise _Unstreamable
    return _number(value) if event == "number" else value


def _array(events: Iterator[tuple[str, Any]]) -> Iterator[Any]:
    """The items of an array whose start was just read."""
    try:
        for event, value in events:
            if event == "end_array":
                return
            yield _value(events, event, value)
    except RecursionError:
        raise _Unstreamable from None
    raise _Unstreamable


def _streamed(path: Path) -> Generator[Any, None, None]:
    """The file read as it goes (ijson): first (the top-level values but "tables", whether
    there is a "tables" object), then (table name, its rows) for each table. Anything but an
    export's shape (an object ending with its "tables") raises ``_Unstreamable``."""
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below, when the parts are done)
    except OSError:
        raise _Unstreamable from None
    with f:
        if f.read(3) != _BOM:
            f.seek(0)
        events = _events(f)
        if next(events, ("", None))[0] != "start_map":
            raise _Unstreamable
        header: dict[str, Any] = {}
        for event, value in events:
            if event == "end_map":
                for _ in events:
                    raise _Unstreamable
                yield header, False
                return
            key = value
            event, value = next(events, ("", None))
            if key != "tables":
                try:
                    header[key] = _value(events, event, value)
                except RecursionError:
                    raise _Unstreamable from None
                continue
            if event != "start_map":
                raise _Unstreamable
            yield header, True
            for event, value in events:
                if event == "end_map":
                    break
                name = value
                if next(events, ("", None))[0] != "start_array":
                    raise _Unstreamable
                rows = _array(events)
                yield name, rows
                for _ in rows:
                    pass
            if next(events, ("", None))[0] != "end_map":  # "tables" was not the last part
                raise _Unstreamable
            for _ in events:
                raise _Unstreamable
            return
        raise _Unstreamable


def _loaded(doc: Any) -> Generator[Any, None, None]:
    """A document read whole, in the parts ``_streamed`` gives: unknown tables first, then
    the model's tables in order (None for a table that is not a list)."""
    raw = doc.get("tables") if isinstance(doc, dict) else None
    yield doc, isinstance(raw, dict)
    if not isinstance(raw, dict):
        return
    known = {t.name for t in model_tables()}
    for name in raw:
        if name not in known:
            yield name, []
    for table in model_tables():
        rows = raw.get(table.name, [])
        yield table.name, rows if isinstance(rows, list) else None


def read_json(path: Path | str) -> JsonExport:
    """Read and check a whole-database export file without touching any database.

    The file is read as it goes (ijson), and its rows checked a chunk at a time; a file that
    is not in an export's shape (a syntax error, tables out of order) is read whole with
    ``json`` instead, which places a syntax error by line and column. Either way the same
    checks, in the same order, with the same messages."""
    path = Path(path)
    try:
        return _read(path, lambda: _streamed(path), streamed=True)
    except _Unstreamable:
        pass
    doc = _parse(path)
    return _read(path, lambda: _loaded(doc), streamed=False)


def _header_failure(path: Path, doc: Any, has_tables: bool) -> KnownError | None:
    def fail(message: str) -> KnownError:
        return KnownError(f"Cannot import {path}: {message}. Nothing was imported.")

    if not isinstance(doc, dict):
        return fail("it is not a SENCO Desk export (it holds a JSON list or value, not an object)")
    fmt = doc.get("format")
    if fmt != FORMAT:
        shown = 'has no "format"' if fmt is None else f'its "format" is {_shown(fmt)}'
        return fail(f'it is not a SENCO Desk export ({shown}, not "{FORMAT}")')
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return fail(f'its "format_version" is {_shown(version)}, not a version number')
    if version > FORMAT_VERSION:
        return KnownError(
            f"Cannot import {path}: it was made by a newer version of SENCO Desk (format "
            f"version {version}; this version reads format version {FORMAT_VERSION} and "
            "older). Install the newer version of SENCO Desk to import it. Nothing was imported."
        )
    if doc.get("subset") is not None:
        return fail(
            "it is the export of one pupil (a subject access request), not of a "
            "whole database, so it cannot be imported"
        )
    if not has_tables:
        return fail('it has no "tables" object')
    return None


def _read(
    path: Path, parts: Callable[[], Generator[Any, None, None]], *, streamed: bool
) -> JsonExport:
    tables = parts()
    try:
        doc, has_tables = next(tables)
        failure = _header_failure(path, doc, has_tables)
        revision = doc.get("schema_revision") if failure is None else None
        known = {t.name: (i, t) for i, t in enumerate(model_tables())}
        tally = _Tally(revision)
        last = -1
        # A failure is raised once the whole file is read: a syntax error further on comes
        # first (as when the file was read whole).
        for name, rows in tables:
            if failure is not None:
                continue
            if name not in known:
                failure = KnownError(
                    f"Cannot import {path}: unknown table {name!r}{_newer_hint(revision)}. "
                    "Nothing was imported."
                )
                continue
            if rows is None:
                failure = KnownError(
                    f"Cannot import {path}: table {name!r} is not a list of rows. "
                    "Nothing was imported."
                )
                continue
            index, table = known[name]
            if streamed and index <= last:
                raise _Unstreamable  # tables out of the export's order (or twice)
            last = index
            tally.take(table, rows)
    finally:
        tables.close()
    if failure is not None:
        raise failure
    tally.finish()
    for found in (tally.types, tally.ruled(), tally.keyed()):
        if found:
            raise ImportRejected(path, found)
    return JsonExport(
        path,
        doc["format_version"],
        revision if isinstance(revision, str) else None,
        tally.sizes,
        parts,
        tally.days,
        tally.contracts,
    )


@dataclass(frozen=True)
class Problem:
    """One bad value in a file: where it is and why it cannot be imported."""

    table: str
    row: int  # from 1, in the file's order
    row_id: Any  # the row's id in the file, if it has one
    field: str  # "" for the row as a whole
    why: str

    def __str__(self) -> str:
        ident = (
            f" (id {self.row_id})"
            if isinstance(self.row_id, int) and not isinstance(self.row_id, bool)
            else ""
        )
        where = f"table {self.table!r}, row {self.row}{ident}"
        if not self.field:
            return f"{where}: {self.why}"
        return f"{where}, column {self.field!r}: {self.why}"


SHOWN_PROBLEMS = 40


class ImportRejected(KnownError):
    """A file with bad rows: ``problems`` lists every one; nothing was imported."""

    def __init__(self, path: Path, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = list(problems)
        n = len(self.problems)
        lines = [str(p) for p in self.problems[:SHOWN_PROBLEMS]]
        if n > SHOWN_PROBLEMS:
            lines.append(f"... and {n - SHOWN_PROBLEMS} more.")
        head = f"Cannot import {path}: {n} problem{'s' if n != 1 else ''} found"
        super().__init__(
            head
            + ". Nothing was imported. Correct the file and import it again:\n  "
            + "\n  ".join(lines)
        )


def _newer_hint(revision: Any) -> str:
    from ..schema import known_revisions

    if isinstance(revision, str) and revision not in known_revisions():
        return (
            f" (the file was made by a newer version of SENCO Desk, schema {revision}: "
            "install that version to import it)"
        )
    return ""


def _rid(row: Any) -> Any:
    rid = row.get("id") if isinstance(row, dict) else None
    return rid if isinstance(rid, int) and not isinstance(rid, bool) else None


@functools.cache
def _plan(table: Table) -> tuple[frozenset[str], tuple[tuple[str, Column[Any], str, Any], ...]]:
    """A table's column names, and per column: name, column, JSON form, and what a row
    without it gets (``_ABSENT``: nothing, a problem)."""
    plan = []
    for column in table.columns:
        if isinstance(column.default, ScalarElementColumnDefault):
            absent = column.default.arg  # a file from an older schema
        elif column.nullable and not column.primary_key:
            absent = None
        else:
            absent = _ABSENT
        plan.append((column.name, column, column_kind(column), absent))
    return frozenset(table.columns.keys()), tuple(plan)


_ABSENT = object()


def _row(
    table: Table, index: int, raw: Any, revision: Any, problems: list[Problem]
) -> dict[str, Any] | None:
    """A file's row as Python values, or None after adding its problems to ``problems``."""
    if not isinstance(raw, dict):
        problems.append(Problem(table.name, index, None, "", "is not an object of column values"))
        return None
    names, plan = _plan(table)
    rid = _rid(raw)
    before = len(problems)
    if not names.issuperset(raw):
        for key in raw:
            if key not in names:
                problems.append(
                    Problem(
                        table.name,
                        index,
                        rid,
                        "",
                        f"unknown column {key!r}{_newer_hint(revision)}",
                    )
                )
    row: dict[str, Any] = {}
    for name, column, kind, absent in plan:
        if name in raw:
            try:
                row[name] = _from_json(column, raw[name], kind)
            except _Bad as exc:
                problems.append(Problem(table.name, index, rid, name, str(exc)))
        elif absent is not _ABSENT:
            row[name] = absent
        else:
            problems.append(Problem(table.name, index, rid, name, "has no value"))
    return row if len(problems) == before else None


CHECKED = 2000  # rows checked against the rules at a time


def _uniques(table: Table) -> list[tuple[str, ...]]:
    uniques = [tuple(c.name for c in table.primary_key.columns)]
    uniques += [
        tuple(c.name for c in con.columns)
        for con in table.constraints
        if isinstance(con, UniqueConstraint)
    ]
    uniques += [tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique]
    return uniques


class _Tally:
    """Every row of a file read and checked a chunk at a time, keeping only what is checked
    across rows: the ids that links name, the unique keys, the contract rule's context.

    The checks and their order are those of a file checked whole: first every value that
    cannot be read (``_row``); if none, every row against the editors' rules (``checks``);
    if none, unique keys and links, on the rows as the editors would store them (a UPN in
    capitals)."""

    def __init__(self, revision: Any) -> None:
        self.revision = revision
        tables = model_tables()
        self.position = {t.name: i for i, t in enumerate(tables)}
        self.rule_position = {name: i for i, name in enumerate(checks_rules())}
        self.sizes = {t.name: 0 for t in tables}
        self.types: list[Problem] = []
        self.rules: list[tuple[tuple[int, int], Problem]] = []
        self.keys: list[tuple[tuple[int, int, int, int], Problem]] = []
        self.present: dict[tuple[str, str], set[Any]] = {
            (fk.column.table.name, fk.column.name): set() for t in tables for fk in t.foreign_keys
        }
        self.seen: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], int]] = {}
        self.self_links: list[tuple[tuple[int, int, int, int], str, Any, Any, Any]] = []
        self.days: list[dict[str, Any]] = []
        self.contracts: list[dict[str, Any]] = []

    def take(self, table: Table, raw_rows: Iterable[Any]) -> None:
        """Read and check one table's rows."""
        present = [(cols, ids) for (t, cols), ids in self.present.items() if t == table.name]
        chunk: list[dict[str, Any]] = []
        start = n = 0
        for n, raw in enumerate(raw_rows, start=1):
            row = _row(table, n, raw, self.revision, self.types)
            if row is None or self.types:
                continue  # rules and keys are checked once every value can be read
            for column, ids in present:
                ids.add(row[column])
            chunk.append(row)
            if len(chunk) == CHECKED:
                self._check(table, chunk, start)
                start += len(chunk)
                chunk = []
        if chunk and not self.types:
            self._check(table, chunk, start)
        self.sizes[table.name] = n

    def _check(self, table: Table, rows: list[dict[str, Any]], start: int) -> None:
        if table.name == "contract_day":
            self.days.extend(rows)
        if table.name == "contract":
            self.contracts.extend(rows)  # checked with their days, at the end
            return
        self._rules_and_keys(table, rows, start, {table.name: rows})

    def _rules_and_keys(
        self,
        table: Table,
        rows: list[dict[str, Any]],
        start: int,
        part: dict[str, list[dict[str, Any]]],
    ) -> list[dict[str, Any]]:
        from .. import checks
        from ..errors import ValidationError

        name = table.name
        if name in checks.RULES:
            try:  # the rules once per row: every problem is listed only if one fails
                rows = checks.clean_tables(part)[name]
            except ValidationError:
                for t, n, rid, field, why in checks.row_problems(part):
                    if t == name:
                        problem = Problem(t, start + n, rid, field, why)
                        self.rules.append(((self.rule_position[t], start + n), problem))
            if self.rules:
                return rows
        self._keys(table, rows, start)
        return rows

    def _keys(self, table: Table, rows: list[dict[str, Any]], start: int) -> None:
        name = table.name
        ti = self.position[name]
        for ui, cols in enumerate(_uniques(table)):
            seen = self.seen.setdefault((name, cols), {})
            for i, row in enumerate(rows, start=start + 1):
                key = tuple(row[c] for c in cols)
                if None in key:
                    continue
                first = seen.setdefault(key, i)
                if first != i:
                    shown = ", ".join(f"{c} {to_json_value(table.c[c], row[c])!r}" for c in cols)
                    why = f"{shown} is the same as in row {first}; it must be unique"
                    self.keys.append(
                        ((0, ti, ui, i), Problem(name, i, row.get("id"), cols[-1], why))
                    )
        for fi, fk in enumerate(table.foreign_keys):
            target = (fk.column.table.name, fk.column.name)
            ids = self.present[target]
            for i, row in enumerate(rows, start=start + 1):
                value = row[fk.parent.name]
                if value is None:
                    continue
                where = (1, ti, fi, i)
                if fk.column.table is table:  # its own table: checked once all its rows are in
                    self.self_links.append((where, name, row.get("id"), fk, value))
                elif value not in ids:
                    self.keys.append((where, _no_target(name, i, row.get("id"), fk, value)))

    def finish(self) -> None:
        if self.types:
            return
        if self.contracts:
            contract = Base.metadata.tables["contract"]
            part = {"contract": self.contracts, "contract_day": self.days}
            self.contracts = self._rules_and_keys(contract, self.contracts, 0, part)
        for where, name, rid, fk, value in self.self_links:
            if value not in self.present[(fk.column.table.name, fk.column.name)]:
                self.keys.append((where, _no_target(name, where[3], rid, fk, value)))

    def ruled(self) -> list[Problem]:
        return [p for _, p in sorted(self.rules, key=lambda x: x[0])]

    def keyed(self) -> list[Problem]:
        return [p for _, p in sorted(self.keys, key=lambda x: x[0])] if not self.rules else []


def checks_rules() -> list[str]:
    from .. import checks

    return list(checks.RULES)


def _no_target(name: str, i: int, rid: Any, fk: Any, value: Any) -> Problem:
    target = fk.column.table.name
    why = f"there is no {target!r} row with {fk.column.name} {value} in the file"
    return Problem(name, i, rid, fk.parent.name, why)


# --------------------------------------------------------------------------- import


def _holdings(conn: Connection) -> dict[str, int]:
    counts = {t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in model_tables()}
    return {name: n for name, n in counts.items() if n}


def insert_export(store: Any, data: JsonExport) -> dict[str, int]:
    """Put a checked export into an empty database in one transaction; rows per table."""
    from ..safety.errors import ReadOnlyStore

    if store.read_only:
        raise ReadOnlyStore()
    table = None
    try:
        with store.engine.begin() as conn:
            held = _holdings(conn)
            if held:
                shown = ", ".join(
                    f"{name}: {n} {'row' if n == 1 else 'rows'}" for name, n in held.items()
                )
                raise KnownError(
                    f"Cannot import {data.path}: the database {database_name(store)} already "
                    f"holds data ({shown}). Import only into a new, empty database. "
                    "Nothing was changed."
                )
            _insert_all(conn, data)
            table = None
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        part = f" the {table.name!r} rows:" if table is not None else ""
        raise KnownError(
            f"Cannot import {data.path}: the database refused{part} "
            f"{(str(orig or exc).strip().splitlines() or ['?'])[0]}. Nothing was changed."
        ) from None
    return data.counts()


class _Changed(Exception):
    pass


def _insert_all(conn: Connection, data: JsonExport) -> None:
    """The checked file's rows into the database, read from the file again a chunk at a time;
    a file that has changed since it was checked is refused (the transaction is undone)."""
    known = {t.name: t for t in model_tables()}
    done: dict[str, int] = {}
    tables = data.parts()
    try:
        next(tables)
        for name, rows in tables:
            table = known.get(name)
            if table is None or rows is None or name in done:
                raise _Changed
            done[name] = _insert(conn, table, rows, data)
    except (_Changed, _Unstreamable, StopIteration):
        done = {}
    finally:
        tables.close()
    if {**dict.fromkeys(known, 0), **done} != data.sizes:
        raise KnownError(
            f"Cannot import {data.path}: the file changed while it was being imported. "
            "Nothing was changed: import it again."
        )


def _insert(conn: Connection, table: Table, raw_rows: Iterable[Any], data: JsonExport) -> int:
    from .. import checks
    from ..errors import ValidationError

    # A link to a row of the same table (staff's line manager) is set once all rows are in.
    later = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    blanks = dict.fromkeys(later)
    links: list[tuple[Any, dict[str, Any]]] = []
    pk = next(iter(table.primary_key.columns))
    ruled = table.name in checks.RULES

    def put(rows: list[dict[str, Any]]) -> None:
        if ruled and table.name != "contract":
            try:
                rows = checks.clean_tables({table.name: rows})[table.name]
            except ValidationError:
                raise _Changed from None
        if table.name == "audit_entry":
            for r in rows:
                r["imported"] = True  # history from elsewhere, never a change made here
        for r in rows:
            linked = {c: r[c] for c in later if r[c] is not None}
            if linked:
                links.append((r[pk.name], linked))
        conn.execute(table.insert(), [{**r, **blanks} for r in rows] if later else rows)

    n = 0
    chunk: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for n, raw in enumerate(raw_rows, start=1):
        if table.name == "contract":
            continue  # kept cleaned from the check, with their days
        row = _row(table, n, raw, data.schema_revision, problems)
        if row is None:
            raise _Changed
        chunk.append(row)
        if len(chunk) == CHUNK:
            put(chunk)
            chunk = []
    if table.name == "contract":
        if n != len(data.contracts):
            raise _Changed
        for part in _chunks(data.contracts):
            put([dict(r) for r in part])
    elif chunk:
        put(chunk)
    for key, linked in links:
        conn.execute(table.update().where(pk == key).values(linked))
    return n


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: each id sequence carries on after the largest id imported."""
    quote = conn.dialect.identifier_preparer
    for table in model_tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        name, col = quote.format_table(table), quote.quote(pk[0].name)
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({col}) FROM {name}), 1), "
                f"(SELECT MAX({col}) FROM {name}) IS NOT NULL)"
            ),
            {"table": name, "column": pk[0].name},
        )


def import_json(store: Any, path: Path | str) -> dict[str, int]:
    """Check an export file, then load it into ``store`` (which must be empty)."""
    return insert_export(store, read_json(path))


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ImportRejected",
    "JsonExport",
    "Problem",
    "column_kind",
    "export_json",
    "import_json",
    "insert_export",
    "model_tables",
    "read_json",
]
