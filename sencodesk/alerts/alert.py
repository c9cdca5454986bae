"""What an alert is: its kind, its subject, its due and act-by dates, and how urgent it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ..frozen_slots import fast_slots
from ..queries.factrows import Facts
from ..rules.coverage import not_ended
from ..rules.dates import format_date
from ..vocab import DbsLevel, Urgency

# No SQLAlchemy at import: ``glance`` builds the first page's alerts before it is loaded.
ONE_DAY = dt.timedelta(days=1)
ENHANCED_DBS = frozenset({DbsLevel.ENHANCED_BARRED.value, DbsLevel.ENHANCED.value})


class AlertKind(StrEnum):
    FUNDING_ENDING = "funding_ending"
    CONTRACT_ENDING = "contract_ending"
    UNFUNDED_CONTRACT = "unfunded_contract"  # a contract outlives the funding linked to it
    EHCP_HOURS_UNCOVERED = "ehcp_hours_uncovered"
    OVER_ASSIGNED = "over_assigned"
    SESSION_CLASH = "session_clash"
    FUNDING_UNSTAFFED = "funding_unstaffed"
    SUPPORT_ENDING = "support_ending"  # the pupil's LSAs' contracts end; the EHCP goes on
    REVIEW_DUE = "review_due"
    REVIEW_STEP = "review_step"
    PHASE_TRANSFER = "phase_transfer"
    TRAINING_EXPIRING = "training_expiring"
    DBS_EXPIRING = "dbs_expiring"
    DBS_MISSING = "dbs_missing"


ALERT_KIND_LABELS: dict[AlertKind, str] = {
    AlertKind.FUNDING_ENDING: "Funding ending",
    AlertKind.CONTRACT_ENDING: "Contract ending",
    AlertKind.UNFUNDED_CONTRACT: "Contract outlives its funding",
    AlertKind.EHCP_HOURS_UNCOVERED: "EHCP hours not covered",
    AlertKind.OVER_ASSIGNED: "Assigned more hours than contracted",
    AlertKind.SESSION_CLASH: "In two places in one session",
    AlertKind.FUNDING_UNSTAFFED: "Funding with no LSA assigned",
    AlertKind.SUPPORT_ENDING: "Support ends while the EHCP goes on",
    AlertKind.REVIEW_DUE: "Annual review due",
    AlertKind.REVIEW_STEP: "Review deadline",
    AlertKind.PHASE_TRANSFER: "Phase transfer deadline",
    AlertKind.TRAINING_EXPIRING: "Training expiring",
    AlertKind.DBS_EXPIRING: "DBS check due for renewal",
    AlertKind.DBS_MISSING: "No enhanced DBS recorded",
}


@fast_slots
@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    subject_kind: str  # "pupil" or "staff"
    subject_id: int
    subject_name: str
    title: str
    detail: str
    due: dt.date
    act_by: dt.date
    amount: Decimal | None = None  # e.g. the unfunded cost
    row_id: int | None = None  # the funding line, contract, meeting, training or DBS row
    related: tuple[tuple[str, int], ...] = field(default=())  # other rows it is about
    days: int | None = None  # e.g. the days a contract outlives its funding

    @property
    def kind_label(self) -> str:
        return ALERT_KIND_LABELS[self.kind]


def urgency(alert: Alert, today: dt.date, half_term_end: dt.date | None = None) -> Urgency:
    """Overdue (act-by passed), this week (by Sunday), this half-term, or later.

    Without term dates, "this half-term" means the next six weeks.
    """
    if alert.act_by < today:
        return Urgency.OVERDUE
    if alert.act_by <= today + dt.timedelta(days=6 - today.weekday()):
        return Urgency.THIS_WEEK
    end = half_term_end or today + dt.timedelta(weeks=6)
    if alert.act_by <= end:
        return Urgency.THIS_HALF_TERM
    return Urgency.LATER


def _on_staff(facts: Facts, staff_id: int, today: dt.date) -> bool:
    s = facts.staff.get(staff_id)
    return s is not None and not_ended(s.leaving_date, today)


def _due_note(due: dt.date, act_by: dt.date, what: str = "due") -> str:
    """ "(due 01/01/2027)" when a closure or weekend moved the act-by date earlier."""
    return f" ({what} {format_date(due)})" if due != act_by else ""
