"""What an import would do, frozen for the preview: a ``Plan`` of ``Item``s (a new row, a
row whose fields differ, an ambiguous row waiting for a choice, a possible leaver), each
field's ``Change`` old -> new, and the SENCO's ``Choices``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import vocab
from ..rules.dates import format_date
from ..rules.schoolyear import year_group_label
from .columns import PUPILS
from .rows import Refused, Source

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
        who = "pupils" if self.kind == PUPILS else "staff"
        parts = [
            f"{c['rows']:,} {who} read from {self.source.file_name}",
            f"{c['new']:,} new",
            f"{c['changed']:,} with changes",
            f"{c['unchanged']:,} unchanged",
        ]
        if self.kind == PUPILS:
            parts.append(f"{c['leavers']:,} not in the file (possible leavers)")
        parts += [f"{c['ambiguous']:,} to choose", f"{c['refused']:,} refused"]
        return ", ".join(parts)


def named(where: str, name: str) -> str:
    """A place with the name in it: "line 7 (Brown, Leo)" (a CTF's place has it already)."""
    return where if where.endswith(")") else f"{where} ({name})"


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
