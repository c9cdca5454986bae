"""Funding and contract expiry: what ends within the horizon, and by when to act.

Rows come from the funding lines and contracts themselves (``queries.money``); the act-by
date of a contract is its notice-by date (the last working day to give notice), and any
act-by the alerts give (``sencodesk.alerts``) is preferred where they cover the row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from ..exchange.tabular import DATE, FLAG, INT, MONEY, TEXT, Column, Flagged, Report, TableData
from ..queries.money import contract_rows, funding_rows
from ..queries.school import get_school
from ..rules.dates import format_date
from ..vocab import CONTRACT_KIND_LABELS, FUNDING_SOURCE_LABELS, FundingStatus

COLUMNS = (
    Column("Ends", DATE, 0.9),
    Column("What", TEXT, 0.7),
    Column("Pupil or staff", TEXT, 1.4),
    Column("Detail", TEXT, 2.0),
    Column("A year", MONEY, 0.9),
    Column("Act by", DATE, 0.9),
    Column("Action", TEXT, 1.8),
    Column("Days to act", INT, 0.6),
    Column("Check", FLAG, 1.7),
)


def _alert_act_by(session: Session, today: dt.date, days: int) -> dict[tuple[str, int], Any]:
    """(kind, row id) -> the earliest act-by date the alerts give for that funding line or
    contract (a contract that outlives its funding must be acted on before it ends)."""
    from ..alerts import AlertKind, compute_alerts

    rows = {
        AlertKind.FUNDING_ENDING: "funding",
        AlertKind.CONTRACT_ENDING: "contract",
        AlertKind.UNFUNDED_CONTRACT: "contract",
    }
    out: dict[tuple[str, int], Any] = {}
    for a in compute_alerts(session, today=today, within_days=days):  # sorted by act-by
        if a.kind in rows and a.row_id is not None:
            out.setdefault((rows[a.kind], a.row_id), a.act_by)
    return out


def _check(act_by: dt.date | None, ends: dt.date, today: dt.date, extra: str = "") -> str:
    if ends < today:
        return Flagged("ENDED " + format_date(ends))
    if act_by is not None and act_by < today:
        return Flagged("ACT-BY DATE PASSED" + (f"; {extra}" if extra else ""))
    return Flagged(extra) if extra else ""


def expiries_report(session: Session, *, today: dt.date, within_days: int | None = None) -> Report:
    school = get_school(session)
    days = within_days or school.alert_horizon_days
    horizon = today + dt.timedelta(days=days)
    alerts = _alert_act_by(session, today, days)
    rows: list[list[object]] = []
    for f in funding_rows(session):
        if f.end_date is None or f.end_date > horizon or f.status == FundingStatus.ENDED:
            continue
        act_by = alerts.get(("funding", f.id))
        what = FUNDING_SOURCE_LABELS.get(f.source, f.source)
        detail = ", ".join(x for x in (what, f.funder, f.reference) if x)
        extra = ""
        if f.gap_days is not None and f.gap_days > 0:
            extra = (
                "A linked contract has no end date"
                if f.open_ended_contract
                else f"A linked contract runs {f.gap_days} days past it"
            )
        action = "Ask the funder to renew; review the staff it pays"
        rows.append(
            [
                f.end_date,
                "Funding",
                f.pupil_name,
                detail,
                f.amount_per_year,
                act_by,
                action,
                (act_by - today).days if act_by else None,
                _check(act_by, f.end_date, today, extra),
            ]
        )
    for c in contract_rows(session):
        if c.end_date is None or c.end_date > horizon or c.end_date < today - dt.timedelta(30):
            continue
        act_by = alerts.get(("contract", c.id), c.notice_by)
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
        if c.funding_id is not None and c.funding_end is not None and c.funding_end < c.end_date:
            extra = f"Outlives its funding (ends {format_date(c.funding_end)})"
        rows.append(
            [
                c.end_date,
                "Contract",
                c.staff_name,
                detail,
                c.annual_cost,
                act_by,
                "Give notice, extend or make permanent",
                (act_by - today).days if act_by else None,
                _check(act_by, c.end_date, today, extra),
            ]
        )
    rows.sort(key=lambda r: (r[5] or r[0], r[0], str(r[2])))  # type: ignore[return-value, unused-ignore]
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
                    "Act by: the last working day to act (for a contract, to give "
                    "notice before it ends). A year: the funding's amount, or the "
                    "contract's employer cost.",
                ),
            ),
        ),
    )
