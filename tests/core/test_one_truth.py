"""Issue #10, "One truth for funding, contracts and hours": each case of the issue, on a
school built through ``import``, read back through ``alerts --today D``, ``report expiries``,
``report costs``, the .ics and the review pack's data, which must state the same figures.

These tests use only the public surfaces (the command line, the reports, the pack's data),
so each one fails on the code before the fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from icalendar import Calendar

from sencodesk import commands
from sencodesk.cli import run
from sencodesk.errors import ValidationError
from sencodesk.reports.data_review import load_review_pack
from sencodesk.store import open_store

D = dt.date
ALL_WEEK = (1 << 10) - 1
SEPT_2025 = D(2025, 9, 1)


# --------------------------------------------------------------------------- helpers


def school(s, **extra):
    commands.save_school(
        s, {"name": "Brook Lane Primary", "on_cost_percent": Decimal("30"), **extra}
    )


def pupil(s, first="Zoë", last="Ní Bhriain", **kw):
    values = {
        "legal_first_name": first,
        "legal_last_name": last,
        "date_of_birth": D(2016, 9, 1),
        "sen_code": "E",
        "primary_need": "ASD",
        "ehcp_issued": D(2025, 10, 1),
        "ehcp_last_review": D(2026, 10, 1),
        "ehcp_weekly_minutes": 25 * 60,
    }
    values.update(kw)
    return commands.save_pupil(s, values)


def staff(s, first="Sarah", last="Cole", role="lsa_1to1", dbs=True):
    sid = commands.save_staff(
        s, {"first_name": first, "last_name": last, "role": role, "start_date": D(2024, 9, 1)}
    )
    if dbs:
        commands.save_dbs(
            s,
            {
                "staff_id": sid,
                "certificate_number": "001234567890",
                "issued": D(2025, 9, 1),
                "renew_by": D(2028, 9, 1),
            },
        )
    return sid


def funding(s, pid, end, start=SEPT_2025, amount="14500"):
    return commands.save_funding(
        s,
        {
            "pupil_id": pid,
            "source": "top_up",
            "funder": "Northshire County Council",
            "amount_per_year": Decimal(amount),
            "start_date": start,
            "end_date": end,
            "status": "confirmed",
        },
    )


def contract(s, sid, end, fid=None, minutes=25 * 60, start=SEPT_2025, kind="fixed_term"):
    return commands.save_contract(
        s,
        {
            "staff_id": sid,
            "kind": kind,
            "job_title": "1:1 LSA",
            "start_date": start,
            "end_date": end,
            "fte_salary": Decimal("24223"),
            "weekly_minutes": minutes,
            "term_time": True,
            "paid_weeks": Decimal("43.108"),
            "notice_weeks": 4,
            "funding_id": fid,
        },
    )


def assign(s, sid, pid, minutes=25 * 60, sessions=ALL_WEEK, start=SEPT_2025, role=None):
    values = {
        "staff_id": sid,
        "pupil_id": pid,
        "weekly_minutes": minutes,
        "sessions": sessions,
        "start_date": start,
    }
    if role:
        values["role"] = role
    return commands.save_assignment(s, values)


def via_import(tmp_path: Path, build) -> tuple[Path, dict]:
    """Build a school with the commands, export it, and import it into a new database."""
    src = open_store(tmp_path / "built.db", user="test")
    with src.session() as s:
        ids = build(s)
    src.close()
    out = tmp_path / "school.json"
    assert run(["export", "--db", str(tmp_path / "built.db"), "--out", str(out)]) == 0
    db = tmp_path / "school.db"
    assert run(["import", str(out), "--db", str(db)]) == 0
    return db, ids


def alerts_json(db: Path, today: dt.date, capsys, within: int = 120) -> list[dict]:
    capsys.readouterr()
    args = ["alerts", "--db", str(db), "--today", today.isoformat(), "--within", str(within)]
    assert run([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["alerts"]


def report_table(db: Path, name: str, today: dt.date, tmp_path: Path, first: str) -> list[dict]:
    """The rows of a report's CSV table whose header starts with ``first``."""
    out = tmp_path / f"{name}.csv"
    assert (
        run(["report", name, "--db", str(db), "--today", today.isoformat(), "--out", str(out)]) == 0
    )
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    tables: list[list[dict]] = []
    header = None
    for r in rows:
        if r and r[0] == first:
            header = r
            tables.append([])
        elif header and r and any(r) and len(r) == len(header):
            tables[-1].append(dict(zip(header, r, strict=True)))
        else:
            header = None
    return [row for t in tables for row in t]


