"""Open a list report exported from the MIS: CSV (UTF-8, UTF-8 with BOM or Windows-1252) or
XLSX, its heading row found (a report may have a title above it), its rows streamed."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KnownError
from .columns import PUPILS, STAFF, guess_mapping
from .rows import clean_text


@dataclass
class Sheet:
    """An open spreadsheet: its headings (and their line) and a way to stream its rows."""

    path: Path
    headings: list[str]
    header_line: int
    _rows: Callable[[], Iterator[tuple[int, list[Any]]]]
    size: int
    position: Callable[[], int]

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(line number, cells) after the heading row; empty rows skipped."""
        for line, cells in self._rows():
            if line <= self.header_line:
                continue
            if any(clean_text(c) for c in cells):
                yield line, cells


def fail(path: Path, what: str) -> KnownError:
    """The error for a file that cannot be imported, naming it and why."""
    return KnownError(f"Cannot import {path.name}: {what}")


def open_sheet(path: Path | str) -> Sheet:
    path = Path(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise fail(
            path, f"the file cannot be read ({(exc.strerror or str(exc)).lower()})."
        ) from None
    if size == 0:
        raise fail(path, "the file is empty.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, size)
    if suffix == ".xls":
        raise fail(
            path, "it is an old Excel (.xls) file. Open it in Excel and save it as .xlsx or CSV."
        )
    return _open_csv(path, size)


def _find_header(first_rows: list[tuple[int, list[Any]]], path: Path) -> tuple[int, list[str]]:
    """The heading row: the first of the first rows naming two known fields (a report may
    have a title above it), else the first non-empty row."""
    best: tuple[int, list[str]] | None = None
    for line, cells in first_rows:
        heads = [clean_text(c) for c in cells]
        if not any(heads):
            continue
        if best is None:
            best = (line, heads)
        if len(guess_mapping(heads, PUPILS)) >= 2 or len(guess_mapping(heads, STAFF)) >= 2:
            return line, heads
    if best is None:
        raise fail(path, "it has no rows.")
    return best


# ---- CSV


def detect_encoding(path: Path) -> str:
    """utf-8-sig (a BOM), utf-8, else cp1252 (Windows' own), checked over the whole file in
    chunks; a byte neither can read is an error naming its line."""
    with open(path, "rb") as f:
        head = f.read(8192)
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif b"\x00" in head:
            if head.startswith(b"PK\x03\x04"):
                raise fail(path, "it is an Excel workbook, not a CSV file: name it .xlsx.")
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise fail(
                    path,
                    "it is saved as UTF-16 text; save it again as CSV UTF-8 "
                    "(in Excel: Save As, 'CSV UTF-8 (Comma delimited)').",
                )
            raise fail(path, "it is not a CSV text file (it holds binary data).")
        else:
            encoding = "utf-8"
        if encoding == "utf-8" and _decodes(f, head, "utf-8") is None:
            return "utf-8"
        if encoding == "utf-8-sig":
            bad = _decodes(f, head, "utf-8")
            if bad is None:
                return encoding
            raise fail(
                path,
                f"line {_line_of(path, bad)} is not UTF-8 text, though the file "
                "says it is (it starts with a UTF-8 byte order mark).",
            )
        bad = _decodes(f, head, "cp1252")
        if bad is None:
            return "cp1252"
        raise fail(
            path,
            f"line {_line_of(path, bad)} holds a character that is neither UTF-8 nor "
            "Windows-1252 text. Save the file again as 'CSV UTF-8'.",
        )


def _decodes(f: Any, head: bytes, encoding: str) -> int | None:
    """None if the whole file decodes, else the byte offset of the first bad byte."""
    f.seek(0)
    dec = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    while True:
        chunk = f.read(1 << 20)
        try:
            dec.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            return offset + exc.start
        if not chunk:
            return None
        offset += len(chunk)


def _line_of(path: Path, offset: int) -> int:
    with open(path, "rb") as f:
        return f.read(offset).count(b"\n") + 1


def _open_csv(path: Path, size: int) -> Sheet:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="") as f:
        sample = f.read(16384)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    state: dict[str, Any] = {"f": None}

    def stream() -> Iterator[tuple[int, list[Any]]]:
        with open(path, encoding=encoding, newline="") as f:
            state["f"] = f
            reader = csv.reader(f, dialect)
            try:
                for cells in reader:
                    yield reader.line_num, cells
            except csv.Error as exc:
                raise fail(path, f"line {reader.line_num} is not valid CSV ({exc}).") from None

    first: list[tuple[int, list[Any]]] = []
    for item in stream():
        first.append(item)
        if len(first) >= 20:
            break
    line, headings = _find_header(first, path)

    def position() -> int:
        f = state["f"]
        try:
            return f.buffer.tell() if f is not None and not f.closed else size
        except (OSError, ValueError):
            return 0

    return Sheet(path, headings, line, stream, size, position)


# ---- XLSX


def _open_xlsx(path: Path, size: int) -> Sheet:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    def workbook() -> Any:
        try:
            return load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as e:
            raise fail(
                path, f"it is not an Excel workbook that can be opened ({_why(e)})."
            ) from None

    counter = {"rows": 0, "total": 1}

    def stream() -> Iterator[tuple[int, list[Any]]]:
        wb = workbook()
        try:
            ws = wb.worksheets[0] if wb.worksheets else None
            if ws is None:
                return
            counter["total"] = max(int(ws.max_row or 0), 1)  # 1 when not declared
            try:
                for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    counter["rows"] = i
                    yield i, [_cell(v) for v in values]
            except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
                raise fail(
                    path, f"row {counter['rows'] + 1} cannot be read ({_why(e)})."
                ) from None
        finally:
            wb.close()

    # One pass: the heading row is found in the first rows, then the same stream goes on
    # (opening a read-only sheet parses it to its size: a workbook without a <dimension>
    # would be read from end to end each time it is opened).
    gen = stream()
    first: list[tuple[int, list[Any]]] = []
    for item in gen:
        first.append(item)
        if len(first) >= 20:
            break
    line, headings = _find_header(first, path)
    used = {"yes": False}

    def rows() -> Iterator[tuple[int, list[Any]]]:
        if used["yes"]:
            raise KnownError(f"{path.name} has been read already: open it again.")
        used["yes"] = True
        yield from first
        yield from gen

    def position() -> int:
        if counter["total"] <= 1:  # no size declared: say half-way until the end
            return size // 2
        return int(size * min(counter["rows"] / counter["total"], 1.0))

    return Sheet(path, headings, line, rows, size, position)


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text and text[0] else type(exc).__name__


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value
    return str(value)
