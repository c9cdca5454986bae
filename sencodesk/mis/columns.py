"""Which column of an MIS list report is which of the app's fields.

Column names vary from school to school, so each field has a list of the headings SIMS,
Arbor, Bromcom and ScholarPack users meet ("Legal Surname", "Forename", "DOB", "Reg Group",
"SEN Status", "Primary Need"); ``guess_mapping`` proposes one, the SENCO corrects it, and it
is saved under a name (``save_mapping``) so next term's file maps itself (``find_mapping``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..model import MisMapping
from ..validate import Checker
from .rows import clean_text

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


def norm_heading(text: str) -> str:
    """A heading as compared: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", clean_text(text).lower())


def guess_mapping(headings: Sequence[str], kind: str = PUPILS) -> dict[str, str]:
    """Field -> heading, for each field a heading of the file is known for (first wins)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for field, (_label, known) in fields_of(kind).items():
        for h in headings:
            if h and h not in taken and norm_heading(h) in known:
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
    have = {norm_heading(h) for h in headings if h}
    fits = [
        m
        for m in saved
        if m.kind == kind
        and all(f in m.columns for f in REQUIRED[kind])
        and all(norm_heading(h) in have for h in m.columns.values() if h)
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
