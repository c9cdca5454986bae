"""The preview: a frozen plan of what an import would do, before anything is written.

For each row of the file: a new pupil, a pupil whose fields differ (each change old -> new),
an ambiguous row waiting for the SENCO to choose, or nothing to do; rows that cannot be
read are refused with the place and the reason; and, for a file of the whole roll, pupils on
roll in the app but not in the file are offered as leavers with the file's date (never
deleted). Identity fields (names, date of birth, UPN, year, class, admission) default to the
MIS; the SEN fields the SENCO keeps in the app (code, needs) show both values and default to
the app's, so a stale MIS does not overwrite the register. Leavers default to not ticked.

Here: which file it is, ``make_plan``, a spreadsheet's columns, and the staff preview. The
plan's types and the SENCO's choices are ``plan.py``; the pupils' preview ``pupil_plan.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..errors import KnownError
from . import ctf, sheet
from .match import AMBIGUOUS, MATCH, AppStaff, StaffIndex, load_staff
from .plan import (  # noqa: F401 - the preview's vocabulary, found here by its callers
    CHOOSE,
    IDENTITY,
    LABELS,
    LEAVER,
    NEW,
    SEN,
    SEN_FIELDS,
    UPDATE,
    Candidate,
    Change,
    Choices,
    Item,
    MisValues,
    Plan,
    named,
    shown,
)
from .pupil_plan import new_pupil_values, pupil_changes, pupil_plan  # noqa: F401
from .rows import Refused, Source, StaffRow

Progress = Callable[[int, int], object]


# --------------------------------------------------------------------------- reading


def is_ctf(path: Path) -> bool:
    return path.suffix.lower() == ".xml" or (
        path.suffix.lower() not in (".csv", ".xlsx", ".xlsm", ".xls", ".txt")
        and ctf.looks_like_xml(path)
    )


def make_plan(
    session: Session,
    path: Path | str,
    *,
    kind: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Read the file and compare it with the database (``session`` is only read).

    ``kind``: "pupils" or "staff" (a CTF is always pupils; a spreadsheet is guessed from its
    headings). ``mapping``: field -> heading for a spreadsheet (default: a saved mapping that
    fits, else the guesses from the headings)."""
    path = Path(path)
    refused: list[Refused] = []
    if is_ctf(path):
        if kind == sheet.STAFF:
            raise KnownError(f"{path.name} is a Common Transfer File: it lists pupils, not staff.")
        f = ctf.CtfFile(path)
        rows: Iterable[Any] = f.pupils(progress)
        plan = pupil_plan(session, rows, lambda: f.source(), refused, ctf_file=f)
        return plan
    sh = sheet.open_sheet(path)
    kind = kind or sheet.guess_kind(sh.headings)
    if mapping is None:
        found = sheet.find_mapping(sheet.saved_mappings(session, kind), sh.headings, kind)
        mapping = found.columns if found else sheet.guess_mapping(sh.headings, kind)
    if kind == sheet.STAFF:
        return _staff_plan(
            session,
            sheet.staff_rows(sh, mapping, refused, progress),
            sheet.sheet_source(sh),
            refused,
        )
    return pupil_plan(
        session,
        sheet.pupil_rows(sh, mapping, refused, progress),
        lambda: sheet.sheet_source(sh),
        refused,
    )


@dataclass(frozen=True)
class SheetColumns:
    """A spreadsheet's headings and the mapping to use: a saved one that fits (or the one
    named), else guesses from the headings; ``overrides`` (field -> heading) on top."""

    kind: str
    headings: tuple[str, ...]
    mapping: dict[str, str]
    saved_name: str  # the saved mapping used, or ""
    saved: tuple[str, ...]  # every saved mapping of this kind, by name


