"""Saving staff and their qualifications, training and DBS checks."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .. import checks
from ..model import DbsCheck, Qualification, Staff, Training
from .base import Values, _apply, _exists, _load, _row


def save_staff(session: Session, values: Values, staff_id: int | None = None) -> int:
    obj = _load(session, Staff, staff_id, "member of staff", values)
    c = checks.staff(values, _row(obj))
    lm = c.out.get("line_manager_id")
    if lm is not None and "line_manager_id" not in c.errors and not _exists(session, Staff, lm):
        c.fail("line_manager_id", "must be another member of staff")
    return _apply(session, Staff, obj, c.done()).id


def save_qualification(session: Session, values: Values, qid: int | None = None) -> int:
    obj = _load(session, Qualification, qid, "qualification", values)
    c = checks.qualification(values, _row(obj))
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    return _apply(session, Qualification, obj, c.done()).id


def save_training(session: Session, values: Values, tid: int | None = None) -> int:
    obj = _load(session, Training, tid, "training record", values)
    c = checks.training(values, _row(obj))
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    return _apply(session, Training, obj, c.done()).id


def save_dbs(session: Session, values: Values, dbs_id: int | None = None) -> int:
    obj = _load(session, DbsCheck, dbs_id, "DBS check", values)
    c = checks.dbs_check(values, _row(obj))
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    return _apply(session, DbsCheck, obj, c.done()).id
