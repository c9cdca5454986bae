"""The alerts of staff training and DBS checks coming up for renewal."""

from __future__ import annotations

import datetime as dt

from ..queries.factrows import Facts
from ..rules.coverage import not_ended
from ..rules.dates import format_date
from ..vocab import TRAINING_LABELS
from .alert import ONE_DAY, Alert, AlertKind


def _expiries(facts: Facts, today: dt.date, horizon: dt.date = dt.date.max) -> list[Alert]:
    """Training and DBS renewals acted on by ``horizon``: the others are not built (at a
    trust four in five fall beyond it, and would be dropped anyway)."""
    out: list[Alert] = []
    for s in facts.staff.values():
        if not not_ended(s.leaving_date, today):
            continue
        latest = {t.kind: t for t in facts.training.get(s.id, ())}
        for t in latest.values():
            if t.expires is None:
                continue
            act_by = facts.days.act_by(t.expires - ONE_DAY)
            if act_by > horizon:
                continue
            label = TRAINING_LABELS.get(t.kind, t.kind.replace("_", " "))
            gone = t.expires < today
            out.append(
                Alert(
                    AlertKind.TRAINING_EXPIRING,
                    "staff",
                    s.id,
                    s.name,
                    f"{label} training {'expired' if gone else 'expires'}",
                    f"Completed {format_date(t.completed)}; "
                    f"{'expired' if gone else 'expires'} {format_date(t.expires)}",
                    due=t.expires,
                    act_by=act_by,
                    row_id=t.id,
                )
            )
        checks = facts.dbs.get(s.id, ())
        if checks and checks[-1].renew_by is not None:
            d = checks[-1]
            renew_by = d.renew_by
            assert renew_by is not None
            act_by = facts.days.act_by(renew_by - ONE_DAY)
            if act_by > horizon:
                continue
            out.append(
                Alert(
                    AlertKind.DBS_EXPIRING,
                    "staff",
                    s.id,
                    s.name,
                    "DBS check overdue for renewal" if renew_by < today else "DBS check due",
                    f"Certificate {d.certificate_number} issued {format_date(d.issued)}; "
                    f"renew by {format_date(renew_by)}",
                    due=renew_by,
                    act_by=act_by,
                    row_id=d.id,
                )
            )
    return out
