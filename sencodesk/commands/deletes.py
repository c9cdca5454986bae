"""Deleting a row of the kinds an editor may delete."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import (
    Assignment,
    Base,
    Contract,
    DbsCheck,
    Funding,
    LocalAuthority,
    Outcome,
    Qualification,
    Record,
    ReviewAdvice,
    ReviewAmendment,
    ReviewMeeting,
    Staff,
    Training,
)
from .base import _load

DELETABLE: dict[str, type[Base]] = {
    "outcome": Outcome,
    "record": Record,
    "qualification": Qualification,
    "training": Training,
    "dbs_check": DbsCheck,
    "funding": Funding,
    "contract": Contract,
    "assignment": Assignment,
    "review_meeting": ReviewMeeting,
    "review_advice": ReviewAdvice,
    "review_amendment": ReviewAmendment,
    "staff": Staff,
    "local_authority": LocalAuthority,
}


def delete(session: Session, kind: str, row_id: int) -> None:
    """Delete one row that is not a pupil (pupils are archived, or erased with a reason)."""
    model = DELETABLE.get(kind)
    if model is None:
        raise ValidationError({"kind": f"{kind} rows cannot be deleted here"})
    obj = _load(session, model, row_id, kind.replace("_", " "))
    session.delete(obj)
    session.flush()
