"""Pupils: the list (fast on 20,000 rows); one pupil's page is in ``pupil_detail``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..frozen import fast_init
from ..model import Assignment, Pupil, Staff
from ..rules.coverage import Slot, staffed_minutes
from ..rules.reviews import next_review_due
from ..rules.schoolyear import year_group, year_group_label
from ..rules.text import fold
from ..vocab import SenCode
from .common import current_filter, display_name, readable, sort_name


@fast_init
@dataclass(frozen=True)
class PupilRow:
    id: int
    name: str
    sort_name: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    upn: str
    date_of_birth: dt.date
    year_group: int
    year_label: str
    class_name: str
    sen_code: str
    primary_need: str
    secondary_need: str
    ehcp_weekly_minutes: int | None
    assigned_minutes: int
    lsa_names: str
    next_review_due: dt.date | None
    medical: bool
    archived: bool

    @property
    def unstaffed_minutes(self) -> int:
        return max(0, (self.ehcp_weekly_minutes or 0) - self.assigned_minutes)

    @property
    def search_key(self) -> str:
        """The text the pupil list's instant filter matches against, folded (``rules.text``):
        names (preferred and legal), UPN, year, class, SEN code, needs and LSAs."""
        return fold(
            " ".join(
                (
                    self.name,
                    self.preferred_name,
                    self.legal_first_name,
                    self.legal_last_name,
                    self.upn,
                    self.year_label,
                    self.class_name,
                    self.sen_code,
                    self.primary_need,
                    self.secondary_need,
                    self.lsa_names,
                )
            )
        )


def pupil_year_group(p: Pupil | Any, on: dt.date) -> int:
    if p.year_group_override is not None:
        return p.year_group_override
    return year_group(p.date_of_birth, on)


def _review_due(p: Any) -> dt.date | None:
    base = p.ehcp_last_review or p.ehcp_issued
    if p.sen_code != SenCode.EHCP or base is None:
        return None
    return next_review_due(base, p.review_interval_months)


def current_support(
    session: Session, on: dt.date, pupil_ids: list[int] | None = None
) -> dict[int, list[tuple[str, int, str, Slot]]]:
    """Pupil id -> [(staff display name, weekly minutes, role, the assignment as the coverage
    rules take it)] of assignments current on ``on``."""
    q = (
        select(
            Assignment.pupil_id,
            Staff.first_name,
            Staff.last_name,
            Assignment.weekly_minutes,
            Assignment.role,
            Assignment.id,
            Assignment.staff_id,
            Assignment.sessions,
            Assignment.start_date,
            Assignment.end_date,
        )
        .join(Staff, Staff.id == Assignment.staff_id)
        .where(current_filter(Assignment.start_date, Assignment.end_date, on))
        .order_by(Assignment.pupil_id, Staff.last_name, Staff.first_name)
    )
    if pupil_ids is not None:
        q = q.where(Assignment.pupil_id.in_(pupil_ids))
    out: dict[int, list[tuple[str, int, str, Slot]]] = defaultdict(list)
    for pid, first, last, mins, role, aid, sid, sessions, start, end in session.execute(q):
        slot = Slot(aid, sid, pid, mins, sessions, role, start, end)
        out[pid].append((display_name(first, last), mins, role, slot))
    return out


def _row(
    p: Any, on: dt.date, support: list[tuple[str, int, str, Slot]], yg: int | None = None
) -> PupilRow:
    """``p``: a Pupil, or a row of the columns in ``_LIST_COLUMNS`` in that order (the list's
    fast path: a row's fields read by position, 25 reads by name were most of its time).
    ``yg``: the year group, when the caller knows it."""
    if isinstance(p, Pupil):
        p = tuple(getattr(p, c.key) for c in _LIST_COLUMNS)
    (
        pid,
        first,
        last,
        preferred,
        upn,
        born,
        override,
        class_name,
        sen_code,
        primary,
        secondary,
        ehcp_minutes,
        last_review,
        issued,
        interval,
        medical,
        archived,
    ) = p
    if yg is None:
        yg = override if override is not None else year_group(born, on)
    if support:
        # Distinct hours staffed: the same person twice in one session counts once.
        assigned = staffed_minutes([x[3] for x in support], on)
        names = ", ".join(dict.fromkeys(x[0] for x in support))
    else:  # most pupils of a trust: no assignment
        assigned, names = 0, ""
    base = last_review or issued
    return PupilRow(
        pid,
        display_name(first, last, preferred),
        sort_name(first, last, preferred),
        first,
        last,
        preferred,
        upn or "",
        born,
        yg,
        year_group_label(yg),
        class_name,
        sen_code,
        primary or "",
        secondary or "",
        ehcp_minutes,
        assigned,
        names,
        next_review_due(base, interval) if sen_code == SenCode.EHCP and base is not None else None,
        bool((medical or "").strip()),
        archived,
    )


# What a list row needs of a pupil. The list reads these columns rather than Pupil objects:
# building 20,000 ORM instances took about two thirds of the pupil list's load time.
_LIST_COLUMNS = (
    Pupil.id,
    Pupil.legal_first_name,
    Pupil.legal_last_name,
    Pupil.preferred_name,
    Pupil.upn,
    Pupil.date_of_birth,
    Pupil.year_group_override,
    Pupil.class_name,
    Pupil.sen_code,
    Pupil.primary_need,
    Pupil.secondary_need,
    Pupil.ehcp_weekly_minutes,
    Pupil.ehcp_last_review,
    Pupil.ehcp_issued,
    Pupil.review_interval_months,
    Pupil.medical_needs,
    Pupil.archived,
)


def list_pupils(
    session: Session, *, today: dt.date, include_archived: bool = False, sen_only: bool = False
) -> list[PupilRow]:
    """Every pupil (by surname), with their current support; two queries whatever the size."""
    # On a server, columns the login may not read come as NULL (a business manager choosing
    # a pupil to assign reads names and funded hours, not needs or medical notes).
    q = select(*readable(session, *_LIST_COLUMNS)).order_by(
        Pupil.legal_last_name, Pupil.legal_first_name, Pupil.id
    )
    if not include_archived:
        q = q.where(Pupil.archived.is_(False))
    if sen_only:
        q = q.where(Pupil.sen_code != SenCode.NONE)
    support = current_support(session, today)
    # A Core read (the ORM's handling of 20,000 result rows was a fifth of the list's time),
    # and each birthday's year group worked out once: at a trust many pupils share one.
    session.flush()
    years: dict[dt.date, int] = {}
    none: list[tuple[str, int, str, Slot]] = []
    out = []
    for p in session.connection().execute(q).all():  # all at once: fetching one by one is slower
        yg = p[6]  # year_group_override
        if yg is None:
            yg = years.get(p[5])  # date_of_birth
            if yg is None:
                yg = years[p[5]] = year_group(p[5], today)
        out.append(_row(p, today, support.get(p[0], none), yg))
    return out
