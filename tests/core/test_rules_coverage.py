"""rules.coverage and rules.schooldays: the one home of the derived facts, tested with
the figures of issue #10."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sencodesk.rules.coverage import (
    OPEN_ENDED_COSTED_DAYS,
    Slot,
    attribute_cost,
    funding_gap,
    is_current,
    notice_by,
    same_place_twice,
    session_clashes,
    staffed_minutes,
    unstaffed_stretches,
)
from sencodesk.rules.schooldays import SchoolDays

D = dt.date
COST = Decimal("15567.09")
SEPT = D(2025, 9, 1)


def test_is_current_is_inclusive_and_open_ended():
    assert is_current(D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 31))
    assert not is_current(D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 1))
    assert is_current(D(2026, 1, 1), None, D(2099, 1, 1))
    assert not is_current(D(2026, 1, 2), None, D(2026, 1, 1))


def test_gap_days_cost_and_what_the_cost_is():
    g = funding_gap(D(2027, 3, 10), D(2025, 9, 1), D(2027, 8, 10), COST)
    assert g is not None
    assert (g.first_day, g.last_day, g.days) == (D(2027, 3, 11), D(2027, 8, 10), 153)
    assert g.cost == (COST * 153 / 365).quantize(Decimal("0.01"))
    assert g.method == "pay and on-costs, 153 of 365 days"
    assert g.how_long == "runs 153 days longer"
    assert "£" in g.short and g.short.startswith("153 days")


def test_the_open_ended_policy_is_a_year_and_says_so():
    g = funding_gap(D(2027, 3, 10), D(2025, 9, 1), None, COST)
    assert g is not None and g.open_ended
    assert g.days == OPEN_ENDED_COSTED_DAYS == 365 and g.cost == COST
    assert g.how_long == "has no end date" and "for a year" in g.method
    assert g.still_matters(D(2040, 1, 1))  # unfunded while it runs


def test_no_gap():
    assert funding_gap(None, D(2025, 9, 1), None, COST) is None  # open funding pays for any
    assert funding_gap(D(2027, 3, 10), D(2025, 9, 1), D(2027, 3, 10), COST) is None
    late = funding_gap(D(2027, 3, 10), D(2027, 6, 1), D(2027, 6, 30), COST)
    assert late is not None and late.first_day == D(2027, 6, 1) and late.days == 30


def test_ended_gap_is_history():
    g = funding_gap(D(2025, 3, 31), D(2024, 9, 1), D(2025, 7, 31), COST)
    assert g is not None and not g.still_matters(D(2026, 3, 1))


def test_attribution_never_exceeds_the_contracts_cost():
    # Issue #10 case 3: 17.5 h contracted, 25 h assigned, employer cost £12,555.94.
    a = attribute_cost(Decimal("12555.94"), 1050, [(1, 900), (2, 600)])
    assert a.shares == {1: Decimal("7533.56"), 2: Decimal("5022.38")}
    assert sum(a.shares.values()) == Decimal("12555.94")
    assert a.over_assigned_minutes == 450
    under = attribute_cost(Decimal("12555.94"), 1500, [(1, 600)])
    assert under.shares == {1: Decimal("5022.37")} and under.unattributed > 0


def _slot(i, staff, pupil, mins, sessions, role="one_to_one", start=SEPT, end=None):
    return Slot(i, staff, pupil, mins, sessions, role, start, end)


def test_distinct_staffed_hours_count_one_person_in_one_session_once():
    twice = [_slot(1, 7, 1, 25 * 60, 1023), _slot(2, 7, 1, 20 * 60, 0b11)]
    assert staffed_minutes(twice, D(2026, 3, 2)) == 25 * 60
    apart = [_slot(1, 7, 1, 10 * 60, 0b01), _slot(2, 7, 1, 5 * 60, 0b10)]
    assert staffed_minutes(apart, D(2026, 3, 2)) == 15 * 60
    cover = [_slot(1, 8, 1, 25 * 60, 1023, role="cover")]
    assert staffed_minutes(cover, D(2026, 3, 2)) == 0


def test_clashes_one_place_per_session_shared_is_one_group():
    shared = [_slot(1, 7, 1, 60, 0b1, "shared"), _slot(2, 7, 2, 60, 0b1, "shared")]
    assert session_clashes(shared) == []
    mixed = [_slot(1, 7, 1, 60, 0b1), _slot(2, 7, 2, 60, 0b1, "shared")]
    assert len(session_clashes(mixed)) == 1
    later = [
        _slot(1, 7, 1, 60, 0b1, end=D(2026, 1, 1)),
        _slot(2, 7, 2, 60, 0b1, start=D(2026, 2, 1)),
    ]
    assert session_clashes(later) == []
    assert same_place_twice(_slot(0, 7, 1, 60, 0b11), [_slot(1, 7, 1, 60, 0b10)]) is not None
    assert same_place_twice(_slot(0, 7, 1, 60, 0b100), [_slot(1, 7, 1, 60, 0b10)]) is None


def test_unstaffed_stretches_end_with_the_contract():
    slots = [_slot(1, 7, 1, 20 * 60, 1023)]
    out = unstaffed_stretches(25 * 60, slots, D(2026, 3, 1), D(2026, 8, 31), {7: D(2026, 7, 31)})
    assert out == [
        (D(2026, 3, 1), D(2026, 7, 31), 5 * 60),
        (D(2026, 8, 1), D(2026, 8, 31), 25 * 60),
    ]


TERMS = SchoolDays.from_terms(
    [
        (D(2026, 9, 2), D(2026, 10, 23)),
        (D(2026, 11, 2), D(2026, 12, 18)),
        (D(2027, 1, 5), D(2027, 2, 12)),
    ]
)


def test_act_by_moves_to_the_last_school_day_before_a_closure():
    assert TERMS.act_by(D(2026, 12, 30)) == D(2026, 12, 18)  # Christmas holidays
    assert TERMS.act_by(D(2026, 10, 28)) == D(2026, 10, 23)  # half-term
    assert TERMS.act_by(D(2026, 11, 2)) == D(2026, 11, 2)  # a school day stays
    assert TERMS.act_by(D(2026, 11, 8)) == D(2026, 11, 6)  # a Sunday: the Friday
    assert TERMS.act_by(D(2030, 12, 30)) == D(2030, 12, 30)  # no term dates that year
    assert SchoolDays().act_by(D(2026, 12, 30)) == D(2026, 12, 30)
    assert notice_by(D(2027, 1, 27), 4, TERMS) == D(2026, 12, 18)
    assert notice_by(None, 4, TERMS) is None
