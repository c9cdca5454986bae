"""Saving pupils (one, or many from an import), their leaving, outcomes and records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import checks, vocab
from ..errors import ValidationError
from ..model import Assignment, LocalAuthority, Outcome, OutcomeStatusChange, Pupil, Record, Staff
from .base import Values, _apply, _exists, _load, _row


def _check_pupil(
    session: Session,
    values: Values,
    obj: Pupil | None,
    pupil_id: int | None,
    *,
    upn_clash: bool = True,
) -> dict[str, Any]:
    """Every check of a pupil's fields (``checks.pupil``, then the database's); the values
    to write. ``upn_clash``: look for the UPN in the database (``add_pupils`` looks for a
    batch's UPNs in one query instead)."""
    c = checks.pupil(values, _row(obj))
    if upn_clash and c.out.get("upn"):
        clash = session.scalar(select(Pupil.id).where(Pupil.upn == c.out["upn"]))
        if clash is not None and clash != pupil_id:
            c.fail("upn", f"{c.out['upn']} already belongs to another pupil")
    if c.out.get("ehcp_la_id") is not None and not _exists(
        session, LocalAuthority, c.out["ehcp_la_id"]
    ):
        c.fail("ehcp_la_id", "is not a known local authority")
    out = c.done()
    if "leaving_date" in out and out["leaving_date"] is not None and "archived" not in out:
        # A leaver is archived, never deleted by leaving; one leaving later stays on roll
        # (in the lists, alerts and census) until the day (``archive_due_leavers``).
        out["archived"] = out["leaving_date"] <= dt.date.today()
    return {k: v for k, v in out.items() if v is not None or k in values}


def save_pupil(session: Session, values: Values, pupil_id: int | None = None) -> int:
    obj = _load(session, Pupil, pupil_id, "pupil", values)
    out = _check_pupil(session, values, obj, pupil_id)
    pupil = _apply(session, Pupil, obj, out)
    if out.get("leaving_date") is not None:
        _end_support_on_leaving(session, pupil.id, out["leaving_date"])
    return pupil.id


def pupil_problems(
    session: Session, values: Values, pupil_id: int | None = None, *, upn_clash: bool = True
) -> dict[str, str]:
    """What ``save_pupil`` would refuse in these values, field by field (nothing is written):
    for a preview that shows a row's problems before anything is saved."""
    try:
        _check_pupil(
            session, values, _load(session, Pupil, pupil_id, "pupil"), pupil_id, upn_clash=upn_clash
        )
    except ValidationError as exc:
        return exc.errors
    return {}


def add_pupils(session: Session, rows: Sequence[Values]) -> list[int]:
    """Create many pupils at once (an import from the MIS): each row passes every check of
    ``save_pupil``; all or nothing (a ``ValidationError`` names each bad field as
    "row N: field", N counting from 1); one flush, so one audited batch. Returns the ids."""
    errors: dict[str, str] = {}
    outs: list[dict[str, Any]] = []
    for n, values in enumerate(rows, start=1):
        try:
            outs.append(_check_pupil(session, values, None, None, upn_clash=False))
        except ValidationError as exc:
            errors.update({f"row {n}: {k}": v for k, v in exc.errors.items()})
            outs.append({})
    seen: dict[str, int] = {}
    for n, out in enumerate(outs, start=1):
        upn = out.get("upn")
        if upn:
            if upn in seen:
                errors.setdefault(f"row {n}: upn", f"{upn} is also in row {seen[upn]}")
            seen.setdefault(upn, n)
    upns = list(seen)
    for i in range(0, len(upns), 500):
        chunk = upns[i : i + 500]
        for taken in session.scalars(select(Pupil.upn).where(Pupil.upn.in_(chunk))):
            row = seen[str(taken)]
            errors.setdefault(f"row {row}: upn", f"{taken} already belongs to another pupil")
    if errors:
        raise ValidationError(errors)
    pupils = [Pupil(**out) for out in outs]
    session.add_all(pupils)
    session.flush()
    return [p.id for p in pupils]


def _end_support_on_leaving(session: Session, pupil_id: int, leaving: dt.date) -> None:
    """A leaver's support stops when they leave: assignments still running then end on the
    leaving date, and any due to start later are removed (each change audited), so an LSA's
    hours and the cost reports stop counting a child who has gone. Funding is left as it
    is: the SENCO tells the funder, and the funding line's own end date says when it ends."""
    for a in session.scalars(select(Assignment).where(Assignment.pupil_id == pupil_id)):
        if a.start_date > leaving:
            session.delete(a)
        elif a.end_date is None or a.end_date > leaving:
            a.end_date = leaving
    session.flush()


def archive_due_leavers(session: Session, today: dt.date) -> list[int]:
    """Archive the pupils whose leaving date has come (entered ahead of the day); run when a
    database is opened for changes. Returns their ids."""
    due = session.scalars(
        select(Pupil).where(
            Pupil.archived.is_(False),
            Pupil.leaving_date.is_not(None),
            Pupil.leaving_date <= today,
        )
    ).all()
    for p in due:
        p.archived = True
    session.flush()
    return [p.id for p in due]


def save_outcome(session: Session, values: Values, outcome_id: int | None = None) -> int:
    obj = _load(session, Outcome, outcome_id, "outcome", values)
    new = obj is None
    c = checks.outcome(values, _row(obj))
    if new and "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    out = c.done()
    status_date = out.pop("status_date", None) or dt.date.today()
    note = out.pop("status_note", None) or ""
    old_status = None if obj is None else obj.status
    out.setdefault("status", old_status or vocab.OutcomeStatus.NOT_STARTED.value)
    saved = _apply(session, Outcome, obj, out)
    if saved.status != old_status:
        when = saved.set_date if new and "status_date" not in values else status_date
        session.add(
            OutcomeStatusChange(
                outcome_id=saved.id, changed_on=when, status=saved.status, note=note
            )
        )
        session.flush()
    return saved.id


INCIDENT_FIELDS = checks.INCIDENT_FIELDS


def save_record(session: Session, values: Values, record_id: int | None = None) -> int:
    obj = _load(session, Record, record_id, "record", values)
    c = checks.record(values, _row(obj))
    pupil_id = c.out.get("pupil_id", obj.pupil_id if obj else None)
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    if c.out.get("author_id") is not None and not _exists(session, Staff, c.out["author_id"]):
        c.fail("author_id", "is not a known member of staff")
    if c.out.get("outcome_id") is not None:
        oc = session.get(Outcome, c.out["outcome_id"])
        if oc is None or oc.pupil_id != pupil_id:
            c.fail("outcome_id", "is not one of this pupil's outcomes")
    return _apply(session, Record, obj, c.done()).id
