"""Alerts: what must the SENCO act on, and by when (on SQLite and PostgreSQL)."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest

from sencodesk import cli, commands
from sencodesk.alerts import AlertKind, Urgency, compute_alerts, current_half_term_end, urgency
from sencodesk.rules.pay import WorkDay

D = dt.date
TODAY = D(2026, 3, 2)  # a Monday
SEED_004 = [WorkDay(wd, dt.time(8, 40), dt.time(15, 30), 30) for wd in range(5)]  # 31 h 40 min


def _school(s):
    commands.save_school(s, {"name": "Brook Lane Primary", "on_cost_percent": Decimal("30")})


def build(s):
    """One EHCP pupil, funding ending 31/03/2026, an LSA on a fixed-term contract to 31/07/2026
    paid by it, assigned 20 h of the EHCP's 25 h; expiring training and DBS; a review due."""
    _school(s)
    pid = commands.save_pupil(
        s,
        {
            "legal_first_name": "Zoë",
            "legal_last_name": "Ní Bhriain-Łukasiewicz",
            "date_of_birth": D(2016, 9, 1),
            "sen_code": "E",
            "primary_need": "ASD",
            "ehcp_issued": D(2024, 4, 20),
            "ehcp_last_review": D(2025, 4, 20),
            "ehcp_weekly_minutes": 25 * 60,
        },
    )
    fid = commands.save_funding(
        s,
        {
            "pupil_id": pid,
            "source": "top_up",
            "funder": "Northshire County Council",
            "amount_per_year": Decimal("14500"),
            "start_date": D(2025, 4, 1),
            "end_date": D(2026, 3, 31),
            "status": "confirmed",
        },
    )
    sid = commands.save_staff(
        s,
        {
            "first_name": "Sarah",
            "last_name": "Cole",
            "role": "lsa_1to1",
            "start_date": D(2024, 9, 1),
        },
    )
    cid = commands.save_contract(
        s,
        {
            "staff_id": sid,
            "kind": "fixed_term",
            "job_title": "1:1 LSA",
            "start_date": D(2025, 9, 1),
            "end_date": D(2026, 7, 31),
            "fte_salary": Decimal("23297"),
            "term_time": True,
            "paid_weeks": Decimal("43.108"),
            "notice_weeks": 4,
            "funding_id": fid,
            "days": SEED_004,
        },
    )
    commands.save_assignment(
        s,
        {
            "staff_id": sid,
            "pupil_id": pid,
            "weekly_minutes": 20 * 60,
            "sessions": 1023,
            "start_date": D(2025, 9, 1),
        },
    )
    commands.save_training(
        s,
        {
            "staff_id": sid,
            "kind": "first_aid",
            "completed": D(2023, 3, 20),
            "expires": D(2026, 3, 20),
        },
    )
    commands.save_training(
        s,
        {
            "staff_id": sid,
            "kind": "safeguarding",
            "completed": D(2025, 9, 1),
            "expires": D(2028, 9, 1),
        },
    )
    commands.save_dbs(
        s,
        {
            "staff_id": sid,
            "certificate_number": "001234567890",
            "issued": D(2023, 1, 10),
            "renew_by": D(2026, 1, 10),
        },
    )
    return pid, fid, sid, cid


def by_kind(alerts):
    out = {}
    for a in alerts:
        out.setdefault(a.kind, []).append(a)
    return out


