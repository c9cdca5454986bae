"""The rules of a pupil and what is kept about them: outcomes and records."""

from __future__ import annotations

import datetime as dt

from .. import vocab
from ..rules import upn as upn_rules
from ..validate import Checker
from .base import Current, Values, _now, _req


def pupil(values: Values, current: Current = None, *, today: dt.date | None = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    c.text("legal_first_name", required=_req(current, "legal_first_name", values), max_len=100)
    c.text("legal_last_name", required=_req(current, "legal_last_name", values), max_len=100)
    c.text("preferred_name", max_len=100, default="" if new else None)
    c.date("date_of_birth", required=_req(current, "date_of_birth", values))
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
    for f in ("profile_admire", "profile_important", "profile_support"):
        c.text(f, max_len=4000, default="" if new else None)
    c.boolean("personal_care")
    c.boolean("behaviour_plan")
    c.boolean("archived")
    c.boolean("retention_hold")
    c.text("retention_hold_reason", max_len=4000, default=None)
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
                c.out["upn"] = upn
    dob = c.out.get("date_of_birth")
    if dob is not None and dob > (today or dt.date.today()):
        c.fail("date_of_birth", "cannot be in the future")
    c.order("date_of_birth", "admission_date", "cannot be before the date of birth", current)
    c.order("admission_date", "leaving_date", "cannot be before the admission date", current)
    c.order("date_of_birth", "ehcp_issued", "cannot be before the date of birth", current)
    c.order("ehcp_issued", "ehcp_last_review", "cannot be before the EHCP was issued", current)
    if _now(c, "sen_code", current) == vocab.SenCode.NONE and c.out.get("primary_need"):
        c.fail("primary_need", "must be empty for a pupil with no SEN (code N)")
    return c


def outcome(values: Values, current: Current = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    if new:
        c.integer("pupil_id", required=True)
    c.choice("source", [s.value for s in vocab.OutcomeSource], required=False)
    c.choice("area", [a.value for a in vocab.Area], required=new)
    c.text("text", required=_req(current, "text", values), max_len=4000)
    c.text("success_criteria", max_len=4000, default="" if new else None)
    c.date("set_date", required=new)
    c.date("target_date")
    c.choice("status", [s.value for s in vocab.OutcomeStatus], required=False)
    c.date("status_date")
    c.text("status_note", max_len=2000, default=None)
    c.order("set_date", "target_date", "cannot be before the date the outcome was set", current)
    return c


def outcome_status_change(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("outcome_id", required=current is None)
    c.date("changed_on", required=current is None)
    c.choice("status", [s.value for s in vocab.OutcomeStatus], required=current is None)
    c.text("note", max_len=2000)
    return c


INCIDENT_FIELDS = ("antecedent", "behaviour", "consequence", "deescalation", "injury")


def record(values: Values, current: Current = None, *, now: dt.datetime | None = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
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
    when = c.out.get("occurred_at")
    if when is not None and when > (now or dt.datetime.now()) + dt.timedelta(days=1):
        c.fail("occurred_at", "cannot be in the future")
    kind = _now(c, "kind", current)
    if kind == vocab.RecordKind.INCIDENT:
        if not _now(c, "behaviour", current) and not _now(c, "text", current):
            c.fail("behaviour", "describe what happened")
    elif kind is not None and "kind" not in c.errors and not _now(c, "text", current):
        c.fail("text", "is required")
    return c
