"""Alerts: the answer to "what must I act on, and by when?".

Each alert has a kind, a subject (a pupil or a member of staff), the date the thing happens
(``due``, the statutory or contractual date) and the last school day on which the SENCO can
still act (``act_by``: weekends, bank holidays and the school's holidays move it earlier).
An alert is shown when its act-by date falls within the horizon, or has passed. The list is
sorted by act-by date, then due date. docs/alerts.md gives every kind's rule.

The facts come from ``queries.facts`` and the derived figures (the gap between a contract
and its funding, its unfunded cost, notice-by dates, distinct staffed hours, session
clashes) from ``rules.coverage``: :func:`alerts_from_facts` needs no database.
"""

# One module per family of alerts (money, coverage, reviews, expiries) over what an alert is
# (alert); compute gathers them. No SQLAlchemy at import: ``glance`` builds the first page's
# alerts before it is loaded.

from ..vocab import URGENCY_LABELS, Urgency
from .alert import ALERT_KIND_LABELS, Alert, AlertKind, urgency
from .compute import alerts_and_timeline, alerts_from_facts, compute_alerts, current_half_term_end
from .money import unfunded_alert

__all__ = [
    "ALERT_KIND_LABELS",
    "Alert",
    "AlertKind",
    "URGENCY_LABELS",
    "Urgency",
    "alerts_and_timeline",
    "alerts_from_facts",
    "compute_alerts",
    "current_half_term_end",
    "unfunded_alert",
    "urgency",
]
