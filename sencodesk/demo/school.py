"""The school: settings, pupils, classes and the SEN register, drawn from one random source."""

from __future__ import annotations

import datetime as dt
import math
import random
from bisect import bisect_left, bisect_right
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from ..rules import upn as upn_rules
from ..rules.pay import TERM_TIME_PAID_WEEKS
from ..rules.reviews import suggested_interval_months
from ..rules.schoolyear import academic_year_of, bank_holidays, year_group
from ..vocab import SenCode
from .data import (
    _AREAS,
    _ENGLISH_NAMES,
    _MEDICAL,
    _NAMES,
    _NEEDS_E,
    _NEEDS_K,
    _OTHER_LA_CODES,
    _PREFERRED,
    _PRIMARY_NAMES,
    _RARE,
    _TRADITION_KEYS,
    _TRADITION_WEIGHTS,
    _TRUST_NAMES,
    _ascii,
    _pick_need,
)
from .dates import _month_end, _weekday_before, _weighted_sample, english_term_dates
from .people import SCENARIOS, _Kid, _La
from .plan import DEFAULT_PUPILS, E_PER_420, K_PER_420, LARGE_FROM, ONE_DAY, PUPILS_PER_CLASS, _Plan


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date, pupils: int) -> None:
        self.rng = rng
        self.today = today
        self.n = pupils
        self.large = pupils > LARGE_FROM
        self.years = list(range(0, 12 if self.large else 7))  # Reception = 0
        self.year = academic_year_of(today)
        self.sept1 = dt.date(self.year, 9, 1)
        self.aug31 = dt.date(self.year + 1, 8, 31)
        self.plan = _Plan()
        first = self.year - max(self.years) - 1
        self.terms = {y: english_term_dates(y) for y in range(first, self.year + 2)}
        closed = bank_holidays(range(first, self.year + 3))
        days: list[dt.date] = []
        for y in sorted(self.terms):
            for start, end in self.terms[y]:
                d = start
                while d <= end:
                    if d.weekday() < 5 and d not in closed:
                        days.append(d)
                    d += ONE_DAY
        self.school_days = days
        window = today - dt.timedelta(days=98)
        self.recent_days = [d for d in days if window < d <= today]
        self._serials: dict[tuple[str, int, int], int] = {}
        self._teachers: dict[str, str] = {}
        self.school_name = ""
        self.default_paid_weeks = TERM_TIME_PAID_WEEKS

    # ------------------------------------------------------------------ dates

    def day_on_or_before(self, d: dt.date) -> dt.date:
        i = bisect_right(self.school_days, d) - 1
        return self.school_days[i] if i >= 0 else _weekday_before(d)

    def day_on_or_after(self, d: dt.date) -> dt.date:
        i = bisect_left(self.school_days, d)
        return self.school_days[i] if i < len(self.school_days) else _weekday_before(d)

    def months_ahead(self, months: int) -> dt.date:
        """The last day of the month ``months`` after today's."""
        return _month_end(self.today + relativedelta(months=months))

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def random_day(self, start: dt.date, end: dt.date) -> dt.date:
        """A school day in [start, end], or ``start`` if there is none."""
        lo, hi = bisect_left(self.school_days, start), bisect_right(self.school_days, end)
        return self.school_days[self.rng.randrange(lo, hi)] if hi > lo else start

    # ------------------------------------------------------------------ the whole plan

    def units(self) -> list[tuple[list[tuple[_Kid, str]], list[_Kid]]]:
        """The school's settings and pupils into the plan; then each unit's children (those
        with an EHCP, with their scenario; those on SEN support), for a ``_Unit`` to build."""
        self._settings()
        kids = self._pupils()
        e_units, k_units = self._register(kids)
        self._arrivals(kids)
        return list(zip(e_units, k_units, strict=True))

    def _settings(self) -> None:
        r = self.rng
        area = r.choice(_AREAS)
        self.las = [
            _La(
                self.plan.add(
                    "local_authority",
                    {
                        "name": name,
                        "code": code,
                        "advice_request_weeks": advice,
                        "invitations_weeks": invitations,
                        "papers_weeks": 2,
                        "report_weeks": 2,
                        "la_decision_weeks": 4,
                    },
                ),
                name,
                code,
                council,
                advice,
                invitations,
            )
            for name, code, council, advice, invitations in area
        ]
        self.home = self.las[0]
        self.school_name = r.choice(_TRUST_NAMES if self.large else _PRIMARY_NAMES)
        words = [
            w
            for w in self.school_name.split()
            if w
            not in (
                "School",
                "Academy",
                "Trust",
                "Primary",
                "Community",
                "Church",
                "of",
                "England",
                "Catholic",
                "Learning",
                "Schools",
                "St",
                "Academies",
            )
        ]
        self.domain = _ascii("".join(words)).lower() + ".example"
        n_ests = max(1, round(self.n / DEFAULT_PUPILS))
        self.establishments = r.sample(range(2001, 4999), n_ests)
        self.plan.add(
            "school",
            {
                "name": self.school_name,
                "la_id": self.home.row,
                "dfe_number": f"{self.home.code}/{self.establishments[0]}",
                "phase": "all_through" if self.large else "primary",
                "transfer_years": "11" if self.large else "6",
                "default_paid_weeks": self.default_paid_weeks,
                "on_cost_percent": Decimal("29.50"),
                "alert_horizon_days": 120,
                "expiry_warning_days": 60,
            },
        )
        for y in (self.year, self.year + 1):
            self.plan.add("term_date", {"academic_year": y, "half_terms": self.terms[y]})

    # ------------------------------------------------------------------ pupils

    def _child_name(self, girl: bool) -> tuple[str, str, str, str, str]:
        """(first, surname, mother's surname, father's surname, tradition)."""
        r = self.rng
        tradition = r.choices(_TRADITION_KEYS, weights=_TRADITION_WEIGHTS)[0]
        _w, girls, boys, surnames = _NAMES[tradition]
        first_from = tradition
        if r.random() < 0.06:  # a family mixing naming traditions
            first_from = r.choices(_TRADITION_KEYS, weights=_TRADITION_WEIGHTS)[0]
            _w, girls, boys, _s = _NAMES[first_from]
        first = r.choice(girls if girl else boys)
        forms = r.choice(surnames).split("/")
        last = forms[-1] if girl else forms[0]
        mother, father = forms[-1], forms[0]
        if r.random() < 0.03:  # a double-barrelled surname
            other = r.choice(_NAMES["british"][3])
            last, mother, father = f"{other}-{last}", f"{other}-{mother}", f"{other}-{father}"
        return first, last, mother, father, first_from

    def _preferred(self, first: str, girl: bool, tradition: str) -> str:
        r = self.rng
        if first in _PREFERRED and r.random() < 0.5:
            return _PREFERRED[first]
        if tradition == "chinese" and r.random() < 0.35:
            return r.choice(_ENGLISH_NAMES[0 if girl else 1])
        return ""

    def _upn(self, establishment: int, yy: int) -> str:
        r = self.rng
        if r.random() < 0.15:  # allocated by the school the child came from
            la, est = r.choice(_OTHER_LA_CODES), r.randint(2001, 3999)
        else:
            la, est = self.home.code, establishment
        key = (la, est, yy)
        serial = self._serials.get(key, r.randint(0, 30)) + r.randint(1, 3)
        self._serials[key] = serial
        body = f"{la}{est:04d}{yy:02d}{serial:03d}"
        return upn_rules.check_letter(body) + body

    def _pupils(self) -> list[_Kid]:
        r = self.rng
        base, extra = divmod(self.n, len(self.years))
        kids: list[_Kid] = []
        for index, y in enumerate(self.years):
            count = base + (1 if index < extra else 0)
            born = self.year - y - 5  # the academic year of birth
            first_day = dt.date(born, 9, 1)
            span = (dt.date(born + 1, 9, 1) - first_day).days
            classes = max(1, math.ceil(count / PUPILS_PER_CLASS))
            prefix = "R" if y == 0 else str(y)
            if classes <= 8:
                forms = sorted(r.sample("ABCDEFGHJKLMNPRSTW", classes))
            else:
                forms = [
                    f"{chr(65 + i % 26)}{i // 26 + 1 if i >= 26 else ''}" for i in range(classes)
                ]
            entry = self.year - y
            start = min(self.day_on_or_after(dt.date(entry, 9, 1)), self.today)
            for i in range(count):
                dob = first_day + dt.timedelta(days=r.randrange(span))
                girl = r.random() < 0.49
                first, last, mother, father, tradition = self._child_name(girl)
                form = i % classes
                admission = start
                if r.random() < 0.1:  # joined part-way through
                    admission = self.random_day(start, self.today)
                est = self.establishments[form % len(self.establishments)]
                values: dict[str, Any] = {
                    "legal_first_name": first,
                    "legal_last_name": last,
                    "preferred_name": self._preferred(first, girl, tradition),
                    "date_of_birth": dob,
                    "upn": self._upn(est, entry % 100),
                    "class_name": f"{prefix}{forms[form]}",
                    "sen_code": SenCode.NONE,
                    "admission_date": admission,
                }
                row = self.plan.add("pupil", values)
                kid = _Kid(
                    row,
                    first,
                    last,
                    mother,
                    father,
                    values["preferred_name"],
                    dob,
                    y,
                    admission,
                    values["class_name"],
                )
                assert year_group(dob, self.today) == y
                if r.random() < 0.02:
                    kid.medical = r.choice(["asthma", "asthma", "allergy"])
                    values["medical_needs"] = _MEDICAL[kid.medical]
                kids.append(kid)
        return kids

    def _arrivals(self, kids: list[_Kid]) -> None:
        """A few pupils who joined in the last fortnight: no UPN yet, or a temporary one."""
        r = self.rng
        pool = [k for k in kids if k.sen == SenCode.NONE and not k.medical]
        n_none = min(100, max(2, round(self.n * 0.004)))
        n_temp = min(50, max(1, round(self.n * 0.002)))
        chosen = r.sample(pool, n_none + n_temp)
        recent = self.recent_days[-10:] or [self.today]
        for i, kid in enumerate(chosen):
            kid.admission = min(r.choice(recent), self.today)
            kid.row.values["admission_date"] = kid.admission
            if i < n_none:
                kid.row.values["upn"] = None
            else:
                est = self.establishments[0]
                body = (
                    f"{self.home.code}{est:04d}{self.year % 100:02d}{i - n_none:02d}"
                    f"{r.choice(upn_rules.LETTERS)}"
                )
                kid.row.values["upn"] = upn_rules.check_letter(body) + body

    def _register(self, kids: list[_Kid]) -> tuple[list[list[tuple[_Kid, str]]], list[list[_Kid]]]:
        """Choose the EHCP and SEN support pupils; hand out the EHCPs in units of twelve."""
        r = self.rng
        # A small demo still gets enough EHCPs to show each kind of alert.
        n_e = max(round(self.n * E_PER_420 / DEFAULT_PUPILS), min(7, self.n // 8))
        n_k = round(self.n * K_PER_420 / DEFAULT_PUPILS)
        units = math.ceil(n_e / 12)
        reception = sorted(
            (k for k in kids if k.year == 0),
            key=lambda k: (k.dob, k.row.values["legal_last_name"]),
            reverse=True,
        )
        youngest = reception[: max(units, len(reception) // 3)]
        early = r.sample(youngest, min(units, len(youngest)))
        tops = [k for k in kids if k.year == max(self.years)]
        leaving = r.sample(tops, min(units, len(tops)))
        taken = {id(k) for k in early + leaving}
        rest_pool = [k for k in kids if id(k) not in taken]
        weight = {0: 0.5, 1: 0.8}
        rest = _weighted_sample(
            r,
            rest_pool,
            [weight.get(k.year, 1.0) for k in rest_pool],
            n_e - len(early) - len(leaving),
        )
        taken |= {id(k) for k in rest}
        e_units: list[list[tuple[_Kid, str]]] = []
        for u in range(units):
            unit: list[tuple[_Kid, str]] = []
            if u < len(early):
                unit.append((early[u], "early"))
            if u < len(leaving):
                unit.append((leaving[u], "transfer"))
            unit += [(k, SCENARIOS[i]) for i, k in enumerate(rest[u::units])]
            e_units.append(unit)
        for unit in e_units:
            for kid, _scenario in unit:
                self._make_ehcp(kid)
        k_pool = [k for k in kids if id(k) not in taken]
        k_kids = _weighted_sample(r, k_pool, [weight.get(k.year, 1.0) for k in k_pool], n_k)
        for kid in k_kids:
            self._make_sen_support(kid)
        return e_units, [k_kids[u::units] for u in range(units)]

    def _flags(self, kid: _Kid, ehcp: bool) -> None:
        r = self.rng
        need = kid.need or ""
        medical_p = {"PD": 0.7, "PMLD": 0.9, "SLD": 0.35, "MSI": 0.3}.get(
            need, 0.08 if ehcp else 0.05
        )
        if not kid.medical and r.random() < medical_p:
            choices = {
                "PD": ["cp", "cp", "epilepsy", "gastrostomy"],
                "PMLD": ["gastrostomy", "epilepsy"],
                "SLD": ["epilepsy", "diabetes"],
            }.get(need, ["asthma", "allergy", "diabetes", "epilepsy"])
            kid.medical = r.choice(choices)
        care_p = {"PMLD": 1.0, "PD": 0.6, "SLD": 0.7, "MSI": 0.5}.get(
            need, 0.3 if need == "ASD" and kid.year <= 1 else 0.04 if ehcp else 0.0
        )
        kid.personal_care = r.random() < care_p
        plan_p = {"SEMH": 0.8 if ehcp else 0.3, "ASD": 0.4 if ehcp else 0.1}.get(need, 0.0)
        kid.behaviour_plan = r.random() < plan_p
        values = kid.row.values
        values["medical_needs"] = _MEDICAL[kid.medical] if kid.medical else ""
        values["personal_care"] = kid.personal_care
        values["behaviour_plan"] = kid.behaviour_plan

    def _make_ehcp(self, kid: _Kid) -> None:
        r = self.rng
        kid.sen = SenCode.EHCP
        kid.need = _pick_need(r, _NEEDS_E)
        kid.la = self.home if r.random() < 0.85 else r.choice(self.las[1:])
        kid.interval = suggested_interval_months(kid.dob, self.today)
        values = kid.row.values
        values.update(
            {
                "sen_code": SenCode.EHCP,
                "primary_need": kid.need,
                "ehcp_la_id": kid.la.row,
                "review_interval_months": kid.interval,
            }
        )
        if r.random() < 0.4:
            values["secondary_need"] = _pick_need(r, _NEEDS_E, exclude=(kid.need, *_RARE))
        self._flags(kid, True)

    def _make_sen_support(self, kid: _Kid) -> None:
        r = self.rng
        kid.sen = SenCode.SEN_SUPPORT
        kid.need = _pick_need(r, _NEEDS_K)
        values = kid.row.values
        values.update({"sen_code": SenCode.SEN_SUPPORT, "primary_need": kid.need})
        if r.random() < 0.25:
            values["secondary_need"] = _pick_need(r, _NEEDS_K, exclude=(kid.need, *_RARE))
        self._flags(kid, False)

    def teacher_of(self, class_name: str) -> str:
        if class_name not in self._teachers:
            r = self.rng
            title = r.choice(["Mrs", "Miss", "Ms", "Mr"])
            tradition = r.choices(_TRADITION_KEYS, weights=_TRADITION_WEIGHTS)[0]
            surname = r.choice(_NAMES[tradition][3]).split("/")[-1 if title != "Mr" else 0]
            self._teachers[class_name] = f"{title} {surname}"
        return self._teachers[class_name]
