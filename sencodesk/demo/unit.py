"""One unit of SEN provision: about 420 pupils' worth of EHCPs, SEN support, staff, contracts, funding and assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from ..vocab import AssignmentRole, FundingStatus
from .dates import _ALL, _AM, _PM, _next_month_start, _sessions, _weekday_before
from .paperwork import _Paperwork
from .people import REVIEW_STATES, _Kid
from .plan import ONE_DAY
from .reviews import _Reviews
from .staffing import _Staffing

# =========================================================================== one unit

_TIMES = [dt.time(9, 0), dt.time(9, 30), dt.time(13, 30), dt.time(14, 0), dt.time(15, 30)]
_BROAD = ["communication", "cognition", "semh", "sensory_physical"]
_PFA = ["pfa_employment", "pfa_independent_living", "pfa_community", "pfa_health"]


class _Unit(_Staffing, _Paperwork, _Reviews):
    """About 420 pupils' worth of SEN provision: twelve EHCPs, 48 on SEN support, a SENCO, an
    HLTA, a class-based LSA, a key worker and 1:1 LSAs, arranged so that each kind of alert
    has something to show."""

    def build(self) -> None:
        self.senco = self.hire("senco")
        self.hlta = self.hire("hlta")
        self.class_lsa = self.hire("class_lsa")
        states = iter(REVIEW_STATES)
        for kid, scenario in self.e_kids:
            kid.scenario = scenario
            kid.state = self._state_for(kid, scenario, states)
            self._ehcp_dates(kid)
        for kid, scenario in self.e_kids:
            self._scenario(kid, scenario)
            kid.row.values["ehcp_weekly_minutes"] = kid.minutes
        self._sen_support()
        for kid, _scenario in self.e_kids:
            self._ehcp_outcomes(kid)
            self._records(kid)
            self._reviews(kid)
        for kid in self.k_kids:
            self._school_targets(kid)
            self._records(kid)
        self._staff_records()

    # ------------------------------------------------------------------ EHCP dates

    def _state_for(self, kid: _Kid, scenario: str, states: Iterable[str]) -> str:
        if scenario == "no_lsa":
            return "new"
        if scenario == "early":
            return "upcoming" if kid.interval == 6 else "new"
        if scenario == "transfer":
            t = self.today
            if t.month in (9, 10, 11):
                return "upcoming"
            if t.month in (12, 1) or (t.month == 2 and t.day < 15):
                return "awaiting_la"
            return "later"
        return next(iter(states), "later")

    def _ehcp_dates(self, kid: _Kid) -> None:
        """When the plan was issued and the annual reviews held, to fit the kid's state."""
        b, r = self.b, self.r
        step = relativedelta(months=kid.interval)
        old_enough = kid.dob + relativedelta(years=2)
        held: list[dt.date] = []
        if kid.state == "new":
            issued = _weekday_before(b.days_ago(42, 120))
        else:
            if kid.state == "report_overdue":
                last = b.day_on_or_before(b.days_ago(17, 27))
            elif kid.state == "awaiting_la":
                last = b.day_on_or_before(b.days_ago(8, 13))
            else:
                low, high = {
                    "overdue": (-25, -5),
                    "upcoming": (28, 63),
                    "steps_missing": (14, 24),
                    "later": (100, 330),
                }[kid.state]
                if kid.state == "later" and kid.interval < 12:
                    low, high = 50, 150
                due = self.today + dt.timedelta(days=r.randint(low, high))
                last = b.day_on_or_before(due - step)
            held = [last]
            for _ in range(r.randint(0, 2)):
                previous = b.day_on_or_before(held[0] - step)
                if previous - step - dt.timedelta(days=30) < old_enough:
                    break
                held.insert(0, previous)
            issued = _weekday_before(held[0] - step - dt.timedelta(days=r.randint(0, 25)))
            if issued < old_enough:  # too young for a review yet: this is the first plan
                issued, held = _weekday_before(held[-1]), []
                kid.state = "new" if kid.state in ("report_overdue", "awaiting_la") else (kid.state)
        kid.issued, kid.held = issued, held
        kid.row.values.update({"ehcp_issued": issued, "ehcp_last_review": kid.last_review})

    # ------------------------------------------------------------------ scenarios

    def _scenario(self, kid: _Kid, scenario: str) -> None:
        b, r = self.b, self.r
        need_for = {"hlta_sensory": ["HI", "HI", "VI"], "early": ["ASD", "ASD", "SLCN", "PD"]}
        if scenario in need_for:
            kid.need = r.choice(need_for[scenario])
            kid.row.values["primary_need"] = kid.need
            if kid.row.values.get("secondary_need") == kid.need:
                kid.row.values["secondary_need"] = None
            b._flags(kid, True)
        if scenario == "hlta_sensory":
            kid.la = b.las[1]
            kid.row.values["ehcp_la_id"] = kid.la.row
        if scenario == "covered_perm":
            kid.minutes = 1950
            f = self.fund(kid, "top_up", end=None)
            self.assign(self.hire("lsa_a", funding=f), kid, 1950, _ALL)
        elif scenario == "outlives_a":  # fixed term runs months past the top-up
            kid.minutes = 1650
            months = r.randint(1, 2)
            f = self.fund(kid, "top_up", end=b.months_ahead(months))
            last_year = None
            if kid.issued is not None and kid.issued < b.sept1 - dt.timedelta(days=60):
                last_year = self.fund(
                    kid,
                    "top_up",
                    end=b.sept1 - ONE_DAY,
                    start=max(_next_month_start(kid.issued), dt.date(b.year - 1, 9, 1)),
                )
            s = self.hire(
                "lsa_b",
                funding=f,
                end=b.months_ahead(months + r.randint(3, 9)),
                previous=True,
                previous_funding=last_year,
            )
            self.assign(s, kid, 1650, _ALL)
        elif scenario == "outlives_b":
            kid.minutes = 1200
            months = r.randint(1, 3)
            f = self.fund(kid, "high_needs", end=b.months_ahead(months))
            s = self.hire("lsa_c", funding=f, end=b.months_ahead(months + r.randint(2, 6)))
            self.assign(s, kid, 1200, _AM)
        elif scenario == "outlives_c":
            kid.minutes = 1950
            f = self.fund(kid, "top_up", end=b.months_ahead(r.randint(2, 4)))
            s = self.hire("lsa_e", funding=f, end=b.months_ahead(r.randint(10, 14)))
            self.assign(s, kid, 1950, _ALL)
        elif scenario == "overassign_main":
            kid.minutes = 900
            f = self.fund(kid, "top_up", end=None)
            s = self.hire("lsa_d", funding=f, end=b.months_ahead(r.randint(9, 12)))
            self.assign(s, kid, 900, _AM)
        elif scenario == "overassign_short":  # their LSA left; the mornings-only LSA covers
            kid.minutes = 1500
            end = (
                b.aug31
                if b.aug31 >= self.today + dt.timedelta(days=60)
                else (b.months_ahead(r.randint(6, 10)))
            )
            f = self.fund(kid, "top_up", end=end)
            left = _weekday_before(b.days_ago(35, 70))
            gone = self.hire("leaver", funding=f, end=left, leaving=left)
            self.assign(gone, kid, 1500, _ALL, end=left)
            d = self.people.get("lsa_d") or self.hire("lsa_d", end=b.months_ahead(r.randint(9, 12)))
            self.assign(
                d,
                kid,
                600,
                _sessions((0, True), (1, True), (2, True), (3, True)),
                start=left + ONE_DAY,
            )
        elif scenario == "no_lsa":  # a new EHCP: the top-up has started, nobody is assigned
            kid.minutes = 1200
            self.fund(kid, "top_up", end=None)
        elif scenario == "keyworker_pending":
            kid.minutes = 1200
            f = self.fund(kid, "top_up", end=None)
            self.fund(
                kid,
                "top_up",
                end=None,
                start=_next_month_start(self.today),
                status=FundingStatus.PENDING,
                amount=Decimal(r.choice([1800, 2400, 3100, 3600])),
                minutes=300,
                reference_suffix="-INC",
            )
            self.assign(self.hire("key_worker", funding=f), kid, 1200, _ALL)
        elif scenario == "ends_together":
            kid.minutes = 1500
            end = b.months_ahead(2)
            f = self.fund(kid, "top_up", end=end)
            self.assign(self.hire("lsa_f", funding=f, end=end), kid, 1500, _ALL)
        elif scenario == "hlta_sensory":
            kid.minutes = 600
            self.fund(kid, "high_needs", end=b.months_ahead(r.randint(8, 11)))
            self.assign(
                self.hlta, kid, 600, _sessions((1, False), (1, True), (3, False), (3, True))
            )
        elif scenario == "early":
            kid.minutes = 900
            first_half = b.terms[b.year][0][1]
            self.fund(
                kid,
                "grant",
                end=first_half,
                start=b.sept1,
                funder=f"{(kid.la or b.home).council} SEN Inclusion Fund",
                amount=Decimal(r.choice([1500, 2000, 2500])),
                minutes=None,
            )
            end = (
                b.aug31
                if b.aug31 >= self.today + dt.timedelta(days=60)
                else (b.months_ahead(r.randint(6, 9)))
            )
            self.fund(kid, "top_up", end=end)
            self.assign(self.class_lsa, kid, 600, _AM, role=AssignmentRole.SHARED)
            self.assign(self.hlta, kid, 300, _sessions((0, True), (2, True)), role=AssignmentRole.SHARED)
        elif scenario == "transfer":
            kid.minutes = 1500
            f = self.fund(kid, "top_up", end=None)
            self.assign(self.hire("lsa_g", funding=f, previous=True), kid, 1500, _ALL)

    def _sen_support(self) -> None:
        r, ks = self.r, self.k_kids
        for kid in ks[:6]:
            days = r.sample(range(5), 2)
            self.assign(
                self.hlta,
                kid,
                r.choice([60, 90, 90, 120]),
                _sessions(*((d, True) for d in days)),
                role=AssignmentRole.SHARED,
            )
        for kid in ks[6:14]:
            days = r.sample(range(5), 3)
            self.assign(
                self.class_lsa,
                kid,
                r.choice([60, 90, 120, 150]),
                _sessions(*((d, False) for d in days)),
                role=AssignmentRole.SHARED,
            )
        key_worker = self.people.get("key_worker")
        if key_worker is not None and len(ks) > 14:
            self.assign(key_worker, ks[14], 300, _PM, role=AssignmentRole.SHARED)
        lsa_g = self.people.get("lsa_g")
        if lsa_g is not None and len(ks) > 15:
            self.assign(
                lsa_g, ks[15], 300, _sessions((0, True), (1, True), (2, True)), role=AssignmentRole.SHARED
            )
        if ks:
            self.fund(
                ks[0],
                "school",
                end=None,
                start=self.b.sept1,
                amount=Decimal(r.choice([2500, 3000, 3600, 4200])),
                minutes=None,
                funder="School budget (notional SEN)",
                reference="",
            )
