"""Cover for an absent member of staff on one day: the pupils who lose support, and who is
free (working that session, not already supporting someone) and trained to cover them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import Assignment, Contract, Pupil, Staff
from ..rules.coverage import is_current, not_ended
from ..rules.schoolyear import year_group_label
from ..rules.sessions import day_bits, pattern_sessions
from ..vocab import SUPPORT_ROLES, AssignmentRole, StaffRole, TrainingKind
from .common import current_filter, display_name
from .pupils import pupil_year_group
from .staff import latest_training


def required_training(medical_needs: str, behaviour_plan: bool) -> tuple[str, ...]:
    """Training a cover must hold for this pupil: medication for medical needs, de-escalation
    for a behaviour plan."""
    out = []
    if medical_needs.strip():
        out.append(TrainingKind.MEDICATION.value)
    if behaviour_plan:
        out.append(TrainingKind.DEESCALATION.value)
    return tuple(out)


@dataclass(frozen=True)
class LostSupportRow:
    assignment_id: int
    pupil_id: int
    pupil_name: str
    year_label: str
    sessions: int  # the sessions lost that day
    weekly_minutes: int
    session_count: int  # sessions a week in the assignment (to share minutes out)
    medical_needs: str
    behaviour_plan: bool
    personal_care: bool
    needs_training: tuple[str, ...]
    covered_by: tuple[str, ...]  # names of staff already assigned as cover that day
    covered_sessions: int
    # Each cover assigned that day: (its assignment id, who, the sessions it takes).
    cover_lines: tuple[tuple[int, str, int], ...] = ()

    @property
    def id(self) -> int:
        return self.assignment_id

    @property
    def uncovered_sessions(self) -> int:
        return self.sessions & ~self.covered_sessions

    def minutes_for(self, sessions: int) -> int:
        """This assignment's minutes for the given sessions (its week shared per session)."""
        n = bin(sessions).count("1")
        per = self.weekly_minutes / max(self.session_count, 1)
        return max(1, round(per * n))


@dataclass(frozen=True)
class CoverCandidateRow:
    staff_id: int
    name: str
    role: str
    works: int  # sessions they work that day
    busy: int  # sessions already assigned that day
    training: tuple[str, ...]  # current training kinds on the day
    qualified_for: tuple[int, ...]  # assignment ids of lost support they are free and trained for

    @property
    def id(self) -> int:
        return self.staff_id

    @property
    def free(self) -> int:
        return self.works & ~self.busy


@dataclass(frozen=True)
class CoverPlan:
    staff_id: int
    staff_name: str
    on: dt.date
    lost: tuple[LostSupportRow, ...]
    candidates: tuple[CoverCandidateRow, ...]


def _works(contracts: list[Contract], weekday: int) -> int:
    bits = 0
    for c in contracts:
        bits |= pattern_sessions((d.weekday, d.start, d.end) for d in c.days)
    return bits & day_bits(weekday)


def cover_day(session: Session, staff_id: int, on: dt.date) -> CoverPlan:
    weekday = on.weekday()
    bits = day_bits(weekday)
    absent = session.get(Staff, staff_id)
    absent_name = display_name(absent.first_name, absent.last_name) if absent else ""
    today_assignments = session.scalars(
        select(Assignment)
        .where(current_filter(Assignment.start_date, Assignment.end_date, on))
        .options(selectinload(Assignment.pupil), selectinload(Assignment.staff))
    ).all()
    cover_on_day: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    busy: dict[int, int] = defaultdict(int)
    for a in today_assignments:
        busy[a.staff_id] |= a.sessions & bits
        if a.role == AssignmentRole.COVER:
            cover_on_day[a.pupil_id].append(
                (display_name(a.staff.first_name, a.staff.last_name), a.sessions & bits, a.id)
            )
    lost = []
    for a in today_assignments:
        if a.staff_id != staff_id or a.role == AssignmentRole.COVER or not a.sessions & bits:
            continue
        p: Pupil = a.pupil
        covers = cover_on_day.get(p.id, [])
        covered = 0
        for _name, mask, _id in covers:
            covered |= mask
        lost.append(
            LostSupportRow(
                assignment_id=a.id,
                pupil_id=p.id,
                pupil_name=display_name(p.legal_first_name, p.legal_last_name, p.preferred_name),
                year_label=year_group_label(pupil_year_group(p, on)),
                sessions=a.sessions & bits,
                weekly_minutes=a.weekly_minutes,
                session_count=bin(a.sessions).count("1"),
                medical_needs=p.medical_needs,
                behaviour_plan=p.behaviour_plan,
                personal_care=p.personal_care,
                needs_training=required_training(p.medical_needs, p.behaviour_plan),
                covered_by=tuple(n for n, _m, _i in covers),
                covered_sessions=covered & a.sessions,
                cover_lines=tuple((i, n, m) for n, m, i in covers),
            )
        )
    lost.sort(key=lambda r: r.pupil_name)

    staff = session.scalars(
        select(Staff)
        .where(
            Staff.id != staff_id,
            Staff.role.in_([r.value for r in SUPPORT_ROLES | {StaffRole.SENCO}]),
            (Staff.leaving_date.is_(None)) | (Staff.leaving_date >= on),
        )
        .options(selectinload(Staff.contracts).selectinload(Contract.days))
        .order_by(Staff.last_name, Staff.first_name)
    ).all()
    training = latest_training(session, [s.id for s in staff])
    candidates = []
    for s in staff:
        current = [c for c in s.contracts if is_current(c.start_date, c.end_date, on)]
        works = _works(current, weekday) if current else 0
        if not works:
            continue
        kinds = tuple(sorted(t.kind for t in training.get(s.id, []) if not_ended(t.expires, on)))
        free = works & ~busy.get(s.id, 0)
        qualified = tuple(
            r.assignment_id
            for r in lost
            if r.uncovered_sessions & free and set(r.needs_training) <= set(kinds)
        )
        candidates.append(
            CoverCandidateRow(
                staff_id=s.id,
                name=display_name(s.first_name, s.last_name),
                role=s.role,
                works=works,
                busy=busy.get(s.id, 0),
                training=kinds,
                qualified_for=qualified,
            )
        )
    candidates.sort(key=lambda c: (-len(c.qualified_for), -bin(c.free).count("1"), c.name))
    return CoverPlan(
        staff_id=staff_id,
        staff_name=absent_name,
        on=on,
        lost=tuple(lost),
        candidates=tuple(candidates),
    )
