"""The demo school: realistic, deterministic, rich in alerts, refused on a used database."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sencodesk import cli, commands, demo
from sencodesk.alerts import AlertKind, compute_alerts
from sencodesk.errors import KnownError
from sencodesk.model import (
    AuditEntry,
    Base,
    Contract,
    Funding,
    LocalAuthority,
    Outcome,
    OutcomeStatusChange,
    Pupil,
    Record,
    ReviewMeeting,
    School,
    Staff,
    TermDate,
)
from sencodesk.progress import TextProgress
from sencodesk.queries.money import contract_rows
from sencodesk.rules.schoolyear import academic_year_of, year_group
from sencodesk.rules.upn import is_temporary, upn_error
from sencodesk.store import open_store

TODAY = dt.date(2026, 3, 1)  # a Sunday in the spring term


def _dump(store) -> dict[str, list[tuple]]:
    """Every row of every table but the audit trail, in id order (without the rows'
    versions: they count edits, and the commands build an outcome's history by editing it)."""
    out = {}
    with store.read() as s:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_entry":
                continue
            columns = [c for c in table.columns if c.name != "version"]
            q = select(*columns).order_by(table.c.id)
            out[table.name] = [tuple(r) for r in s.execute(q)]
    return out


def _people(store) -> tuple[list[tuple], list[tuple]]:
    """Sorted pupils (names, date of birth, UPN, SEN) and contracts (whose, dates, funding)."""
    with store.read() as s:
        pupils = sorted(
            s.execute(
                select(
                    Pupil.legal_last_name,
                    Pupil.legal_first_name,
                    Pupil.preferred_name,
                    Pupil.date_of_birth,
                    Pupil.upn,
                    Pupil.sen_code,
                    Pupil.primary_need,
                )
            ).all(),
            key=repr,
        )
        contracts = sorted(
            s.execute(
                select(
                    Staff.last_name,
                    Staff.first_name,
                    Contract.kind,
                    Contract.start_date,
                    Contract.end_date,
                    Contract.weekly_minutes,
                    Funding.end_date,
                )
                .join(Staff, Staff.id == Contract.staff_id)
                .outerjoin(Funding, Funding.id == Contract.funding_id)
            ).all(),
            key=repr,
        )
    return [tuple(p) for p in pupils], [tuple(c) for c in contracts]


# --------------------------------------------------------------------------- the default


def test_default_demo_is_a_realistic_primary(any_store):
    summary = demo.make_demo(any_store, today=TODAY)
    assert summary.pupils == 420
    assert 55 <= summary.sen_register <= 65
    assert 10 <= summary.ehcps <= 14 and 40 <= summary.sen_support <= 55
    assert 8 <= summary.staff <= 14
    assert summary.contracts >= summary.staff and summary.funding_lines >= summary.ehcps
    assert summary.records >= 300 and summary.outcomes >= 4 * summary.ehcps
    with any_store.read() as s:
        pupils = s.scalars(select(Pupil)).all()
        assert len(pupils) == 420
        codes = Counter(p.sen_code for p in pupils)
        assert codes == {"N": 360, "K": summary.sen_support, "E": summary.ehcps}
        years = Counter(year_group(p.date_of_birth, TODAY) for p in pupils)
        assert sorted(years) == list(range(7))  # Reception to Year 6, from the dates of birth
        assert all(58 <= n <= 62 for n in years.values())
        assert all(p.primary_need is None for p in pupils if p.sen_code == "N")
        assert all(
            p.primary_need and p.ehcp_weekly_minutes and p.ehcp_issued and p.ehcp_la_id
            for p in pupils
            if p.sen_code == "E"
        )
        assert {p.primary_need for p in pupils if p.sen_code == "K"} >= {"SLCN", "SEMH", "MLD"}
        assert sum(bool(p.preferred_name) for p in pupils) >= 5
        assert sum(bool(p.medical_needs) for p in pupils) >= 3
        under_five = [p for p in pupils if p.sen_code == "E" and p.review_interval_months == 6]
        assert under_five  # a Reception child reviewed every six months

        school = s.get(School, 1)
        assert school is not None and school.name == summary.school_name
        assert s.scalar(select(func.count()).select_from(LocalAuthority)) >= 2
        las = s.scalars(select(LocalAuthority)).all()
        assert len({la.advice_request_weeks for la in las}) >= 2  # offsets differ per LA
        year = academic_year_of(TODAY)
        terms = s.scalars(select(TermDate).order_by(TermDate.start)).all()
        assert [(t.academic_year, t.half_term) for t in terms] == [
            (y, h) for y in (year, year + 1) for h in range(1, 7)
        ]

        staff = s.scalars(select(Staff)).all()
        roles = Counter(st.role for st in staff)
        assert roles["senco"] == 1 and roles["hlta"] == 1 and roles["key_worker"] == 1
        assert roles["lsa_class"] == 1 and roles["lsa_1to1"] >= 5
        kinds = Counter(c.kind for c in s.scalars(select(Contract)))
        assert kinds["permanent"] >= 3 and kinds["fixed_term"] >= 4
        ended = s.scalars(select(Contract).where(Contract.end_date < TODAY)).all()
        assert ended  # some history: contracts already over
        assert any(st.leaving_date is not None and st.leaving_date < TODAY for st in staff)

        funding = s.scalars(select(Funding)).all()
        assert {f.source for f in funding} >= {"top_up", "high_needs"}
        assert any(f.end_date is None for f in funding)
        assert any(f.status == "pending" for f in funding)
        assert any(
            f.end_date is not None and TODAY < f.end_date <= TODAY + dt.timedelta(days=125)
            for f in funding
        )
        assert all(
            Decimal(6000) <= f.amount_per_year <= Decimal(18500)
            for f in funding
            if f.source in ("top_up", "high_needs") and f.status != "pending"
        )

        records = s.scalars(select(Record)).all()
        assert {r.kind for r in records} == {
            "support",
            "observation",
            "incident",
            "medical",
            "personal_care",
            "parent_contact",
        }
        assert all(r.occurred_at.date() <= TODAY for r in records)
        incidents = [r for r in records if r.kind == "incident"]
        assert incidents and all(r.antecedent and r.behaviour and r.consequence for r in incidents)
        assert sum(r.outcome_id is not None for r in records) >= 100
        changes = s.scalar(select(func.count()).select_from(OutcomeStatusChange))
        assert changes > s.scalar(select(func.count()).select_from(Outcome))
        meetings = s.scalars(select(ReviewMeeting)).all()
        assert any(m.held_on and m.outcome for m in meetings)  # past, held, decided
        upcoming = [m for m in meetings if m.meeting_at.date() > TODAY]
        assert upcoming and any(m.invitations_sent_on or m.advice_requested_on for m in upcoming)
        assert any(m.papers_circulated_on is None for m in upcoming)  # steps partly done


def test_contract_patterns_follow_the_adverts(store):
    demo.make_demo(store, today=TODAY)
    with store.read() as s:
        rows = contract_rows(s)
    minutes = {r.weekly_minutes for r in rows}
    assert {1900, 2220, 1050, 1200, 1950} <= minutes  # 31 h 40, 37 h, mornings, full days
    key_worker = [r for r in rows if r.grade == "Pay Range 1B"]
    assert key_worker
    # DOMAIN.md's test vector: 31 h 40 min, 43.108 paid weeks, FTE £23,297 or £24,223.
    assert {round(r.annual_pay) for r in key_worker} <= {16484, 17139}
    assert any(not r.term_time and r.paid_weeks is None for r in rows)  # 37 h all-year


def test_several_contracts_outlive_their_funding(store):
    demo.make_demo(store, today=TODAY)
    with store.read() as s:
        rows = s.execute(
            select(Contract.end_date, Funding.end_date)
            .join(Funding, Funding.id == Contract.funding_id)
            .where(Funding.end_date.is_not(None), Funding.end_date >= TODAY)
        ).all()
    assert sum(c_end is None or c_end > f_end for c_end, f_end in rows) >= 3


def test_training_expires_exactly_its_renewal_period_after_completion(store):
    """Every course runs its full period (safeguarding 1 year, first aid 3, ...) to the day,
    renewed courses included; none is dated on a weekend."""
    from dateutil.relativedelta import relativedelta

    from sencodesk.model import Training

    periods = {"safeguarding": 1, "first_aid": 3, "paediatric_first_aid": 3}
    periods |= {"deescalation": 2, "medication": 1, "manual_handling": 3}
    for seed in (1, 2, 3):
        store_seed = open_store(store.path.parent / f"seed{seed}.db") if seed > 1 else store
        demo.make_demo(store_seed, today=TODAY, seed=seed)
        with store_seed.read() as s:
            rows = s.execute(select(Training.kind, Training.completed, Training.expires)).all()
        if seed > 1:
            store_seed.close()
        timed = [(k, c, e) for k, c, e in rows if k in periods]
        assert timed
        for kind, completed, expires in timed:
            assert expires == completed + relativedelta(years=periods[kind]), (kind, completed)
            assert completed.weekday() < 5


def test_alerts_have_something_to_say(store):
    demo.make_demo(store, today=TODAY)
    with store.read() as s:
        alerts = compute_alerts(s, today=TODAY)
    kinds = Counter(a.kind for a in alerts)
    # The demo has no phase-transfer or missing-DBS case yet (the demo's owner adds them).
    for kind in set(AlertKind) - {AlertKind.PHASE_TRANSFER, AlertKind.DBS_MISSING}:
        assert kinds[kind] >= 1, kind
    reviews = [a for a in alerts if a.kind == AlertKind.REVIEW_DUE]
    assert any(a.due < TODAY for a in reviews)  # an annual review overdue


def test_small_demo_for_the_first_run_dialog(store):
    summary = demo.make_demo(store, pupils=60, seed=1, today=TODAY)
    assert summary.pupils == 60 and summary.ehcps >= 6
    with store.read() as s:
        kinds = {a.kind for a in compute_alerts(s, today=TODAY)}
    assert {
        AlertKind.UNFUNDED_CONTRACT,
        AlertKind.EHCP_HOURS_UNCOVERED,
        AlertKind.OVER_ASSIGNED,
        AlertKind.FUNDING_UNSTAFFED,
    } <= kinds


# --------------------------------------------------------------------------- determinism


def test_same_seed_and_date_give_the_same_database(tmp_path):
    stores = [open_store(tmp_path / f"{name}.db", user="test") for name in ("a", "b", "c")]
    try:
        demo.make_demo(stores[0], seed=7, today=TODAY)
        demo.make_demo(stores[1], seed=7, today=TODAY)
        demo.make_demo(stores[2], seed=8, today=TODAY)
        same, other = _people(stores[0]), _people(stores[1])
        assert same == other
        assert _dump(stores[0]) == _dump(stores[1])
        different = _people(stores[2])
        assert different[0] != same[0] and different[1] != same[1]
    finally:
        for s in stores:
            s.close()


def test_bulk_writes_the_same_rows_as_the_commands(tmp_path):
    checked = open_store(tmp_path / "commands.db", user="test")
    bulk = open_store(tmp_path / "bulk.db", user="test")
    try:
        a = demo.make_demo(checked, pupils=150, seed=3, today=TODAY, bulk=False)
        b = demo.make_demo(bulk, pupils=150, seed=3, today=TODAY, bulk=True)
        assert a == b
        assert _dump(checked) == _dump(bulk)
        with checked.read() as s:  # the commands audit every row; bulk writes one entry
            assert s.scalar(select(func.count()).select_from(AuditEntry)) > 1000
        with bulk.read() as s:
            entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "demo")).all()
            assert len(entries) == 1 and "150 pupils" in (entries[0].new_value or "")
    finally:
        checked.close()
        bulk.close()


