"""Retention review, holds, and the erasure of a pupil.

Leavers' records are kept until date of birth + ``School.retention_years`` (31 by default);
after that they appear on a review list, never deleted silently. A record can be put on
hold (with a reason). Erasure deletes the pupil and everything that hangs from them, and the
audit entries of those rows (they hold the child's data), leaving one "erase" entry with the
reason and no personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ..audit import PUPIL_OWNED_TABLES, default_user
from ..changes import note_tables
from ..errors import KnownError, NotFound, ValidationError
from ..model import (
    Assignment,
    AuditEntry,
    Funding,
    Outcome,
    OutcomeStatusChange,
    Pupil,
    Record,
    ReviewAdvice,
    ReviewAmendment,
    ReviewInvitee,
    ReviewMeeting,
    School,
)
from ..queries.common import school_id

DEFAULT_RETENTION_YEARS = 31
T = TypeVar("T")


@dataclass(frozen=True)
class RetentionRow:
    pupil_id: int
    name: str
    upn: str | None
    date_of_birth: dt.date
    leaving_date: dt.date | None
    retain_until: dt.date
    on_hold: bool
    hold_reason: str


def retention_years(session: Session) -> int:
    school = session.get(School, school_id(session))
    return school.retention_years if school and school.retention_years else DEFAULT_RETENTION_YEARS


def retain_until(date_of_birth: dt.date, years: int) -> dt.date:
    return date_of_birth + relativedelta(years=years)  # 29 February -> 28 February


def retention_review_list(session: Session, today: dt.date) -> list[RetentionRow]:
    """Leavers (archived pupils) whose retention period has passed, oldest first."""
    years = retention_years(session)
    rows = []
    for p in session.scalars(select(Pupil).where(Pupil.archived.is_(True))):
        until = retain_until(p.date_of_birth, years)
        if until <= today:
            rows.append(
                RetentionRow(
                    p.id,
                    f"{p.legal_first_name} {p.legal_last_name}",
                    p.upn,
                    p.date_of_birth,
                    p.leaving_date,
                    until,
                    p.retention_hold,
                    p.retention_hold_reason,
                )
            )
    return sorted(rows, key=lambda r: (r.retain_until, r.name))


def _pupil(session: Session, pupil_id: int) -> Pupil:
    p = session.get(Pupil, pupil_id)
    if p is None:
        raise NotFound(f"There is no pupil with id {pupil_id}.")
    return p


def _with_reason(session: Session, reason: str, pupil: Pupil, **values: object) -> None:
    previous = session.info.get("audit_reason")
    session.info["audit_reason"] = reason
    try:
        for k, v in values.items():
            setattr(pupil, k, v)
        session.flush()
    finally:
        if previous is None:
            session.info.pop("audit_reason", None)
        else:
            session.info["audit_reason"] = previous


def put_on_hold(session: Session, pupil_id: int, reason: str) -> None:
    """Stop a pupil's records being erased (e.g. a claim or an investigation)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "say why the records are kept"})
    _with_reason(
        session,
        reason,
        _pupil(session, pupil_id),
        retention_hold=True,
        retention_hold_reason=reason,
    )


def release_hold(session: Session, pupil_id: int, reason: str = "") -> None:
    _with_reason(
        session,
        (reason or "").strip(),
        _pupil(session, pupil_id),
        retention_hold=False,
        retention_hold_reason="",
    )


# The pupil's own rows and the tables hanging from them (their audit entries go too).
ERASED_TABLES = PUPIL_OWNED_TABLES


# (table, column, parent table): how each row hangs from the pupil, parents first.
LINKS = (
    ("outcome", "pupil_id", "pupil"),
    ("record", "pupil_id", "pupil"),
    ("funding", "pupil_id", "pupil"),
    ("assignment", "pupil_id", "pupil"),
    ("review_meeting", "pupil_id", "pupil"),
    ("mis_pupil", "pupil_id", "pupil"),
    ("outcome_status_change", "outcome_id", "outcome"),
    ("review_invitee", "meeting_id", "review_meeting"),
    ("review_advice", "meeting_id", "review_meeting"),
    ("review_amendment", "meeting_id", "review_meeting"),
)


