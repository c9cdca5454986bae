"""Write functions: validate every field, then write, in the caller's one transaction.

Each ``save_*`` takes a session from ``Store.session()`` (which commits on success and rolls
back on any error, so a failed save changes nothing), a mapping of field values, and the id of
the row to update (None to create). It returns the row's id. A ``ValidationError`` names every
bad field; the audit trail is written by the session itself (see ``audit``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import checks, vocab
from .errors import Conflict, NotFound, ValidationError
from .model import (
    Assignment,
    AuditEntry,
    Base,
    Contract,
    ContractDay,
    DbsCheck,
    Funding,
    LocalAuthority,
    Outcome,
    OutcomeStatusChange,
    Pupil,
    Qualification,
    Record,
    ReviewAdvice,
    ReviewAmendment,
    ReviewInvitee,
    ReviewMeeting,
    School,
    Staff,
    TermDate,
    Training,
)
from .queries.common import school_id
from .rules.pay import TERM_TIME_PAID_WEEKS
from .validate import Checker

M = TypeVar("M", bound=Base)
Values = Mapping[str, Any]


def _load(
    session: Session, model: type[M], row_id: int | None, what: str, values: Values | None = None
) -> M | None:
    """The row to update, or None to create one.

    ``values["version"]`` (if given) is the version the caller's form was loaded at: a save
    from an older form raises ``Conflict`` and changes nothing. The row is read ``FOR UPDATE``
    then (PostgreSQL: another save waits until this one commits; SQLite has one writer), and
    the ORM's UPDATE also says ``WHERE version = …`` (``model.Versioned``).
    """
    if row_id is None:
        return None
    values = values or {}
    expected = values.get("version")
    obj = session.get(model, row_id, with_for_update=expected is not None)
    if obj is None:
        raise NotFound(f"There is no {what} with id {row_id}.")
    if expected is not None:
        check_version(session, obj, values, what)
    return obj


def _row(obj: Base | None) -> dict[str, Any] | None:
    """A stored row's column values (the ``current`` of a rule), or None for a new row."""
    if obj is None:
        return None
    return {c.key: getattr(obj, c.key) for c in sa_inspect(type(obj)).column_attrs}


def check_version(session: Session, obj: Base, values: Values, what: str) -> None:
    """Raise ``Conflict`` (theirs and yours for every field given) if ``obj`` has been saved
    since the version in ``values``."""
    expected = values.get("version")
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise ValidationError({"version": f"must be a whole number, not {expected!r}"})
    current = getattr(obj, "version", None)
    if current is None or current == expected:
        return
    columns = {c.key for c in sa_inspect(type(obj)).column_attrs}
    fields = {
        name: (getattr(obj, name) if name in columns else None, yours)
        for name, yours in values.items()
        if name != "version"
    }
    if not fields:  # a save that changes nothing cannot undo anyone's change
        return
    row_id: int = getattr(obj, "id", 0)
    last = _last_saved(session, obj.__tablename__, row_id)
    raise Conflict(
        what,
        row_id,
        fields,
        current,
        by=(last.user or "") if last else "",
        at=last.at if last else None,
        table=obj.__tablename__,
    )


