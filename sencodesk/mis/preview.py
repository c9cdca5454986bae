"""The preview: a frozen plan of what an import would do, before anything is written.

For each row of the file: a new pupil, a pupil whose fields differ (each change old -> new),
an ambiguous row waiting for the SENCO to choose, or nothing to do; rows that cannot be
read are refused with the place and the reason; and, for a file of the whole roll, pupils on
roll in the app but not in the file are offered as leavers with the file's date (never
deleted). Identity fields (names, date of birth, UPN, year, class, admission) default to the
MIS; the SEN fields the SENCO keeps in the app (code, needs) show both values and default to
the app's, so a stale MIS does not overwrite the register. Leavers default to not ticked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from .. import vocab
from ..errors import KnownError
from ..model import School
from ..queries.common import school_id
from ..rules.dates import format_date
from ..rules.schoolyear import year_group, year_group_label
from . import ctf, sheet
from .match import (
    AMBIGUOUS,
    MATCH,
    AppPupil,
    AppStaff,
    PupilIndex,
    StaffIndex,
    load_pupils,
    load_staff,
)
from .rows import PupilRow, Refused, Source, StaffRow

Progress = Callable[[int, int], object]
NEW, UPDATE, LEAVER, CHOOSE = "new", "update", "leaver", "ambiguous"
IDENTITY, SEN = "identity", "sen"

LABELS = {
    "upn": "UPN",
    "legal_last_name": "Legal surname",
    "legal_first_name": "Legal forename",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "year_group_override": "Year group",
    "class_name": "Class",
    "admission_date": "Admission date",
    "sen_code": "SEN code",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "leaving_date": "Leaving date",
    "first_name": "Forename",
    "last_name": "Surname",
    "role": "Role",
    "email": "Email",
    "start_date": "Start date",
}
SEN_FIELDS = ("sen_code", "primary_need", "secondary_need")


def shown(field_name: str, value: Any) -> str:
    """A value as the SENCO reads it in the preview."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, dt.date):
        return format_date(value)
    if field_name == "year_group_override":
        return year_group_label(int(value))
    if field_name == "role":
        return str(vocab.STAFF_ROLE_LABELS.get(vocab.StaffRole(value), value))
    return str(value)


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    old: Any
    new: Any
    kind: str  # IDENTITY (defaults to the MIS) or SEN (defaults to the app's)

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field)

    @property
    def default(self) -> bool:
        return self.kind == IDENTITY

    def __str__(self) -> str:
        return f"{self.label}: {shown(self.field, self.old)} → {shown(self.field, self.new)}"


# The MIS's own values recorded per pupil: sen_code, primary, secondary, sex, source, date.
MisValues = tuple[str | None, str | None, str | None, str, str, dt.date | None]


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    description: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Item:
    """One thing the import can do, for the SENCO to tick."""

    key: str
    action: str  # NEW, UPDATE, LEAVER or CHOOSE
    name: str
    where: str
    row_id: int | None = None  # the app's pupil or member of staff (UPDATE, LEAVER)
    values: tuple[tuple[str, Any], ...] = ()  # NEW: every field to save
    changes: tuple[Change, ...] = ()  # UPDATE
    candidates: tuple[Candidate, ...] = ()  # CHOOSE
    new_values: tuple[tuple[str, Any], ...] = ()  # CHOOSE: the values if it is a new row
    mis: MisValues | None = None  # the MIS values to record for the pupil