# --------------------------------------------------------------------------- pupils


def test_upns_are_valid_unique_and_a_few_missing(store):
    demo.make_demo(store, today=TODAY)
    with store.read() as s:
        upns = [u for (u,) in s.execute(select(Pupil.upn))]
    given = [u for u in upns if u is not None]
    assert all(upn_error(u) is None for u in given), [u for u in given if upn_error(u)]
    assert len(set(given)) == len(given)
    assert 1 <= upns.count(None) <= 5
    assert any(is_temporary(u) for u in given)


def test_names_are_diverse_with_accents(store):
    demo.make_demo(store, today=TODAY)
    with store.read() as s:
        names = s.execute(select(Pupil.legal_first_name, Pupil.legal_last_name)).all()
        staff = s.execute(select(Staff.first_name, Staff.last_name)).all()
    accented = [f"{f} {la}" for f, la in names if not (f + la).isascii()]
    assert len(accented) >= 10, accented
    assert len({la for _f, la in names}) >= 120  # many families, many naming traditions
    assert any(not (f + la).isascii() for f, la in staff) or len(staff) < 20


# --------------------------------------------------------------------------- refusals


def test_demo_refuses_a_database_with_pupils(store, db_path):
    demo.make_demo(store, pupils=40, today=TODAY)
    with pytest.raises(KnownError) as caught:
        demo.make_demo(store, pupils=40, seed=2, today=TODAY)
    assert str(db_path) in str(caught.value) and "40 pupils" in str(caught.value)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Pupil)) == 40


