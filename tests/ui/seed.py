"""A small school written through the core commands, for GUI tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sencodesk import commands, vocab
from sencodesk.rules.pay import WorkDay
from sencodesk.rules.schoolyear import next_working_day

WEEK = [WorkDay(d, dt.time(8, 40), dt.time(15, 30), 30) for d in range(5)]


@dataclass
class Seeded:
    pupil: int
    medical_pupil: int
    lsa: int
    cover_lsa: int
    untrained: int
    funding: int
    contract: int


def seed_school(store: Any, today: dt.date) -> Seeded:
    """Two supported pupils (one with medical needs), three LSAs (one medication-trained)."""
    ms = vocab.session_bit
    with store.session() as s:
        la = commands.save_local_authority(s, {"name": "Kent"})
        commands.save_school(s, {"name": "Oakfield Primary", "la_id": la})
        pupil = commands.save_pupil(
            s,
            {
                "legal_first_name": "Amelia",
                "legal_last_name": "Hart",
                "date_of_birth": dt.date(today.year - 9, 10, 3),
                "sen_code": "E",
                "primary_need": "ASD",
                "ehcp_la_id": la,
                "ehcp_issued": today - dt.timedelta(days=300),
                "ehcp_weekly_minutes": 25 * 60,
                "upn": "B801200005001",
            },
        )
        medical = commands.save_pupil(
            s,
            {
                "legal_first_name": "Zoë",
                "legal_last_name": "Nguyễn",
                "date_of_birth": dt.date(today.year - 7, 1, 20),
                "sen_code": "E",
                "primary_need": "PD",
                "medical_needs": "Type 1 diabetes: insulin at lunch",
                "ehcp_issued": today - dt.timedelta(days=100),
                "ehcp_weekly_minutes": 10 * 60,
            },
        )
        lsa = commands.save_staff(
            s, {"first_name": "Sarah", "last_name": "Cole", "role": "lsa_1to1"}
        )
        cover = commands.save_staff(
            s, {"first_name": "Priya", "last_name": "Shah", "role": "lsa_1to1"}
        )
        untrained = commands.save_staff(
            s, {"first_name": "Tom", "last_name": "Reed", "role": "lsa_class"}
        )
        funding = commands.save_funding(
            s,
            {
                "pupil_id": pupil,
                "source": "top_up",
                "funder": "Kent",
                "amount_per_year": Decimal("12000"),
                "start_date": today - dt.timedelta(days=200),
                "end_date": today + dt.timedelta(days=150),
            },
        )
        contract = commands.save_contract(
            s,
            {
                "staff_id": lsa,
                "kind": "fixed_term",
                "job_title": "1:1 LSA",
                "start_date": today - dt.timedelta(days=200),
                "end_date": today + dt.timedelta(days=140),
                "fte_salary": Decimal("23297"),
                "days": WEEK,
                "paid_weeks": Decimal("43.108"),
                "funding_id": funding,
            },
        )
        for sid in (cover, untrained):
            commands.save_contract(
                s,
                {
                    "staff_id": sid,
                    "kind": "permanent",
                    "start_date": today - dt.timedelta(400),
                    "fte_salary": Decimal("23297"),
                    "days": WEEK,
                },
            )
        commands.save_training(
            s,
            {
                "staff_id": cover,
                "kind": "medication",
                "completed": today - dt.timedelta(days=30),
                "expires": today + dt.timedelta(days=300),
            },
        )
        mon_thu = sum(ms(d, pm) for d in range(4) for pm in (False, True))
        commands.save_assignment(
            s,
            {
                "staff_id": lsa,
                "pupil_id": pupil,
                "weekly_minutes": 20 * 60,
                "sessions": mon_thu,
                "start_date": today - dt.timedelta(days=100),
            },
        )
        commands.save_assignment(
            s,
            {
                "staff_id": lsa,
                "pupil_id": medical,
                "weekly_minutes": 5 * 60,
                "sessions": sum(ms(d, True) for d in range(5)),
                "start_date": today - dt.timedelta(days=100),
            },
        )
        commands.save_outcome(
            s,
            {
                "pupil_id": pupil,
                "area": "communication",
                "text": "Amelia will ask an adult for help using her communication book",
                "set_date": today - dt.timedelta(days=300),
            },
        )
    return Seeded(pupil, medical, lsa, cover, untrained, funding, contract)


def seed_more(store: Any, ids: Seeded, today: dt.date) -> None:
    """One of each row the lists have besides: a review meeting, a support note, a DBS
    check, a qualification and (lapsed) training, so that every list has a row in it."""
    with store.session() as s:
        commands.save_review(
            s,
            {
                "pupil_id": ids.pupil,
                "meeting_at": dt.datetime.combine(
                    next_working_day(today + dt.timedelta(days=40)), dt.time(10)
                ),
                "invitees": [{"name": "Mum"}],
            },
        )
        commands.save_record(
            s,
            {
                "pupil_id": ids.pupil,
                "kind": "support",
                "text": "Phonics",
                "occurred_at": dt.datetime.now() - dt.timedelta(hours=1),
            },
        )
        commands.save_dbs(
            s,
            {
                "staff_id": ids.lsa,
                "certificate_number": "001234567890",
                "issued": today - dt.timedelta(days=900),
                "renew_by": today - dt.timedelta(days=5),
            },
        )
        commands.save_qualification(s, {"staff_id": ids.lsa, "kind": "Level 3 STL"})
        commands.save_training(
            s,
            {
                "staff_id": ids.lsa,
                "kind": "first_aid",
                "completed": today - dt.timedelta(days=1200),
                "expires": today - dt.timedelta(days=100),
            },
        )
