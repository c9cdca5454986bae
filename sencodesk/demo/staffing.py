"""A unit's rows for people and money: funding lines, staff hired on their contracts, and
assignments of staff to pupils."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..rules.coverage import not_ended
from ..vocab import ContractKind, FundingStatus
from .data import (
    _JOBS,
    _NAMES,
    _SERVICE,
    _STAFF_MEN,
    _STAFF_WOMEN,
    _TRADITION_KEYS,
    _TRADITION_WEIGHTS,
    PATTERNS,
    _ascii,
    _Job,
)
from .dates import _next_month_start
from .people import _Kid, _Person
from .plan import ONE_DAY, _Row
from .unit_base import _UnitBase


class _Staffing(_UnitBase):
    def fund(
        self,
        kid: _Kid,
        source: str,
        *,
        end: dt.date | None,
        start: dt.date | None = None,
        status: str | None = None,
        amount: Decimal | None = None,
        minutes: int | None | str = "ehcp",
        funder: str | None = None,
        reference: str | None = None,
        reference_suffix: str = "",
    ) -> _Row:
        b, r = self.b, self.r
        la = kid.la or b.home
        if start is None:
            start = _next_month_start(kid.issued) if kid.issued else b.sept1
            if end is not None:  # a line with an end date is this year's
                start = max(start, b.sept1)
        if end is not None and end < start:
            start = end.replace(day=1)
        if minutes == "ehcp":
            minutes = kid.minutes
        if amount is None:
            hours = (kid.minutes or 600) / 60
            amount = Decimal(min(18500, max(6000, round(hours * r.uniform(430, 560) / 10) * 10)))
        if status is None:
            status = (
                FundingStatus.ENDED
                if end is not None and end < self.today
                else FundingStatus.CONFIRMED
            )
        if reference is None:
            code = {"top_up": "TU", "high_needs": "HN", "grant": "GR", "school": "SB"}[source]
            reference = f"{la.code}-{code}-{start.year % 100:02d}{r.randint(1, 9999):04d}"
            reference += reference_suffix
        return self.plan.add(
            "funding",
            {
                "pupil_id": kid.row,
                "source": source,
                "funder": funder or la.council,
                "reference": reference,
                "amount_per_year": amount,
                "weekly_minutes": minutes,
                "start_date": start,
                "end_date": end,
                "status": status,
            },
        )

    def hire(
        self,
        key: str,
        *,
        funding: _Row | None = None,
        end: dt.date | None = None,
        leaving: dt.date | None = None,
        previous: bool = False,
        previous_funding: _Row | None = None,
    ) -> _Person:
        b, r = self.b, self.r
        job = _JOBS[key]
        woman = r.random() < 0.85
        first = r.choice(_STAFF_WOMEN if woman else _STAFF_MEN)
        tradition = r.choices(_TRADITION_KEYS, weights=_TRADITION_WEIGHTS)[0]
        forms = r.choice(_NAMES[tradition][3]).split("/")
        last = forms[-1] if woman else forms[0]
        low, high = _SERVICE.get(key, (0, 0))
        years = r.randint(low, high)
        start = min(b.day_on_or_after(dt.date(b.year - years, 9, 1)), self.today)
        if years == 0 and r.random() < 0.3:  # joined a few weeks into the year
            start = b.random_day(start, min(self.today, start + dt.timedelta(days=40)))
        email = f"{_ascii(first).lower()}.{_ascii(last).lower()}@{b.domain}"
        row = self.plan.add(
            "staff",
            {
                "first_name": first,
                "last_name": last,
                "role": job.role,
                "email": email,
                "phone": f"07700 900{r.randint(0, 999):03d}",
                "start_date": start,
                "leaving_date": leaving,
                "line_manager_id": None if key == "senco" else self.senco.row,
            },
        )
        person = _Person(row, key, first, last, email, start, leaving)
        self.people[key] = person
        self.order.append(person)
        fte = r.choice(["23297", "24223"]) if key == "key_worker" else job.fte
        contract_start = start
        if previous:  # a fixed term last year, before this contract
            self.contract(
                person,
                _JOBS["lsa_b"],
                start=start,
                end=b.sept1 - ONE_DAY,
                funding=previous_funding,
                fte=_JOBS["lsa_b"].fte,
            )
            contract_start = b.sept1
        self.contract(
            person,
            job,
            start=contract_start,
            end=end if job.kind == ContractKind.FIXED_TERM else None,
            funding=funding,
            fte=fte,
        )
        person.contract_start = contract_start
        return person

    def contract(
        self,
        person: _Person,
        job: _Job,
        *,
        start: dt.date,
        end: dt.date | None,
        funding: _Row | None,
        fte: str,
    ) -> None:
        values: dict[str, Any] = {
            "staff_id": person.row,
            "kind": job.kind,
            "job_title": job.title,
            "start_date": start,
            "end_date": end,
            "grade": job.grade,
            "pay_point": job.pay_point,
            "fte_salary": Decimal(fte),
            "term_time": job.term_time,
            "notice_weeks": job.notice_weeks,
            "funding_id": funding,
        }
        if job.paid_weeks is not None:
            values["paid_weeks"] = Decimal(job.paid_weeks)
        self.plan.add("contract", values, days=PATTERNS[job.pattern])

    def assign(
        self,
        person: _Person,
        kid: _Kid,
        minutes: int,
        sessions: int,
        *,
        role: str = "one_to_one",
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> None:
        # Never before the pupil joined or the member of staff was employed (a scenario's date
        # can fall before either, for a new Reception child or a new LSA).
        first = max(person.start, kid.admission)
        start = min(max(start, first) if start else first, self.today)
        if end is not None and end < start:  # the pupil joined after this support ended
            return
        self.plan.add(
            "assignment",
            {
                "staff_id": person.row,
                "pupil_id": kid.row,
                "weekly_minutes": minutes,
                "sessions": sessions,
                "role": role,
                "start_date": start,
                "end_date": end,
            },
        )
        kid.assigned.append((person, start, end))
        if not_ended(end, self.today):
            kid.support.append((person, minutes))
            person.supports.append(kid)
