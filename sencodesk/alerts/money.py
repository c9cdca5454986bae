"""The alerts of funding and contracts: a contract outliving its funding, ends and notice dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..queries.factrows import ContractFact, Facts
from ..rules.coverage import COVER, is_current, not_ended
from ..rules.dates import format_date
from ..rules.pay import format_money
from ..vocab import FundingStatus
from .alert import Alert, AlertKind, _on_staff


def unfunded_alert(facts: Facts, c: ContractFact) -> Alert | None:
    """The headline: a contract outliving its funding, with its dates, days and £."""
    gap, f = c.gap, facts.funding_of(c)
    if gap is None or f is None or c.funding_act_by is None:
        return None
    s = facts.staff[c.staff_id]
    p = facts.pupils.get(f.pupil_id)
    who = p.name if p else "a pupil"
    by = "no end date" if gap.open_ended else f"{gap.days} days"
    return Alert(
        AlertKind.UNFUNDED_CONTRACT,
        "staff",
        c.staff_id,
        s.name,
        f"Contract outlives its funding: {by}, {format_money(gap.cost)}",
        f"{format_money(gap.cost)} unfunded ({gap.method}). Funding for {who} ends "
        f"{format_date(gap.funding_end)}; the contract {gap.how_long}"
        + ("" if gap.open_ended else f" (ends {format_date(c.end_date)})")
        + f". Give {c.notice_weeks} weeks' notice by {format_date(c.funding_act_by)} to end "
        "it with the funding, or find the money",
        due=gap.first_day,
        act_by=c.funding_act_by,
        amount=gap.cost,
        row_id=c.id,
        related=(("funding", f.id), ("pupil", f.pupil_id)),
        days=gap.days,
    )


def _contracts(facts: Facts, today: dt.date, horizon: dt.date = dt.date.max) -> list[Alert]:
    """Contracts ending and contracts outliving their funding, acted on by ``horizon`` (the
    others are not built: they would be dropped)."""
    out: list[Alert] = []
    for c in facts.contracts.values():
        if not not_ended(c.end_date, today) or not _on_staff(facts, c.staff_id, today):
            continue
        name = facts.staff[c.staff_id].name
        if c.end_date is not None and c.notice_by is not None and c.notice_by <= horizon:
            passed = c.notice_by < today
            out.append(
                Alert(
                    AlertKind.CONTRACT_ENDING,
                    "staff",
                    c.staff_id,
                    name,
                    f"Contract ends {format_date(c.end_date)}",
                    f"{c.job_title or 'Contract'}: "
                    + (
                        f"the date to give {c.notice_weeks} weeks' notice "
                        f"({format_date(c.notice_by)}) has passed: renew or extend it now, or "
                        "agree the end with them"
                        if passed
                        else f"renew, or give {c.notice_weeks} weeks' notice by "
                        f"{format_date(c.notice_by)}"
                    ),
                    due=c.end_date,
                    act_by=c.notice_by,
                    row_id=c.id,
                )
            )
        if (
            c.gap is not None
            and c.funding_act_by is not None
            and c.funding_act_by <= horizon
            and c.gap.still_matters(today)
        ):
            a = unfunded_alert(facts, c)
            if a is not None:
                out.append(a)
    return out


def _funding(facts: Facts, today: dt.date, horizon: dt.date = dt.date.max) -> list[Alert]:
    """Funding ending, and funding nobody is assigned to, acted on by ``horizon``."""
    out: list[Alert] = []
    for f in facts.funding.values():
        p = facts.pupils.get(f.pupil_id)
        if p is None or p.archived or f.status == FundingStatus.ENDED:
            continue
        if not not_ended(f.end_date, today):
            continue
        end = f.end_date
        chosen = facts.funding_act_by(f.id)
        if end is not None and chosen is not None and chosen[0] <= horizon:
            act, paid = chosen
            if paid:
                total = sum((c.gap.cost for c in paid if c.gap), Decimal(0))
                # The days and the £ first: the list's Detail column shows its start whole.
                longest = max((c.gap.days for c in paid if c.gap), default=0)
                why = (
                    f"{len(paid)} {'contract runs' if len(paid) == 1 else 'contracts run'} "
                    f"{'' if len(paid) == 1 else 'up to '}"
                    f"{longest} {'day' if longest == 1 else 'days'} past it, "
                    f"{format_money(total)} unfunded if it is not renewed"
                )
            else:
                why = "ask the funder about renewal"
            amount = f"{format_money(f.amount_per_year)} a year" if f.amount_per_year else ""
            out.append(
                Alert(
                    AlertKind.FUNDING_ENDING,
                    "pupil",
                    p.id,
                    p.name,
                    f"Funding ends {format_date(end)}",
                    "; ".join(x for x in (why, f.funder or f.source, f.reference, amount) if x),
                    due=end,
                    act_by=act,
                    amount=f.amount_per_year,
                    row_id=f.id,
                )
            )
        on = max(f.start_date, today)
        if on > horizon:
            continue
        staffed = any(
            s.role != COVER and is_current(s.start, s.end, on)
            for s in facts.slots_by_pupil.get(p.id, ())
        )
        if not staffed:
            out.append(
                Alert(
                    AlertKind.FUNDING_UNSTAFFED,
                    "pupil",
                    p.id,
                    p.name,
                    "Funding with no LSA assigned",
                    f"{f.funder or f.source} from {format_date(f.start_date)}: nobody is assigned",
                    due=on,
                    act_by=on,
                    amount=f.amount_per_year,
                    row_id=f.id,
                )
            )
    return out
