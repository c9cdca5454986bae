"""A unit's paperwork: outcomes with their history, and the records LSAs keep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from ..vocab import Area, SenCode
from .data import (
    _AREAS_FOR_NEED,
    _FIRST_AID,
    _HI_VI_OUTCOME,
    _INCIDENTS,
    _MEDICAL_RECORDS,
    _OBSERVATIONS,
    _OUTCOMES,
    _PARENT,
    _PERSONAL_CARE,
    _PROGRESS_WORDS,
    _SCHOOL_TARGETS,
    _SUBJECTS,
    _SUPPORT,
)
from .people import _STATUS_NOTES, _STATUS_ORDER, _Kid, _Person
from .plan import _Change, _Row
from .unit_base import _BROAD, _PFA, _UnitBase


def _works_on(person: _Person, day: dt.date) -> bool:
    return person.start <= day and (person.leaving is None or day <= person.leaving)


class _Paperwork(_UnitBase):
    def _history(self, set_on: dt.date, first_note: str, most: int = 4) -> list[_Change]:
        b, r = self.b, self.r
        changes = [_Change(set_on, "not_started", first_note)]
        target = min(most, r.choices([0, 1, 2, 3, 4], weights=[2, 3, 4, 3, 1])[0])
        d, level = set_on, 0
        while level < target:
            d = b.day_on_or_before(d + dt.timedelta(days=r.randint(35, 80)))
            if d > self.today or d <= changes[-1].on:
                break
            level += 1
            status = _STATUS_ORDER[level]
            changes.append(_Change(d, status, _STATUS_NOTES[status]))
        return changes

    def outcome(
        self,
        kid: _Kid,
        source: str,
        area: str,
        text: str,
        criteria: str,
        set_on: dt.date,
        history: list[_Change],
        *,
        current: bool = True,
    ) -> None:
        year = "Reception" if kid.year == 0 else f"Year {kid.year}"
        row = self.plan.add(
            "outcome",
            {
                "pupil_id": kid.row,
                "source": source,
                "area": area,
                "text": text.format(n=kid.name, y=year),
                "success_criteria": criteria,
                "set_date": set_on,
                "target_date": set_on + relativedelta(months=12),
            },
            history=history,
        )
        if current:
            kid.outcomes.append((row, area, set_on))

    def _ehcp_outcomes(self, kid: _Kid) -> None:
        b, r = self.b, self.r
        set_on = kid.last_review or kid.issued
        assert set_on is not None
        secondary = kid.row.values.get("secondary_need")
        areas = list(
            dict.fromkeys(
                _AREAS_FOR_NEED[kid.need or "OTH"]
                + (_AREAS_FOR_NEED[secondary] if secondary else ())
            )
        )
        for extra in r.sample(_BROAD, len(_BROAD)):
            if len(areas) >= 3:
                break
            if extra not in areas:
                areas.append(extra)
        used: set[str] = set()
        note = "Set at the annual review." if kid.held else "Set when the EHCP was issued."
        for i in range(r.randint(4, 6)):
            area = areas[i % len(areas)]
            options = [t for t in _OUTCOMES[area] if t[0] not in used]
            special = _HI_VI_OUTCOME.get(kid.need or "")
            if area == Area.SENSORY_PHYSICAL and special and special[0] not in used:
                options = [special]
            text, criteria = r.choice(options)
            used.add(text)
            self.outcome(kid, "ehcp", area, text, criteria, set_on, self._history(set_on, note))
        if b.large and kid.year >= 9:
            area = r.choice(_PFA)
            text, criteria = _OUTCOMES[area][0]
            self.outcome(kid, "ehcp", area, text, criteria, set_on, self._history(set_on, note))
        if kid.last_review is None:
            return
        previous = kid.held[-2] if len(kid.held) >= 2 else kid.issued
        assert previous is not None
        mid = b.day_on_or_before(previous + (kid.last_review - previous) / 2)
        for _ in range(r.randint(1, 2)):
            area = r.choice(areas)
            options = [t for t in _OUTCOMES[area] if t[0] not in used]
            if not options:
                continue
            text, criteria = r.choice(options)
            used.add(text)
            history = [_Change(previous, "not_started", "Set at the previous review.")]
            if previous < mid < kid.last_review:
                history.append(_Change(mid, "developing", _STATUS_NOTES["developing"]))
            history.append(
                _Change(
                    kid.last_review,
                    "achieved",
                    "Achieved: replaced by a new outcome at the annual review.",
                )
            )
            self.outcome(kid, "ehcp", area, text, criteria, previous, history, current=False)

    def _school_targets(self, kid: _Kid) -> None:
        b, r = self.b, self.r
        starts = [
            start for y in (b.year - 1, b.year) for start, _end in b.terms[y] if start <= self.today
        ]
        set_on = starts[-1] if r.random() < 0.5 or len(starts) < 2 else starts[-2]
        set_on = max(set_on, kid.admission)
        for area, text, criteria in r.sample(_SCHOOL_TARGETS, r.randint(1, 2)):
            self.outcome(
                kid,
                "school",
                area,
                text,
                criteria,
                set_on,
                self._history(set_on, "Pupil profile target agreed with parents.", 3),
            )

    # ------------------------------------------------------------------ records

    def record(
        self, kid: _Kid, author: _Person, when: dt.datetime, kind: str, text: str, **more: Any
    ) -> None:
        day = when.date()
        if not _works_on(author, day):  # not yet (or no longer) at the school that day
            others = [self.senco, *(p for p, _start, _end in kid.assigned)]
            author = next((p for p in others if _works_on(p, day)), author)
            if not _works_on(author, day):
                when = dt.datetime.combine(self.b.day_on_or_after(author.start), when.time())
        self.plan.add(
            "record",
            {
                "pupil_id": kid.row,
                "author_id": author.row,
                "occurred_at": when,
                "kind": kind,
                "text": text,
                **more,
            },
        )

    def _records(self, kid: _Kid) -> None:
        r = self.r
        window = [d for d in self.b.recent_days if d >= kid.admission]
        if not window:
            return
        helpers = [p for p, _minutes in kid.support]
        main = helpers[0] if helpers else self.senco
        ehcp = kid.sen == SenCode.EHCP

        def when() -> dt.datetime:
            return dt.datetime.combine(
                r.choice(window), dt.time(r.randint(9, 14), r.choice((0, 10, 15, 30, 40, 45)))
            )

        def outcome_on(day: dt.date) -> tuple[_Row | None, str]:
            options = [(row, area) for row, area, set_on in kid.outcomes if set_on <= day]
            return r.choice(options) if options else (None, r.choice(_BROAD))

        def by_whom(helper: _Person, at: dt.datetime) -> tuple[_Person, dt.datetime]:
            """Only staff assigned to the pupil that day record a session with them: the one
            drawn, else whoever was assigned then (a predecessor), else the session moves to
            the drawn helper's first day with the pupil (no new draw: the rest of the demo
            stays as it was for the seed)."""
            day = at.date()
            if kid.assigned_on(helper, day):
                return helper, at
            for person, _start, _end in kid.assigned:
                if kid.assigned_on(person, day):
                    return person, at
            first = min(start for p, start, _end in kid.assigned if p is helper)
            later = [d for d in window if d >= first] or [self.today]
            return helper, dt.datetime.combine(later[0], at.time())

        n_support = (r.randint(8, 16) if ehcp else r.randint(1, 4)) if helpers else 0
        for _ in range(n_support):
            at = when()
            row, area = outcome_on(at.date())
            activity = r.choice(_SUPPORT.get(area, _SUPPORT["cognition"]))
            progress = r.choices([1, 2, 3, 4, 5], weights=[1, 3, 5, 4, 2])[0]
            minutes = r.choice([20, 30, 30, 45, 60])
            author, at = by_whom(r.choice(helpers), at)  # later, never earlier: row still set
            self.record(
                kid,
                author,
                at,
                "support",
                f"{activity[0].upper()}{activity[1:]} with {kid.name} ({minutes} min). "
                f"{_PROGRESS_WORDS[progress]}",
                outcome_id=row,
                minutes=minutes,
                progress=progress,
            )
        for _ in range(r.randint(1, 3) if ehcp else r.randint(0, 2)):
            at = when()
            row, _area = outcome_on(at.date()) if r.random() < 0.5 else (None, "")
            self.record(
                kid,
                r.choice([self.senco, main]),
                at,
                "observation",
                r.choice(_OBSERVATIONS).format(n=kid.name, subject=r.choice(_SUBJECTS)),
                outcome_id=row,
            )
        incidents = (
            r.randint(2, 5) if kid.behaviour_plan else int(r.random() < (0.15 if ehcp else 0.05))
        )
        for _ in range(incidents):
            antecedent, behaviour, deescalation, consequence = r.choice(_INCIDENTS)
            held = kid.behaviour_plan and r.random() < 0.12
            if held:
                deescalation += (
                    " Positive handling: guided away from the stairs by the arm "
                    "(one adult, Team Teach)."
                )
            where = r.choice(
                ["class", "the playground", "the hall", "the corridor", "the dining hall"]
            )
            self.record(
                kid,
                main,
                when(),
                "incident",
                f"Incident in {where}.",
                antecedent=antecedent,
                behaviour=behaviour,
                consequence=consequence,
                deescalation=deescalation,
                physical_intervention=held,
                injury=(
                    "Graze to the LSA's hand; no injury to the pupil."
                    if held and r.random() < 0.5
                    else ""
                ),
                parents_informed=r.random() < 0.9,
                minutes=r.choice([10, 15, 20, 30]),
            )
        if kid.medical:
            for _ in range(r.randint(3, 6)):
                text = r.choice(_MEDICAL_RECORDS[kid.medical]).format(
                    g=f"{r.uniform(3.6, 11.5):.1f}"
                )
                self.record(kid, main, when(), "medical", text, minutes=r.choice([5, 10, 15]))
        if r.random() < 0.25:
            self.record(
                kid,
                main,
                when(),
                "medical",
                r.choice(_FIRST_AID),
                minutes=10,
                parents_informed=True,
            )
        if kid.personal_care:
            for _ in range(r.randint(3, 6)):
                self.record(
                    kid,
                    main,
                    when(),
                    "personal_care",
                    r.choice(_PERSONAL_CARE),
                    minutes=r.choice([10, 15, 20]),
                )
        for _ in range(r.randint(1, 3) if ehcp else r.randint(0, 1)):
            parent = r.choice(["mum", "dad", f"Mrs {kid.mother_last}", "the parents"])
            self.record(
                kid,
                r.choice([self.senco, main]),
                when(),
                "parent_contact",
                r.choice(_PARENT).format(p=parent),
            )

    # ------------------------------------------------------------------ reviews
