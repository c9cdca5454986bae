"""Read a list report exported from the MIS: CSV (UTF-8, UTF-8 with BOM or Windows-1252) or
XLSX, streamed row by row, with its columns mapped to the app's fields.

Column names vary from school to school, so each field has a list of the headings SIMS,
Arbor, Bromcom and ScholarPack users meet ("Legal Surname", "Forename", "DOB", "Reg Group",
"SEN Status", "Primary Need"); ``guess_mapping`` proposes one, the SENCO corrects it, and it
is saved under a name (``save_mapping``) so next term's file maps itself (``find_mapping``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import KnownError, ValidationError
from ..model import MisMapping
from ..validate import Checker
from .rows import (
    PupilRow,
    Refused,
    Source,
    StaffRow,
    clean_text,
    read_date,
    read_name,
    read_need,
    read_sen_code,
    read_sex,
    read_upn,
    read_year,
)

Progress = Callable[[int, int], object]
PUPILS, STAFF = "pupils", "staff"

# field -> (label for people, headings it is guessed from, normalised: lower case, letters
# and digits only)
PUPIL_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "upn": ("UPN", ("upn", "uniquepupilnumber", "pupilupn")),
    "legal_last_name": (
        "Legal surname",
        ("legalsurname", "surname", "lastname", "legallastname", "familyname"),
    ),
    "legal_first_name": (
        "Legal forename",
        ("legalforename", "forename", "firstname", "legalfirstname", "forenames", "givenname"),
    ),
    "preferred_name": (
        "Preferred forename",
        ("preferredforename", "preferredname", "preferredfirstname", "knownas", "chosenname"),
    ),
    "date_of_birth": ("Date of birth", ("dob", "dateofbirth", "birthdate")),
    "sex": ("Sex", ("sex", "gender")),
    "year": (
        "Year group",
        ("year", "yeargroup", "ncyear", "yeartaughtin", "ncyearactual", "curriculumyear", "yr"),
    ),
    "class_name": (
        "Class (registration group)",
        (
            "reggroup",
            "registrationgroup",
            "regclass",
            "class",
            "classname",
            "form",
            "formgroup",
            "tutorgroup",
            "registrationclass",
        ),
    ),
    "admission_date": (
        "Admission date",
        ("admissiondate", "dateofadmission", "entrydate", "dateofentry", "admissiondate1"),
    ),
    "sen_code": (
        "SEN provision (E/K/N)",
        ("senstatus", "senprovision", "sen", "senstage", "sencode", "senprovisiontype"),
    ),
    "primary_need": (
        "Primary need",
        (
            "primaryneed",
            "senneed1",
            "primarysenneed",
            "primarysentype",
            "senprimaryneed",
            "primarytypeofneed",
            "need1",
            "senneedrank1",
        ),
    ),
    "secondary_need": (
        "Secondary need",
        (
            "secondaryneed",
            "senneed2",
            "secondarysenneed",
            "secondarysentype",
            "secondarytypeofneed",
            "need2",
            "senneedrank2",
        ),
    ),
}
STAFF_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "last_name": ("Surname", ("surname", "lastname", "legalsurname", "familyname")),
    "first_name": ("Forename", ("forename", "firstname", "legalforename", "preferredforename")),
    "role": ("Role", ("role", "jobtitle", "post", "staffrole", "position", "roles")),
    "start_date": (
        "Start date",
        ("startdate", "employmentstartdate", "datejoined", "contractstart", "dateofarrival"),
    ),
    "email": ("Email", ("email", "emailaddress", "workemail", "schoolemail")),
}
REQUIRED = {
    PUPILS: ("legal_last_name", "legal_first_name", "date_of_birth"),
    STAFF: ("last_name", "first_name"),
}


def fields_of(kind: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    return PUPIL_FIELDS if kind == PUPILS else STAFF_FIELDS


def _norm_heading(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", clean_text(text).lower())


def guess_mapping(headings: Sequence[str], kind: str = PUPILS) -> dict[str, str]:
    """Field -> heading, for each field a heading of the file is known for (first wins)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for field, (_label, known) in fields_of(kind).items():
        for h in headings:
            if h and h not in taken and _norm_heading(h) in known:
                out[field] = h
                taken.add(h)
                break
    return out


def guess_kind(headings: Sequence[str]) -> str:
    """A staff list has a role or job title and no date of birth."""
    pupils, staff = guess_mapping(headings, PUPILS), guess_mapping(headings, STAFF)
    if "role" in staff and "date_of_birth" not in pupils:
        return STAFF
    return PUPILS