def test_demo_refuses_silly_arguments(store):
    with pytest.raises(KnownError):
        demo.make_demo(store, pupils=5, today=TODAY)
    with pytest.raises(KnownError):
        demo.make_demo(store, today=dt.date.today() + dt.timedelta(days=30))
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Pupil)) == 0


def test_progress_is_reported_and_raising_cancels(store):
    calls: list[tuple[int, int, str]] = []

    def record(done: int, total: int, text: str = "") -> None:
        calls.append((done, total, text))

    class Stop(Exception):
        pass

    def stop_half_way(done: int, total: int, text: str = "") -> None:
        if done > total // 2:
            raise Stop

    for bulk in (False, True):
        with pytest.raises(Stop):
            demo.make_demo(store, pupils=60, today=TODAY, progress=stop_half_way, bulk=bulk)
        with store.read() as s:  # nothing was written
            assert s.scalar(select(func.count()).select_from(Pupil)) == 0
            assert s.scalar(select(func.count()).select_from(Staff)) == 0
    demo.make_demo(store, pupils=60, today=TODAY, progress=record)
    done = [d for d, _t, _x in calls]
    assert done == sorted(done) and calls[-1][0] == calls[-1][1] > 0
    assert len(calls) >= 10


# --------------------------------------------------------------------------- command line


