"""The rules build only the alerts acted on by the horizon (#17: at a trust a quarter of them
fell beyond it and were built only to be dropped). Skipping them early must change nothing:
for every horizon, the alerts are exactly those every rule gives unbounded, filtered."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk.alerts.compute import alerts_from_facts
from sencodesk.alerts.coverage import _coverage
from sencodesk.alerts.expiries import _expiries
from sencodesk.alerts.money import _contracts, _funding
from sencodesk.alerts.reviews import _reviews
from sencodesk.demo import make_demo
from sencodesk.queries.facts import load_facts
from sencodesk.store import open_store

TODAY = dt.date(2026, 3, 1)


def unbounded(facts, today, horizon):
    """Every rule with no horizon, then the horizon's filter and the list's order."""
    out = [
        *_contracts(facts, today),
        *_funding(facts, today),
        *_coverage(facts, today),
        *_reviews(facts, today),
        *_expiries(facts, today),
    ]
    out = [a for a in out if a.act_by <= horizon]
    out.sort(key=lambda a: (a.act_by, a.due, a.kind, a.subject_name, a.row_id or 0))
    return out


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("horizon") / "school.db", user="test")
    try:
        make_demo(store, pupils=2000, seed=1, today=TODAY)
        with store.read() as s:
            return load_facts(s)
    finally:
        store.close()


@pytest.mark.parametrize("on", [TODAY, TODAY + dt.timedelta(days=47), dt.date(2026, 9, 1)])
@pytest.mark.parametrize("within", [0, 1, 14, 30, 60, 120, 365, 3650])
def test_the_horizon_skips_only_what_it_drops(facts, on, within):
    got = alerts_from_facts(facts, today=on, within_days=within)
    expected = unbounded(facts, on, on + dt.timedelta(days=within))
    assert got == expected
    # every kind of alert is reached at some horizon (so each rule's skip is tested)
    assert len(unbounded(facts, on, dt.date.max)) > len(expected) or within == 3650


def test_every_kind_is_cut_by_some_horizon(facts):
    """Each rule has alerts beyond a short horizon: the skips above are exercised."""
    near = {a.kind for a in unbounded(facts, TODAY, TODAY + dt.timedelta(days=14))}
    counts_near = len(unbounded(facts, TODAY, TODAY + dt.timedelta(days=14)))
    everything = unbounded(facts, TODAY, dt.date.max)
    assert counts_near < len(everything)
    beyond = {a.kind for a in everything if a.act_by > TODAY + dt.timedelta(days=14)}
    assert len(beyond) >= 6, beyond
    assert near  # and some are within it