@dataclass(frozen=True)
class RowLife:
    """One life of a row in the audit trail: from its insert to its delete (if any).

    SQLite reuses the id of a deleted last row, so one (table, row id) can have several
    lives, each about a different child; the entries of a life are never mixed with another's.
    """

    table: str
    row_id: int
    entry_ids: tuple[int, ...]
    closed: bool = False  # ended by a delete (or erase) entry

    @property
    def ended(self) -> int | None:
        return self.entry_ids[-1] if self.closed else None

    def covers(self, entry_id: int) -> bool:
        end = self.ended
        return self.entry_ids[0] <= entry_id and (end is None or entry_id <= end)


def _lives(session: Session, table: str, row_ids: set[int]) -> list[RowLife]:
    lives: list[RowLife] = []
    for chunk in _chunks(sorted(row_ids)):
        stmt = (
            select(AuditEntry.row_id, AuditEntry.id, AuditEntry.action)
            .where(AuditEntry.table_name == table, AuditEntry.row_id.in_(chunk))
            .order_by(AuditEntry.row_id, AuditEntry.id)
        )
        current: list[int] = []
        last_row: int | None = None
        for row_id, entry_id, action in session.execute(stmt):
            if row_id != last_row and current:
                lives.append(RowLife(table, last_row, tuple(current)))  # type: ignore[arg-type]
                current = []
            last_row = row_id
            current.append(entry_id)
            if action in ("delete", "erase"):
                lives.append(RowLife(table, row_id, tuple(current), closed=True))
                current = []
        if current:
            lives.append(RowLife(table, last_row, tuple(current)))  # type: ignore[arg-type]
    return lives


def pupil_lives(session: Session, pupil_id: int) -> dict[str, list[RowLife]]:
    """Every life, in the audit trail, of the pupil's row and of the rows that hang (or hung)
    from it, per table; rows deleted long ago included (their entries still hold their data).

    A row belongs to the pupil when one of its entries links it (``pupil_id``, ``outcome_id``,
    ``meeting_id``, new or old value) to a life of a parent that was live at that moment.
    """
    owned: dict[str, list[RowLife]] = {t: [] for t in ERASED_TABLES}
    mine = [life for life in _lives(session, "pupil", {pupil_id}) if life.ended is None]
    owned["pupil"] = mine[-1:]
    for table, column, parent in LINKS:
        parents: dict[int, list[RowLife]] = {}
        for life in owned[parent]:
            parents.setdefault(life.row_id, []).append(life)
        links: list[tuple[int, int, set[int]]] = []  # (row id, entry id, parent ids named)
        for chunk in _chunks(sorted(str(i) for i in parents)):
            stmt = select(
                AuditEntry.row_id, AuditEntry.id, AuditEntry.old_value, AuditEntry.new_value
            ).where(
                AuditEntry.table_name == table,
                AuditEntry.field == column,
                or_(AuditEntry.new_value.in_(chunk), AuditEntry.old_value.in_(chunk)),
            )
            for row_id, entry_id, old, new in session.execute(stmt):
                named = {int(v) for v in (old, new) if v is not None and v.isdigit()}
                links.append((row_id, entry_id, named & set(parents)))
        lives = _lives(session, table, {row_id for row_id, _, _ in links})
        for life in lives:
            if any(
                row_id == life.row_id
                and life.covers(entry_id)
                and any(p.covers(entry_id) for pid in named for p in parents[pid])
                for row_id, entry_id, named in links
            ):
                owned[table].append(life)
    return owned


def pupil_entry_ids(session: Session, pupil_id: int) -> list[int]:
    """Ids of the audit entries about a pupil (see ``pupil_lives``), in order."""
    lives = pupil_lives(session, pupil_id)
    return sorted(i for ls in lives.values() for life in ls for i in life.entry_ids)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


