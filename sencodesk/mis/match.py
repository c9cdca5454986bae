"""Match the MIS's rows to the app's pupils and staff, without duplicates and never by guess.

Pupils: by UPN; a row with no UPN or a temporary one, or an app pupil without a permanent
UPN, by legal name and date of birth. Two or more candidates is ambiguous: the SENCO chooses.
A row whose permanent UPN is not in the app never matches a pupil holding another permanent
UPN (that is another child). Staff: by name and start date (by name alone when one side has
no start date and the name is unique).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import vocab
from ..model import MisPupil, Pupil, Staff
from ..rules import upn as upn_rules
from .rows import PupilRow, StaffRow, clean_text, name_key

MATCH, NEW, AMBIGUOUS = "match", "new", "ambiguous"


@dataclass(frozen=True, slots=True)
class AppPupil:
    id: int
    upn: str | None
    legal_last_name: str
    legal_first_name: str
    preferred_name: str
    date_of_birth: dt.date
    year_group_override: int | None
    class_name: str
    admission_date: dt.date | None
    sen_code: str
    primary_need: str | None
    secondary_need: str | None
    archived: bool
    leaving_date: dt.date | None
    mis: tuple[str | None, str | None, str | None, str, str, dt.date | None] | None

    @property
    def name(self) -> str:
        return f"{self.legal_last_name}, {self.legal_first_name}"


def load_pupils(session: Session) -> list[AppPupil]:
    """Every pupil (archived too: a returning pupil is the same child), with the MIS values
    recorded at the last import."""
    p, m = Pupil, MisPupil
    q = select(
        p.id,
        p.upn,
        p.legal_last_name,
        p.legal_first_name,
        p.preferred_name,
        p.date_of_birth,
        p.year_group_override,
        p.class_name,
        p.admission_date,
        p.sen_code,
        p.primary_need,
        p.secondary_need,
        p.archived,
        p.leaving_date,
        m.sen_code,
        m.primary_need,
        m.secondary_need,
        m.sex,
        m.source,
        m.file_date,
        m.id,
    ).outerjoin(m, m.pupil_id == p.id)
    out = []
    for r in session.execute(q):
        mis = None if r[20] is None else (r[14], r[15], r[16], r[17], r[18], r[19])
        out.append(AppPupil(*r[:14], mis=mis))  # type: ignore[arg-type, misc]
    return out


def _permanent(upn: str | None) -> bool:
    return bool(upn) and not upn_rules.is_temporary(upn or "")


class PupilIndex:
    def __init__(self, pupils: list[AppPupil]) -> None:
        self.pupils = pupils
        self.by_id = {p.id: p for p in pupils}
        self.by_upn = {p.upn: p for p in pupils if p.upn}
        self.by_name: dict[tuple[str, str, dt.date], list[AppPupil]] = defaultdict(list)
        for p in pupils:
            self.by_name[
                (*name_key(p.legal_last_name, p.legal_first_name), p.date_of_birth)
            ].append(p)

    def match(self, row: PupilRow) -> tuple[str, list[AppPupil]]:
        if row.upn and row.upn in self.by_upn:
            return MATCH, [self.by_upn[row.upn]]
        key = (*name_key(row.legal_last_name, row.legal_first_name), row.date_of_birth)
        found = self.by_name.get(key, [])
        if _permanent(row.upn):
            # this UPN is not in the app: only a pupil without a permanent UPN can be them
            found = [p for p in found if not _permanent(p.upn)]
        if not found:
            return NEW, []
        if len(found) == 1:
            return MATCH, found
        return AMBIGUOUS, sorted(found, key=lambda p: p.id)


# --------------------------------------------------------------------------- staff

_ROLE_WORDS = {
    "teacher": vocab.StaffRole.TEACHER,
    "class teacher": vocab.StaffRole.TEACHER,
    "teaching staff": vocab.StaffRole.TEACHER,
    "senco": vocab.StaffRole.SENCO,
    "sendco": vocab.StaffRole.SENCO,
    "inclusion manager": vocab.StaffRole.SENCO,
    "hlta": vocab.StaffRole.HLTA,
    "higher level teaching assistant": vocab.StaffRole.HLTA,
    "key worker": vocab.StaffRole.KEY_WORKER,
    "keyworker": vocab.StaffRole.KEY_WORKER,
    "1:1 lsa": vocab.StaffRole.ONE_TO_ONE_LSA,
    "1:1": vocab.StaffRole.ONE_TO_ONE_LSA,
    "1 to 1 lsa": vocab.StaffRole.ONE_TO_ONE_LSA,
    "one to one lsa": vocab.StaffRole.ONE_TO_ONE_LSA,
    "1:1 teaching assistant": vocab.StaffRole.ONE_TO_ONE_LSA,
    "1:1 support assistant": vocab.StaffRole.ONE_TO_ONE_LSA,
    "lsa": vocab.StaffRole.CLASS_LSA,
    "ta": vocab.StaffRole.CLASS_LSA,
    "teaching assistant": vocab.StaffRole.CLASS_LSA,
    "learning support assistant": vocab.StaffRole.CLASS_LSA,
    "class lsa": vocab.StaffRole.CLASS_LSA,
    "class-based lsa": vocab.StaffRole.CLASS_LSA,
    "support staff": vocab.StaffRole.CLASS_LSA,
}
_ROLE_WORDS.update(
    {label.lower(): vocab.StaffRole(role) for role, label in vocab.STAFF_ROLE_LABELS.items()}
)
_ROLE_WORDS.update({role.value: role for role in vocab.StaffRole})


def read_role(value: object) -> str | None:
    text = clean_text(value).lower()
    if not text:
        return None
    role = _ROLE_WORDS.get(text)
    if role is None:
        known = ", ".join(sorted({str(lab) for lab in vocab.STAFF_ROLE_LABELS.values()}))
        raise ValueError(f"{clean_text(value)!r} is not a role the app knows ({known})")
    return str(role.value)


@dataclass(frozen=True, slots=True)
class AppStaff:
    id: int
    first_name: str
    last_name: str
    role: str
    email: str
    start_date: dt.date | None

    @property
    def name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


def load_staff(session: Session) -> list[AppStaff]:
    s = Staff
    q = select(s.id, s.first_name, s.last_name, s.role, s.email, s.start_date)
    return [AppStaff(*r) for r in session.execute(q)]


class StaffIndex:
    def __init__(self, staff: list[AppStaff]) -> None:
        self.by_id = {s.id: s for s in staff}
        self.by_name: dict[tuple[str, str], list[AppStaff]] = defaultdict(list)
        for s in staff:
            self.by_name[name_key(s.last_name, s.first_name)].append(s)

    def match(self, row: StaffRow) -> tuple[str, list[AppStaff]]:
        same_name = self.by_name.get(name_key(row.last_name, row.first_name), [])
        if row.start_date is not None:
            exact = [s for s in same_name if s.start_date == row.start_date]
            if len(exact) == 1:
                return MATCH, exact
            if exact:
                return AMBIGUOUS, exact
            same_name = [s for s in same_name if s.start_date is None]
        if not same_name:
            return NEW, []
        if len(same_name) == 1:
            return MATCH, same_name
        return AMBIGUOUS, sorted(same_name, key=lambda s: s.id)
