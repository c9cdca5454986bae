"""One pupil's support facts (``queries/pupil_facts.py``, #17): what the school's facts say
about that pupil, loaded alone; a review pack made alone from them reads exactly as one made
from the whole school's facts (as a batch makes it)."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from sencodesk.demo import make_demo
from sencodesk.queries.facts import load_facts
from sencodesk.queries.pupil_facts import load_pupil_facts
from sencodesk.reports.batch import pack_jobs
from sencodesk.reports.data_review import load_review_pack
from sencodesk.reports.review_pack import render_review_pack
from sencodesk.vocab import PackAudience

from .reports_data import TODAY, build_school

D = dt.date


def _text(data, audience) -> list[str]:
    buf = io.BytesIO()
    render_review_pack(data, buf, audience=audience)
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def _the_schools_facts_of(school, pid):
    """The school's facts about one pupil: their funding, the contracts it pays for, their
    assignments and meetings, and the staff of those with their training and DBS checks."""
    funding = {k: f for k, f in school.funding.items() if f.pupil_id == pid}
    contracts = {k: c for k, c in school.contracts.items() if c.funding_id in funding}
    slots = tuple(s for s in school.slots if s.pupil_id == pid)
    staff = {c.staff_id for c in contracts.values()} | {s.staff_id for s in slots}
    return {
        "pupils": {k: p for k, p in school.pupils.items() if k == pid},
        "funding": funding,
        "contracts": contracts,
        "slots": slots,
        "meetings": {k: m for k, m in school.meetings.items() if k == pid},
        "staff": {k: s for k, s in school.staff.items() if k in staff},
        "training": {k: t for k, t in school.training.items() if k in staff},
        "dbs": {k: d for k, d in school.dbs.items() if k in staff},
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from sencodesk.store import open_store

    store = open_store(tmp_path_factory.mktemp("demo") / "demo.db", user="test")
    make_demo(store, pupils=420, seed=1, today=TODAY)
    yield store
    store.close()


def test_one_pupils_facts_are_what_the_schools_facts_say_about_them(demo):
    with demo.read() as s:
        school = load_facts(s)
        pupils = (
            sorted({f.pupil_id for f in school.funding.values()})[:25]
            + sorted(
                {sl.pupil_id for sl in school.slots} - {f.pupil_id for f in school.funding.values()}
            )[:10]
        )
        pupils += [p for p in range(1, 40) if p not in school.pupils][:5]  # none of either
        assert len(pupils) >= 20
        for pid in pupils:
            mine = load_pupil_facts(s, pid)
            expected = _the_schools_facts_of(school, pid)
            got = {k: getattr(mine, k) for k in expected}
            assert got == expected, pid
            assert (mine.school, mine.days, mine.offsets) == (
                school.school,
                school.days,
                school.offsets,
            )


def test_a_pack_made_alone_reads_as_the_same_pack_made_in_a_batch(demo):
    jobs = pack_jobs(demo, D(2025, 9, 1), D(2026, 7, 31))
    funded = []
    with demo.read() as s:
        school = load_facts(s)
        funded = [j for j in jobs if any(f.pupil_id == j.pupil_id for f in school.funding.values())]
    chosen = funded[:4] + [j for j in jobs if j not in funded][:2]
    assert len(funded) >= 4
    for job in chosen:
        with demo.read() as s:
            alone = load_review_pack(s, job.pupil_id, job.meeting_id, today=TODAY)
            in_batch = load_review_pack(s, job.pupil_id, job.meeting_id, today=TODAY, facts=school)
        assert alone == in_batch, job
        assert _text(alone, PackAudience.INTERNAL) == _text(in_batch, PackAudience.INTERNAL)


def test_the_small_school_pack_alone_has_its_funding_and_contract(store):
    sch = build_school(store)
    with store.read() as s:
        alone = load_review_pack(s, sch.pupil_id, sch.meeting_id, today=TODAY)
        in_batch = load_review_pack(
            s, sch.pupil_id, sch.meeting_id, today=TODAY, facts=load_facts(s)
        )
    assert alone == in_batch
    assert [f.id for f in alone.funding] == [sch.funding_id]
    assert alone.funding[0].contract_ids == (sch.contract_id,)
