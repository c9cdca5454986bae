"""The facts about funding, contracts and hours as frozen rows; the one function that makes
them from plain rows (``facts_from_rows``, whoever read those: ``queries.facts.load_facts``
through SQLAlchemy, or ``glance`` with the standard library's sqlite3 while the app starts)
is in ``factmake``.

No SQLAlchemy here: the first page is painted from these before it is imported (#17). Each
table's columns are named once, in ``COLUMNS``, in the order a row gives their values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..frozen_slots import fast_slots
from ..rules.coverage import Gap, Slot
from ..rules.reviews import ReviewOffsets, phase_transfer_deadline
from ..rules.schooldays import SchoolDays
from ..rules.schoolyear import academic_year_of, year_group
from ..rules.settings import SchoolRow

# Each table's columns, in the order the facts read a row's values.
COLUMNS: dict[str, tuple[str, ...]] = {
    "funding": (
        "id",
        "pupil_id",
        "source",
        "funder",
        "reference",
        "amount_per_year",
        "weekly_minutes",
        "start_date",
        "end_date",
        "status",
        "version",
    ),
    "assignment": (
        "id",
        "staff_id",
        "pupil_id",
        "weekly_minutes",
        "sessions",
        "role",
        "start_date",
        "end_date",
    ),
    "pupil": (
        "id",
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "upn",
        "date_of_birth",
        "year_group_override",
        "sen_code",
        "primary_need",
        "ehcp_la_id",
        "ehcp_issued",
        "ehcp_last_review",
        "review_interval_months",
        "ehcp_weekly_minutes",
        "leaving_date",
        "archived",
    ),
    "staff": ("id", "first_name", "last_name", "role", "start_date", "leaving_date"),
    "contract": (
        "id",
        "staff_id",
        "kind",
        "job_title",
        "start_date",
        "end_date",
        "grade",
        "pay_point",
        "fte_salary",
        "weekly_minutes",
        "term_time",
        "paid_weeks",
        "notice_weeks",
        "funding_id",
        "version",
    ),
    "review_meeting": (
        "id",
        "pupil_id",
        "kind",
        "meeting_at",
        "advice_requested_on",
        "invitations_sent_on",
        "papers_circulated_on",
        "held_on",
        "report_sent_on",
        "la_decision_on",
    ),
    "training": ("id", "staff_id", "kind", "completed", "expires"),
    "dbs_check": ("id", "staff_id", "level", "certificate_number", "issued", "renew_by"),
}

# The tables of the facts a report of money and hours does without (``load_facts``'s
# ``without``): the costs and expiries reports read no review, training or DBS row, which are
# a third of the rows at a trust (#17).
NOT_MONEY = frozenset({"review_meeting", "training", "dbs_check"})

FUNDING_LEAD_WEEKS = 4  # act on funding that pays for no contract this long before it ends


@fast_slots
@dataclass(frozen=True, slots=True)
class PupilFact:
    id: int
    name: str
    sort_name: str
    upn: str
    date_of_birth: dt.date
    year_group_override: int | None
    sen_code: str
    primary_need: str
    ehcp_la_id: int | None
    ehcp_issued: dt.date | None
    ehcp_last_review: dt.date | None
    review_interval_months: int
    ehcp_weekly_minutes: int | None
    leaving_date: dt.date | None
    archived: bool
    preferred_name: str = ""
    legal_first_name: str = ""
    legal_last_name: str = ""

    def year_group_on(self, on: dt.date) -> int:
        if self.year_group_override is not None:
            return self.year_group_override
        return year_group(self.date_of_birth, on)

    def phase_transfer_due(self, on: dt.date, transfer_years: tuple[int, ...]) -> dt.date | None:
        """The amended-plan deadline if the pupil changes phase at the end of the academic
        year containing ``on``: year group and year both as on that date."""
        return phase_transfer_deadline(self.year_group_on(on), academic_year_of(on), transfer_years)


@fast_slots
@dataclass(frozen=True, slots=True)
class StaffFact:
    id: int
    name: str
    sort_name: str
    role: str
    first_name: str
    last_name: str
    start_date: dt.date | None
    leaving_date: dt.date | None


@fast_slots
@dataclass(frozen=True, slots=True)
class FundingFact:
    id: int
    pupil_id: int
    source: str
    funder: str
    reference: str
    amount_per_year: Decimal | None
    weekly_minutes: int | None
    start_date: dt.date
    end_date: dt.date | None
    status: str
    version: int = 0  # the row's version when read (a save sends it back)


@fast_slots
@dataclass(frozen=True, slots=True)
class ContractFact:
    id: int
    staff_id: int
    kind: str
    job_title: str
    start_date: dt.date
    end_date: dt.date | None
    grade: str
    pay_point: str
    fte_salary: Decimal
    weekly_minutes: int
    term_time: bool
    paid_weeks: Decimal | None
    notice_weeks: int
    funding_id: int | None
    annual_pay: Decimal
    annual_cost: Decimal
    notice_by: dt.date | None  # the last school day to give notice before its own end
    funding_end: dt.date | None
    gap: Gap | None  # the contract outlives the funding linked to it
    funding_act_by: dt.date | None  # the last school day to give notice to end with the funding
    version: int = 0  # the row's version when read (a save sends it back)


@fast_slots
@dataclass(frozen=True, slots=True)
class MeetingFact:
    id: int
    pupil_id: int
    kind: str
    meeting_at: dt.datetime
    advice_requested_on: dt.date | None
    invitations_sent_on: dt.date | None
    papers_circulated_on: dt.date | None
    held_on: dt.date | None
    report_sent_on: dt.date | None
    la_decision_on: dt.date | None


@fast_slots
@dataclass(frozen=True, slots=True)
class TrainingFact:
    id: int
    staff_id: int
    kind: str
    completed: dt.date
    expires: dt.date | None


@fast_slots
@dataclass(frozen=True, slots=True)
class DbsFact:
    id: int
    staff_id: int
    level: str
    certificate_number: str
    issued: dt.date
    renew_by: dt.date | None


@dataclass(frozen=True)
class Facts:
    school: SchoolRow
    days: SchoolDays
    offsets: dict[int, ReviewOffsets]
    default_offsets: ReviewOffsets
    pupils: dict[int, PupilFact]
    staff: dict[int, StaffFact]
    funding: dict[int, FundingFact]
    contracts: dict[int, ContractFact]
    slots: tuple[Slot, ...]
    meetings: dict[int, tuple[MeetingFact, ...]]  # by pupil, in meeting order
    training: dict[int, tuple[TrainingFact, ...]]  # by staff, oldest first
    dbs: dict[int, tuple[DbsFact, ...]]  # by staff, oldest first
    contracts_by_funding: dict[int, tuple[int, ...]] = field(default_factory=dict)
    contracts_by_staff: dict[int, tuple[int, ...]] = field(default_factory=dict)
    slots_by_pupil: dict[int, tuple[Slot, ...]] = field(default_factory=dict)
    slots_by_staff: dict[int, tuple[Slot, ...]] = field(default_factory=dict)
    # The tables left out when loaded (``load_facts``'s ``without``): their dicts are empty.
    left_out: frozenset[str] = frozenset()

    def need_all(self, what: str) -> None:
        """Refuse facts loaded without some tables where ``what`` reads every table (the
        alerts, the timeline): an empty table would be a wrong answer, not a smaller one."""
        if self.left_out:
            raise ValueError(f"{what} needs every fact; loaded without {sorted(self.left_out)}")

    def offsets_for(self, p: PupilFact) -> ReviewOffsets:
        return (
            self.offsets.get(p.ehcp_la_id, self.default_offsets)
            if p.ehcp_la_id
            else (self.default_offsets)
        )

    def latest_transfer_meeting(self, p: PupilFact, deadline: dt.date) -> dt.date:
        """The last school day a review can be held for the LA's decision (its weeks after
        the meeting) to fall by a phase-transfer deadline."""
        weeks = self.offsets_for(p).la_decision_weeks
        return self.days.act_by(deadline - dt.timedelta(weeks=weeks))

    def funding_of(self, c: ContractFact) -> FundingFact | None:
        return self.funding.get(c.funding_id) if c.funding_id is not None else None

    def gaps_of(self, funding_id: int) -> list[ContractFact]:
        """The contracts linked to a funding line that outlive it."""
        return [
            self.contracts[cid]
            for cid in self.contracts_by_funding.get(funding_id, ())
            if self.contracts[cid].gap is not None
        ]

    def funding_act_by(self, funding_id: int) -> tuple[dt.date, list[ContractFact]] | None:
        """When to act on a funding line that ends: the earliest date notice must be given
        for a contract it pays for to end with it, else 4 weeks before its end (as a school
        day). Also the contracts that outlive it. None: the funding has no end date."""
        f = self.funding[funding_id]
        if f.end_date is None:
            return None
        paid = self.gaps_of(funding_id)
        dates = [c.funding_act_by for c in paid if c.funding_act_by is not None]
        if dates:
            return min(dates), paid
        return self.days.act_by(f.end_date - dt.timedelta(weeks=FUNDING_LEAD_WEEKS)), paid
