"""What an LA's review form asks for, stored per review meeting (#13): attendance and
exclusions, attainment, advice received, changes to section B, health and social care,
amendments section by section, views and aspirations, the school's view; checked like every
other write, in the pupil's subject access copy and JSON export, and migrated up and down."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pdfplumber
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from sencodesk import commands
from sencodesk.errors import ValidationError
from sencodesk.exchange.json_io import export_json
from sencodesk.model import Base
from sencodesk.queries.review_record import meeting_record
from sencodesk.safety.sar_pdf import write_sar_pdf
from sencodesk.store import _alembic_config

D = dt.date
WHEN = dt.datetime(2026, 3, 9, 14, 30)

RECORD = {
    "attendance_percent": "91.5",
    "exclusions": "One suspension, 1 day (12/11/2025)",
    "attainment": "Reading age 7y 2m; writing working towards the expected standard",
    "needs_changes": "Needs in social communication are now the main need",
    "health_care": "Seen by the paediatrician in January; no change to medication",
    "social_care": "No social care involvement",
    "aspirations": "To be a vet",
    "pupil_views": "I like the quiet room",
    "parent_views": "Mum says mornings are calmer",
    "school_view": "Good progress with the visual timetable",
    "attendees": "Áine Ní Bhriain (parent)\nDr O. Adeyemi (EP)",
    "sent_to": "Northshire SEN team; parents",
}


def _pupil(s, sen_code="E") -> int:
    return commands.save_pupil(
        s,
        {
            "legal_first_name": "Zoë",
            "legal_last_name": "Nolan",
            "upn": "B801200005001",
            "date_of_birth": D(2015, 5, 4),
            "sen_code": sen_code,
        },
    )


def _meeting(s, pid) -> int:
    return commands.save_review(
        s,
        {
            "pupil_id": pid,
            "meeting_at": WHEN,
            "invitees": [{"name": "Áine Ní Bhriain", "role": "Parent"}],
        },
    )


def _full(s, mid) -> None:
    commands.save_review(
        s,
        {
            **RECORD,
            "advice": [
                {
                    "source": "ep",
                    "given_by": "Dr O. Adeyemi",
                    "received_on": "02/02/2026",
                    "summary": "Visual timetable; pre-teach new words",
                },
                {
                    "source": "social_care",
                    "received_on": D(2026, 2, 10),
                    "summary": "Family support worker involved",
                    "shared": False,
                },
            ],
            "amendments": [
                {"section": "F", "text": "Add 2 sessions a week of speech therapy"},
                {"section": "B", "text": "Social communication first"},
            ],
        },
        mid,
    )


def test_a_meeting_record_is_saved_and_read_back(any_store):
    with any_store.session() as s:
        mid = _meeting(s, _pupil(s))
        _full(s, mid)
    with any_store.read() as s:
        r = meeting_record(s, mid)
    assert r.attendance_percent == Decimal("91.50")
    assert r.texts() == {k: v for k, v in RECORD.items() if k != "attendance_percent"}
    assert [(a.source, a.received_on, a.shared) for a in r.advice] == [
        ("ep", D(2026, 2, 2), True),
        ("social_care", D(2026, 2, 10), False),
    ]
    # amendments in the plan's own order (B before F), whatever order they were typed
    assert [a.section for a in r.amendments] == ["B", "F"]
    assert r.invitees == (("Áine Ní Bhriain", "Parent"),)


def test_lists_are_updated_in_place_and_rows_left_out_are_deleted(store):
    with store.session() as s:
        mid = _meeting(s, _pupil(s))
        _full(s, mid)
    with store.read() as s:
        before = meeting_record(s, mid)
    ep = before.advice[0]
    with store.session() as s:
        commands.save_review(
            s,
            {
                "advice": [{"id": ep.id, "source": "ep", "summary": "Updated summary"}],
                "amendments": [],
            },
            mid,
        )
    with store.read() as s:
        after = meeting_record(s, mid)
        n = s.execute(text("SELECT count(*) FROM review_advice")).scalar()
    assert [(a.id, a.summary) for a in after.advice] == [(ep.id, "Updated summary")]
    assert after.amendments == () and n == 1
    assert after.parent_views == RECORD["parent_views"]  # fields not given are kept


def test_every_bad_field_is_named_and_nothing_is_half_saved(store):
    with store.session() as s:
        mid = _meeting(s, _pupil(s))
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_review(
            s,
            {
                "attendance_percent": "120",
                "school_view": "Written but not saved",
                "advice": [
                    {"source": "ep", "summary": "Fine"},
                    {"source": "wizard", "summary": "", "received_on": "31/02/2026"},
                ],
                "amendments": [{"section": "Z", "text": "x"}, {"section": "B"}],
                "next_step": "sometime",
            },
            mid,
        )
    errors = err.value.errors
    assert errors["attendance_percent"] == "must be at most 100"
    assert errors["advice 2: source"].startswith("must be one of ep, salt")
    assert errors["advice 2: summary"] == "is required"
    assert errors["advice 2: received on"] == "must be a date as dd/mm/yyyy"
    assert errors["amendment 1: section"].startswith("must be one of A, B")
    assert errors["amendment 2: text"] == "is required"
    assert "next_step" in errors
    assert "advice 1: source" not in errors
    with store.read() as s:
        r = meeting_record(s, mid)
    assert (r.school_view, r.advice, r.amendments, r.attendance_percent) == ("", (), (), None)


def test_an_item_of_another_meeting_is_refused(store):
    with store.session() as s:
        pid = _pupil(s)
        one, two = _meeting(s, pid), _meeting(s, pid)
        _full(s, one)
    with store.read() as s:
        theirs = meeting_record(s, one).advice[0].id
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_review(
            s, {"advice": [{"id": theirs, "source": "ep", "summary": "moved"}]}, two
        )
    assert err.value.errors == {"advice 1": "is not one of this meeting's"}


def test_a_support_plans_next_step_is_refused_for_an_ehc_plan(store):
    with store.session() as s:
        ehcp = _meeting(s, _pupil(s, "E"))
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_review(s, {"next_step": "continue"}, ehcp)
    assert "SEN-support plan" in err.value.errors["next_step"]
    with store.session() as s:
        pid = commands.save_pupil(
            s,
            {
                "legal_first_name": "Ben",
                "legal_last_name": "Ola",
                "date_of_birth": D(2016, 1, 1),
                "sen_code": "K",
            },
        )
        k = _meeting(s, pid)
        commands.save_review(s, {"next_step": "ask_ehcna"}, k)
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_review(s, {"recommendation": "amend"}, k)
    assert "a SEN-support plan's review has a next step" in err.value.errors["recommendation"]
    with store.read() as s:
        assert meeting_record(s, k).next_step == "ask_ehcna"


def test_the_subject_access_copy_and_the_pupils_export_hold_the_new_tables(store, tmp_path):
    with store.session() as s:
        pid = _pupil(s)
        _full(s, _meeting(s, pid))
    with store.read() as s:
        write_sar_pdf(s, pid, tmp_path / "sar.pdf", today=D(2026, 4, 1))
    with pdfplumber.open(tmp_path / "sar.pdf") as pdf:
        words = " ".join((p.extract_text() or "") for p in pdf.pages).replace("\n", " ")
    for said in (
        "Visual timetable; pre-teach new words",
        "Family support worker involved",
        "Dr O. Adeyemi 02/02/2026",
        "F: special educational provision",
        "Mum says mornings are calmer",
        "Changes to needs (section B)",
    ):
        assert said in words, said
    export_json(store, tmp_path / "pupil.json", pupil_id=pid)
    doc = json.loads((tmp_path / "pupil.json").read_text(encoding="utf-8"))
    tables = doc["tables"]
    assert len(tables["review_advice"]) == 2
    assert {a["section"] for a in tables["review_amendment"]} == {"B", "F"}


def test_the_migration_goes_down_and_up_again(any_store):
    with any_store.session() as s:
        mid = _meeting(s, _pupil(s))
        _full(s, mid)
    with any_store.engine.begin() as conn:
        if any_store.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        command.downgrade(_alembic_config(conn), "0005_server2")
    with any_store.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        cols = {c["name"] for c in inspect(conn).get_columns("review_meeting")}
        kept = conn.execute(text("SELECT count(*) FROM review_meeting")).scalar()
    assert not {"review_advice", "review_amendment"} & names
    assert "school_view" not in cols and "attendance_percent" not in cols
    assert kept == 1  # the meeting itself stays
    with any_store.engine.begin() as conn:
        if any_store.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        command.upgrade(_alembic_config(conn), "head")
    with any_store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
        row = conn.execute(text("SELECT school_view, exclusions FROM review_meeting")).one()
    assert tuple(row) == ("", "")  # the meeting's new fields start empty


def test_a_form_loaded_before_anothers_save_of_the_lists_is_refused(any_store):
    """Two people open the same meeting's record; the first saves only the advice. The
    second's save (from the form loaded before it) must not delete what the first added."""
    from sencodesk.errors import Conflict

    with any_store.session() as s:
        mid = _meeting(s, _pupil(s))
    with any_store.read() as s:
        loaded = meeting_record(s, mid).version
    with any_store.session() as s:
        commands.save_review(
            s, {"version": loaded, "advice": [{"source": "ep", "summary": "First"}]}, mid
        )
    with pytest.raises(Conflict), any_store.session() as s:
        commands.save_review(
            s, {"version": loaded, "advice": [{"source": "ot", "summary": "Second"}]}, mid
        )
    with any_store.read() as s:
        r = meeting_record(s, mid)
    assert [a.summary for a in r.advice] == ["First"]
    # a save of the meeting's own fields and its lists together goes up by one, as any save
    with any_store.session() as s:
        commands.save_review(
            s,
            {
                "version": r.version,
                "school_view": "x",
                "amendments": [{"section": "B", "text": "y"}],
            },
            mid,
        )
    with any_store.read() as s:
        assert meeting_record(s, mid).version == r.version + 1
