"""The first-run checklist's facts: what an empty school has set up, ticked off as each kind
of record arrives (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sencodesk import commands
from sencodesk.queries.setup import setup_state
from sencodesk.rules.pay import WorkDay
from sencodesk.rules.schooldays import suggested_half_terms

TODAY = dt.date(2026, 12, 7)


def _left(store) -> list[str]:
    with store.read() as s:
        return [st.key for st in setup_state(s, TODAY).steps if not st.done]


def test_an_empty_school_ticks_off_each_step_as_its_records_arrive(any_store):
    store = any_store
    with store.read() as s:
        state = setup_state(s, TODAY)
    assert not state.done and state.left == 7
    assert state.step("term_dates").title == "Term dates for 2026/27"
    assert "MIS" in state.step("pupils").detail
    with store.session() as s:
        commands.save_school(s, {"name": "Oakfield Primary"})
    with store.read() as s:
        school = setup_state(s, TODAY).step("school")
    assert school.done and school.detail == (
        "Oakfield Primary (its local authority is not chosen yet)"
    )
    with store.session() as s:
        la = commands.save_local_authority(s, {"name": "Kent"})
        commands.save_school(s, {"name": "Oakfield Primary", "la_id": la})
        commands.set_term_dates(s, 2026, suggested_half_terms(2026))
    assert _left(store) == ["staff", "pupils", "funding", "assignments"]
    with store.read() as s:
        state = setup_state(s, TODAY)
    assert state.step("school").detail == "Oakfield Primary, Kent"
    assert state.step("term_dates").detail == "6 half-terms set"
    with store.session() as s:
        staff = commands.save_staff(
            s, {"first_name": "Sarah", "last_name": "Cole", "role": "lsa_1to1"}
        )
    assert "staff" in _left(store)  # a member of staff, but no contract yet
    with store.session() as s:
        commands.save_contract(
            s,
            {
                "staff_id": staff,
                "kind": "permanent",
                "start_date": dt.date(2026, 9, 1),
                "fte_salary": Decimal("23297"),
                "days": [WorkDay(d, dt.time(8, 40), dt.time(15, 30), 30) for d in range(5)],
            },
        )
        pupil = commands.save_pupil(
            s,
            {
                "legal_first_name": "Amelia",
                "legal_last_name": "Hart",
                "date_of_birth": dt.date(2016, 1, 5),
                "sen_code": "E",
                "ehcp_la_id": la,
                "ehcp_issued": dt.date(2026, 1, 5),
                "ehcp_weekly_minutes": 25 * 60,
            },
        )
    assert _left(store) == ["funding", "assignments"]
    with store.session() as s:
        commands.save_funding(
            s,
            {
                "pupil_id": pupil,
                "source": "top_up",
                "funder": "Kent",
                "start_date": dt.date(2026, 9, 1),
                "amount_per_year": Decimal("9000"),
            },
        )
        commands.save_assignment(
            s,
            {
                "staff_id": staff,
                "pupil_id": pupil,
                "role": "one_to_one",
                "sessions": 0b1111111111,
                "weekly_minutes": 25 * 60,
                "start_date": dt.date(2026, 9, 1),
            },
        )
    with store.read() as s:
        state = setup_state(s, TODAY)
    assert state.done and state.left == 0
    assert state.step("assignments").detail == "1 assignment"
