"""Funding and contract expiry: what ends within the horizon, and by when to act.

Rows come from ``queries.facts`` and ``rules.coverage``, the same facts the alerts read, so
the act-by dates, the days a contract outlives its funding and the unfunded cost are the
alerts' own. A row is listed when the thing ends within the horizon or must be acted on
within it (or has passed its act-by date and not yet ended). A contract gives both dates: its
own notice-by date (to end it on its end date) and, when it outlives its funding, the
notice-by date to end it with the funding.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from ..exchange.tabular import DATE, FLAG, INT, MONEY, TEXT, Column, Flagged, Report, TableData
from ..queries.facts import NOT_MONEY, load_facts
from ..rules.coverage import not_ended
from ..rules.dates import format_date
from ..vocab import CONTRACT_KIND_LABELS, FUNDING_SOURCE_LABELS, FundingStatus

COLUMNS = (
    Column("Ends", DATE, 0.8),
    Column("What", TEXT, 0.6),
    Column("Pupil or staff", TEXT, 1.2),
    Column("Detail", TEXT, 1.8),
    Column("A year", MONEY, 0.8),
    Column("Days unfunded", INT, 0.6),
    Column("Unfunded cost", MONEY, 0.8),
    Column("Act by", DATE, 0.8),
    Column("Notice to end with funding", DATE, 0.8),
    Column("Own notice by", DATE, 0.8),
    Column("Action", TEXT, 1.5),
    Column("Days to act", INT, 0.5),
    Column("Check", FLAG, 1.7),
)
RECENT = dt.timedelta(days=30)  # what ended this recently is still listed, flagged ENDED


def _check(act_by: dt.date | None, ends: dt.date | None, today: dt.date, extra: str = "") -> str:
    if ends is not None and ends < today:
        return Flagged("ENDED " + format_date(ends))
    if act_by is not None and act_by < today:
        return Flagged("ACT-BY DATE PASSED" + (f"; {extra}" if extra else ""))
    return Flagged(extra) if extra else ""


def expiries_report(session: Session, *, today: dt.date, within_days: int | None = None) -> Report:
    facts = load_facts(session, without=NOT_MONEY)  # no review, training or DBS row read here
    school = facts.school
    days = within_days or school.alert_horizon_days
    horizon = today + dt.timedelta(days=days)
    rows: list[list[object]] = []
    for f in facts.funding.values():
        p = facts.pupils.get(f.pupil_id)
        chosen = facts.funding_act_by(f.id)
        if f.end_date is None or chosen is None or f.status == FundingStatus.ENDED.value:
            continue
        act_by, paid = chosen
        if f.end_date < today - RECENT or (f.end_date > horizon and act_by > horizon):
            continue
        what = FUNDING_SOURCE_LABELS.get(f.source, f.source)
        detail = ", ".join(x for x in (what, f.funder, f.reference) if x)
        gaps = [c.gap for c in paid if c.gap is not None]
        extra = "; ".join(
            f"{facts.staff[c.staff_id].name if c.staff_id in facts.staff else 'A contract'} "
            f"{c.gap.how_long}: {c.gap.cost_text}"
            for c in paid
            if c.gap is not None
        )
        rows.append(
            [
                f.end_date,
                "Funding",
                p.name if p else "",
                detail,
                f.amount_per_year,
                max((g.days for g in gaps), default=None),
                sum((g.cost for g in gaps), Decimal(0)) if gaps else None,
                act_by,
                min((c.funding_act_by for c in paid if c.funding_act_by), default=None),
                None,
                "Ask the funder to renew; review the staff it pays",
                (act_by - today).days,
                _check(act_by, f.end_date, today, extra),
            ]
        )
    for c in facts.contracts.values():
        gap = c.gap if c.gap is not None and c.gap.still_matters(today) else None
        dates = [d for d in (c.notice_by, c.funding_act_by if gap else None) if d is not None]
        if not dates:
            continue
        act_by = min(dates)
        if c.end_date is not None and c.end_date < today - RECENT:
            continue
        if (c.end_date is None or c.end_date > horizon) and act_by > horizon:
            continue
        if gap is None and not (c.end_date is not None and c.end_date <= horizon):
            continue
        detail = ", ".join(
            x
            for x in (
                c.job_title,
                CONTRACT_KIND_LABELS[c.kind].lower(),
                f"{c.notice_weeks} weeks' notice",
            )
            if x
        )
        extra = ""
        if gap is not None:
            extra = f"Outlives its funding (ends {format_date(gap.funding_end)}): " + (
                f"{gap.how_long}, {gap.cost_text}"
            )
        rows.append(
            [
                c.end_date,
                "Contract",
                facts.staff[c.staff_id].name if c.staff_id in facts.staff else "",
                detail,
                c.annual_cost,
                gap.days if gap else None,
                gap.cost if gap else None,
                act_by,
                c.funding_act_by if gap else None,
                c.notice_by,
                "Give notice, extend or make permanent"
                if not_ended(c.end_date, today)
                else "Ended",
                (act_by - today).days,
                _check(act_by, c.end_date, today, extra),
            ]
        )
    rows.sort(key=lambda r: (r[7] or r[0] or dt.date.max, r[0] or dt.date.max, str(r[2])))  # type: ignore[return-value, unused-ignore]
    return Report(
        title="Funding and contract expiry",
        school=school.name,
        today=today,
        landscape=True,
        subtitle=(
            f"Funding lines and contracts ending by {format_date(horizon)} "
            f"({days} days from {format_date(today)}), in order of when to act.",
        ),
        tables=(
            TableData(
                "Funding and contract expiry",
                COLUMNS,
                rows,
                notes=(
                    "Act by: the last school day to act (the earlier of a contract's own "
                    "notice-by date and the date notice must be given for it to end with "
                    "its funding). A year: the funding's amount, or the contract's "
                    "employer cost. Unfunded cost: pay and on-costs for the days a "
                    "contract runs past its funding (a year for a contract with no end "
                    "date).",
                ),
            ),
        ),
    )
