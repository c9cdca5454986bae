"""Review paper safe for each reader and right for each pupil (#13), read back from the PDF.

The invitee pack (the default everywhere) carries no staff contract terms, no funding amount
the LA does not already know and no internal compliance flag; the SENCO's internal copy has
everything. A pupil on SEN support (K) gets the SEN-support plan review (assess, plan, do,
review), one with no SEN (N) a one-line refusal.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pdfplumber
import pytest

from sencodesk import cli, commands
from sencodesk.reports.batch import build_review_packs, pack_jobs
from sencodesk.reports.data_review import load_review_pack
from sencodesk.reports.plan_forms import NoPlanToReview
from sencodesk.reports.review_pack import build_review_pack

from .reports_data import TODAY, build_school

D = dt.date

# What an invitee must never read: contract terms, internal flags, the school's own money.
CONTRACT_WORDS = ("Contract ends", "Give notice by", "notice", "Staff contracts", "salary")
FLAGS = ("OVERDUE", "Act by")
SCHOOL_MONEY = "£3,100.00"


def _text(source) -> str:
    with pdfplumber.open(source) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def _school(store):
    """The report school, plus a line of the school's own budget for Zoë (an amount the LA
    does not know), and a pupil with no SEN who has a meeting in the range."""
    sch = build_school(store)
    with store.session() as s:
        commands.save_funding(
            s,
            {
                "pupil_id": sch.pupil_id,
                "source": "school",
                "funder": "St Brigid's",
                "reference": "Notional SEN",
                "amount_per_year": Decimal("3100"),
                "start_date": D(2025, 9, 1),
            },
        )
        n = commands.save_pupil(
            s,
            {
                "legal_first_name": "Nora",
                "legal_last_name": "Ellis",
                "upn": "A123456789012",
                "date_of_birth": D(2016, 3, 3),
                "sen_code": "N",
            },
        )
        commands.save_review(s, {"pupil_id": n, "meeting_at": dt.datetime(2026, 3, 10, 9)})
    return sch, n


def _pack(store, pupil_id, meeting_id, **kw) -> str:
    buf = io.BytesIO()
    with store.read() as s:
        build_review_pack(s, pupil_id, meeting_id, buf, today=TODAY, **kw)
    buf.seek(0)
    return _text(buf)


def test_the_invitee_pack_is_the_default_and_holds_no_staff_terms_or_flags(store):
    sch, _ = _school(store)
    text = _pack(store, sch.pupil_id, sch.meeting_id)
    assert "for circulation to all invitees" in text
    for word in (*CONTRACT_WORDS, *FLAGS):
        assert word.casefold() not in text.casefold(), word
    assert "Łucja Brown" in text  # who supports the child is for everyone; her terms are not
    assert "£14,250.50" in text  # the LA's own top-up: the LA knows it
    assert SCHOOL_MONEY not in text
    assert "Amounts are shown for funding from the local authority only" in text
    # The statutory timetable is there, with no flags: due dates and what is done.
    assert "Send invitations 23/02/2026 20/01/2026" in text
    assert "Request advice from professionals 26/01/2026 –" in text


def test_the_internal_copy_has_everything(store):
    sch, _ = _school(store)
    text = _pack(store, sch.pupil_id, sch.meeting_id, audience="internal")
    assert "SENCO's internal copy, not for circulation" in text
    for word in ("Contract ends", "Give notice by", "Staff contracts paid", "OVERDUE", "Act by"):
        assert word in text, word
    assert SCHOOL_MONEY in text and "£14,250.50" in text


def test_the_command_line_and_the_batch_default_to_the_invitee_pack(store, db_path, tmp_path):
    sch, _ = _school(store)
    store.close()
    one, mine = tmp_path / "one.pdf", tmp_path / "mine.pdf"
    base = ["--db", str(db_path), "--today", "2026-02-20"]
    pupil = ["report", "review-pack", "--pupil", str(sch.pupil_id)]
    assert cli.run([*pupil, "--out", str(one), *base]) == 0
    assert cli.run([*pupil, "--out", str(mine), "--audience", "internal", *base]) == 0
    assert "Give notice by" not in _text(one) and "OVERDUE" not in _text(one)
    assert "Give notice by" in _text(mine)
    folder = tmp_path / "packs"
    rng = ["--from", "2026-03-01", "--to", "2026-03-31", "--out", str(folder)]
    assert cli.run(["report", "review-packs", *rng, *base]) == 0
    packs = sorted(folder.glob("*.pdf"))
    assert packs and all("Give notice by" not in _text(p) for p in packs)
    assert all("OVERDUE" not in _text(p) for p in packs)


def test_a_wrong_audience_is_refused_in_one_line(store, db_path, tmp_path, capsys):
    sch, _ = _school(store)
    store.close()
    args = ["report", "review-pack", "--pupil", str(sch.pupil_id), "--audience", "parents"]
    with pytest.raises(SystemExit) as e:
        cli.run([*args, "--out", str(tmp_path / "x.pdf"), "--db", str(db_path)])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "argument --audience: invalid PackAudience value: 'parents'" in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_pupil_on_sen_support_gets_the_apdr_review(store):
    sch, _ = _school(store)
    with store.session() as s:
        mid = commands.save_review(
            s, {"pupil_id": sch.other_id, "meeting_at": dt.datetime(2026, 3, 12, 9)}
        )
    text = _pack(store, sch.other_id, mid)
    assert "Review of the SEN-support plan" in text
    assert "Assess, plan, do, review" in text
    for heading in ("Assess: what we know now", "Plan: what we will aim for next", "Do:"):
        assert heading in text, heading
    assert "Review: what happens next" in text
    assert "Continue SEN support with the revised plan" in text
    assert "every 3 months (each term)" in text
    for ehcp in ("EHC plan issued", "Annual review of the EHC plan", "Maintain the plan"):
        assert ehcp not in text, ehcp
    assert "Request advice from professionals" not in text  # no statutory chain for K


def test_a_pupil_with_no_sen_is_refused_in_one_line(store, db_path, tmp_path, capsys):
    sch, n = _school(store)
    with store.read() as s, pytest.raises(NoPlanToReview, match="SEN code is N"):
        load_review_pack(s, n, None, today=TODAY)
    # The batch makes packs only for pupils with a plan to review.
    assert {j.pupil_id for j in pack_jobs(store, D(2026, 3, 1), D(2026, 3, 31))} == {sch.pupil_id}
    files = build_review_packs(store, D(2026, 3, 1), D(2026, 3, 31), tmp_path / "b", today=TODAY)
    assert len(files) == 1
    store.close()
    out = tmp_path / "n.pdf"
    code = cli.run(
        ["report", "review-pack", "--pupil", str(n), "--out", str(out), "--db", str(db_path)]
    )
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1
    assert "SEN code is N" in err and "Traceback" not in err
    assert not out.exists()


# --------------------------------------------------------------------- plan, staffed, delivered


def test_the_plan_staffed_and_delivered_are_stated_in_one_place_as_the_alert_says(store):
    """The plan says 35 h; Łucja's 25 h are staffed: 10 h short, as the dashboard's alert."""
    from sencodesk.alerts import AlertKind, compute_alerts

    sch, _ = _school(store)
    with store.session() as s:
        commands.save_pupil(s, {"ehcp_weekly_minutes": 35 * 60}, sch.pupil_id)
    text = " ".join(_pack(store, sch.pupil_id, sch.meeting_id).split())
    assert "The plan says 35 h a week; 25 h are staffed now: 10 h short." in text
    with store.read() as s:
        alert = next(
            a
            for a in compute_alerts(s, today=TODAY)
            if a.kind == AlertKind.EHCP_HOURS_UNCOVERED and a.subject_id == sch.pupil_id
        )
    assert "10 h a week short" in alert.title
    # Planned, recorded and not recorded apart, never a percentage of "the plan".
    assert "Recorded 15 h in 20 support sessions written down" in text
    assert "No record 500 h of the planned time has no record" in text
    assert "not the same as support not given" in text
    assert "of planned" not in text and "Of plan" not in text
    # Months before anyone was assigned are not a row of "0 / 0 h".
    assert "March 2025" not in text and "September 2025 4 3 h" in text


def test_records_count_only_within_each_assignments_dates(store):
    """A session Łucja recorded in June 2025, before her assignment began (01/09/2025),
    is not counted against the assignment."""
    sch, _ = _school(store)
    with store.session() as s:
        commands.save_record(
            s,
            {
                "pupil_id": sch.pupil_id,
                "kind": "support",
                "author_id": sch.staff_id,
                "occurred_at": dt.datetime(2025, 6, 2, 10),
                "minutes": 60,
                "text": "Reading together",
            },
        )
    with store.read() as s:
        pack = load_review_pack(s, sch.pupil_id, sch.meeting_id, today=TODAY)
    (lucja,) = pack.support
    assert (lucja.recorded_minutes, lucja.recorded_sessions) == (15 * 60, 20)
    assert pack.other_support_minutes == 60
    assert pack.recorded_support_minutes == 16 * 60


def test_half_an_hour_is_never_written_0_h_30_min():
    from sencodesk.rules.pay import format_hours

    assert format_hours(30) == "30 min"
    assert format_hours(90) == "1 h 30 min"


def test_the_pack_explains_its_scales_and_words(store):
    sch, _ = _school(store)
    text = " ".join(_pack(store, sch.pupil_id, sch.meeting_id).split())
    assert "Key to the status of an outcome" in text
    assert "Key to progress on a record" in text
    assert "Words used in this pack" in text
    assert "Antecedent What happened just before an incident." in text
    assert "physical intervention was used in 1 of them" in text
    assert "used in 0" not in text


# --------------------------------------------------------------------- as at the meeting


def test_a_past_meetings_pack_shows_that_days_year_class_and_staffing(store):
    """Reprinted on 01/10/2026, the 09/03/2026 meeting's pack says Year 6, class 5B (as
    then), not Year 7, class 7A (as now), and leaves out a contract begun after it."""
    from .reports_data import _days

    sch, _ = _school(store)
    with store.session() as s:
        commands.save_pupil(s, {"class_name": "7A"}, sch.pupil_id)
        later = commands.save_staff(
            s,
            {
                "first_name": "Kwame",
                "last_name": "Later",
                "role": "lsa_1to1",
                "start_date": D(2026, 3, 20),
            },
        )
        commands.save_contract(
            s,
            {
                "staff_id": later,
                "kind": "fixed_term",
                "job_title": "1:1 LSA",
                "start_date": D(2026, 3, 20),
                "end_date": D(2026, 3, 31),
                "grade": "Grade 4",
                "pay_point": "SCP 5",
                "fte_salary": Decimal("24223"),
                "days": _days(),
                "paid_weeks": Decimal("43.108"),
                "funding_id": sch.funding_id,
            },
        )
    buf = io.BytesIO()
    with store.read() as s:
        build_review_pack(
            s, sch.pupil_id, sch.meeting_id, buf, today=D(2026, 10, 1), audience="internal"
        )
    buf.seek(0)
    text = _text(buf)
    assert "Year 6, class 5B" in text
    assert "Year 7" not in text and "7A" not in text
    assert "Kwame Later" not in text and "Łucja Brown" in text
    # A pack for a meeting still to come shows the class as it is now.
    assert "class 7A" in _pack(store, sch.pupil_id, sch.meeting_id)