def test_every_kind_with_its_dates(any_store):
    with any_store.session() as s:
        pid, fid, sid, cid = build(s)
    with any_store.read() as s:
        alerts = compute_alerts(s, today=TODAY, within_days=180)
    kinds = by_kind(alerts)

    # Funding ends 31/03/2026 and pays for a contract that runs past it: act by the notice date
    # (31/03 less 4 weeks = 03/03/2026, a Tuesday).
    (f,) = kinds[AlertKind.FUNDING_ENDING]
    assert (f.subject_kind, f.subject_id, f.row_id) == ("pupil", pid, fid)
    assert (f.due, f.act_by) == (D(2026, 3, 31), D(2026, 3, 3))

    # The contract outlives its funding by 122 days: 01/04/2026 to 31/07/2026.
    (u,) = kinds[AlertKind.UNFUNDED_CONTRACT]
    assert (u.subject_kind, u.subject_id, u.row_id) == ("staff", sid, cid)
    assert u.due == D(2026, 4, 1) and u.act_by == D(2026, 3, 3)
    pay = Decimal("16484")  # DOMAIN.md / seed 004, to the pound
    cost = Decimal("23297") * 1900 / (37 * 60) * Decimal("43.108") / Decimal("52.143")
    assert cost.quantize(Decimal(1)) == pay
    expected = (cost.quantize(Decimal("0.01")) * Decimal("1.30")).quantize(Decimal("0.01"))
    expected = (expected * 122 / 365).quantize(Decimal("0.01"))
    assert abs(u.amount - expected) <= Decimal("0.02"), (u.amount, expected)
    assert "122 days" in u.detail and "£" in u.detail and "31/03/2026" in u.detail

    # The contract ends 31/07/2026: notice (4 weeks) by Friday 03/07/2026.
    (c,) = kinds[AlertKind.CONTRACT_ENDING]
    assert (c.due, c.act_by, c.row_id) == (D(2026, 7, 31), D(2026, 7, 3), cid)

    # 25 h in the EHCP, 20 h assigned.
    (h,) = kinds[AlertKind.EHCP_HOURS_UNCOVERED]
    assert h.subject_id == pid and "5 h" in h.detail and h.act_by == TODAY

    # Her only LSA's contract ends on 31/07/2026 while the EHCP goes on.
    (e,) = kinds[AlertKind.SUPPORT_ENDING]
    assert (e.due, e.act_by) == (D(2026, 8, 1), D(2026, 7, 3))

    # Annual review: last 20/04/2025, due 20/04/2026, no meeting booked.
    (r,) = kinds[AlertKind.REVIEW_DUE]
    assert r.due == D(2026, 4, 20) and r.title == "Annual review due"
    # advice requests 6 weeks before the latest meeting date (Mon 20/04) = Mon 09/03/2026
    assert r.act_by == D(2026, 3, 9)

    # First aid expires 20/03/2026; safeguarding (2028) is beyond the horizon. DBS overdue.
    (t,) = kinds[AlertKind.TRAINING_EXPIRING]
    assert t.due == D(2026, 3, 20) and t.act_by == D(2026, 3, 19) and "First aid" in t.title
    (d,) = kinds[AlertKind.DBS_EXPIRING]
    assert d.due == D(2026, 1, 10) and urgency(d, TODAY) == Urgency.OVERDUE

    assert AlertKind.OVER_ASSIGNED not in kinds and AlertKind.FUNDING_UNSTAFFED not in kinds
    acts = [a.act_by for a in alerts]
    assert acts == sorted(acts)


def test_horizon_limits_what_is_shown(any_store):
    with any_store.session() as s:
        build(s)
    with any_store.read() as s:
        short = by_kind(compute_alerts(s, today=TODAY, within_days=14))
        shorter = by_kind(compute_alerts(s, today=TODAY, within_days=0))
    assert AlertKind.CONTRACT_ENDING not in short  # notice by 03/07 is months away
    # Chosen by act-by date: the funding (ends 31/03) must be acted on by 03/03, when notice
    # would have to be given for the contract it pays for to end with it.
    assert short[AlertKind.FUNDING_ENDING][0].act_by == D(2026, 3, 3)
    assert AlertKind.FUNDING_ENDING not in shorter
    assert AlertKind.DBS_EXPIRING in short  # overdue things always show


def test_over_assigned_unstaffed_and_booked_review_steps(any_store):
    with any_store.session() as s:
        pid, fid, sid, cid = build(s)
        other = commands.save_pupil(
            s,
            {
                "legal_first_name": "Kofi",
                "legal_last_name": "Mensah",
                "sen_code": "K",
                "primary_need": "SEMH",
                "date_of_birth": D(2018, 1, 5),
            },
        )
        commands.save_funding(
            s,
            {
                "pupil_id": other,
                "source": "grant",
                "funder": "Trust fund",
                "start_date": D(2026, 2, 1),
                "end_date": None,
                "amount_per_year": Decimal("3000"),
            },
        )
        # 12 h more for the LSA: 32 h assigned against 31 h 40 min contracted.
        commands.save_assignment(
            s,
            {
                "staff_id": sid,
                "pupil_id": pid,
                "weekly_minutes": 12 * 60,
                "sessions": 0,
                "start_date": D(2026, 1, 5),
                "role": "shared",
            },
        )
        mid = commands.save_review(
            s,
            {
                "pupil_id": pid,
                "kind": "annual",
                "meeting_at": dt.datetime(2026, 3, 23, 15, 30),
                "advice_requested_on": D(2026, 2, 9),
            },
        )
    with any_store.read() as s:
        kinds = by_kind(compute_alerts(s, today=TODAY, within_days=60))
    (o,) = kinds[AlertKind.OVER_ASSIGNED]
    assert o.subject_id == sid and "20 min over" in o.detail
    (u,) = kinds[AlertKind.FUNDING_UNSTAFFED]
    assert u.subject_name == "Kofi Mensah" and u.act_by == TODAY
    assert AlertKind.EHCP_HOURS_UNCOVERED not in kinds  # 32 h assigned now
    # A meeting is booked: no "review due", but its steps (advice already requested).
    assert AlertKind.REVIEW_DUE not in kinds
    steps = {a.title: a for a in kinds[AlertKind.REVIEW_STEP]}
    assert "Request advice from professionals" not in steps
    assert steps["Send invitations"].act_by == D(2026, 3, 9)
    assert steps["Hold the review meeting"].due == D(2026, 3, 23)
    assert all(a.row_id == mid for a in steps.values())


