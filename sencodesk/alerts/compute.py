"""Every alert from the facts (``alerts_from_facts``, no database), or from a session."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..guarded import names_bad_data
from ..queries.factrows import Facts
from ..queries.timeline import Lane, timeline_from_facts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from .alert import Alert
from .coverage import _coverage
from .expiries import _expiries
from .money import _contracts, _funding
from .reviews import _reviews


def current_half_term_end(session: Session, today: dt.date) -> dt.date | None:
    from ..queries.school import half_term_containing

    ht = half_term_containing(session, today)
    return ht.end if ht else None


@names_bad_data
def compute_alerts(
    session: Session, *, today: dt.date | None = None, within_days: int | None = None
) -> list[Alert]:
    """Every alert whose act-by date is within ``within_days`` of ``today``, or past."""
    from ..queries.facts import load_facts

    return alerts_from_facts(load_facts(session), today=today, within_days=within_days)


@names_bad_data
def alerts_and_timeline(
    session: Session, *, today: dt.date, start: dt.date, end: dt.date
) -> tuple[list[Alert], list[Lane]]:
    """The dashboard's alerts (within the school's horizon) and its timeline from ``start`` to
    ``end``, over one load of the facts (each loading them was half the dashboard's time)."""
    from ..queries.facts import load_facts

    facts = load_facts(session)
    return alerts_from_facts(facts, today=today), timeline_from_facts(facts, start, end)


def alerts_from_facts(
    facts: Facts, *, today: dt.date | None = None, within_days: int | None = None
) -> list[Alert]:
    facts.need_all("The alerts")
    today = today or dt.date.today()
    within = facts.school.alert_horizon_days if within_days is None else within_days
    if within < 0:
        raise ValueError("within_days cannot be negative")
    horizon = today + dt.timedelta(days=within)
    out: list[Alert] = []
    # Each rule builds only the alerts acted on by the horizon (a quarter of them fall
    # beyond it at a trust); the filter below is the rule.
    out += _contracts(facts, today, horizon)
    out += _funding(facts, today, horizon)
    out += _coverage(facts, today, horizon)
    out += _reviews(facts, today, horizon)
    out += _expiries(facts, today, horizon)
    out = [a for a in out if a.act_by <= horizon]
    # (a StrEnum member orders as its value, without ``.value``'s property call per alert)
    out.sort(key=lambda a: (a.act_by, a.due, a.kind, a.subject_name, a.row_id or 0))
    return out
