"""Staff: the list with hours contracted against assigned, and one person's page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFound
from ..model import Assignment, Contract, Staff
from ..rules.coverage import not_ended
from ..rules.text import fold
from ..vocab import STAFF_ROLE_LABELS, StaffRole
from .common import current_filter, display_name, sort_name
from .money import ContractRow, contract_rows
from .pupil_detail import AssignmentRow, assignment_rows


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    sort_name: str
    role: str
    role_label: str
    email: str
    contracted_minutes: int
    assigned_minutes: int
    contract_end: dt.date | None
    leaving_date: dt.date | None
    next_expiry: dt.date | None
    next_expiry_what: str

    @property
    def search_key(self) -> str:
        return fold(f"{self.name} {self.role_label} {self.email}")


@dataclass(frozen=True)
class QualificationRow:
    id: int
    kind: str
    level: str
    awarded: dt.date | None
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


@dataclass(frozen=True)
class TrainingRow:
    id: int
    kind: str
    completed: dt.date
    expires: dt.date | None
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


@dataclass(frozen=True)
class DbsRow:
    id: int
    level: str
    certificate_number: str
    issued: dt.date
    update_service: bool
    renew_by: dt.date | None
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


@dataclass(frozen=True)
class StaffDetail:
    row: StaffRow
    first_name: str
    last_name: str
    phone: str
    start_date: dt.date | None
    line_manager_id: int | None
    contracts: tuple[ContractRow, ...]
    assignments: tuple[AssignmentRow, ...]
    qualifications: tuple[QualificationRow, ...]
    training: tuple[TrainingRow, ...]
    dbs_checks: tuple[DbsRow, ...]
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


def _latest_training(s: Staff) -> list[TrainingRow]:
    """The latest record of each kind of training (older ones are superseded)."""
    latest: dict[str, TrainingRow] = {}
    for t in sorted(s.training, key=lambda t: (t.completed, t.id)):
        latest[t.kind] = TrainingRow(t.id, t.kind, t.completed, t.expires, t.version)
    return list(latest.values())


def _next_expiry(s: Staff) -> tuple[dt.date | None, str]:
    items: list[tuple[dt.date, str]] = [
        (t.expires, t.kind) for t in _latest_training(s) if t.expires is not None
    ]
    dbs = sorted(s.dbs_checks, key=lambda d: (d.issued, d.id))
    if dbs and dbs[-1].renew_by is not None:
        items.append((dbs[-1].renew_by, "DBS"))
    if not items:
        return None, ""
    when, what = min(items)
    return when, what


def _row(
    s: Staff,
    today: dt.date,
    contracted: dict[int, tuple[int, dt.date | None, bool]],
    assigned: dict[int, int],
) -> StaffRow:
    mins, end, open_ended = contracted.get(s.id, (0, None, False))
    when, what = _next_expiry(s)
    return StaffRow(
        id=s.id,
        name=display_name(s.first_name, s.last_name),
        sort_name=sort_name(s.first_name, s.last_name),
        role=s.role,
        role_label=STAFF_ROLE_LABELS.get(StaffRole(s.role), s.role)
        if s.role in set(StaffRole)
        else s.role,
        email=s.email,
        contracted_minutes=mins,
        assigned_minutes=assigned.get(s.id, 0),
        contract_end=None if open_ended else end,
        leaving_date=s.leaving_date,
        next_expiry=when,
        next_expiry_what=what,
    )


def _contracted(session: Session, today: dt.date) -> dict[int, tuple[int, dt.date | None, bool]]:
    out: dict[int, tuple[int, dt.date | None, bool]] = {}
    q = select(Contract.staff_id, Contract.weekly_minutes, Contract.end_date).where(
        current_filter(Contract.start_date, Contract.end_date, today)
    )
    acc: dict[int, list[tuple[int, dt.date | None]]] = defaultdict(list)
    for sid, mins, end in session.execute(q):
        acc[sid].append((mins, end))
    for sid, items in acc.items():
        ends = [e for _, e in items if e is not None]
        out[sid] = (
            sum(m for m, _ in items),
            max(ends) if ends else None,
            any(e is None for _, e in items),
        )
    return out


def _assigned(session: Session, today: dt.date) -> dict[int, int]:
    q = (
        select(Assignment.staff_id, func.sum(Assignment.weekly_minutes))
        .where(current_filter(Assignment.start_date, Assignment.end_date, today))
        .group_by(Assignment.staff_id)
    )
    return {sid: int(total or 0) for sid, total in session.execute(q)}


def list_staff(
    session: Session, *, today: dt.date, include_leavers: bool = False
) -> list[StaffRow]:
    q = (
        select(Staff)
        .options(selectinload(Staff.training), selectinload(Staff.dbs_checks))
        .order_by(Staff.last_name, Staff.first_name, Staff.id)
    )
    contracted, assigned = _contracted(session, today), _assigned(session, today)
    rows = [_row(s, today, contracted, assigned) for s in session.scalars(q)]
    if not include_leavers:
        rows = [r for r in rows if not_ended(r.leaving_date, today)]
    return rows


def staff_names(session: Session, *, today: dt.date) -> list[tuple[int, str]]:
    """(id, name) of the staff who have not left, in ``list_staff``'s order: for choosing an
    author. Reads only the staff rows, so it works for a login that may not read contracts
    or training (an LSA on a server)."""
    q = select(Staff.id, Staff.first_name, Staff.last_name, Staff.leaving_date).order_by(
        Staff.last_name, Staff.first_name, Staff.id
    )
    return [
        (sid, display_name(first, last))
        for sid, first, last, leaving in session.execute(q)
        if not_ended(leaving, today)
    ]


def get_staff(session: Session, staff_id: int, *, today: dt.date) -> StaffDetail:
    s = session.scalars(
        select(Staff)
        .where(Staff.id == staff_id)
        .options(
            selectinload(Staff.training),
            selectinload(Staff.dbs_checks),
            selectinload(Staff.qualifications),
        )
    ).first()
    if s is None:
        raise NotFound(f"There is no member of staff with id {staff_id}.")
    row = _row(s, today, _contracted(session, today), _assigned(session, today))
    return StaffDetail(
        row=row,
        first_name=s.first_name,
        last_name=s.last_name,
        phone=s.phone,
        start_date=s.start_date,
        line_manager_id=s.line_manager_id,
        contracts=tuple(contract_rows(session, staff_id=staff_id)),
        assignments=tuple(assignment_rows(session, staff_id=staff_id)),
        qualifications=tuple(
            QualificationRow(q.id, q.kind, q.level, q.awarded, q.version)
            for q in sorted(s.qualifications, key=lambda q: q.id)
        ),
        training=tuple(
            TrainingRow(t.id, t.kind, t.completed, t.expires, t.version)
            for t in sorted(s.training, key=lambda t: (t.kind, t.completed))
        ),
        dbs_checks=tuple(
            DbsRow(
                d.id,
                d.level,
                d.certificate_number,
                d.issued,
                d.update_service,
                d.renew_by,
                d.version,
            )
            for d in sorted(s.dbs_checks, key=lambda d: d.issued)
        ),
        version=s.version,
    )


def latest_training(
    session: Session, staff_ids: list[int] | None = None
) -> dict[int, list[TrainingRow]]:
    """Staff id -> the latest record of each kind of training they have."""
    q = select(Staff).options(selectinload(Staff.training))
    if staff_ids is not None:
        q = q.where(Staff.id.in_(staff_ids))
    return {s.id: _latest_training(s) for s in session.scalars(q)}
