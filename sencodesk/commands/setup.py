"""Saving the school's set-up: the school, its local authorities, its term dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import checks
from ..errors import ValidationError
from ..model import LocalAuthority, School, TermDate
from ..queries.common import school_id
from .base import Values, _apply, _exists, _load, _row, check_version


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
