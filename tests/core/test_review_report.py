"""The review report after the meeting (#13): `report review-report --meeting ID`, read back
from the PDF as an LA officer and a parent would read it; and the meeting's record in the
pack, where the form asks for it (the invitee copy shows only what parents may see)."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from sencodesk import cli, commands
from sencodesk.reports.plan_forms import NoPlanToReview
from sencodesk.reports.review_pack import build_review_pack
from sencodesk.reports.review_report import build_review_report

from .reports_data import TODAY, ZOE_UPN, build_school

D = dt.date
AFTER = D(2026, 3, 12)  # three days after the meeting of 09/03/2026
CONFIDENTIAL = "Family support worker involved (confidential)."

RECORD = {
    "held_on": D(2026, 3, 9),
    "recommendation": "amend",
    "report_sent_on": D(2026, 3, 16),
    "attendance_percent": "91.5",
    "exclusions": "One suspension of 1 day (12/11/2025)",
    "attainment": "Reading: age 7 years 2 months (up 8 months).\nWriting: working towards the expected standard.",
    "needs_changes": "Zoë's needs in social communication are now her main need; reading has improved.",
    "health_care": "Seen by the paediatrician in January; no change to medication.",
    "social_care": "No social care involvement.",
    "aspirations": "Zoë wants to be a vet and to go to the same secondary school as her friends.",
    "pupil_views": "I like the quiet room. Maths is hard when it is noisy.",
    "parent_views": "Mornings are calmer since the visual timetable. We worry about the move to Year 7.",
    "school_view": "Good progress with the visual timetable; she needs more speech and language therapy.",
    "attendees": "Áine Ní Bhriain (mother)\nDr O. Adeyemi (educational psychologist)\nMs J. Carter (SENCO)",
    "sent_to": "Northshire SEN team; Áine Ní Bhriain; Dr O. Adeyemi",
    "advice": [
        {
            "source": "ep",
            "given_by": "Dr O. Adeyemi",
            "received_on": D(2026, 2, 2),
            "summary": "Use a visual timetable; pre-teach new words before each",
        },
        {
            "source": "salt",
            "given_by": "NHS SaLT team",
            "received_on": D(2026, 2, 9),
            "summary": "Expressive language below age; 2 sessions a week recommended.",
        },
        {
            "source": "social_care",
            "received_on": D(2026, 2, 10),
            "summary": "Family support worker involved (confidential).",
            "shared": False,
        },
    ],
    "amendments": [
        {"section": "B", "text": "Social communication to be the primary need."},
        {
            "section": "F",
            "text": "Add speech and language therapy, 2 sessions of 30 minutes a week.",
        },
        {"section": "I", "text": "Name the secondary school for September 2026."},
    ],
}


def _text(source) -> str:
    with pdfplumber.open(source) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    return " ".join(text.split())


def _report(store, meeting_id, **kw) -> str:
    buf = io.BytesIO()
    with store.read() as s:
        build_review_report(s, meeting_id, buf, today=AFTER, **kw)
    buf.seek(0)
    return _text(buf)


def _recorded(store):
    sch = build_school(store)
    with store.session() as s:
        commands.save_review(s, RECORD, sch.meeting_id)
    return sch


def test_the_ehc_plan_review_report_says_what_the_la_form_asks_for(store):
    sch = _recorded(store)
    text = _report(store, sch.meeting_id)
    for said in (
        "Review report: annual review of the EHC plan",
        "for the local authority and everyone invited",
        "The school's recommendation to the local authority Amend the plan",
        "Report due to the LA by 23/03/2026",
        "Report sent on 16/03/2026",
        "Sent to Northshire SEN team; Áine Ní Bhriain; Dr O. Adeyemi",
        "Dr O. Adeyemi (educational psychologist)",  # who came, one a line
        "91.5% of sessions attended",
        "One suspension of 1 day (12/11/2025)",
        "Reading: age 7 years 2 months (up 8 months).",
        "Use a visual timetable; pre-teach new words before each",
        "Changes to the child's needs (section B of the plan)",
        "social communication are now her main need",
        "Health (sections C and G) Health needs, and the health care the child receives. "
        "Seen by the paediatrician",
        "Social care (sections D and H)",
        "The child's views",
        "I like the quiet room.",
        "We worry about the move to Year 7.",
        "Zoë wants to be a vet",
        "The school's view Good progress",
        "B: special educational needs Social communication to be the primary need.",
        "F: special educational provision Add speech and language therapy",
        "Year 6, class 5B",
        "The plan says 25 h a week",
    ):
        assert said in text, said
    # the invitees' (and the LA's) copy: no advice kept back, no contract terms or flags
    assert CONFIDENTIAL not in text
    for word in ("Contract ends", "Give notice by", "OVERDUE", "Act by", "salary"):
        assert word.casefold() not in text.casefold(), word
    internal = _report(store, sch.meeting_id, audience="internal")
    assert "SENCO's internal copy" in internal
    assert "Not for invitees: " + CONFIDENTIAL in internal  # marked as kept back


def test_the_las_decision_is_shown_apart_from_the_schools_recommendation(store):
    sch = _recorded(store)
    assert "The local authority's decision" not in _report(store, sch.meeting_id)
    with store.session() as s:
        commands.save_review(
            s, {"outcome": "maintain", "la_decision_on": D(2026, 4, 1)}, sch.meeting_id
        )
    text = _report(store, sch.meeting_id)
    assert "The school's recommendation to the local authority Amend the plan" in text
    assert "The local authority's decision: Maintain the plan (told on 01/04/2026)." in text


def test_a_sen_support_review_says_what_happens_next_and_no_ehc_plan_sections(store):
    sch = build_school(store)
    with store.session() as s:
        pid = commands.save_pupil(
            s,
            {
                "legal_first_name": "Kai",
                "legal_last_name": "Moss",
                "date_of_birth": D(2016, 2, 2),
                "sen_code": "K",
            },
        )
        mid = commands.save_review(
            s,
            {
                "pupil_id": pid,
                "meeting_at": dt.datetime(2026, 3, 10, 9),
                "held_on": D(2026, 3, 10),
                "next_step": "ask_ehcna",
                "parent_views": "We would like an assessment.",
            },
        )
    assert sch.meeting_id != mid
    text = _report(store, mid)
    assert "Record of the review of the SEN-support plan" in text
    assert "What happens next Ask the local authority for an EHC needs assessment" in text
    assert "for the family and everyone invited" in text
    assert "The next review is due by 10/06/2026" in text
    assert "We would like an assessment." in text
    for word in ("section B", "Report due to the LA", "recommendation", "Maintain"):
        assert word not in text, word
    # what was not written says so, rather than leaving a heading empty
    assert "The child's views Nothing written." in text


def test_a_meeting_not_yet_recorded_says_so(store):
    sch = build_school(store)
    text = _report(store, sch.meeting_id)
    assert "The school's recommendation to the local authority Not yet recorded." in text
    assert "Who attended was not recorded." in text
    assert "No changes to the plan were proposed." in text


def test_no_report_for_a_pupil_with_no_sen(store):
    build_school(store)
    with store.session() as s:
        pid = commands.save_pupil(
            s, {"legal_first_name": "N", "legal_last_name": "One", "date_of_birth": D(2016, 1, 1)}
        )
        mid = commands.save_review(s, {"pupil_id": pid, "meeting_at": dt.datetime(2026, 3, 10, 9)})
    with pytest.raises(NoPlanToReview), store.read() as s:
        build_review_report(s, mid, io.BytesIO(), today=AFTER)


def test_the_command_writes_the_report_and_names_a_wrong_meeting(store, db_path, tmp_path, capsys):
    sch = _recorded(store)
    out = tmp_path / "report.pdf"
    base = ["--db", str(db_path), "--today", "12/03/2026"]
    assert (
        cli.run(
            ["report", "review-report", "--meeting", str(sch.meeting_id), "--out", str(out), *base]
        )
        == 0
    )
    assert "Amend the plan" in _text(out)
    code = cli.run(
        ["report", "review-report", "--meeting", "999", "--out", str(tmp_path / "x.pdf"), *base]
    )
    err = capsys.readouterr().err.strip()
    assert code != 0 and "no review meeting with id 999" in err
    assert "Traceback" not in err and not (tmp_path / "x.pdf").exists()
    # or by the pupil: their last meeting up to today, or the one on a date
    by_pupil = tmp_path / "by-pupil.pdf"
    rp = ["report", "review-report", "--pupil", ZOE_UPN]
    assert cli.run([*rp, "--out", str(by_pupil), *base]) == 0
    assert "Amend the plan" in _text(by_pupil)
    assert cli.run([*rp, "--on", "09/03/2026", "--out", str(by_pupil), *base]) == 0
    code = cli.run([*rp, "--on", "10/03/2026", "--out", str(by_pupil), *base])
    assert code != 0 and "no review meeting on 10/03/2026" in capsys.readouterr().err
    early = ["--db", str(db_path), "--today", "01/03/2026"]
    assert cli.run([*rp, "--out", str(by_pupil), *early]) != 0
    assert "has had no review meeting by 01/03/2026" in capsys.readouterr().err
    assert cli.run(["report", "review-report", "--out", str(by_pupil), *base]) != 0
    assert "Name the meeting: --meeting ID, or --pupil" in capsys.readouterr().err


def test_the_pack_shows_what_was_written_where_the_form_asks_and_only_what_parents_may_see(store):
    sch = _recorded(store)
    packs = {}
    for audience in ("invitees", "internal"):
        buf = io.BytesIO()
        with store.read() as s:
            build_review_pack(s, sch.pupil_id, sch.meeting_id, buf, today=TODAY, audience=audience)
        buf.seek(0)
        packs[audience] = _text(buf)
    invitee = packs["invitees"]
    assert "For the review form" in invitee
    assert "91.5% of sessions attended" in invitee
    assert "We worry about the move to Year 7." in invitee
    assert "Expressive language below age" in invitee
    assert CONFIDENTIAL not in invitee
    assert CONFIDENTIAL in packs["internal"]


def test_a_pack_with_nothing_written_has_no_review_form_pages(store):
    sch = build_school(store)
    buf = io.BytesIO()
    with store.read() as s:
        build_review_pack(s, sch.pupil_id, sch.meeting_id, buf, today=TODAY)
    buf.seek(0)
    assert "For the review form" not in _text(buf)
