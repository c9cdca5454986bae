"""Read a list report exported from the MIS, row by row, with its columns mapped to the
app's fields: the file is opened by ``spreadsheet.py``, its columns mapped by
``columns.py`` (guessed, or a mapping saved by name); here each row becomes a ``PupilRow``
or ``StaffRow``, or a ``Refused`` naming its line and column.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import KnownError, ValidationError
from .columns import (
    PUPIL_FIELDS,
    PUPILS,
    REQUIRED,
    STAFF,
    STAFF_FIELDS,
    SavedMapping,
    fields_of,
    find_mapping,
    guess_kind,
    guess_mapping,
    norm_heading,
    save_mapping,
    saved_mappings,
)
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
from .spreadsheet import Sheet, detect_encoding, fail, open_sheet

Progress = Callable[[int, int], object]


# --------------------------------------------------------------------------- rows


def _columns(sheet: Sheet, mapping: Mapping[str, str], kind: str) -> dict[str, int]:
    """Field -> column index; every mapped heading must be in the file, and the required
    fields mapped."""
    index: dict[str, int] = {}
    for i, h in enumerate(sheet.headings):
        index.setdefault(norm_heading(h), i)
    out: dict[str, int] = {}
    missing: list[str] = []
    for field, heading in mapping.items():
        if field not in fields_of(kind):
            raise KnownError(f"{field} is not a field of a {kind} list.")
        if not heading:
            continue
        at = index.get(norm_heading(heading))
        if at is None:
            missing.append(heading)
        else:
            out[field] = at
    if missing:
        raise fail(
            sheet.path,
            f"the mapping names column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}, not in the file (its headings are "
            f"{', '.join(repr(h) for h in sheet.headings if h)}).",
        )
    unmapped = [fields_of(kind)[f][0] for f in REQUIRED[kind] if f not in out]
    if unmapped:
        raise fail(
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


__all__ = [
    "PUPILS",
    "PUPIL_FIELDS",
    "STAFF",
    "STAFF_FIELDS",
    "SavedMapping",
    "Sheet",
    "ValidationError",
    "detect_encoding",
    "fields_of",
    "find_mapping",
    "guess_kind",
    "guess_mapping",
    "open_sheet",
    "pupil_rows",
    "save_mapping",
    "saved_mappings",
    "sheet_source",
    "staff_rows",
]
