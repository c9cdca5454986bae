"""Commands validate every field, write in one transaction and leave an audit trail."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sencodesk import commands
from sencodesk.errors import ValidationError
from sencodesk.model import AuditEntry, Contract, Pupil
from sencodesk.rules.pay import WorkDay

D = dt.date


def _pupil(s, **kw):
    values = {
        "legal_first_name": "Amara",
        "legal_last_name": "Okafor",
        "date_of_birth": D(2015, 5, 4),
        "sen_code": "E",
        "primary_need": "ASD",
        "upn": "B801200005001",
        **kw,
    }
    return commands.save_pupil(s, values)


def _count(store, model):
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_save_pupil_and_audit(any_store):
    with any_store.session() as s:
        pid = _pupil(s)
    with any_store.session() as s:
        commands.save_pupil(s, {"class_name": "5B"}, pid)
    with any_store.read() as s:
        p = s.get(Pupil, pid)
        assert (p.legal_first_name, p.class_name, p.upn) == ("Amara", "5B", "B801200005001")
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.row_id == pid, AuditEntry.table_name == "pupil")
        ).all()
    update = [e for e in entries if e.action == "update"]
    assert [(e.field, e.old_value, e.new_value, e.user) for e in update] == [
        ("class_name", "", "5B", "test")
    ]
    assert {e.field for e in entries if e.action == "insert"} >= {"legal_first_name", "upn"}


def test_every_bad_field_is_named_and_nothing_is_written(store):
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_pupil(
            s,
            {
                "legal_first_name": "",
                "legal_last_name": "X",
                "date_of_birth": "31/02/2015",
                "upn": "B801200005002",
                "sen_code": "Q",
                "ehcp_weekly_minutes": -5,
            },
        )
    assert set(err.value.errors) == {
        "legal_first_name",
        "date_of_birth",
        "upn",
        "sen_code",
        "ehcp_weekly_minutes",
    }
    assert "check letter" in err.value.errors["upn"]
    assert err.value.errors["ehcp_weekly_minutes"] == "cannot be negative"
    assert _count(store, Pupil) == 0
    assert _count(store, AuditEntry) == 0


def test_duplicate_upn_refused(store):
    with store.session() as s:
        _pupil(s)
    with pytest.raises(ValidationError) as err, store.session() as s:
        _pupil(s, legal_first_name="Other")
    assert "already belongs" in err.value.errors["upn"]
    assert _count(store, Pupil) == 1


def test_upn_is_normalised_and_temporary_upns_accepted(store):
    from sencodesk.rules.upn import check_letter

    body = "80120000500A"
    temp = check_letter(body) + body
    with store.session() as s:
        pid = _pupil(s, upn=" " + temp.lower() + " ")
    with store.read() as s:
        assert s.get(Pupil, pid).upn == temp


def _staff(s):
    return commands.save_staff(s, {"first_name": "Jo", "last_name": "Bloggs", "role": "lsa_1to1"})


SEED_004_DAYS = [WorkDay(d, dt.time(8, 40), dt.time(15, 30), 30) for d in range(5)]


def test_contract_from_working_pattern(any_store):
    with any_store.session() as s:
        sid = _staff(s)
        cid = commands.save_contract(
            s,
            {
                "staff_id": sid,
                "kind": "fixed_term",
                "start_date": D(2025, 9, 1),
                "end_date": D(2026, 8, 31),
                "fte_salary": "23297",
                "term_time": True,
                "paid_weeks": Decimal("43.108"),
                "days": SEED_004_DAYS,
            },
        )
    with any_store.read() as s:
        c = s.get(Contract, cid)
        assert c.weekly_minutes == 1900
        assert c.fte_salary == Decimal("23297.00")
        assert c.paid_weeks == Decimal("43.108")
        from sencodesk.queries.money import contract_rows

        (row,) = contract_rows(s)
    assert round(row.annual_pay) == 16484
    assert row.notice_by is not None and row.notice_by < row.end_date


@pytest.mark.parametrize(
    "bad, field, message",
    [
        ({"end_date": D(2025, 8, 1)}, "end_date", "cannot be before the start date"),
        ({"weekly_minutes": -60}, "weekly_minutes", "cannot be negative"),
        ({"weekly_minutes": 80 * 60}, "weekly_minutes", "is more than 60 hours a week"),
        ({"fte_salary": "-1"}, "fte_salary", "cannot be negative"),
        ({"kind": "fixed_term", "end_date": None}, "end_date", "is required for a fixed-term"),
    ],
)
def test_bad_contracts_refused(store, bad, field, message):
    with store.session() as s:
        sid = _staff(s)
    values = {
        "staff_id": sid,
        "kind": "permanent",
        "start_date": D(2025, 9, 1),
        "fte_salary": "24223",
        "weekly_minutes": 1900,
        **bad,
    }
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_contract(s, values)
    assert err.value.errors[field].startswith(message)
    assert _count(store, Contract) == 0


def test_outcome_status_history(store):
    with store.session() as s:
        pid = _pupil(s)
        oid = commands.save_outcome(
            s,
            {
                "pupil_id": pid,
                "area": "communication",
                "text": "Asks for help",
                "set_date": D(2025, 9, 10),
            },
        )
        commands.save_outcome(s, {"status": "developing", "status_date": D(2026, 1, 5)}, oid)
    with store.read() as s:
        from sencodesk.queries.pupil_detail import outcome_rows

        (o,) = outcome_rows(s, [pid])
    assert [(h.changed_on, h.status) for h in o.history] == [
        (D(2025, 9, 10), "not_started"),
        (D(2026, 1, 5), "developing"),
    ]


def test_incident_needs_behaviour_and_outcome_must_be_the_pupils(store):
    with store.session() as s:
        a = _pupil(s)
        b = _pupil(s, upn=None, legal_first_name="Ben")
        oid = commands.save_outcome(
            s, {"pupil_id": b, "area": "semh", "text": "Calm", "set_date": D(2025, 9, 1)}
        )
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_record(
            s,
            {
                "pupil_id": a,
                "kind": "incident",
                "outcome_id": oid,
                "occurred_at": dt.datetime(2026, 1, 5, 10, 30),
            },
        )
    assert set(err.value.errors) == {"behaviour", "outcome_id"}


def test_leaver_is_archived_not_deleted(store):
    with store.session() as s:
        pid = _pupil(s)
        commands.save_pupil(s, {"leaving_date": D(2026, 7, 22)}, pid)
    with store.read() as s:
        p = s.get(Pupil, pid)
        assert p.archived is True and p.leaving_date == D(2026, 7, 22)


def test_a_leavers_support_ends_when_they_leave(any_store):
    """Assignments running past the leaving date end on it, one due to start later goes, one
    already ended stays as it was; each change is in the audit trail."""
    from sencodesk.model import Assignment, AuditEntry

    def assign(s, pid, sid, start, end=None):
        return commands.save_assignment(
            s,
            {
                "staff_id": sid,
                "pupil_id": pid,
                "weekly_minutes": 600,
                "sessions": 1023,
                "start_date": start,
                "end_date": end,
            },
        )

    with any_store.session() as s:
        pid, sid = _pupil(s), _staff(s)
        running = assign(s, pid, sid, D(2025, 9, 1), D(2026, 8, 31))  # past the leaving date
        to_come = assign(s, pid, sid, D(2026, 9, 1))
        ended = assign(s, pid, sid, D(2024, 9, 1), D(2025, 7, 18))
        other = assign(s, _pupil(s, upn=None, legal_first_name="Bo"), sid, D(2025, 9, 1))
    with any_store.session() as s:
        commands.save_pupil(s, {"leaving_date": D(2026, 7, 22)}, pid)
    with any_store.read() as s:
        ends = {a.id: a.end_date for a in s.scalars(select(Assignment))}
        audit = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "assignment")).all()
    assert ends == {running: D(2026, 7, 22), ended: D(2025, 7, 18), other: None}
    assert to_come not in ends
    changed = {(e.row_id, e.action) for e in audit if e.action != "insert"}
    assert (running, "update") in changed and (to_come, "delete") in changed


def test_a_leaving_date_ahead_keeps_the_pupil_on_roll_until_the_day(store, db_path):
    """Entered ahead (a Year 6 leaving in July, typed in June), the pupil stays on roll; on
    the day, the next opening of the database archives them, in the audit trail."""
    from sencodesk.model import AuditEntry
    from sencodesk.queries.pupils import list_pupils
    from sencodesk.store import open_store

    today = dt.date.today()
    with store.session() as s:
        pid = _pupil(s)
        commands.save_pupil(s, {"leaving_date": today + dt.timedelta(days=30)}, pid)
    with store.read() as s:
        assert s.get(Pupil, pid).archived is False
        assert [p.id for p in list_pupils(s, today=today)] == [pid]
    with store.session() as s:  # the day comes
        assert commands.archive_due_leavers(s, today + dt.timedelta(days=30)) == [pid]
        s.get(Pupil, pid).archived = False  # (undone, to see the opening do it)
        s.get(Pupil, pid).leaving_date = today - dt.timedelta(days=1)
    store.close()
    reopened = open_store(db_path, user="test")
    try:
        with reopened.read() as s:
            assert s.get(Pupil, pid).archived is True
            assert list_pupils(s, today=today) == []
            entry = s.scalars(
                select(AuditEntry)
                .where(AuditEntry.table_name == "pupil", AuditEntry.field == "archived")
                .order_by(AuditEntry.id.desc())
            ).first()
        assert entry is not None and entry.new_value in ("True", "true", "1")
        assert entry.reason == "Left on their leaving date"
    finally:
        reopened.close()


def test_review_held_updates_last_review(store):
    with store.session() as s:
        pid = _pupil(s, ehcp_issued=D(2024, 3, 1))
        mid = commands.save_review(
            s,
            {
                "pupil_id": pid,
                "meeting_at": dt.datetime(2025, 3, 3, 9),
                "invitees": [{"name": "Parent", "role": "Mother"}],
            },
        )
        commands.save_review(s, {"held_on": D(2025, 3, 3)}, mid)
    with store.read() as s:
        assert s.get(Pupil, pid).ehcp_last_review == D(2025, 3, 3)
        from sencodesk.queries.reviews import review_rows

        (r,) = review_rows(s, pupil_id=pid)
    assert r.invitees[0].name == "Parent" and r.held


def test_school_update_keeps_fields_it_does_not_name(any_store):
    """Saving some school settings (as the School settings editor does) must not reset the
    others: the phase-transfer years default to -1,6,11 and survive an update of the name."""
    with any_store.session() as s:
        commands.save_school(s, {"name": "Brook Lane Primary", "dfe_number": "8862001"})
    with any_store.session() as s:
        commands.save_school(s, {"name": "Brook Lane Primary Academy"})
    from sencodesk.queries.school import get_school

    with any_store.read() as s:
        school = get_school(s)
    assert school.name == "Brook Lane Primary Academy"
    assert school.transfer_years == (-1, 6, 11)
    assert school.dfe_number == "8862001"


@pytest.mark.parametrize(
    "when, said",
    [
        (dt.datetime(2026, 5, 25, 10), "is Spring Bank Holiday (a bank holiday)"),
        (dt.datetime(2026, 12, 25, 10), "is Christmas Day (a bank holiday)"),
        (dt.datetime(2026, 3, 7, 10), "is a Saturday"),
    ],
)
def test_a_review_meeting_on_a_closed_day_is_refused(store, when, said):
    with store.session() as s:
        pid = _pupil(s)
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_review(s, {"pupil_id": pid, "meeting_at": when})
    assert err.value.errors["meeting_at"].startswith(said)
    assert "choose a school day" in err.value.errors["meeting_at"]
    from sencodesk.model import ReviewMeeting

    assert _count(store, ReviewMeeting) == 0
    with store.session() as s:  # the next school day is fine
        commands.save_review(s, {"pupil_id": pid, "meeting_at": dt.datetime(2026, 5, 26, 10)})
