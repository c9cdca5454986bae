"""Saving funding, contracts (with their days) and assignments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import checks, vocab
from ..model import Assignment, Contract, ContractDay, Funding, Pupil, School, Staff
from ..queries.common import school_id
from ..rules.pay import TERM_TIME_PAID_WEEKS
from ..validate import Checker
from .base import Values, _apply, _exists, _load, _row


def save_funding(session: Session, values: Values, funding_id: int | None = None) -> int:
    obj = _load(session, Funding, funding_id, "funding line", values)
    c = checks.funding(values, _row(obj))
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    return _apply(session, Funding, obj, c.done()).id


def save_contract(session: Session, values: Values, contract_id: int | None = None) -> int:
    """Save a contract; ``days`` (a list of WorkDay) sets the pattern and the weekly hours."""
    obj = _load(session, Contract, contract_id, "contract", values)
    days: list[Any] | None = values.get("days")
    school = session.get(School, school_id(session))
    c = checks.contract(
        values,
        _row(obj),
        days=days,
        default_paid_weeks=school.default_paid_weeks if school else TERM_TIME_PAID_WEEKS,
    )
    fid = c.out.get("funding_id")
    if fid is not None and not _exists(session, Funding, fid):
        c.fail("funding_id", "is not a known funding line")
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    out = c.done()
    saved = _apply(session, Contract, obj, out)
    if days is not None:
        for old in list(
            session.scalars(select(ContractDay).where(ContractDay.contract_id == saved.id))
        ):
            session.delete(old)
        session.flush()
        for d in days:
            session.add(
                ContractDay(
                    contract_id=saved.id,
                    weekday=d.weekday,
                    start=d.start,
                    end=d.end,
                    unpaid_break_minutes=d.unpaid_break_minutes,
                )
            )
        session.flush()
    return saved.id


def save_assignment(session: Session, values: Values, assignment_id: int | None = None) -> int:
    obj = _load(session, Assignment, assignment_id, "assignment", values)
    c = checks.assignment(values, _row(obj))
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    if not c.errors:
        _refuse_same_sessions_twice(session, c, obj)
    return _apply(session, Assignment, obj, c.done()).id


def _refuse_same_sessions_twice(session: Session, c: Checker, obj: Assignment | None) -> None:
    """The same person assigned twice to the same pupil in a session they share is refused
    (``rules.coverage.same_place_twice``): change the existing assignment instead."""
    from ..rules.coverage import Slot, same_place_twice
    from ..vocab import format_sessions

    def get(name: str, default: Any = None) -> Any:
        return c.out[name] if name in c.out else getattr(obj, name) if obj else default

    new = Slot(
        obj.id if obj else 0,
        get("staff_id"),
        get("pupil_id"),
        get("weekly_minutes", 0),
        get("sessions", 0),
        get("role", vocab.AssignmentRole.ONE_TO_ONE.value),
        get("start_date"),
        get("end_date"),
    )
    if new.role == vocab.AssignmentRole.COVER or not new.sessions:
        return
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.staff_id,
            Assignment.pupil_id,
            Assignment.weekly_minutes,
            Assignment.sessions,
            Assignment.role,
            Assignment.start_date,
            Assignment.end_date,
        ).where(
            Assignment.staff_id == new.staff_id,
            Assignment.pupil_id == new.pupil_id,
            Assignment.role != vocab.AssignmentRole.COVER.value,
        )
    )
    twin = same_place_twice(new, [Slot(*r) for r in rows])
    if twin is not None:
        c.fail(
            "sessions",
            f"{format_sessions(new.sessions & twin.sessions)} already has this person with "
            "this pupil (another assignment): change that one instead",
        )