def _last_saved(session: Session, table: str, row_id: int) -> Any:
    """(user, at) of a row's last save from the audit trail, or None. On a server, a role that
    may change a table but not read the history asks the database's own function (which
    answers only for its school and the tables it may update)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql" and not session.scalar(
        text("SELECT has_table_privilege('audit_entry', 'SELECT')")
    ):
        if not session.scalar(
            text("SELECT to_regprocedure('sencodesk_last_saved(text,integer)') IS NOT NULL")
        ):
            return None
        return session.execute(
            text('SELECT "user", at FROM sencodesk_last_saved(:t, :r)'), {"t": table, "r": row_id}
        ).first()
    return session.execute(
        select(AuditEntry.user, AuditEntry.at)
        .where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()


def _apply(session: Session, model: type[M], obj: M | None, values: dict[str, Any]) -> M:
    if obj is None:
        obj = model(**values)
        session.add(obj)
    else:
        for k, v in values.items():
            setattr(obj, k, v)
    try:
        session.flush()
    except StaleDataError:
        # Saved by someone else between this save's read and its write (a save without a
        # version, e.g. from the command line): nothing of this one is written.
        raise Conflict(
            model.__tablename__.replace("_", " "),
            getattr(obj, "id", 0),
            {},
            0,
            table=model.__tablename__,
        ) from None
    return obj


def _exists(session: Session, model: type[Base], row_id: Any) -> bool:
    return row_id is not None and session.get(model, row_id) is not None


# --------------------------------------------------------------------------- school


def save_school(session: Session, values: Values) -> int:
    sid = school_id(session)
    school = session.get(School, sid, with_for_update="version" in values)
    if school is not None and values.get("version") is not None:
        check_version(session, school, values, "school's settings")
    c = checks.school(values, _row(school))
    if c.out.get("la_id") is not None and not _exists(session, LocalAuthority, c.out["la_id"]):
        c.fail("la_id", "is not a known local authority")
    out = c.done()
    if school is None:
        out["id"] = sid
    _apply(session, School, school, out)
    return sid


def save_local_authority(session: Session, values: Values, la_id: int | None = None) -> int:
    obj = _load(session, LocalAuthority, la_id, "local authority", values)
    out = checks.local_authority(values, _row(obj)).done()
    if "name" in out:
        clash = session.scalar(
            select(LocalAuthority.id).where(func.lower(LocalAuthority.name) == out["name"].lower())
        )
        if clash is not None and clash != la_id:
            raise ValidationError({"name": f"{out['name']} is already a local authority"})
    return _apply(session, LocalAuthority, obj, out).id


def set_term_dates(
    session: Session, academic_year: int, half_terms: Sequence[tuple[dt.date, dt.date]]
) -> None:
    """Replace an academic year's six half-terms (first day, last day) in order."""
    errors: dict[str, str] = {}
    if len(half_terms) != 6:
        errors["half_terms"] = "six half-terms are needed"
    prev_end: dt.date | None = None
    for i, (start, end) in enumerate(half_terms, start=1):
        if end < start:
            errors[f"half-term {i}: end"] = "cannot be before its start"
        if prev_end is not None and start <= prev_end:
            errors[f"half-term {i}: start"] = "must be after the previous half-term ends"
        prev_end = end
    if half_terms and half_terms[0][0] < dt.date(academic_year, 8, 1):
        errors["half-term 1: start"] = f"must be in the {academic_year}/{academic_year + 1} year"
    if errors:
        raise ValidationError(errors)
    for old in session.scalars(select(TermDate).where(TermDate.academic_year == academic_year)):
        session.delete(old)
    session.flush()
    for i, (start, end) in enumerate(half_terms, start=1):
        session.add(TermDate(academic_year=academic_year, half_term=i, start=start, end=end))
    session.flush()


# --------------------------------------------------------------------------- pupils


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


# --------------------------------------------------------------------------- staff


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


# --------------------------------------------------------------------------- money


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
    from .rules.coverage import Slot, same_place_twice
    from .vocab import format_sessions

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


# --------------------------------------------------------------------------- reviews

STEP_FIELDS = checks.STEP_FIELDS


