"""A new assignment's hours and sessions, and a new funding line's funder, from what is
already recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sencodesk import commands, vocab
from sencodesk.queries.entry import assignment_defaults, ehcp_funder
from sencodesk.rules.pay import WorkDay
from sencodesk.rules.sessions import day_sessions, pattern_sessions

TODAY = dt.date(2025, 11, 12)
bit = vocab.session_bit


def test_a_day_works_the_morning_before_noon_and_the_afternoon_after_one():
    assert day_sessions(0, dt.time(8, 40), dt.time(12, 0)) == bit(0, False)
    assert day_sessions(2, dt.time(12, 30), dt.time(15, 30)) == bit(2, True)
    assert day_sessions(4, dt.time(8, 40), dt.time(15, 30)) == bit(4, False) | bit(4, True)
    assert day_sessions(5, dt.time(8, 40), dt.time(15, 30)) == 0
    assert pattern_sessions([]) == 0b1111111111


def test_hours_left_on_the_ehcp_and_sessions_from_the_contract(store):
    with store.session() as s:
        la = commands.save_local_authority(s, {"name": "Kent"})
        commands.save_school(s, {"name": "Oakfield", "la_id": la})
        pupil = commands.save_pupil(
            s,
            {
                "legal_first_name": "Amelia",
                "legal_last_name": "Hart",
                "date_of_birth": dt.date(2016, 10, 3),
                "sen_code": "E",
                "ehcp_la_id": la,
                "ehcp_issued": TODAY - dt.timedelta(days=300),
                "ehcp_weekly_minutes": 25 * 60,
            },
        )
        first = commands.save_staff(
            s, {"first_name": "Sarah", "last_name": "Cole", "role": "lsa_1to1"}
        )
        second = commands.save_staff(
            s, {"first_name": "Priya", "last_name": "Shah", "role": "lsa_1to1"}
        )
        mon_to_wed = [WorkDay(d, dt.time(8, 40), dt.time(15, 30), 30) for d in range(3)]
        commands.save_contract(
            s,
            {
                "staff_id": second,
                "kind": "permanent",
                "start_date": TODAY - dt.timedelta(days=400),
                "fte_salary": Decimal("23297"),
                "days": [*mon_to_wed, WorkDay(3, dt.time(8, 40), dt.time(12, 0), 0)],
            },
        )
        commands.save_assignment(
            s,
            {
                "staff_id": first,
                "pupil_id": pupil,
                "weekly_minutes": 15 * 60,
                "sessions": bit(0, False) | bit(1, False),
                "start_date": TODAY - dt.timedelta(days=10),
            },
        )
    with store.read() as s:
        d = assignment_defaults(s, pupil_id=pupil, staff_id=second, today=TODAY)
        assert d.weekly_minutes == 10 * 60  # 25 h on the EHCP, 15 h staffed
        want = sum(bit(day, pm) for day in range(3) for pm in (False, True)) | bit(3, False)
        assert d.sessions == want
        none = assignment_defaults(s, pupil_id=pupil, staff_id=first, today=TODAY)
        assert none.sessions is None  # no current contract: nothing to guess from
        assert ehcp_funder(s, pupil) == "Kent"
