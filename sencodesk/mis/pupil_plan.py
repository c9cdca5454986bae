"""The preview of a pupils import (a CTF or a spreadsheet of the roll): each row matched to
the app's pupils, new ones checked as the editor would check them, and, for a file of the
whole roll, the pupils missing from it offered as leavers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.orm import Session

from ..errors import KnownError
from ..model import School
from ..queries.common import school_id
from ..rules.dates import format_date
from ..rules.schoolyear import year_group, year_group_label
from . import ctf
from .columns import PUPILS
from .match import AMBIGUOUS, MATCH, AppPupil, PupilIndex, load_pupils
from .plan import (
    CHOOSE,
    IDENTITY,
    LABELS,
    LEAVER,
    NEW,
    SEN,
    UPDATE,
    Candidate,
    Change,
    Item,
    MisValues,
    Plan,
    named,
)
from .rows import PupilRow, Refused, Source


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


def pupil_plan(
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
        kind=PUPILS,
        items=tuple(items),
        refused=tuple(refused),
        rows=n + unread,
        unchanged=unchanged,
        full_roll=full_roll,
        mis_updates=tuple(mis_updates),
    )


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