def save_review(session: Session, values: Values, meeting_id: int | None = None) -> int:
    """Save a review meeting; ``invitees`` (list of dicts name/role/email) replaces the list.

    ``advice`` and ``amendments`` (lists of dicts, see ``checks.review_advice`` and
    ``checks.review_amendment``) become the meeting's lists: an item with an ``id`` updates
    that row, one without adds a row, and a stored row not in the list is deleted. Every
    field of every item is checked before anything is written."""
    obj = _load(session, ReviewMeeting, meeting_id, "review meeting", values)
    c = checks.review_meeting(values, _row(obj))
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    if c.out.get("recommendation") is not None:
        pid = c.out.get("pupil_id", obj.pupil_id if obj else None)
        pupil = session.get(Pupil, pid) if pid is not None else None
        if pupil is not None and pupil.sen_code == vocab.SenCode.SEN_SUPPORT:
            c.fail(
                "recommendation",
                "is for an EHC plan's review: a SEN-support plan's review has a next step",
            )
    if c.out.get("next_step") is not None:
        pid = c.out.get("pupil_id", obj.pupil_id if obj else None)
        pupil = session.get(Pupil, pid) if pid is not None else None
        if pupil is not None and pupil.sen_code == vocab.SenCode.EHCP:
            c.fail(
                "next_step",
                "is for a review of a SEN-support plan: an EHC plan's review has an outcome "
                "(maintain, amend or cease)",
            )
    # (model, rule, the meeting's stored rows by id, the items given) for each list given
    lists: list[tuple[Any, Any, dict[int, Any], list[Any]]] = []
    specs: tuple[tuple[str, Any, Any, str], ...] = (
        ("advice", ReviewAdvice, checks.review_advice, "advice"),
        ("amendments", ReviewAmendment, checks.review_amendment, "amendment"),
    )
    for key, model, rule, what in specs:
        items = values.get(key)
        if not isinstance(items, list | tuple):
            continue
        stored: dict[int, Any] = (
            {r.id: r for r in session.scalars(select(model).where(model.meeting_id == meeting_id))}
            if meeting_id is not None
            else {}
        )
        for i, item in enumerate(items, start=1):
            if item.get("id") is not None and item["id"] not in stored:
                c.fail(f"{what} {i}", "is not one of this meeting's")
        lists.append((model, rule, stored, list(items)))
    invitees = values.get("invitees")
    out = c.done()
    loaded_at = obj.version if obj is not None else None
    saved = _apply(session, ReviewMeeting, obj, out)
    for model, rule, stored, items in lists:
        kept = {item.get("id") for item in items}
        for row_id, row in stored.items():
            if row_id not in kept:
                session.delete(row)
        for item in items:
            row = stored.get(item.get("id"))
            fields = {k: v for k, v in item.items() if k not in ("id", "meeting_id")}
            clean = rule(fields, _row(row), in_meeting=True).done()
            if row is None:
                session.add(model(meeting_id=saved.id, **clean))
            else:
                for k, v in clean.items():
                    setattr(row, k, v)
        session.flush()
    if lists and loaded_at is not None and saved.version == loaded_at:
        # The lists belong to the meeting: a save of them is a change to the meeting, so a
        # form loaded before it (at the old version) is refused, not allowed to overwrite.
        session.execute(
            update(ReviewMeeting)
            .where(ReviewMeeting.id == saved.id)
            .values(version=ReviewMeeting.version + 1)
            .execution_options(synchronize_session=False)
        )
        session.expire(saved, ["version"])
    if invitees is not None:
        for old in list(
            session.scalars(select(ReviewInvitee).where(ReviewInvitee.meeting_id == saved.id))
        ):
            session.delete(old)
        session.flush()
        for inv in invitees:
            session.add(
                ReviewInvitee(
                    meeting_id=saved.id,
                    name=str(inv["name"]).strip(),
                    role=str(inv.get("role", "")).strip(),
                    email=str(inv.get("email", "")).strip(),
                )
            )
        session.flush()
    if out.get("held_on") and saved.kind == vocab.ReviewKind.ANNUAL:
        pupil = session.get(Pupil, saved.pupil_id)
        if pupil is not None and (
            pupil.ehcp_last_review is None or pupil.ehcp_last_review < out["held_on"]
        ):
            pupil.ehcp_last_review = out["held_on"]
            session.flush()
    return saved.id


# --------------------------------------------------------------------------- deletes

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