def test_open_ended_contract_outliving_funding_costs_a_year(store):
    with store.session() as s:
        pid, fid, sid, cid = build(s)
        commands.save_contract(s, {"kind": "permanent", "end_date": None}, cid)
    with store.read() as s:
        (u,) = by_kind(compute_alerts(s, today=TODAY, within_days=60))[AlertKind.UNFUNDED_CONTRACT]
    assert "no end date" in u.detail and "pay and on-costs for a year" in u.detail
    assert Decimal("21000") < u.amount < Decimal("21700")  # ~£16,484 × 1.3


def test_open_ended_funding_never_ends_and_pays_for_any_contract(store):
    """Funding with no end date: no "funding ends" alert, and no contract outlives it, however
    long the horizon (the fixed-term contract still has its own end alert)."""
    with store.session() as s:
        pid, fid, sid, cid = build(s)
        commands.save_funding(s, {"end_date": None}, fid)
    with store.read() as s:
        kinds = by_kind(compute_alerts(s, today=TODAY, within_days=3650))
    assert AlertKind.FUNDING_ENDING not in kinds
    assert AlertKind.UNFUNDED_CONTRACT not in kinds
    (c,) = kinds[AlertKind.CONTRACT_ENDING]
    assert c.subject_id == sid and c.due == D(2026, 7, 31)


def test_urgency_groups():
    from sencodesk.alerts import Alert

    def at(d):
        return Alert(AlertKind.REVIEW_DUE, "pupil", 1, "x", "t", "", d, d)

    assert urgency(at(TODAY - dt.timedelta(days=1)), TODAY) == Urgency.OVERDUE
    assert urgency(at(TODAY + dt.timedelta(days=6)), TODAY) == Urgency.THIS_WEEK  # Sunday
    assert (
        urgency(at(TODAY + dt.timedelta(days=7)), TODAY, D(2026, 3, 27)) == Urgency.THIS_HALF_TERM
    )
    assert urgency(at(D(2026, 3, 30)), TODAY, D(2026, 3, 27)) == Urgency.LATER


def test_half_term_end_from_term_dates(store):
    with store.session() as s:
        _school(s)
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
    with store.read() as s:
        assert current_half_term_end(s, TODAY) == D(2026, 3, 27)
        assert current_half_term_end(s, D(2026, 4, 1)) == D(2026, 5, 22)  # in the holiday


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_cli_formats(store, db_path, capsys, fmt):
    with store.session() as s:
        build(s)
    store.close()
    assert (
        cli.run(
            [
                "alerts",
                "--db",
                str(db_path),
                "--today",
                "2026-03-02",
                "--within",
                "180",
                "--format",
                fmt,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    if fmt == "json":
        rows = json.loads(out)["alerts"]
        kinds = {r["kind"] for r in rows}
        assert "unfunded_contract" in kinds
        u = next(r for r in rows if r["kind"] == "unfunded_contract")
        assert u["due"] == "2026-04-01" and u["act_by"] == "2026-03-03"
        assert Decimal(u["amount"]) > 0
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        u = next(r for r in rows if r["Kind"] == "Contract outlives its funding")
        assert u["Act by"] == "03/03/2026" and u["Due"] == "01/04/2026"
        assert u["Amount"].startswith("£")
    else:
        assert "Contract outlives its funding" in out and "03/03/2026" in out
        assert "Sarah Cole" in out and "Overdue" in out


def test_cli_bad_within(store, db_path, capsys):
    store.close()
    with pytest.raises(SystemExit):
        cli.run(["alerts", "--db", str(db_path), "--within", "-3"])
    assert "--within" in capsys.readouterr().err
