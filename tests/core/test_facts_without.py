"""The reports of money and hours load the facts without reviews, training and DBS checks
(``factrows.NOT_MONEY``, a third of a trust's rows, #17): the same costs as from every fact;
both ways of reading leave out the same; and what reads every fact refuses such facts."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk.alerts.compute import alerts_from_facts
from sencodesk.demo import make_demo
from sencodesk.queries.facts import NOT_MONEY, load_facts, load_facts_sqlalchemy
from sencodesk.queries.timeline import timeline_from_facts
from sencodesk.reports.data_costs import costs_from_facts, load_costs
from sencodesk.store import open_store

TODAY = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("without") / "school.db", user="test")
    make_demo(store, pupils=2000, seed=1, today=TODAY)
    yield store
    store.close()


def test_costs_without_the_other_tables_are_the_costs_from_every_fact(store):
    with store.read() as s:
        every = load_facts(s)
        for on in (TODAY, TODAY + dt.timedelta(days=47), dt.date(2026, 9, 1)):
            got = load_costs(s, today=on)
            assert got == costs_from_facts(every, today=on)
            assert got.staff and got.pupils


def test_both_ways_of_reading_leave_out_the_same(store):
    with store.read() as s:
        partial = load_facts(s, without=NOT_MONEY)
        assert partial == load_facts_sqlalchemy(s, without=NOT_MONEY)
        every = load_facts(s)
    assert partial.left_out == NOT_MONEY and not every.left_out
    assert every.meetings and every.training and every.dbs  # the demo has them
    assert not (partial.meetings or partial.training or partial.dbs)
    assert partial.contracts == every.contracts and partial.pupils == every.pupils


def test_what_reads_every_fact_refuses_facts_without_some(store):
    with store.read() as s:
        partial = load_facts(s, without=NOT_MONEY)
        with pytest.raises(ValueError, match="alerts needs every fact"):
            alerts_from_facts(partial, today=TODAY)
        with pytest.raises(ValueError, match="timeline needs every fact"):
            timeline_from_facts(partial, TODAY, TODAY + dt.timedelta(days=365))
        with pytest.raises(ValueError, match="cannot be loaded without"):
            load_facts(s, without=frozenset({"contract"}))
