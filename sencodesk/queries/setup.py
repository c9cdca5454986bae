"""What a new school has set up, in the order a SENCO does it: the school's details, this
year's term dates, its local authorities, staff and their contracts, pupils (typed or brought
in from the MIS), funding, and who supports whom. The first-run checklist shows these until
every one is done, and ticks each off as the records arrive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..model import Assignment, Contract, Funding, LocalAuthority, Pupil, School, Staff, TermDate
from ..rules.schoolyear import academic_year_label, academic_year_of
from .common import school_id


@dataclass(frozen=True)
class SetupStep:
    key: str  # "school", "term_dates", "las", "staff", "pupils", "funding", "assignments"
    title: str
    done: bool
    detail: str  # what there is, or what is wanted, in a few words


@dataclass(frozen=True)
class SetupState:
    steps: tuple[SetupStep, ...]

    @property
    def done(self) -> bool:
        return all(s.done for s in self.steps)

    @property
    def left(self) -> int:
        return sum(not s.done for s in self.steps)

    def step(self, key: str) -> SetupStep:
        return next(s for s in self.steps if s.key == key)


def _count(session: Session, what: object, *where: object) -> int:
    q = select(func.count()).select_from(what)  # type: ignore[arg-type]
    for w in where:
        q = q.where(w)  # type: ignore[arg-type]
    return int(session.scalar(q) or 0)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def setup_state(session: Session, today: dt.date) -> SetupState:
    school = session.get(School, school_id(session))
    la = session.get(LocalAuthority, school.la_id) if school and school.la_id else None
    name = school.name.strip() if school else ""
    year = academic_year_of(today)
    # This year's, or (in the summer holiday, as the first run sets them) next year's.
    terms = _count(session, TermDate, TermDate.academic_year >= year)
    las = _count(session, LocalAuthority)
    staff = _count(session, Staff)
    contracts = _count(session, Contract)
    pupils = _count(session, Pupil, Pupil.archived.is_(False))
    funding = _count(session, Funding)
    assignments = _count(session, Assignment)
    label = academic_year_label(year)
    steps = (
        SetupStep(
            "school",
            "School details",
            bool(name),
            (f"{name}, {la.name}" if la else f"{name} (its local authority is not chosen yet)")
            if name
            else "Your school's name, DfE number and phase",
        ),
        SetupStep(
            "term_dates",
            f"Term dates for {label}",
            terms > 0,
            f"{_plural(terms, 'half-term')} set"
            if terms
            else "The first and last day of each half-term",
        ),
        SetupStep(
            "las",
            "Local authorities",
            las > 0,
            _plural(las, "local authority", "local authorities")
            if las
            else "The LAs that maintain your pupils' EHC plans",
        ),
        SetupStep(
            "staff",
            "Staff and their contracts",
            staff > 0 and contracts > 0,
            f"{_plural(staff, 'member')} of staff, {_plural(contracts, 'contract')}"
            if staff
            else "Your LSAs and teaching assistants, with their hours and pay",
        ),
        SetupStep(
            "pupils",
            "Pupils",
            pupils > 0,
            _plural(pupils, "pupil")
            if pupils
            else "Bring them in from the MIS (SIMS, Arbor, Bromcom) or add them one by one",
        ),
        SetupStep(
            "funding",
            "Funding",
            funding > 0,
            _plural(funding, "funding line")
            if funding
            else "Top-up and other funding for pupils with EHC plans",
        ),
        SetupStep(
            "assignments",
            "Who supports whom",
            assignments > 0,
            _plural(assignments, "assignment")
            if assignments
            else "Assign LSAs to the pupils they support",
        ),
    )
    return SetupState(steps)