@dataclass(frozen=True)
class Plan:
    source: Source
    kind: str  # "pupils" or "staff"
    items: tuple[Item, ...]
    refused: tuple[Refused, ...]
    rows: int  # rows read from the file
    unchanged: int
    full_roll: bool
    # (pupil id, MIS values) for matched pupils whose recorded MIS values differ
    mis_updates: tuple[tuple[int, MisValues], ...] = ()
    # what the plan's old values were read from: each row's values as seen at preview time
    seen: tuple[tuple[int, tuple[tuple[str, Any], ...]], ...] = field(default=(), repr=False)

    def of(self, action: str) -> list[Item]:
        return [i for i in self.items if i.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.of(NEW)),
            "changed": len(self.of(UPDATE)),
            "unchanged": self.unchanged,
            "leavers": len(self.of(LEAVER)),
            "ambiguous": len(self.of(CHOOSE)),
            "refused": len({r.where for r in self.refused}),
        }

    def summary(self) -> str:
        c = self.counts
        who = "pupils" if self.kind == sheet.PUPILS else "staff"
        parts = [
            f"{c['rows']:,} {who} read from {self.source.file_name}",
            f"{c['new']:,} new",
            f"{c['changed']:,} with changes",
            f"{c['unchanged']:,} unchanged",
        ]
        if self.kind == sheet.PUPILS:
            parts.append(f"{c['leavers']:,} not in the file (possible leavers)")
        parts += [f"{c['ambiguous']:,} to choose", f"{c['refused']:,} refused"]
        return ", ".join(parts)


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
        plan = _pupil_plan(session, rows, lambda: f.source(), refused, ctf_file=f)
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
    return _pupil_plan(
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


# --------------------------------------------------------------------------- pupils


def _effective_year(dob: dt.date, override: int | None, on: dt.date) -> int:
    return override if override is not None else year_group(dob, on)


def pupil_changes(app: AppPupil, row: PupilRow, on: dt.date) -> list[Change]:
    out: list[Change] = []

    def put(name: str, old: Any, new: Any, kind: str = IDENTITY) -> None:
        if new is not None and new != old:
            out.append(Change(name, old, new, kind))

    put("legal_last_name", app.legal_last_name, row.legal_last_name)
    put("legal_first_name", app.legal_first_name, row.legal_first_name)
    if row.preferred_name:  # an MIS without a preferred name leaves the app's
        put("preferred_name", app.preferred_name, row.preferred_name)
    put("date_of_birth", app.date_of_birth, row.date_of_birth)
    if row.upn and not (app.upn and not _temporary(app.upn) and _temporary(row.upn)):
        put("upn", app.upn, row.upn)
    if row.year is not None:
        dob = row.date_of_birth or app.date_of_birth
        if _effective_year(app.date_of_birth, app.year_group_override, on) != row.year:
            new = None if row.year == year_group(dob, on) else row.year
            out.append(Change("year_group_override", app.year_group_override, new, IDENTITY))
    if row.class_name:
        put("class_name", app.class_name, row.class_name)
    if row.admission_date is not None:
        put("admission_date", app.admission_date, row.admission_date)
    if row.sen_code is not None:
        put("sen_code", app.sen_code, row.sen_code, SEN)
    for name in ("primary_need", "secondary_need"):
        mis_need = getattr(row, name)  # None: the file says nothing; "": the MIS has none
        if mis_need is not None and (mis_need or None) != getattr(app, name):
            out.append(Change(name, getattr(app, name), mis_need or None, SEN))
    return out


def _temporary(upn: str) -> bool:
    from ..rules import upn as upn_rules

    return upn_rules.is_temporary(upn)


def new_pupil_values(row: PupilRow, on: dt.date) -> tuple[tuple[str, Any], ...]:
    v: dict[str, Any] = {
        "legal_last_name": row.legal_last_name,
        "legal_first_name": row.legal_first_name,
        "date_of_birth": row.date_of_birth,
    }
    if row.preferred_name:
        v["preferred_name"] = row.preferred_name
    if row.upn:
        v["upn"] = row.upn
    if row.year is not None and row.year != year_group(row.date_of_birth, on):
        v["year_group_override"] = row.year
    if row.class_name:
        v["class_name"] = row.class_name
    if row.admission_date is not None:
        v["admission_date"] = row.admission_date
    if row.sen_code is not None:
        v["sen_code"] = row.sen_code
        if row.primary_need:
            v["primary_need"] = row.primary_need
        if row.secondary_need:
            v["secondary_need"] = row.secondary_need
    return tuple(v.items())


def _describe(p: AppPupil, on: dt.date) -> str:
    year = year_group_label(_effective_year(p.date_of_birth, p.year_group_override, on))
    bits = [p.name, f"born {format_date(p.date_of_birth)}", year]
    bits.append(f"UPN {p.upn}" if p.upn else "no UPN")
    if p.archived:
        bits.append("archived")
    return ", ".join(bits)


def _mis_values(row: PupilRow, source: Source) -> MisValues | None:
    if row.sen_code is None and row.sex is None:
        return None
    return (
        row.sen_code,
        row.primary_need or None,
        row.secondary_need or None,
        row.sex or "",
        f"{source.file_name} ({source.description})"[:300],
        source.file_date,
    )


def _pupil_plan(
    session: Session,
    rows: Iterable[PupilRow],
    source_of: Callable[[], Source],
    refused: list[Refused],
    ctf_file: ctf.CtfFile | None = None,
) -> Plan:
    index = PupilIndex(load_pupils(session))
    late: list[Refused] = []  # rows read but refused when matched
    items: list[Item] = []
    mis_updates: list[tuple[int, MisValues]] = []
    matched: dict[int, str] = {}
    upns: dict[str, str] = {}
    unchanged = 0
    n = 0
    source: Source | None = None
    for row in rows:
        n += 1
        if source is None:
            source = source_of()
        on = source.file_date
        if row.upn:
            if row.upn in upns:
                late.append(
                    Refused(
                        named(row.where, row.name), "UPN", f"{row.upn} is also in {upns[row.upn]}"
                    )
                )
                continue
            upns[row.upn] = row.where
        how, found = index.match(row)
        mis = _mis_values(row, source)
        if how == MATCH:
            p = found[0]
            if p.id in matched:
                late.append(
                    Refused(
                        named(row.where, row.name),
                        "pupil",
                        f"is the same pupil as {matched[p.id]}",
                    )
                )
                continue
            matched[p.id] = row.where
            changes = pupil_changes(p, row, on)
            if changes:
                items.append(
                    Item(
                        f"row:{row.where}",
                        UPDATE,
                        p.name,
                        row.where,
                        p.id,
                        changes=tuple(changes),
                        mis=mis,
                    )
                )
            else:
                unchanged += 1
                if mis is not None and _mis_differs(p.mis, mis):
                    mis_updates.append((p.id, mis))
        elif how == AMBIGUOUS:
            cands = tuple(
                Candidate(p.id, _describe(p, on), tuple(pupil_changes(p, row, on))) for p in found
            )
            items.append(
                Item(
                    f"row:{row.where}",
                    CHOOSE,
                    row.name,
                    row.where,
                    candidates=cands,
                    new_values=new_pupil_values(row, on),
                    mis=mis,
                )
            )
        else:
            items.append(
                Item(
                    f"row:{row.where}",
                    NEW,
                    row.name,
                    row.where,
                    values=new_pupil_values(row, on),
                    mis=mis,
                )
            )
    if source is None:
        source = source_of()
    full_roll = _is_full_roll(session, source)
    if full_roll and n:
        # every pupil on roll the file does not name (nor could be naming: ambiguous rows)
        waiting = {c.id for i in items if i.action == CHOOSE for c in i.candidates}
        for p in sorted(index.pupils, key=lambda p: (p.legal_last_name, p.legal_first_name)):
            if p.archived or p.leaving_date is not None or p.id in matched or p.id in waiting:
                continue
            if p.admission_date is not None and p.admission_date > source.file_date:
                continue
            items.append(
                Item(
                    f"leaver:{p.id}",
                    LEAVER,
                    p.name,
                    "not in the file",
                    p.id,
                    changes=(Change("leaving_date", None, source.file_date, IDENTITY),),
                )
            )
    items = _checked(session, items, late)
    if ctf_file is not None:
        refused.extend(ctf_file.refused)
    if n == 0 and not refused:
        raise KnownError(f"Cannot import {source.file_name}: it holds no pupils.")
    unread = len({r.where for r in refused})
    refused.extend(late)
    refused.sort(key=_where_order)
    return Plan(
        source=source,
        kind=sheet.PUPILS,
        items=tuple(items),
        refused=tuple(refused),
        rows=n + unread,
        unchanged=unchanged,
        full_roll=full_roll,
        mis_updates=tuple(mis_updates),
    )


def named(where: str, name: str) -> str:
    """A place with the name in it: "line 7 (Brown, Leo)" (a CTF's place has it already)."""
    return where if where.endswith(")") else f"{where} ({name})"


def _checked(session: Session, items: list[Item], refused: list[Refused]) -> list[Item]:
    """Rows whose new values (or ticked-by-default changes) the editors' own checks would
    refuse are shown as refused now, with the field and why, not found out at the end."""
    from .. import commands

    out = []
    for item in items:
        if item.action == NEW:
            problems = commands.pupil_problems(session, dict(item.values), upn_clash=False)
        elif item.action == UPDATE:
            values = {c.field: c.new for c in item.changes if c.default}
            problems = commands.pupil_problems(session, values, item.row_id) if values else {}
        else:
            problems = {}
        if problems:
            refused.extend(
                Refused(named(item.where, item.name), LABELS.get(f, f), msg)
                for f, msg in problems.items()
            )
        else:
            out.append(item)
    return out


def _where_order(r: Refused) -> tuple[int, str]:
    digits = "".join(ch for ch in r.where.split("(")[0] if ch.isdigit())
    return (int(digits) if digits else 0, r.field)


def _mis_differs(old: MisValues | None, new: MisValues) -> bool:
    return old is None or tuple(old) != tuple(new)


def _is_full_roll(session: Session, source: Source) -> bool:
    """A spreadsheet list, or a CTF from the school's own MIS, is the whole roll; a CTF from
    another school (pupils joining) is not, so it offers no leavers."""
    if source.kind != "ctf" or not source.source_school:
        return True
    school = session.get(School, school_id(session))
    ours = (school.dfe_number if school else "").replace("/", "").replace(" ", "")
    return not ours or ours == source.source_school


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


# --------------------------------------------------------------------------- choices


@dataclass
class Choices:
    """What the SENCO ticked: new rows and leavers by key, changes by (key, field), and for
    each ambiguous row the pupil (or member of staff) it is, or 0 for a new one."""

    items: set[str] = field(default_factory=set)
    fields: set[tuple[str, str]] = field(default_factory=set)
    chosen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def defaults(cls, plan: Plan, *, leavers: bool = False) -> Choices:
        c = cls()
        for item in plan.items:
            if item.action == NEW or (item.action == LEAVER and leavers):
                c.items.add(item.key)
            elif item.action == UPDATE:
                c.fields.update((item.key, ch.field) for ch in item.changes if ch.default)
        return c  # an ambiguous row waits for the SENCO: nothing chosen

    def count(self) -> int:
        return len(self.items) + len({k for k, _ in self.fields}) + len(self.chosen)
