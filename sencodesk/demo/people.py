"""The people of the demo: local authorities, children and staff as the builder draws them, and the situations each EHCP is given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import vocab
from .plan import _Row

# =========================================================================== the builder


@dataclass(frozen=True)
class _La:
    row: _Row
    name: str
    code: str
    council: str
    advice_weeks: int
    invitation_weeks: int


@dataclass(eq=False)
class _Kid:
    row: _Row
    first: str
    last: str
    mother_last: str
    father_last: str
    preferred: str
    dob: dt.date
    year: int
    admission: dt.date
    class_name: str
    sen: str = "N"
    need: str | None = None
    medical: str = ""
    personal_care: bool = False
    behaviour_plan: bool = False
    la: _La | None = None
    interval: int = 12
    minutes: int | None = None
    issued: dt.date | None = None
    held: list[dt.date] = field(default_factory=list)  # annual reviews held, oldest first
    state: str = ""
    scenario: str = ""
    support: list[tuple[_Person, int]] = field(default_factory=list)  # current assignments
    outcomes: list[tuple[_Row, str, dt.date]] = field(default_factory=list)  # current ones
    # every assignment, ended ones too: (who, first day, last day or None)
    assigned: list[tuple[_Person, dt.date, dt.date | None]] = field(default_factory=list)

    def assigned_on(self, person: _Person, day: dt.date) -> bool:
        return any(
            p is person and start <= day and (end is None or day <= end)
            for p, start, end in self.assigned
        )

    @property
    def name(self) -> str:
        return self.preferred or self.first

    @property
    def last_review(self) -> dt.date | None:
        return self.held[-1] if self.held else None


@dataclass(eq=False)
class _Person:
    row: _Row
    key: str
    first: str
    last: str
    email: str
    start: dt.date
    leaving: dt.date | None = None
    contract_start: dt.date | None = None
    supports: list[_Kid] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


# The scenarios of one unit of twelve EHCPs, in the order they are handed out (the first
# ones make the alerts a small demo must still show). "early" goes to a Reception child and
# "transfer" to one in the last year of the phase.
SCENARIOS = (
    "outlives_a",
    "overassign_main",
    "overassign_short",
    "no_lsa",
    "ends_together",
    "covered_perm",
    "keyworker_pending",
    "outlives_b",
    "outlives_c",
    "hlta_sensory",
)
# Review situations handed to the EHCPs that have had a review, in this order.
REVIEW_STATES = (
    "overdue",
    "steps_missing",
    "upcoming",
    "report_overdue",
    "awaiting_la",
    "later",
    "upcoming",
    "later",
    "later",
    "later",
)
_STATUS_ORDER = [s.value for s in vocab.OutcomeStatus]
_STATUS_NOTES = {
    "emerging": "Beginning to show this with a lot of adult support (LSA records).",
    "developing": "Doing this with some prompts; evidence from support sessions.",
    "secure": "Doing this most of the time with light prompts.",
    "achieved": "Achieved independently; agreed at the termly review.",
}