def test_cli_demo(db_path, capsys):
    assert cli.run(["demo", "--db", str(db_path), "--today", "2026-03-01"]) == 0
    out = capsys.readouterr().out
    assert "420 pupils" in out and "EHCPs" in out and str(db_path) in out
    assert cli.run(["--db", str(db_path), "demo", "--today", "2026-03-01", "--seed", "2"]) == 2
    err = capsys.readouterr().err
    assert str(db_path) in err and "already holds 420 pupils" in err
    store = open_store(db_path, user="test")
    try:
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(Pupil)) == 420
    finally:
        store.close()


def test_cli_rejects_a_bad_pupil_count(db_path, capsys):
    with pytest.raises(SystemExit):
        cli.run(["demo", "--db", str(db_path), "--pupils", "ten"])
    assert "not a whole number" in capsys.readouterr().err


# --------------------------------------------------------------------------- large


def test_mid_size_trust_in_bulk(any_store):
    summary = demo.make_demo(any_store, pupils=2000, seed=5, today=TODAY)
    assert summary.pupils == 2000
    assert 50 <= summary.ehcps <= 65 and 200 <= summary.sen_support <= 260
    assert 40 <= summary.staff <= 80
    with any_store.read() as s:
        dobs = [d for (d,) in s.execute(select(Pupil.date_of_birth))]
        assert sorted(Counter(year_group(d, TODAY) for d in dobs)) == list(range(12))
        assert s.scalar(select(func.count()).select_from(Record)) == summary.records
        kinds = {a.kind for a in compute_alerts(s, today=TODAY)}
        assert AlertKind.UNFUNDED_CONTRACT in kinds and AlertKind.OVER_ASSIGNED in kinds
    with any_store.session() as s:  # the database's id sequences are still right
        new_id = commands.save_pupil(
            s,
            {
                "legal_first_name": "Niamh",
                "legal_last_name": "Ó Sé",
                "date_of_birth": dt.date(2018, 5, 4),
            },
        )
    with any_store.read() as s:
        assert new_id == s.scalar(select(func.max(Pupil.id)))
        assert s.scalar(select(func.count()).select_from(Pupil)) == 2001


# --------------------------------------------------------------------------- TextProgress


def test_text_progress_into_a_file_writes_a_line_per_tenth():
    out = io.StringIO()
    bar = TextProgress("Demo", out)
    for i in range(0, 101):
        bar(i, 100, "pupils")
    lines = out.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[0].startswith("Demo [") and lines[-1].endswith("100% 100/100 pupils")
    assert "#" * 30 in lines[-1]


def test_text_progress_on_a_terminal_redraws_one_line():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    bar = TextProgress("Packs", out, interval=0)
    bar(1, 4, "one")
    bar(4, 4, "done")
    text = out.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and "100%" in text
    bar.finish()
    assert out.getvalue() == text  # finishing twice adds nothing
