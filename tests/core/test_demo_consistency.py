"""The demo school never contradicts itself (issue #10 case 12): no record before a pupil
joined or after they left, no session recorded by an LSA before their assignment began, no
assignment before the pupil joined or with nobody employed, nothing dated in the future...
(every rule is in ``demo_invariants.INVARIANTS``)."""

import datetime as dt

import pytest
from sqlalchemy import select

from sencodesk.demo import make_demo
from sencodesk.model import Pupil, Record

from .demo_invariants import INVARIANTS, violations


@pytest.mark.parametrize(
    ("pupils", "seed", "today"),
    [
        (60, 1, dt.date(2026, 3, 2)),  # the screenshots' school, small
        (60, 7, dt.date(2025, 9, 4)),  # the first week of the year: new staff, new Reception
        (60, 3, dt.date(2026, 7, 20)),  # the end of the summer term
        (1001, 9, dt.date(2025, 9, 2)),  # a trust, written in bulk, on the first day of term
    ],
)
def test_the_demo_is_internally_consistent(store, pupils, seed, today):
    make_demo(store, pupils=pupils, seed=seed, today=today)
    with store.read() as s:
        assert violations(s, today) == []


def test_the_checks_find_a_record_before_the_pupil_joined(store):
    """The checks can fail: a session dated before the pupil's admission is reported."""
    today = dt.date(2026, 3, 2)
    make_demo(store, pupils=60, seed=1, today=today)
    with store.session() as s:
        pupil = s.scalars(
            select(Pupil).where(Pupil.admission_date.is_not(None)).order_by(Pupil.id)
        ).first()
        assert pupil is not None and pupil.admission_date is not None
        early = dt.datetime.combine(pupil.admission_date - dt.timedelta(days=3), dt.time(10))
        s.add(Record(pupil_id=pupil.id, occurred_at=early, kind="observation", text="Early."))
    with store.read() as s:
        found = violations(s, today)
    assert [v.split(":")[0] for v in found] == [INVARIANTS[0][0]]
