"""School settings, local authorities and term dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..model import LocalAuthority, School, TermDate
from ..rules.reviews import ReviewOffsets
from ..rules.settings import DEFAULT_SCHOOL, SchoolRow  # noqa: F401 - here as before
from ..rules.settings import parse_transfer_years as _transfer_years
from .common import school_id


@dataclass(frozen=True)
class LocalAuthorityRow:
    id: int
    name: str
    code: str
    offsets: ReviewOffsets
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


@dataclass(frozen=True)
class HalfTermRow:
    academic_year: int
    half_term: int
    start: dt.date
    end: dt.date


def get_school(session: Session) -> SchoolRow:
    """The settings; the defaults of DOMAIN.md when the school has not been set up yet."""
    s = session.get(School, school_id(session))
    if s is None:
        return DEFAULT_SCHOOL
    la = session.get(LocalAuthority, s.la_id) if s.la_id else None
    return SchoolRow(
        name=s.name,
        la_id=s.la_id,
        la_name=la.name if la else "",
        dfe_number=s.dfe_number,
        phase=s.phase,
        transfer_years=_transfer_years(s.transfer_years),
        full_time_hours=s.full_time_hours,
        weeks_per_year=s.weeks_per_year,
        default_paid_weeks=s.default_paid_weeks,
        on_cost_percent=s.on_cost_percent,
        retention_years=s.retention_years,
        alert_horizon_days=s.alert_horizon_days,
        expiry_warning_days=s.expiry_warning_days,
        version=s.version,
    )


def la_offsets(la: LocalAuthority | None) -> ReviewOffsets:
    if la is None:
        return ReviewOffsets()
    return ReviewOffsets(
        advice_request_weeks=la.advice_request_weeks,
        invitations_weeks=la.invitations_weeks,
        papers_weeks=la.papers_weeks,
        report_weeks=la.report_weeks,
        la_decision_weeks=la.la_decision_weeks,
    )


def list_local_authorities(session: Session) -> list[LocalAuthorityRow]:
    return [
        LocalAuthorityRow(
            id=la.id, name=la.name, code=la.code, offsets=la_offsets(la), version=la.version
        )
        for la in session.scalars(select(LocalAuthority).order_by(LocalAuthority.name))
    ]


def offsets_by_la(session: Session) -> tuple[dict[int, ReviewOffsets], ReviewOffsets]:
    """Offsets per LA id, and the school's own LA's (the default for pupils with none)."""
    by_id = {la.id: la.offsets for la in list_local_authorities(session)}
    school = session.get(School, school_id(session))
    default = (
        by_id.get(school.la_id, ReviewOffsets()) if school and school.la_id else (ReviewOffsets())
    )
    return by_id, default


def list_half_terms(session: Session, academic_year: int | None = None) -> list[HalfTermRow]:
    q = select(TermDate).order_by(TermDate.start)
    if academic_year is not None:
        q = q.where(TermDate.academic_year == academic_year)
    return [HalfTermRow(t.academic_year, t.half_term, t.start, t.end) for t in session.scalars(q)]


def half_term_containing(session: Session, on: dt.date) -> HalfTermRow | None:
    """The half-term ``on`` falls in, or the next one if ``on`` is in a holiday."""
    t = session.scalars(
        select(TermDate).where(TermDate.end >= on).order_by(TermDate.start).limit(1)
    ).first()
    return HalfTermRow(t.academic_year, t.half_term, t.start, t.end) if t else None
