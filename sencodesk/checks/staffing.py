"""The rules of a member of staff and their qualifications, training and DBS checks."""

from __future__ import annotations

from .. import vocab
from ..validate import Checker
from .base import Current, Values, _cur, _req


def staff(values: Values, current: Current = None) -> Checker:
    new = current is None
    c = Checker(values, new=new)
    c.text("first_name", required=_req(current, "first_name", values), max_len=100)
    c.text("last_name", required=_req(current, "last_name", values), max_len=100)
    c.choice("role", [r.value for r in vocab.StaffRole], required=new)
    c.text("email", max_len=200, default="" if new else None)
    c.text("phone", max_len=40, default="" if new else None)
    c.date("start_date")
    c.date("leaving_date")
    c.integer("line_manager_id")
    c.order("start_date", "leaving_date", "cannot be before the start date", current)
    email = c.out.get("email")
    if email and ("@" not in email or " " in email):
        c.fail("email", "is not an email address")
    own = values.get("id", _cur(current).get("id"))
    if c.out.get("line_manager_id") is not None and c.out["line_manager_id"] == own:
        c.fail("line_manager_id", "must be another member of staff")
    return c


def qualification(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("staff_id", required=current is None)
    c.text("kind", required=current is None, max_len=120)
    c.text("level", max_len=20)
    c.date("awarded")
    return c


def training(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("staff_id", required=current is None)
    c.choice("kind", [k.value for k in vocab.TrainingKind], required=current is None)
    c.date("completed", required=current is None)
    c.date("expires")
    c.order("completed", "expires", "cannot be before the training was completed", current)
    return c


def dbs_check(values: Values, current: Current = None) -> Checker:
    c = Checker(values, new=current is None)
    c.integer("staff_id", required=current is None)
    c.choice("level", [d.value for d in vocab.DbsLevel], required=False)
    c.text("certificate_number", required=current is None, max_len=20)
    c.date("issued", required=current is None)
    c.boolean("update_service")
    c.date("renew_by")
    num = c.out.get("certificate_number")
    if num and not (num.isdigit() and len(num) == 12):
        c.fail("certificate_number", "must be the 12 digits on the certificate")
    c.order("issued", "renew_by", "cannot be before the issue date", current)
    return c