def sheet_columns(
    session: Session,
    path: Path | str,
    *,
    kind: str | None = None,
    name: str | None = None,
    overrides: dict[str, str] | None = None,
) -> SheetColumns:
    sh = sheet.open_sheet(path)
    saved_all = sheet.saved_mappings(session)
    if name:
        chosen = next((m for m in saved_all if m.name.casefold() == name.casefold()), None)
        if chosen is None:
            names = ", ".join(m.name for m in saved_all) or "none yet"
            raise KnownError(f"There is no saved mapping called {name!r} (saved: {names}).")
        kind = kind or chosen.kind
        if chosen.kind != kind:
            raise KnownError(f"The mapping {chosen.name!r} is for a {chosen.kind} list.")
    kind = kind or sheet.guess_kind(sh.headings)
    if not name:
        found = sheet.find_mapping(saved_all, sh.headings, kind)
        chosen = found
    mapping = dict(chosen.columns) if chosen else sheet.guess_mapping(sh.headings, kind)
    for f, heading in (overrides or {}).items():
        if f not in sheet.fields_of(kind):
            known = ", ".join(sheet.fields_of(kind))
            raise KnownError(f"{f} is not a field of a {kind} list (fields: {known}).")
        if heading:
            mapping[f] = heading
        else:
            mapping.pop(f, None)
    return SheetColumns(
        kind,
        tuple(sh.headings),
        mapping,
        chosen.name if chosen else "",
        tuple(m.name for m in saved_all if m.kind == kind),
    )


# --------------------------------------------------------------------------- staff


def staff_changes(app: AppStaff, row: StaffRow) -> list[Change]:
    out = []
    if row.role and row.role != app.role:
        out.append(Change("role", app.role, row.role, IDENTITY))
    if row.email and row.email != app.email:
        out.append(Change("email", app.email, row.email, IDENTITY))
    if row.start_date is not None and app.start_date is None:
        out.append(Change("start_date", None, row.start_date, IDENTITY))
    return out


def _staff_plan(
    session: Session, rows: Iterable[StaffRow], source: Source, refused: list[Refused]
) -> Plan:
    index = StaffIndex(load_staff(session))
    items: list[Item] = []
    matched: dict[int, str] = {}
    unchanged = n = 0
    for row in rows:
        n += 1
        how, found = index.match(row)
        values: dict[str, Any] = {"first_name": row.first_name, "last_name": row.last_name}
        for k in ("role", "start_date", "email"):
            if getattr(row, k):
                values[k] = getattr(row, k)
        if how == MATCH:
            s = found[0]
            if s.id in matched:
                refused.append(Refused(row.where, "name", f"is the same person as {matched[s.id]}"))
                continue
            matched[s.id] = row.where
            changes = staff_changes(s, row)
            if changes:
                items.append(
                    Item(
                        f"row:{row.where}", UPDATE, s.name, row.where, s.id, changes=tuple(changes)
                    )
                )
            else:
                unchanged += 1
        elif how == AMBIGUOUS:
            cands = tuple(
                Candidate(
                    s.id,
                    f"{s.name}, {shown('role', s.role)}, started {shown('start_date', s.start_date)}",
                    tuple(staff_changes(s, row)),
                )
                for s in found
            )
            items.append(
                Item(
                    f"row:{row.where}",
                    CHOOSE,
                    row.name,
                    row.where,
                    candidates=cands,
                    new_values=tuple(values.items()),
                )
            )
        else:
            if "role" not in values:
                refused.append(Refused(row.where, "role", "is needed for a new member of staff"))
                continue
            items.append(
                Item(f"row:{row.where}", NEW, row.name, row.where, values=tuple(values.items()))
            )
    if n == 0 and not refused:
        raise KnownError(f"Cannot import {source.file_name}: it holds no staff.")
    return Plan(
        source=source,
        kind=sheet.STAFF,
        items=tuple(items),
        refused=tuple(refused),
        rows=n + len({r.where for r in refused}),
        unchanged=unchanged,
        full_roll=False,
    )
