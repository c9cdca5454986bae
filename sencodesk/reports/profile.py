"""The pupil's one-page profile: for class teachers, cover staff and LSAs, one side of A4.

What people like and admire about me, what is important to me and how best to support me
(the pupil's record: written with the child and family), then what anyone working with
the child needs at a glance: their needs in plain words, medical needs, the plans the school
holds, what they are working towards now and who supports them. Nothing about funding,
contracts or deadlines, and no date of birth or UPN: it is handed to cover staff.

An LSA may print it for the pupils they support: on a shared server they can read only those
pupils (row-level security), so loading anyone else's is refused as "no such pupil".
``build_profile(session, pupil_id, out, today=..., fmt="pdf"|"docx")``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..model import Assignment, Outcome, Pupil, Staff
from ..queries.pupils import pupil_year_group
from ..queries.school import get_school
from ..rules.coverage import not_ended
from ..rules.dates import format_date
from ..rules.schoolyear import year_group_label
from ..vocab import (
    AREA_LABELS,
    ASSIGNMENT_ROLE_LABELS,
    NEED_LABELS,
    OutcomeStatus,
    SenCode,
    format_sessions,
)
from .document import Cell, Document, Gap, Heading, KeyValues, Para, Table
from .render import render

TITLE = "One-page profile"

SECTIONS = (
    ("profile_admire", "What people like and admire about me"),
    ("profile_important", "What's important to me"),
    ("profile_support", "How best to support me"),
)
NOT_WRITTEN = "Not written yet: ask the child and their family, and add it to the pupil's record."

SEN_WORDS = {
    SenCode.EHCP.value: "Has an education, health and care (EHC) plan",
    SenCode.SEN_SUPPORT.value: "On SEN support: extra help from the school",
}


@dataclass(frozen=True)
class ProfileData:
    name: str
    first_name: str
    year: str
    class_name: str
    sen_code: str
    needs: tuple[str, ...]
    medical: str
    personal_care: bool
    behaviour_plan: bool
    sections: tuple[tuple[str, str], ...]  # (heading, text)
    working_towards: tuple[tuple[str, str], ...]  # (area, outcome)
    support: tuple[tuple[str, str, str], ...]  # (who, role, when)
    school: str
    today: dt.date


def load_profile(session: Session, pupil_id: int, *, today: dt.date) -> ProfileData:
    p = session.get(Pupil, pupil_id)
    if p is None:
        raise NotFound(f"There is no pupil with id {pupil_id}.")
    school = get_school(session)
    first = p.preferred_name or p.legal_first_name
    outcomes = session.scalars(
        select(Outcome)
        .where(Outcome.pupil_id == pupil_id, Outcome.status != OutcomeStatus.ACHIEVED.value)
        .order_by(Outcome.set_date, Outcome.id)
    ).all()
    support = session.execute(
        select(Assignment, Staff.first_name, Staff.last_name)
        .join(Staff, Staff.id == Assignment.staff_id)
        .where(Assignment.pupil_id == pupil_id, Assignment.start_date <= today)
        .order_by(Assignment.start_date, Assignment.id)
    ).all()
    return ProfileData(
        name=f"{first} {p.legal_last_name}",
        first_name=first,
        year=year_group_label(pupil_year_group(p, today)),
        class_name=p.class_name,
        sen_code=p.sen_code,
        needs=tuple(
            NEED_LABELS.get(code, code) for code in (p.primary_need, p.secondary_need) if code
        ),
        medical=p.medical_needs.strip(),
        personal_care=p.personal_care,
        behaviour_plan=p.behaviour_plan,
        sections=tuple((head, (getattr(p, key) or "").strip()) for key, head in SECTIONS),
        working_towards=tuple((AREA_LABELS.get(o.area, o.area), o.text) for o in outcomes),
        support=tuple(
            (
                f"{fn} {ln}",
                ASSIGNMENT_ROLE_LABELS.get(a.role, a.role),
                format_sessions(a.sessions) or "–",
            )
            for a, fn, ln in support
            if not_ended(a.end_date, today)
        ),
        school=school.name,
        today=today,
    )


def profile_document(d: ProfileData) -> Document:
    doc = Document(
        title=TITLE,  # no name: viewers show it in title bars
        page_title=f"{d.name} – one-page profile",
        school=d.school,
        printed=d.today,
    )
    about: list[tuple[str, Cell]] = [
        ("Name", d.name),
        ("Year group", d.year + (f", class {d.class_name}" if d.class_name else "")),
    ]
    if d.sen_code in SEN_WORDS:
        about.append(("Special educational needs", SEN_WORDS[d.sen_code]))
    if d.needs:
        about.append(("Needs", "; ".join(d.needs)))
    about.append(("Medical needs", d.medical or "None recorded"))
    plans = [
        w
        for w, has in (
            ("a personal care plan", d.personal_care),
            ("a behaviour plan", d.behaviour_plan),
        )
        if has
    ]
    if plans:
        about.append(
            ("Plans the school holds", " and ".join(plans).capitalize() + ": ask the SENCO")
        )
    doc.add(Heading(f"All about {d.first_name}", 0), KeyValues(about))
    for head, text in d.sections:
        doc.add(Heading(head, 1), Para(text or NOT_WRITTEN, "body" if text else "note"))
    doc.add(Heading("What I am working towards", 1))
    if d.working_towards:
        doc.add(
            Table(
                ["Area", "Outcome"],
                [[a, t] for a, t in d.working_towards],
                [0.28, 0.72],
            )
        )
    else:
        doc.add(Para("No outcomes are recorded for now.", "note"))
    if d.support:
        doc.add(
            Heading("Who supports me", 1),
            Table(["Adult", "Role", "When"], [list(s) for s in d.support], [0.4, 0.15, 0.45]),
        )
    doc.add(
        Gap(3),
        Para(
            f"Printed {format_date(d.today)}. It may have changed since: the SENCO has the "
            "latest. Keep it safe and do not leave it on display.",
            "note",
        ),
    )
    return doc


def build_profile(
    session: Session,
    pupil_id: int,
    out: Path | str | IO[bytes],
    *,
    today: dt.date,
    fmt: str = "pdf",
) -> int:
    """Load and draw one pupil's profile as a PDF or a Word file; returns the PDF's pages."""
    return render(profile_document(load_profile(session, pupil_id, today=today)), out, fmt)