# Why a SENCO on a shared server cannot erase (the GUI says it beside the list, and the
# command refuses with it): erasure deletes the pupil's history from the audit trail.
ERASE_ON_SERVER = (
    "On a shared server, erasing a pupil's records also deletes their history, and only "
    "whoever set up the server (the database's owner) may delete history: no everyday "
    "login can, so nobody can rewrite the history from the app. Keep the records on hold "
    "until then, and ask them to open this database with the owner's login and erase the "
    "pupil from Records past retention."
)


def may_erase(session: Session) -> bool:
    """Whether this login may erase a pupil: an SQLite file, or the server's owner (who alone
    may delete audit entries)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT has_table_privilege('audit_entry', 'DELETE')")))


def erase_pupil(
    session: Session,
    pupil_id: int,
    reason: str,
    *,
    confirm_upn_or_name: str,
    force: bool = False,
    user: str | None = None,
) -> int:
    """Erase a pupil for good; returns the id of the one audit entry left ("erase").

    Refused for a pupil on hold, for a current (not archived) pupil unless ``force``, without
    a reason, if the reason names the pupil, or if ``confirm_upn_or_name`` is neither the
    pupil's UPN nor their full legal name.
    """
    if not may_erase(session):
        raise KnownError(ERASE_ON_SERVER)
    p = _pupil(session, pupil_id)
    reason = (reason or "").strip()
    full_name = f"{p.legal_first_name} {p.legal_last_name}"
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "say why the pupil's records are erased"
    else:
        names = {p.legal_first_name, p.legal_last_name, p.preferred_name, p.upn or ""}
        if any(len(n) > 1 and _norm(n) in _norm(reason) for n in names):
            errors["reason"] = "must not name the pupil (it stays in the audit trail)"
    confirm = _norm(confirm_upn_or_name or "")
    if confirm not in {_norm(p.upn or "\0"), _norm(full_name)}:
        errors["confirm_upn_or_name"] = "type the pupil's UPN or full legal name to confirm"
    if errors:
        raise ValidationError(errors)
    if p.retention_hold:
        raise KnownError(
            f"This pupil's records are on hold ({p.retention_hold_reason}); "
            "release the hold before erasing them."
        )
    if not p.archived and not force:
        raise KnownError(
            "This pupil is on roll (not a leaver); archive them first, or confirm "
            "that a current pupil's records are to be erased."
        )

    entry_ids = pupil_entry_ids(session, pupil_id)
    # Core deletes: the ORM's own audit hook would record what the rows held.
    session.expunge(p)
    session.flush()
    meetings = select(ReviewMeeting.id).where(ReviewMeeting.pupil_id == pupil_id)
    outcomes = select(Outcome.id).where(Outcome.pupil_id == pupil_id)
    for child in (ReviewInvitee, ReviewAdvice, ReviewAmendment):
        session.execute(delete(child).where(child.meeting_id.in_(meetings)))
    session.execute(delete(OutcomeStatusChange).where(OutcomeStatusChange.outcome_id.in_(outcomes)))
    for model in (ReviewMeeting, Assignment, Funding, Record, Outcome):
        session.execute(delete(model).where(model.pupil_id == pupil_id))
    session.execute(delete(Pupil).where(Pupil.id == pupil_id))
    # Core deletes pass the audit hook by: say what went, for the pages (``changes.py``).
    note_tables(session.info, set(PUPIL_OWNED_TABLES))
    for chunk in _chunks(entry_ids):
        session.execute(delete(AuditEntry).where(AuditEntry.id.in_(chunk)))
    entry = AuditEntry(
        at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        user=user or session.info.get("user") or default_user(),
        action="erase",
        table_name="pupil",
        row_id=pupil_id,
        field="",
        old_value=None,
        new_value=None,
        reason=reason,
    )
    session.add(entry)
    session.flush()
    return entry.id


def _chunks(items: list[T], size: int = 400) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
