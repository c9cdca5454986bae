"""Write functions: validate every field, then write, in the caller's one transaction.

Each ``save_*`` takes a session from ``Store.session()`` (which commits on success and rolls
back on any error, so a failed save changes nothing), a mapping of field values, and the id of
the row to update (None to create). It returns the row's id. A ``ValidationError`` names every
bad field; the audit trail is written by the session itself (see ``audit``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import vocab
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
    ReviewInvitee,
    ReviewMeeting,
    School,
    Staff,
    TermDate,
    Training,
)
from .rules import upn as upn_rules
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


def check_version(session: Session, obj: Base, values: Values, what: str) -> None:
    """Raise ``Conflict`` (theirs and yours for every field given) if ``obj`` has been saved
    since the version in ``values``."""
    expected = values.get("version")
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise ValidationError({"version": f"must be a whole number, not {expected!r}"})
    current = getattr(obj, "version", None)
    if current is None or current == expected:
        return
    columns = {c.key for c in inspect(type(obj)).column_attrs}
    fields = {
        name: (getattr(obj, name) if name in columns else None, yours)
        for name, yours in values.items()
        if name != "version"
    }
    if not fields:  # a save that changes nothing cannot undo anyone's change
        return
    row_id: int = getattr(obj, "id", 0)
    last = session.execute(
        select(AuditEntry.user, AuditEntry.at)
        .where(AuditEntry.table_name == obj.__tablename__, AuditEntry.row_id == row_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    raise Conflict(
        what,
        row_id,
        fields,
        current,
        by=last.user if last else "",
        at=last.at if last else None,
    )


def _current(obj: Base | None, names: Sequence[str]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names} if obj is not None else {}


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
            model.__tablename__.replace("_", " "), getattr(obj, "id", 0), {}, 0
        ) from None
    return obj


def _exists(session: Session, model: type[Base], row_id: Any) -> bool:
    return row_id is not None and session.get(model, row_id) is not None


# --------------------------------------------------------------------------- school


def save_school(session: Session, values: Values) -> int:
    school = session.get(School, 1, with_for_update="version" in values)
    if school is not None and values.get("version") is not None:
        check_version(session, school, values, "school's settings")
    c = Checker(values, new=school is None)
    c.text("name", required="name" in values, max_len=200)
    c.integer("la_id")
    c.text("dfe_number", max_len=8)
    c.choice(
        "phase",
        ["nursery", "infant", "junior", "primary", "middle", "secondary", "all_through", "special"],
        required=False,
    )
    c.text("transfer_years", max_len=40, default=None)  # the model's: -1,6,11
    c.decimal("full_time_hours", low=Decimal(1), high=Decimal(60))
    c.decimal("weeks_per_year", low=Decimal(52), high=Decimal(53), places=3)
    c.decimal("default_paid_weeks", low=Decimal(1), high=Decimal("52.143"), places=3)
    c.decimal("on_cost_percent", low=Decimal(0), high=Decimal(100))
    c.integer("retention_years", low=1, high=100)
    c.integer("alert_horizon_days", low=1, high=3650)
    c.integer("expiry_warning_days", low=1, high=3650)
    if "transfer_years" in c.out:
        try:
            [int(x) for x in c.out["transfer_years"].split(",") if x.strip()]
        except ValueError:
            c.fail("transfer_years", "must be year groups separated by commas, e.g. -1,6")
    if c.out.get("la_id") is not None and not _exists(session, LocalAuthority, c.out["la_id"]):
        c.fail("la_id", "is not a known local authority")
    out = c.done()
    if school is None:
        if not out.get("name"):
            raise ValidationError({"name": "is required"})
        out["id"] = 1
    _apply(session, School, school, out)
    return 1


def save_local_authority(session: Session, values: Values, la_id: int | None = None) -> int:
    obj = _load(session, LocalAuthority, la_id, "local authority", values)
    c = Checker(values, new=obj is None)
    c.text("name", required=obj is None or "name" in values, max_len=120)
    c.text("code", max_len=3)
    for f in (
        "advice_request_weeks",
        "invitations_weeks",
        "papers_weeks",
        "report_weeks",
        "la_decision_weeks",
    ):
        c.integer(f, low=0, high=52, nullable=False)
    out = c.done()
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

PUPIL_FIELDS = (
    "legal_first_name",
    "legal_last_name",
    "date_of_birth",
    "admission_date",
    "leaving_date",
    "ehcp_issued",
    "ehcp_last_review",
    "sen_code",
)


def save_pupil(session: Session, values: Values, pupil_id: int | None = None) -> int:
    obj = _load(session, Pupil, pupil_id, "pupil", values)
    new = obj is None
    c = Checker(values, new=obj is None)
    c.text("legal_first_name", required=new or "legal_first_name" in values, max_len=100)
    c.text("legal_last_name", required=new or "legal_last_name" in values, max_len=100)
    c.text("preferred_name", max_len=100, default="" if new else None)
    c.date("date_of_birth", required=new or "date_of_birth" in values)
    c.integer("year_group_override", low=-1, high=14)
    c.text("class_name", max_len=40, default="" if new else None)
    c.choice("sen_code", [s.value for s in vocab.SenCode], required=False)
    c.choice("primary_need", vocab.NEED_CODES, required=False, nullable=True)
    c.choice("secondary_need", vocab.NEED_CODES, required=False, nullable=True)
    c.integer("ehcp_la_id")
    for f in ("ehcp_issued", "ehcp_last_review", "admission_date", "leaving_date"):
        c.date(f)
    c.integer("review_interval_months", low=1, high=12, nullable=False)
    c.minutes("ehcp_weekly_minutes")
    c.text("medical_needs", max_len=4000, default="" if new else None)
    c.boolean("personal_care")
    c.boolean("behaviour_plan")
    c.boolean("archived")
    if "upn" in values:
        raw = values["upn"]
        if raw in (None, ""):
            c.out["upn"] = None
        else:
            upn = upn_rules.normalise_upn(str(raw))
            problem = upn_rules.upn_error(upn)
            if problem:
                c.fail("upn", problem)
            else:
                clash = session.scalar(select(Pupil.id).where(Pupil.upn == upn))
                if clash is not None and clash != pupil_id:
                    c.fail("upn", f"{upn} already belongs to another pupil")
                c.out["upn"] = upn
    cur = _current(obj, PUPIL_FIELDS)
    today = dt.date.today()
    dob = c.out.get("date_of_birth")
    if dob is not None and dob > today:
        c.fail("date_of_birth", "cannot be in the future")
    c.order("date_of_birth", "admission_date", "cannot be before the date of birth", cur)
    c.order("admission_date", "leaving_date", "cannot be before the admission date", cur)
    c.order("date_of_birth", "ehcp_issued", "cannot be before the date of birth", cur)
    c.order("ehcp_issued", "ehcp_last_review", "cannot be before the EHCP was issued", cur)
    sen = c.out.get("sen_code", cur.get("sen_code"))
    if sen == vocab.SenCode.NONE and c.out.get("primary_need"):
        c.fail("primary_need", "must be empty for a pupil with no SEN (code N)")
    if c.out.get("ehcp_la_id") is not None and not _exists(
        session, LocalAuthority, c.out["ehcp_la_id"]
    ):
        c.fail("ehcp_la_id", "is not a known local authority")
    out = c.done()
    if "leaving_date" in out and out["leaving_date"] is not None and "archived" not in out:
        # A leaver is archived, never deleted by leaving; one leaving later stays on roll
        # (in the lists, alerts and census) until the day (``archive_due_leavers``).
        out["archived"] = out["leaving_date"] <= dt.date.today()
    out = {k: v for k, v in out.items() if v is not None or k in values}
    pupil = _apply(session, Pupil, obj, out)
    if out.get("leaving_date") is not None:
        _end_support_on_leaving(session, pupil.id, out["leaving_date"])
    return pupil.id


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


def archive_pupil(session: Session, pupil_id: int, leaving_date: dt.date) -> None:
    save_pupil(session, {"leaving_date": leaving_date, "archived": True}, pupil_id)


def save_outcome(session: Session, values: Values, outcome_id: int | None = None) -> int:
    obj = _load(session, Outcome, outcome_id, "outcome", values)
    new = obj is None
    c = Checker(values, new=obj is None)
    if new:
        c.integer("pupil_id", required=True)
    c.choice("source", [s.value for s in vocab.OutcomeSource], required=False)
    c.choice("area", [a.value for a in vocab.Area], required=new)
    c.text("text", required=new or "text" in values, max_len=4000)
    c.text("success_criteria", max_len=4000, default="" if new else None)
    c.date("set_date", required=new)
    c.date("target_date")
    c.choice("status", [s.value for s in vocab.OutcomeStatus], required=False)
    c.date("status_date")
    c.text("status_note", max_len=2000, default=None)
    c.order(
        "set_date",
        "target_date",
        "cannot be before the date the outcome was set",
        _current(obj, ("set_date", "target_date")),
    )
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


INCIDENT_FIELDS = ("antecedent", "behaviour", "consequence", "deescalation", "injury")


def save_record(session: Session, values: Values, record_id: int | None = None) -> int:
    obj = _load(session, Record, record_id, "record", values)
    new = obj is None
    c = Checker(values, new=obj is None)
    c.integer("pupil_id", required=new)
    c.integer("author_id")
    c.datetime("occurred_at", required=new)
    c.choice("kind", [k.value for k in vocab.RecordKind], required=new)
    c.text("text", max_len=20000, default="" if new else None)
    c.integer("outcome_id")
    c.integer("minutes", low=0, high=24 * 60)
    c.integer("progress", low=1, high=5)
    for f in INCIDENT_FIELDS:
        c.text(f, max_len=8000, default="" if new else None)
    c.boolean("physical_intervention")
    c.boolean("parents_informed")
    kind = c.out.get("kind", obj.kind if obj else None)
    when = c.out.get("occurred_at")
    if when is not None and when > dt.datetime.now() + dt.timedelta(days=1):
        c.fail("occurred_at", "cannot be in the future")
    pupil_id = c.out.get("pupil_id", obj.pupil_id if obj else None)
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    if c.out.get("author_id") is not None and not _exists(session, Staff, c.out["author_id"]):
        c.fail("author_id", "is not a known member of staff")
    if c.out.get("outcome_id") is not None:
        oc = session.get(Outcome, c.out["outcome_id"])
        if oc is None or oc.pupil_id != pupil_id:
            c.fail("outcome_id", "is not one of this pupil's outcomes")
    if kind == vocab.RecordKind.INCIDENT:
        behaviour = c.out.get("behaviour", obj.behaviour if obj else "")
        if not behaviour and not c.out.get("text", obj.text if obj else ""):
            c.fail("behaviour", "describe what happened")
    elif kind is not None and not c.out.get("text", obj.text if obj else ""):
        c.fail("text", "is required")
    return _apply(session, Record, obj, c.done()).id


# --------------------------------------------------------------------------- staff


def save_staff(session: Session, values: Values, staff_id: int | None = None) -> int:
    obj = _load(session, Staff, staff_id, "member of staff", values)
    new = obj is None
    c = Checker(values, new=obj is None)
    c.text("first_name", required=new or "first_name" in values, max_len=100)
    c.text("last_name", required=new or "last_name" in values, max_len=100)
    c.choice("role", [r.value for r in vocab.StaffRole], required=new)
    c.text("email", max_len=200, default="" if new else None)
    c.text("phone", max_len=40, default="" if new else None)
    c.date("start_date")
    c.date("leaving_date")
    c.integer("line_manager_id")
    c.order(
        "start_date",
        "leaving_date",
        "cannot be before the start date",
        _current(obj, ("start_date", "leaving_date")),
    )
    email = c.out.get("email")
    if email and ("@" not in email or " " in email):
        c.fail("email", "is not an email address")
    lm = c.out.get("line_manager_id")
    if lm is not None and (lm == staff_id or not _exists(session, Staff, lm)):
        c.fail("line_manager_id", "must be another member of staff")
    return _apply(session, Staff, obj, c.done()).id


def save_qualification(session: Session, values: Values, qid: int | None = None) -> int:
    obj = _load(session, Qualification, qid, "qualification", values)
    c = Checker(values, new=obj is None)
    c.integer("staff_id", required=obj is None)
    c.text("kind", required=obj is None, max_len=120)
    c.text("level", max_len=20)
    c.date("awarded")
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    return _apply(session, Qualification, obj, c.done()).id


def save_training(session: Session, values: Values, tid: int | None = None) -> int:
    obj = _load(session, Training, tid, "training record", values)
    c = Checker(values, new=obj is None)
    c.integer("staff_id", required=obj is None)
    c.choice("kind", [k.value for k in vocab.TrainingKind], required=obj is None)
    c.date("completed", required=obj is None)
    c.date("expires")
    c.order(
        "completed",
        "expires",
        "cannot be before the training was completed",
        _current(obj, ("completed", "expires")),
    )
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    return _apply(session, Training, obj, c.done()).id


def save_dbs(session: Session, values: Values, dbs_id: int | None = None) -> int:
    obj = _load(session, DbsCheck, dbs_id, "DBS check", values)
    c = Checker(values, new=obj is None)
    c.integer("staff_id", required=obj is None)
    c.choice("level", [d.value for d in vocab.DbsLevel], required=False)
    c.text("certificate_number", required=obj is None, max_len=20)
    c.date("issued", required=obj is None)
    c.boolean("update_service")
    c.date("renew_by")
    num = c.out.get("certificate_number")
    if num and not (num.isdigit() and len(num) == 12):
        c.fail("certificate_number", "must be the 12 digits on the certificate")
    c.order(
        "issued",
        "renew_by",
        "cannot be before the issue date",
        _current(obj, ("issued", "renew_by")),
    )
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    return _apply(session, DbsCheck, obj, c.done()).id


# --------------------------------------------------------------------------- money


def save_funding(session: Session, values: Values, funding_id: int | None = None) -> int:
    obj = _load(session, Funding, funding_id, "funding line", values)
    new = obj is None
    c = Checker(values, new=obj is None)
    c.integer("pupil_id", required=new)
    c.choice("source", [s.value for s in vocab.FundingSource], required=new)
    c.text("funder", max_len=120)
    c.text("reference", max_len=60)
    c.decimal("amount_per_year", low=Decimal(0), high=Decimal(1_000_000))
    c.minutes("weekly_minutes")
    c.date("start_date", required=new)
    c.date("end_date")
    c.choice("status", [s.value for s in vocab.FundingStatus], required=False)
    c.order(
        "start_date",
        "end_date",
        "cannot be before the start date",
        _current(obj, ("start_date", "end_date")),
    )
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    amount = c.out.get("amount_per_year", obj.amount_per_year if obj else None)
    minutes = c.out.get("weekly_minutes", obj.weekly_minutes if obj else None)
    if amount is None and minutes is None and "amount_per_year" not in c.errors:
        c.fail("amount_per_year", "give an amount a year, funded hours a week, or both")
    return _apply(session, Funding, obj, c.done()).id


def save_contract(session: Session, values: Values, contract_id: int | None = None) -> int:
    """Save a contract; ``days`` (a list of WorkDay) sets the pattern and the weekly hours."""
    from .rules.pay import WorkDay, weekly_minutes

    obj = _load(session, Contract, contract_id, "contract", values)
    new = obj is None
    c = Checker(values, new=obj is None)
    c.known("days")
    c.integer("staff_id", required=new)
    c.choice("kind", [k.value for k in vocab.ContractKind], required=new)
    c.text("job_title", max_len=120)
    c.date("start_date", required=new)
    c.date("end_date")
    c.text("grade", max_len=40)
    c.text("pay_point", max_len=20)
    c.decimal("fte_salary", required=new, low=Decimal(0), high=Decimal(500_000))
    c.minutes("weekly_minutes", allow_zero=False)
    c.boolean("term_time")
    c.decimal("paid_weeks", low=Decimal(1), high=Decimal("52.143"), places=3)
    c.integer("notice_weeks", low=0, high=52, nullable=False)
    c.integer("funding_id")
    c.order(
        "start_date",
        "end_date",
        "cannot be before the start date",
        _current(obj, ("start_date", "end_date")),
    )
    days: list[WorkDay] | None = values.get("days")
    if days is not None:
        try:
            mins = weekly_minutes(days)
        except ValueError as exc:
            c.fail("days", str(exc))
        else:
            if mins <= 0:
                c.fail("days", "the working pattern has no hours")
            elif mins > 60 * 60:
                c.fail("weekly_minutes", "is more than 60 hours a week")
            elif "weekly_minutes" in values and c.out.get("weekly_minutes") != mins:
                c.fail("weekly_minutes", "does not match the working pattern")
            c.out["weekly_minutes"] = mins
    elif new and "weekly_minutes" not in values:
        c.fail("weekly_minutes", "is required (or give the working pattern)")
    kind = c.out.get("kind", obj.kind if obj else None)
    end = c.out.get("end_date", obj.end_date if obj else None)
    if kind == vocab.ContractKind.FIXED_TERM and end is None and "end_date" not in c.errors:
        c.fail("end_date", "is required for a fixed-term contract")
    term_time = c.out.get("term_time", obj.term_time if obj else True)
    if term_time and c.out.get("paid_weeks", obj.paid_weeks if obj else None) is None:
        school = session.get(School, 1)
        c.out["paid_weeks"] = school.default_paid_weeks if school else Decimal("43.108")
    if not term_time:
        c.out["paid_weeks"] = None
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
    new = obj is None
    c = Checker(values, new=obj is None)
    c.integer("staff_id", required=new)
    c.integer("pupil_id", required=new)
    c.minutes("weekly_minutes", required=new, allow_zero=False)
    c.integer("sessions", low=0, high=vocab.ALL_SESSIONS, nullable=False)
    c.choice("role", [r.value for r in vocab.AssignmentRole], required=False)
    c.date("start_date", required=new)
    c.date("end_date")
    c.order(
        "start_date",
        "end_date",
        "cannot be before the start date",
        _current(obj, ("start_date", "end_date")),
    )
    if "staff_id" in c.out and not _exists(session, Staff, c.out["staff_id"]):
        c.fail("staff_id", "is not a known member of staff")
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    return _apply(session, Assignment, obj, c.done()).id


# --------------------------------------------------------------------------- reviews

STEP_FIELDS = (
    "advice_requested_on",
    "invitations_sent_on",
    "papers_circulated_on",
    "held_on",
    "report_sent_on",
    "la_decision_on",
)


def _school_closed(day: dt.date) -> str:
    """Why nobody would meet at school that day (a weekend or an England bank holiday)."""
    from .rules.schoolyear import bank_holidays

    if day.weekday() >= 5:
        return f"a {day:%A}"
    name = bank_holidays([day.year]).get(day)
    return f"{name} (a bank holiday)" if name else ""


def save_review(session: Session, values: Values, meeting_id: int | None = None) -> int:
    """Save a review meeting; ``invitees`` (list of dicts name/role/email) replaces the list."""
    obj = _load(session, ReviewMeeting, meeting_id, "review meeting", values)
    new = obj is None
    c = Checker(values, new=obj is None)
    c.known("invitees")
    c.integer("pupil_id", required=new)
    c.choice("kind", [k.value for k in vocab.ReviewKind], required=False)
    c.datetime("meeting_at", required=new)
    c.text("place", max_len=120)
    for f in STEP_FIELDS:
        c.date(f)
    c.choice("outcome", [o.value for o in vocab.ReviewOutcome], required=False, nullable=True)
    c.text("notes", max_len=20000)
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    meeting = c.out.get("meeting_at", obj.meeting_at if obj else None)
    if c.out.get("meeting_at") is not None:
        closed = _school_closed(c.out["meeting_at"].date())
        if closed:
            c.fail("meeting_at", f"is {closed}: choose a school day")
    for f in ("held_on", "report_sent_on", "la_decision_on"):
        d = c.out.get(f)
        if d is not None and meeting is not None and d < meeting.date():
            c.fail(f, "cannot be before the meeting")
    invitees = values.get("invitees")
    if invitees is not None:
        for i, inv in enumerate(invitees, start=1):
            if not str(inv.get("name", "")).strip():
                c.fail(f"invitee {i}: name", "is required")
    out = c.done()
    saved = _apply(session, ReviewMeeting, obj, out)
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
