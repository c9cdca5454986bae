"""The cover sheet for a day: which LSA covers which pupil, in which session (morning or
afternoon), in which class, and whose support they stand in for.

Its reader is a class teacher (and the LSAs covering): it names pupils, their class and year
and the adults with them, and nothing else (no medical or contract details). One table per
session, sorted by class, so a teacher finds their room's line at a glance. The PDF is drawn
by the table reports' writer (``tables.write_report``), so it carries the same marking and
page numbers as every other report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..exchange.tabular import TEXT, Column, Report, TableData
from ..model import Assignment
from ..queries.common import current_filter, display_name
from ..queries.pupils import pupil_year_group
from ..queries.school import get_school
from ..rules.dates import format_date
from ..rules.schoolyear import year_group_label
from ..rules.sessions import day_bits
from ..vocab import AssignmentRole, session_bit
from .tables import write_report

SESSIONS = (("AM", "Morning (AM)"), ("PM", "Afternoon (PM)"))
NONE_SAID = {"AM": "No cover this morning.", "PM": "No cover this afternoon."}


@dataclass(frozen=True)
class CoverLine:
    session: str  # "AM" or "PM"
    class_name: str
    pupil_name: str
    year_label: str
    covered_by: str
    instead_of: str  # whose support the cover stands in for ("" when not known)


def cover_lines(session: Session, on: dt.date) -> list[CoverLine]:
    """Every cover on ``on``, one line per session it takes, in session then class order."""
    bits = day_bits(on.weekday())
    if not bits:
        return []
    rows = session.scalars(
        select(Assignment)
        .where(current_filter(Assignment.start_date, Assignment.end_date, on))
        .options(selectinload(Assignment.pupil), selectinload(Assignment.staff))
    ).all()
    usual: dict[tuple[int, int], list[str]] = {}
    for a in rows:
        if a.role == AssignmentRole.COVER:
            continue
        for _code, _t in SESSIONS:
            bit = session_bit(on.weekday(), _code == "PM")
            if a.sessions & bit:
                usual.setdefault((a.pupil_id, bit), []).append(
                    display_name(a.staff.first_name, a.staff.last_name)
                )
    out = []
    for a in rows:
        if a.role != AssignmentRole.COVER:
            continue
        p = a.pupil
        for code, _title in SESSIONS:
            bit = session_bit(on.weekday(), code == "PM")
            if not a.sessions & bit & bits:
                continue
            who = display_name(a.staff.first_name, a.staff.last_name)
            instead = [n for n in usual.get((p.id, bit), []) if n != who]
            out.append(
                CoverLine(
                    session=code,
                    class_name=p.class_name.strip(),
                    pupil_name=display_name(
                        p.legal_first_name, p.legal_last_name, p.preferred_name
                    ),
                    year_label=year_group_label(pupil_year_group(p, on)),
                    covered_by=who,
                    instead_of=", ".join(sorted(set(instead))),
                )
            )
    out.sort(key=lambda c: (c.session, c.class_name.casefold(), c.pupil_name.casefold()))
    return out


def cover_sheet_report(session: Session, on: dt.date, *, today: dt.date | None = None) -> Report:
    """The sheet for ``on``; ``today`` is the day it is printed (the footer's date)."""
    lines = cover_lines(session, on)
    school = get_school(session)
    columns = (
        Column("Class", TEXT, 0.8),
        Column("Pupil", TEXT, 1.4),
        Column("Year", TEXT, 0.6),
        Column("Covered by", TEXT, 1.3),
        Column("Instead of", TEXT, 1.3),
    )
    tables = []
    for code, title in SESSIONS:
        mine = [c for c in lines if c.session == code]
        tables.append(
            TableData(
                title,
                columns,
                [
                    [
                        c.class_name or "–",
                        c.pupil_name,
                        c.year_label,
                        c.covered_by,
                        c.instead_of or "–",
                    ]
                    for c in mine
                ],
                empty=NONE_SAID[code],
            )
        )
    day = f"{on:%A} {format_date(on)}"
    if on.weekday() > 4:
        said = f"{day} is a weekend: there is no cover to arrange."
    elif not lines:
        said = f"No cover is arranged for {day}."
    else:
        n = len({(c.pupil_name, c.session) for c in lines})
        said = f"Cover arranged for {day}: {n} pupil session{'s' if n != 1 else ''}."
    return Report(
        title=f"Cover sheet, {day}",
        school=school.name,
        today=today or on,
        subtitle=(said,),
        tables=tuple(tables),
        notes=(
            "For class teachers and the staff covering: please keep with the register and "
            "shred at the end of the day.",
        ),
    )


def write_cover_sheet(
    session: Session, on: dt.date, path: Path | str, *, today: dt.date | None = None
) -> Path:
    """The day's cover sheet to ``path`` (PDF, CSV or XLSX from its extension)."""
    return write_report(cover_sheet_report(session, on, today=today), path)
