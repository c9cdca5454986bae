"""A unit's reviews and its staff's qualifications, training and DBS checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta

from .. import vocab
from ..vocab import DbsLevel, ReviewOutcome, TrainingKind
from .data import (
    _CASEWORKERS,
    _JOBS,
    _PLACES,
    _PROFESSIONALS,
    _QUALIFICATIONS,
    _REVIEW_NOTES_HELD,
    _SECONDARY,
    _THERAPISTS,
    _TRAINING_YEARS,
    _ascii,
)
from .dates import _weekday_before
from .people import _Kid, _Person
from .unit_base import _TIMES, _UnitBase


class _Reviews(_UnitBase):
    def _reviews(self, kid: _Kid) -> None:
        b, r = self.b, self.r
        for i, day in enumerate(kid.held):
            mode = "complete"
            if i == len(kid.held) - 1 and kid.state in ("report_overdue", "awaiting_la"):
                mode = kid.state
            self.meeting(kid, day, mode, last=i == len(kid.held) - 1)
        if kid.state in ("upcoming", "steps_missing"):
            base = kid.last_review or kid.issued
            assert base is not None
            due = base + relativedelta(months=kid.interval)
            if kid.state == "upcoming":
                day = b.day_on_or_before(due - dt.timedelta(days=r.randint(3, 12)))
                earliest = self.today + dt.timedelta(days=7)
            else:
                day = b.day_on_or_before(due - dt.timedelta(days=r.randint(0, 3)))
                earliest = self.today + dt.timedelta(days=8)
            if day < earliest:
                day = b.day_on_or_after(earliest)
            self.meeting(
                kid, day, "booked" if kid.state == "upcoming" else "steps_missing", last=True
            )
        if kid.behaviour_plan and kid.state == "later" and kid.last_review is not None:
            day = b.day_on_or_before(b.days_ago(30, 80))
            if day > kid.last_review + dt.timedelta(days=30):
                self.meeting(kid, day, "interim", last=False)

    def meeting(self, kid: _Kid, day: dt.date, mode: str, *, last: bool) -> None:
        r, today = self.r, self.today
        la = kid.la or self.b.home
        values: dict[str, Any] = {
            "pupil_id": kid.row,
            "kind": "interim" if mode == "interim" else "annual",
            "meeting_at": dt.datetime.combine(day, r.choice(_TIMES)),
            "place": r.choice(_PLACES),
        }
        weeks = {
            "advice_requested_on": la.advice_weeks,
            "invitations_sent_on": la.invitation_weeks,
            "papers_circulated_on": 2,
        }
        slack = {"advice_requested_on": 7, "invitations_sent_on": 5, "papers_circulated_on": 3}
        secondary = r.choice(_SECONDARY)
        if mode in ("booked", "steps_missing"):
            for name, w in weeks.items():
                deadline = day - dt.timedelta(weeks=w)
                if deadline > today or (mode == "steps_missing" and name == "advice_requested_on"):
                    continue
                values[name] = min(
                    _weekday_before(deadline - dt.timedelta(days=r.randint(0, slack[name]))), today
                )
            values["notes"] = (
                "Meeting booked; the requests for advice have not gone out yet."
                if mode == "steps_missing"
                else "Meeting booked. Advice requested from the EP and therapists; pupil views to "
                "be gathered with the LSA."
            )
        else:
            for name, w in weeks.items():
                values[name] = _weekday_before(
                    day - dt.timedelta(weeks=w, days=r.randint(0, slack[name]))
                )
            values["held_on"] = day
            if mode in ("complete", "interim"):
                report = _weekday_before(day + dt.timedelta(days=r.randint(5, 13)))
                decision = _weekday_before(day + dt.timedelta(days=r.randint(15, 27)))
                outcome = "amend" if r.random() < 0.3 else "maintain"
                if decision <= today:
                    values.update(
                        report_sent_on=min(report, today), la_decision_on=decision, outcome=outcome
                    )
                if mode == "interim":
                    values["notes"] = (
                        "Interim review after more incidents: behaviour plan "
                        "updated; refresher de-escalation training for the LSA."
                    )
                else:
                    values["notes"] = _REVIEW_NOTES_HELD[
                        2 if outcome == ReviewOutcome.AMEND else r.randint(0, 1)
                    ]
            else:
                if mode == "awaiting_la":
                    values["report_sent_on"] = min(
                        _weekday_before(day + dt.timedelta(days=r.randint(2, 6))), today
                    )
                values["notes"] = (
                    "Annual review held; outcomes reviewed with parents. The "
                    "school's report to the LA is due within two weeks."
                )
        if kid.scenario == "transfer" and last:
            values["notes"] = (
                f"Phase transfer review (Year {kid.year}): parents' first "
                f"preference is {secondary}. The amended plan must be issued "
                f"by 15 February. " + values.get("notes", "")
            )
        self.plan.add("review_meeting", values, invitees=self._invitees(kid))

    def _invitees(self, kid: _Kid) -> list[dict[str, str]]:
        r = self.r
        la = kid.la or self.b.home
        people = [{"name": f"Mrs {kid.mother_last}", "role": "Parent/carer", "email": ""}]
        if r.random() < 0.5:
            people.append({"name": f"Mr {kid.father_last}", "role": "Parent/carer", "email": ""})
        people.append(
            {"name": self.b.teacher_of(kid.class_name), "role": "Class teacher", "email": ""}
        )
        for person, _minutes in kid.support[:2]:
            people.append(
                {
                    "name": person.name,
                    "role": vocab.STAFF_ROLE_LABELS[vocab.StaffRole(_JOBS[person.key].role)],
                    "email": person.email,
                }
            )
        people.append({"name": self.senco.name, "role": "SENCO", "email": self.senco.email})
        people.append(
            {"name": r.choice(_PROFESSIONALS), "role": "Educational psychologist", "email": ""}
        )
        therapist = {
            "SLCN": "Speech and language therapist",
            "ASD": "Speech and language therapist",
            "PD": "Physiotherapist",
            "SLD": "Occupational therapist",
            "PMLD": "Occupational therapist",
            "HI": "Qualified teacher of the deaf",
            "VI": "Qualified teacher of children with vision impairment",
        }.get(kid.need or "")
        if therapist:
            people.append({"name": r.choice(_THERAPISTS), "role": therapist, "email": ""})
        people.append(
            {
                "name": r.choice(_CASEWORKERS),
                "role": f"SEN caseworker, {la.name}",
                "email": f"sen.casework@{_ascii(la.name).lower()}.example",
            }
        )
        return people

    # ------------------------------------------------------------------ staff records

    def _staff_records(self) -> None:
        r = self.r
        current = [p for p in self.order if p.leaving is None and p.key != "senco"]
        forced = r.sample(current, min(4, len(current))) + [None] * 4
        expired_safeguarding, first_aid_due, dbs_overdue, dbs_due = forced[:4]
        for p in self.order:
            self._qualifications(p)
            self._training(p, expired=p is expired_safeguarding, expiring=p is first_aid_due)
            self._dbs(p, overdue=p is dbs_overdue, due=p is dbs_due)

    def _qualifications(self, p: _Person) -> None:
        r = self.r
        items: Sequence[tuple[str, str]]
        if p.key in ("senco", "hlta"):
            items = _QUALIFICATIONS[p.key]
        else:
            items = r.sample(_QUALIFICATIONS["lsa"], r.randint(1, 3))
        for kind, level in items:
            self.plan.add(
                "qualification",
                {
                    "staff_id": p.row,
                    "kind": kind,
                    "level": level,
                    "awarded": _weekday_before(p.start - dt.timedelta(days=r.randint(60, 2500))),
                },
            )

    def _training(self, p: _Person, *, expired: bool, expiring: bool) -> None:
        r, today = self.r, self.today
        first_aid = (
            "paediatric_first_aid"
            if p.key in ("class_lsa", "key_worker") or any(k.year == 0 for k in p.supports)
            else "first_aid"
        )
        kinds = ["safeguarding", first_aid]
        if p.key in ("senco", "hlta") or any(k.behaviour_plan for k in p.supports):
            kinds.append("deescalation")
        if any(k.medical for k in p.supports):
            kinds.append("medication")
        if any(k.personal_care or k.need in ("PD", "PMLD") for k in p.supports):
            kinds.append("manual_handling")
        for kind in kinds:
            years = _TRAINING_YEARS[kind]
            if kind == TrainingKind.SAFEGUARDING and expired:
                completed = self.b.days_ago(370, 420)
            elif kind == first_aid and expiring:
                completed = (
                    today + dt.timedelta(days=r.randint(15, 50)) - relativedelta(years=years)
                )
            else:
                completed = today - dt.timedelta(days=r.randint(20, 365 * years - 25))
                if completed < p.start <= today:
                    completed = p.start
            completed = _weekday_before(completed)
            self.plan.add(
                "training",
                {
                    "staff_id": p.row,
                    "kind": kind,
                    "completed": completed,
                    "expires": completed + relativedelta(years=years),
                },
            )
            older = _weekday_before(completed - relativedelta(years=years))
            if kind == TrainingKind.SAFEGUARDING and older >= p.start:  # last year's, now superseded
                self.plan.add(
                    "training",
                    {
                        "staff_id": p.row,
                        "kind": kind,
                        "completed": older,
                        "expires": older + relativedelta(years=years),
                    },
                )
        if r.random() < 0.3:
            self.plan.add(
                "training",
                {
                    "staff_id": p.row,
                    "kind": TrainingKind.OTHER,
                    "completed": _weekday_before(self.b.days_ago(30, 900)),
                    "expires": None,
                },
            )

    def _dbs(self, p: _Person, *, overdue: bool, due: bool) -> None:
        r, today = self.r, self.today
        three = relativedelta(years=3)
        if overdue or due:
            renew = today + dt.timedelta(days=-r.randint(5, 40) if overdue else r.randint(10, 50))
            checks = [(_weekday_before(renew - three), False)]
        else:
            update_service = r.random() < 0.35
            issued = _weekday_before(p.start - dt.timedelta(days=r.randint(14, 60)))
            checks = [(issued, update_service)]
            while not update_service and issued + three <= today:  # renewed on policy
                issued = _weekday_before(issued + three - dt.timedelta(days=r.randint(0, 30)))
                checks.append((issued, False))
        for issued, update_service in checks:
            self.plan.add(
                "dbs_check",
                {
                    "staff_id": p.row,
                    "level": DbsLevel.ENHANCED_BARRED,
                    "certificate_number": "00" + "".join(r.choice("0123456789") for _ in range(10)),
                    "issued": issued,
                    "update_service": update_service,
                    "renew_by": None if update_service else issued + three,
                },
            )