# --------------------------------------------------------------------------- the file


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


def _fail(path: Path, what: str) -> KnownError:
    return KnownError(f"Cannot import {path.name}: {what}")


def open_sheet(path: Path | str) -> Sheet:
    path = Path(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise _fail(
            path, f"the file cannot be read ({(exc.strerror or str(exc)).lower()})."
        ) from None
    if size == 0:
        raise _fail(path, "the file is empty.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, size)
    if suffix == ".xls":
        raise _fail(
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
        raise _fail(path, "it has no rows.")
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
                raise _fail(path, "it is an Excel workbook, not a CSV file: name it .xlsx.")
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise _fail(
                    path,
                    "it is saved as UTF-16 text; save it again as CSV UTF-8 "
                    "(in Excel: Save As, 'CSV UTF-8 (Comma delimited)').",
                )
            raise _fail(path, "it is not a CSV text file (it holds binary data).")
        else:
            encoding = "utf-8"
        if encoding == "utf-8" and _decodes(f, head, "utf-8") is None:
            return "utf-8"
        if encoding == "utf-8-sig":
            bad = _decodes(f, head, "utf-8")
            if bad is None:
                return encoding
            raise _fail(
                path,
                f"line {_line_of(path, bad)} is not UTF-8 text, though the file "
                "says it is (it starts with a UTF-8 byte order mark).",
            )
        bad = _decodes(f, head, "cp1252")
        if bad is None:
            return "cp1252"
        raise _fail(
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
                raise _fail(path, f"line {reader.line_num} is not valid CSV ({exc}).") from None

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
            raise _fail(
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
                raise _fail(
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


# --------------------------------------------------------------------------- rows


def _columns(sheet: Sheet, mapping: Mapping[str, str], kind: str) -> dict[str, int]:
    """Field -> column index; every mapped heading must be in the file, and the required
    fields mapped."""
    index: dict[str, int] = {}
    for i, h in enumerate(sheet.headings):
        index.setdefault(_norm_heading(h), i)
    out: dict[str, int] = {}
    missing: list[str] = []
    for field, heading in mapping.items():
        if field not in fields_of(kind):
            raise KnownError(f"{field} is not a field of a {kind} list.")
        if not heading:
            continue
        at = index.get(_norm_heading(heading))
        if at is None:
            missing.append(heading)
        else:
            out[field] = at
    if missing:
        raise _fail(
            sheet.path,
            f"the mapping names column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}, not in the file (its headings are "
            f"{', '.join(repr(h) for h in sheet.headings if h)}).",
        )
    unmapped = [fields_of(kind)[f][0] for f in REQUIRED[kind] if f not in out]
    if unmapped:
        raise _fail(
            sheet.path,
            f"no column is mapped to {', '.join(unmapped)}. Its headings are "
            f"{', '.join(repr(h) for h in sheet.headings if h)}: map them in the app, or "
            "with --column FIELD=HEADING.",
        )
    return out


def pupil_rows(
    sheet: Sheet,
    mapping: Mapping[str, str],
    refused: list[Refused],
    progress: Progress | None = None,
) -> Iterator[PupilRow]:
    cols = _columns(sheet, mapping, PUPILS)
    readers: dict[str, Callable[[Any], Any]] = {
        "upn": read_upn,
        "legal_last_name": read_name,
        "legal_first_name": read_name,
        "preferred_name": clean_text,
        "date_of_birth": read_date,
        "sex": read_sex,
        "year": read_year,
        "class_name": lambda v: read_name(v, 40) if clean_text(v) else "",
        "admission_date": lambda v: read_date(v) if clean_text(v) else None,
        "sen_code": read_sen_code,
        "primary_need": lambda v: read_need(v) or "",  # "": the MIS has none
        "secondary_need": lambda v: read_need(v) or "",
    }
    yield from _rows(sheet, cols, readers, refused, progress, _pupil_row)


def staff_rows(
    sheet: Sheet,
    mapping: Mapping[str, str],
    refused: list[Refused],
    progress: Progress | None = None,
) -> Iterator[StaffRow]:
    from .match import read_role

    cols = _columns(sheet, mapping, STAFF)
    readers: dict[str, Callable[[Any], Any]] = {
        "last_name": read_name,
        "first_name": read_name,
        "role": read_role,
        "start_date": lambda v: read_date(v) if clean_text(v) else None,
        "email": lambda v: _email(clean_text(v)),
    }
    yield from _rows(sheet, cols, readers, refused, progress, _staff_row)


def _email(text: str) -> str:
    if text and ("@" not in text or " " in text):
        raise ValueError(f"{text!r} is not an email address")
    return text


def _pupil_row(where: str, v: dict[str, Any]) -> PupilRow:
    first = v["legal_first_name"]
    pref = v.get("preferred_name")
    if pref is not None and pref == first:
        pref = ""
    return PupilRow(where=where, **{**v, "preferred_name": pref})


def _staff_row(where: str, v: dict[str, Any]) -> StaffRow:
    return StaffRow(where=where, **v)


def _rows(
    sheet: Sheet,
    cols: dict[str, int],
    readers: dict[str, Callable[[Any], Any]],
    refused: list[Refused],
    progress: Progress | None,
    make: Callable[[str, dict[str, Any]], Any],
) -> Iterator[Any]:
    headings = sheet.headings
    for n, (line, cells) in enumerate(sheet.rows(), start=1):
        where = f"line {line}"
        values: dict[str, Any] = {}
        problems = []
        for field, i in cols.items():
            raw = cells[i] if i < len(cells) else ""
            try:
                values[field] = readers[field](raw)
            except ValueError as exc:
                problems.append(Refused(where, headings[i], str(exc)))
        if problems:
            refused.extend(problems)
        else:
            yield make(where, values)
        if progress is not None and n % 500 == 0:
            progress(sheet.position(), sheet.size)
    if progress is not None:
        progress(sheet.size, sheet.size)


def sheet_source(sheet: Sheet) -> Source:
    try:
        stamp = dt.date.fromtimestamp(os.path.getmtime(sheet.path))
    except OSError:
        stamp = dt.date.today()
    return Source(
        file_name=sheet.path.name,
        kind="sheet",
        description="spreadsheet from the MIS",
        file_date=min(stamp, dt.date.today()),
    )


# --------------------------------------------------------------------------- saved mappings


@dataclass(frozen=True)
class SavedMapping:
    name: str
    kind: str
    columns: dict[str, str]


def saved_mappings(session: Session, kind: str | None = None) -> list[SavedMapping]:
    q = select(MisMapping).order_by(MisMapping.name)
    if kind is not None:
        q = q.where(MisMapping.kind == kind)
    out = []
    for m in session.scalars(q):
        try:
            cols = json.loads(m.columns)
        except ValueError:
            cols = {}
        out.append(SavedMapping(m.name, m.kind, {str(k): str(v) for k, v in cols.items()}))
    return out


def find_mapping(
    saved: Sequence[SavedMapping], headings: Sequence[str], kind: str
) -> SavedMapping | None:
    """The saved mapping (of this kind) that fits the file: every heading it names is in the
    file and the required fields are mapped; of several, the one naming most columns."""
    have = {_norm_heading(h) for h in headings if h}
    fits = [
        m
        for m in saved
        if m.kind == kind
        and all(f in m.columns for f in REQUIRED[kind])
        and all(_norm_heading(h) in have for h in m.columns.values() if h)
    ]
    return max(fits, key=lambda m: len(m.columns), default=None)


def save_mapping(session: Session, name: str, kind: str, columns: Mapping[str, str]) -> int:
    """Save (or replace) a named mapping: field -> heading."""
    c = Checker({"name": name, "kind": kind})
    c.text("name", required=True, max_len=80)
    c.choice("kind", [PUPILS, STAFF])
    bad = [f for f in columns if f not in fields_of(kind)]
    if bad:
        c.fail("columns", f"{', '.join(bad)} not a field of a {kind} list")
    out = c.done()
    data = json.dumps({k: v for k, v in columns.items() if v}, sort_keys=True)
    row = session.scalar(select(MisMapping).where(MisMapping.name == out["name"]))
    if row is None:
        row = MisMapping(name=out["name"], kind=kind, columns=data)
        session.add(row)
    elif row.kind != kind or row.columns != data:
        row.kind, row.columns = kind, data
    session.flush()
    return row.id


__all__ = [
    "PUPILS",
    "STAFF",
    "Sheet",
    "ValidationError",
    "find_mapping",
    "guess_kind",
    "guess_mapping",
    "open_sheet",
    "pupil_rows",
    "save_mapping",
    "saved_mappings",
    "staff_rows",
]
