"""A small school for the report tests, built through the real commands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sencodesk import commands
from sencodesk.rules.pay import WorkDay
from sencodesk.store import Store

D = dt.date
TODAY = D(2026, 2, 20)
ZOE = ("Zoë", "Ní Bhriain-Łukasiewicz")
ZOE_UPN = "B801200005001"


@dataclass(frozen=True)
class School:
    pupil_id: int
    other_id: int
    meeting_id: int
    staff_id: int
    outcome_id: int
    funding_id: int
    contract_id: int


def _days() -> list[WorkDay]:
    return [WorkDay(d, dt.time(8, 40), dt.time(15, 30), 30) for d in range(5)]


def build_school(store: Store) -> School:
    with store.session() as s:
        la = commands.save_local_authority(s, {"name": "Northshire", "code": "801"})
        commands.save_school(s, {"name": "St Brigid’s Primary & Nursery", "la_id": la})
        commands.set_term_dates(
            s,
            2025,
            [
                (D(2025, 9, 3), D(2025, 10, 24)),
                (D(2025, 11, 3), D(2025, 12, 19)),
                (D(2026, 1, 5), D(2026, 2, 13)),
                (D(2026, 2, 23), D(2026, 3, 27)),
                (D(2026, 4, 13), D(2026, 5, 22)),
                (D(2026, 6, 1), D(2026, 7, 22)),
            ],
        )
        pid = commands.save_pupil(
            s,
            {
                "legal_first_name": ZOE[0],
                "legal_last_name": ZOE[1],
                "upn": ZOE_UPN,
                "date_of_birth": D(2015, 5, 4),
                "sen_code": "E",
                "primary_need": "ASD",
                "secondary_need": "SLCN",
                "ehcp_la_id": la,
                "ehcp_issued": D(2022, 3, 1),
                "ehcp_last_review": D(2025, 3, 10),
                "ehcp_weekly_minutes": 1500,
                "medical_needs": "Epilepsy: rescue medication in the office.",
                "personal_care": True,
                "behaviour_plan": True,
                "class_name": "5B",
            },
        )
        other = commands.save_pupil(
            s,
            {
                "legal_first_name": "Nguyễn",
                "legal_last_name": "Thị Hương",
                "date_of_birth": D(2016, 1, 9),
                "sen_code": "K",
                "primary_need": "SPLD",
            },
        )
        staff = commands.save_staff(
            s,
            {
                "first_name": "Łucja",
                "last_name": "Brown",
                "role": "lsa_1to1",
                "start_date": D(2020, 9, 1),
            },
        )
        fund = commands.save_funding(
            s,
            {
                "pupil_id": pid,
                "source": "top_up",
                "funder": "Northshire",
                "reference": "TU-77",
                "amount_per_year": Decimal("14250.50"),
                "weekly_minutes": 1500,
                "start_date": D(2025, 4, 1),
                "end_date": D(2026, 3, 31),
            },
        )
        contract = commands.save_contract(
            s,
            {
                "staff_id": staff,
                "kind": "fixed_term",
                "job_title": "1:1 LSA",
                "start_date": D(2025, 9, 1),
                "end_date": D(2026, 3, 31),
                "grade": "Grade 4",
                "pay_point": "SCP 5",
                "fte_salary": Decimal("24223"),
                "days": _days(),
                "paid_weeks": Decimal("43.108"),
                "funding_id": fund,
            },
        )
        commands.save_assignment(
            s,
            {
                "staff_id": staff,
                "pupil_id": pid,
                "weekly_minutes": 1500,
                "sessions": 1023,
                "start_date": D(2025, 9, 1),
            },
        )
        oid = commands.save_outcome(
            s,
            {
                "pupil_id": pid,
                "area": "communication",
                "set_date": D(2025, 3, 10),
                "text": "Zoë will ask an adult for help using a visual card.",
                "success_criteria": "Four times in a week, unprompted.",
            },
        )
        # (the text is passed again: save_outcome blanks it otherwise, reported upstream)
        commands.save_outcome(
            s,
            {
                "status": "developing",
                "status_date": D(2025, 11, 5),
                "text": "Zoë will ask an adult for help using a visual card.",
                "status_note": "Uses the card with her LSA.",
            },
            oid,
        )
        commands.save_outcome(
            s,
            {
                "pupil_id": pid,
                "area": "semh",
                "set_date": D(2025, 3, 10),
                "text": "Zoë will use her calm box when upset.",
            },
        )
        for i, day in enumerate((D(2025, 10, 6), D(2025, 12, 1), D(2026, 1, 12))):
            commands.save_record(
                s,
                {
                    "pupil_id": pid,
                    "author_id": staff,
                    "kind": "observation",
                    "occurred_at": dt.datetime.combine(day, dt.time(10, 15)),
                    "text": f"Asked for help with the card ({i + 1}).",
                    "outcome_id": oid,
                    "progress": 2 + i,
                },
            )
        for week in range(20):
            day = D(2025, 9, 8) + dt.timedelta(weeks=week)
            commands.save_record(
                s,
                {
                    "pupil_id": pid,
                    "author_id": staff,
                    "kind": "support",
                    "occurred_at": dt.datetime.combine(day, dt.time(9, 0)),
                    "text": "Phonics intervention",
                    "minutes": 45,
                },
            )
        for day, hit in (
            (D(2025, 9, 15), False),
            (D(2025, 11, 20), True),
            (D(2025, 11, 27), False),
            (D(2026, 1, 22), False),
        ):
            commands.save_record(
                s,
                {
                    "pupil_id": pid,
                    "author_id": staff,
                    "kind": "incident",
                    "occurred_at": dt.datetime.combine(day, dt.time(13, 5)),
                    "antecedent": "Change of classroom",
                    "behaviour": "Threw a chair",
                    "physical_intervention": hit,
                    "parents_informed": True,
                },
            )
        mid = commands.save_review(
            s,
            {
                "pupil_id": pid,
                "meeting_at": dt.datetime(2026, 3, 9, 14, 30),
                "place": "SENCO office",
                "invitations_sent_on": D(2026, 1, 20),
                "invitees": [
                    {"name": "Áine Ní Bhriain", "role": "Parent"},
                    {"name": "Dr O. Adeyemi", "role": "Educational psychologist"},
                ],
            },
        )
    return School(pid, other, mid, staff, oid, fund, contract)