def money(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def by_kind(alerts: list[dict], kind: str) -> list[dict]:
    return [a for a in alerts if a["kind"] == kind]


# --------------------------------------------------------------------------- case 1 (and 8, 11)

T1 = D(2026, 11, 9)  # a Monday
F1_END = T1 + dt.timedelta(days=121)  # 10/03/2027: just beyond the 120-day horizon
C1_END = D(2027, 8, 10)  # five months later: 153 days unfunded


def build_case_1(s):
    school(s)
    pid = pupil(s)
    fid = funding(s, pid, F1_END)
    sid = staff(s)
    cid = contract(s, sid, C1_END, fid)
    assign(s, sid, pid)
    return {"pupil": pid, "funding": fid, "staff": sid, "contract": cid}


def test_case_1_headline_alert_chosen_by_act_by_and_the_same_figures_everywhere(tmp_path, capsys):
    db, ids = via_import(tmp_path, build_case_1)
    alerts = alerts_json(db, T1, capsys)
    (u,) = by_kind(alerts, "unfunded_contract")
    (f,) = by_kind(alerts, "funding_ending")
    # Notice for the contract to end with the funding: 10/03/2027 less 4 weeks.
    assert u["act_by"] == "2027-02-10" and u["due"] == "2027-03-11"
    assert f["act_by"] == "2027-02-10" and f["due"] == "2027-03-10"
    assert u["days"] == 153
    amount = Decimal(u["amount"])
    # Case 11: the £ says what it is, wherever it appears.
    assert "pay and on-costs, 153 of 365 days" in u["detail"]
    assert "153 days" in u["title"] and f"£{amount:,}" in u["title"]

    expiries = report_table(db, "expiries", T1, tmp_path, "Ends")
    (crow,) = [r for r in expiries if r["What"] == "Contract"]
    (frow,) = [r for r in expiries if r["What"] == "Funding"]
    assert crow["Days unfunded"] == "153" and money(crow["Unfunded cost"]) == amount
    # Case 8: both the act-by to end it with the funding and its own notice-by date.
    assert crow["Notice to end with funding"] == "10/02/2027"
    assert crow["Own notice by"] == "13/07/2027"
    assert crow["Act by"] == "10/02/2027"
    assert "pay and on-costs, 153 of 365 days" in crow["Check"]
    assert frow["Act by"] == "10/02/2027" and money(frow["Unfunded cost"]) == amount

    costs = report_table(db, "costs", T1, tmp_path, "Staff")
    (srow,) = costs
    store = open_store(db, user="test")
    try:
        with store.read() as s:
            pack = load_review_pack(s, ids["pupil"], None, today=T1)
            from sencodesk.queries.money import contract_rows

            (row,) = contract_rows(s)
    finally:
        store.close()
    assert money(srow["Employer cost a year"]) == row.annual_cost
    assert row.gap is not None and row.gap.cost == amount and row.gap.days == 153
    (notice,) = pack.contracts
    assert notice.gap is not None and notice.gap.cost == amount and notice.gap.days == 153
    assert notice.funding_act_by == D(2027, 2, 10) and notice.notice_by == D(2027, 7, 13)

    # Case 8: the .ics has both dates too.
    ics = tmp_path / "cal.ics"
    assert run(["calendar", "--db", str(db), "--out", str(ics), "--today", T1.isoformat()]) == 0
    events = {str(e["uid"]): e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    cid = ids["contract"]
    assert events[f"contract-{cid}-notice@sencodesk"]["dtstart"].dt == D(2027, 7, 13)
    end_with = events[f"contract-{cid}-funding-notice@sencodesk"]
    assert end_with["dtstart"].dt == D(2027, 2, 10)
    assert "pay and on-costs, 153 of 365 days" in str(end_with["description"])
    assert events[f"funding-{ids['funding']}-act@sencodesk"]["dtstart"].dt == D(2027, 2, 10)


# --------------------------------------------------------------------------- case 2


def build_case_2(s):
    school(s)
    pid = pupil(s, ehcp_weekly_minutes=None, sen_code="K", ehcp_issued=None, ehcp_last_review=None)
    fid = funding(s, pid, D(2025, 3, 31), start=D(2024, 4, 1))
    sid = staff(s)
    contract(s, sid, D(2025, 7, 31), fid, start=D(2024, 9, 1))
    return {"pupil": pid}


def test_case_2_a_contract_that_ended_long_ago_is_history(tmp_path, capsys):
    db, _ = via_import(tmp_path, build_case_2)
    today = D(2026, 3, 1)
    assert by_kind(alerts_json(db, today, capsys), "unfunded_contract") == []
    assert report_table(db, "expiries", today, tmp_path, "Ends") == []


# --------------------------------------------------------------------------- case 3


def build_case_3(s):
    school(s)
    a = pupil(s, "Amara", "Okafor")
    b = pupil(s, "Bo", "Li")
    sid = staff(s)
    contract(s, sid, None, minutes=1050, kind="permanent")  # 17.5 h
    assign(s, sid, a, minutes=15 * 60, sessions=0b0101010101)  # mornings
    assign(s, sid, b, minutes=10 * 60, sessions=0b1010101010)  # afternoons
    return {}


def test_case_3_costs_never_invent_money(tmp_path):
    db, _ = via_import(tmp_path, build_case_3)
    today = D(2026, 3, 2)
    rows = report_table(db, "costs", today, tmp_path, "Staff")
    (lsa,) = rows
    cost = money(lsa["Employer cost a year"])
    pupils = report_table(db, "costs", today, tmp_path, "Pupil")
    shares = {r["Pupil"]: money(r["Cost a year"]) for r in pupils}
    # Shared over the 25 h assigned, never more than the contract's cost.
    assert sum(shares.values()) == cost
    assert shares["Amara Okafor"] == (cost * 900 / 1500).quantize(Decimal("0.01"))
    assert "Over-assigned by 7 h 30 min" in lsa["Check"]


# --------------------------------------------------------------------------- case 4


def build_case_4(s):
    school(s)
    k = pupil(s, "Kit", "Sen", sen_code="K", ehcp_weekly_minutes=None, ehcp_issued=None,
              ehcp_last_review=None)  # fmt: skip
    part = pupil(s, "Pat", "Part")
    none = pupil(s, "Nia", "None")
    funding(s, part, D(2027, 3, 31), amount="20000")
    funding(s, none, D(2027, 3, 31), amount="10570")
    sid = staff(s)
    contract(s, sid, None, minutes=30 * 60, kind="permanent")
    assign(s, sid, k, minutes=5 * 60, sessions=0b11)
    assign(s, sid, part, minutes=10 * 60, sessions=0b1111111100)
    return {}


def test_case_4_shortfall_flags_point_the_right_way(tmp_path):
    db, _ = via_import(tmp_path, build_case_4)
    today = D(2026, 3, 2)
    pupils = {r["Pupil"]: r for r in report_table(db, "costs", today, tmp_path, "Pupil")}
    assert "Shortfall" not in pupils["Kit Sen"]["Check"]  # school-funded SEN support
    assert "EHCP hours unstaffed: 15 h a week" in pupils["Pat Part"]["Check"]
    assert "EHCP hours unstaffed: 25 h a week" in pupils["Nia None"]["Check"]
    assert money(pupils["Nia None"]["Funding a year"]) == Decimal("10570")
    provision = report_table(db, "provision-map", today, tmp_path, "Provision")
    assert any(r.get("Pupil") == "Nia None" and "unstaffed" in r["Check"] for r in provision)


# --------------------------------------------------------------------------- case 5


def test_case_5_the_same_lsa_twice_in_one_session_is_refused(store):
    with store.session() as s:
        school(s)
        pid = pupil(s)
        sid = staff(s)
        contract(s, sid, None, kind="permanent")
        assign(s, sid, pid, minutes=25 * 60)
    with store.session() as s, pytest.raises(ValidationError) as e:
        assign(s, sid, pid, minutes=20 * 60, sessions=0b11)
    assert "sessions" in e.value.errors and "Mon AM+PM" in e.value.errors["sessions"]
    with store.session() as s:  # another pupil in other sessions is fine
        other = pupil(s, "Bo", "Li")
        assign(s, sid, other, minutes=60, sessions=0)


# --------------------------------------------------------------------------- case 6


def build_case_6(s):
    school(s)
    # Year 6 in 2026/27 (born 2015/16): transfers to secondary in September 2027.
    pid = pupil(s, date_of_birth=D(2015, 10, 5), ehcp_last_review=D(2026, 3, 2))
    commands.save_review(s, {"pupil_id": pid, "meeting_at": dt.datetime(2027, 3, 1, 10)})
    return {"pupil": pid}


def test_case_6_phase_transfer_is_an_alert_an_event_and_a_deadline(tmp_path, capsys):
    db, ids = via_import(tmp_path, build_case_6)
    today = D(2026, 11, 9)
    (a,) = by_kind(alerts_json(db, today, capsys), "phase_transfer")
    assert a["due"] == "2027-02-15"
    assert a["act_by"] == "2027-01-18"  # a meeting by then leaves the LA its 4 weeks
    assert "01/03/2027 is too late" in a["detail"]
    ics = tmp_path / "cal.ics"
    assert run(["calendar", "--db", str(db), "--out", str(ics), "--today", today.isoformat()]) == 0
    events = {str(e["uid"]): e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    assert events[f"phase-{ids['pupil']}-2027@sencodesk"]["dtstart"].dt == D(2027, 2, 15)


def test_case_6_the_pack_takes_year_group_and_year_from_the_meeting(store):
    with store.session() as s:
        school(s)
        # Year 5 in July 2026, Year 6 at a September 2026 meeting: transfer due 15/02/2027.
        pid = pupil(
            s,
            date_of_birth=D(2015, 10, 5),
            ehcp_issued=D(2024, 9, 1),
            ehcp_last_review=D(2025, 9, 20),
        )
        mid = commands.save_review(s, {"pupil_id": pid, "meeting_at": dt.datetime(2026, 9, 18, 10)})
    with store.read() as s:
        pack = load_review_pack(s, pid, mid, today=D(2026, 7, 10))
    assert pack.phase_transfer_due == D(2027, 2, 15)
    steps = {x.step: x for x in pack.meeting.steps}
    assert steps["phase_transfer"].due == D(2027, 2, 15)


# --------------------------------------------------------------------------- case 7


AUTUMN_2026 = [
    (D(2026, 9, 2), D(2026, 10, 23)),
    (D(2026, 11, 2), D(2026, 12, 18)),
    (D(2027, 1, 5), D(2027, 2, 12)),
    (D(2027, 2, 22), D(2027, 3, 26)),
    (D(2027, 4, 12), D(2027, 5, 28)),
    (D(2027, 6, 7), D(2027, 7, 21)),
]


def build_case_7(s):
    school(s)
    commands.set_term_dates(s, 2026, AUTUMN_2026)
    sid = staff(s)
    commands.save_training(
        s, {"staff_id": sid, "kind": "first_aid", "completed": D(2023, 12, 31),
            "expires": D(2026, 12, 31)},
    )  # fmt: skip
    return {}


def test_case_7_act_by_is_a_school_day_and_the_due_date_stays(tmp_path, capsys):
    db, _ = via_import(tmp_path, build_case_7)
    (a,) = by_kind(alerts_json(db, D(2026, 11, 9), capsys), "training_expiring")
    assert a["due"] == "2026-12-31"
    assert a["act_by"] == "2026-12-18"  # not 30/12, in the Christmas holidays


# --------------------------------------------------------------------------- case 9


def build_case_9(s):
    school(s)
    pupil(s, ehcp_last_review=D(2025, 11, 1))
    return {}


def test_case_9_an_overdue_review_says_what_to_do_now(tmp_path, capsys):
    db, _ = via_import(tmp_path, build_case_9)
    (a,) = by_kind(alerts_json(db, D(2026, 11, 9), capsys), "review_due")
    assert a["title"] == "Annual review overdue"
    assert "request their advice today" in a["detail"]
    assert " by " not in a["detail"].split(":", 1)[1]  # no date already past to act by


# --------------------------------------------------------------------------- case 10


def build_case_10(s):
    school(s)
    pid = pupil(s)
    sid = staff(s, dbs=False)
    contract(s, sid, None, kind="permanent")
    assign(s, sid, pid)
    return {"staff": sid}


def test_case_10_a_1to1_lsa_without_an_enhanced_dbs_raises_an_alert(tmp_path, capsys):
    db, ids = via_import(tmp_path, build_case_10)
    (a,) = by_kind(alerts_json(db, D(2026, 3, 2), capsys), "dbs_missing")
    assert a["subject_id"] == ids["staff"] and a["act_by"] == "2026-03-02"
