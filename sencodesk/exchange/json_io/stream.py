"""Reading the file's tables as it goes (``ijson``), or whole with ``json`` when it is not in
an export's shape: both give the same (table, rows) parts."""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import ijson

from ...errors import KnownError
from .fileformat import model_tables
from .values import _Huge, _parse_float, _parse_int


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
