"""The audit history, the retention review list, holds, and erasure that leaves no trace of the
child but one entry saying that (and why) a pupil was erased."""

import datetime as dt

import pytest
from sqlalchemy import select, text

from sencodesk import commands
from sencodesk.errors import KnownError, ValidationError
from sencodesk.model import AuditEntry, Base, Contract, OutcomeStatusChange, Pupil
from sencodesk.rules.pay import WorkDay
from sencodesk.safety.history import HistoryRow, history
from sencodesk.safety.retention import (
    ERASED_TABLES,
    erase_pupil,
    put_on_hold,
    release_hold,
    retention_review_list,
)

D = dt.date
UPN = "B801200005001"
TODAY = D(2025, 3, 19)
OLD_DOB = D(1990, 1, 1)


def full_pupil(s, first="Zebedee", last="Sentinelson", upn=UPN, dob=OLD_DOB):
    """A pupil with one of everything that hangs from a pupil."""
    pid = commands.save_pupil(
        s,
        {
            "legal_first_name": first,
            "legal_last_name": last,
            "date_of_birth": dob,
            "upn": upn,
            "sen_code": "E",
            "primary_need": "ASD",
            "medical_needs": f"{first} carries an inhaler",
            "admission_date": D(1994, 9, 1),
        },
    )
    staff = commands.save_staff(s, {"first_name": "Priya", "last_name": "Shah", "role": "lsa_1to1"})
    oid = commands.save_outcome(
        s,
        {
            "pupil_id": pid,
            "area": "communication",
            "text": f"{first} will ask for help",
            "set_date": D(2000, 9, 1),
        },
    )
    s.add(
        OutcomeStatusChange(
            outcome_id=oid,
            changed_on=D(2001, 1, 10),
            status="developing",
            note=f"{first} asks more",
        )
    )
    commands.save_record(
        s,
        {
            "pupil_id": pid,
            "occurred_at": dt.datetime(2001, 2, 3, 10, 15),
            "kind": "incident",
            "behaviour": f"{first} left the room",
            "author_id": staff,
            "outcome_id": oid,
        },
    )
    gone = commands.save_record(
        s,
        {
            "pupil_id": pid,
            "occurred_at": dt.datetime(2001, 2, 4, 9),
            "kind": "medical",
            "text": f"{first} {last} nosebleed",
        },
    )
    commands.delete(s, "record", gone)  # its audit entries still hold the text until erasure
    fid = commands.save_funding(
        s,
        {
            "pupil_id": pid,
            "source": "top_up",
            "funder": "Kent",
            "reference": f"EHCP-{last}",
            "amount_per_year": "9000",
            "start_date": D(2000, 9, 1),
        },
    )
    commands.save_contract(
        s,
        {
            "staff_id": staff,
            "kind": "fixed_term",
            "fte_salary": "23297",
            "start_date": D(2000, 9, 1),
            "end_date": D(2001, 7, 31),
            "funding_id": fid,
            "days": [WorkDay(0, dt.time(8, 40), dt.time(15, 30), 30)],
        },
    )
    commands.save_assignment(
        s, {"staff_id": staff, "pupil_id": pid, "weekly_minutes": 600, "start_date": D(2000, 9, 1)}
    )
    commands.save_review(
        s,
        {
            "pupil_id": pid,
            "meeting_at": dt.datetime(2001, 3, 1, 14),
            "notes": f"{first} spoke at the meeting",
            "invitees": [{"name": f"Mrs {last}", "role": "Parent"}],
            "parent_views": f"Mrs {last} says {first} is happier",
            "advice": [{"source": "ep", "summary": f"{first} needs visual timetables"}],
            "amendments": [{"section": "B", "text": f"{first}'s needs in reading"}],
        },
    )
    from sencodesk.mis.apply import save_mis_values

    save_mis_values(s, pid, ("K", "SEMH", None, "F", f"{last}.xml (CTF 25.0)", D(2001, 7, 1)))
    p = s.get(Pupil, pid)
    p.leaving_date, p.archived = D(2001, 7, 20), True
    s.flush()
    return pid


def test_history_newest_first(store):
    with store.session() as s:
        pid = commands.save_pupil(
            s,
            {
                "legal_first_name": "Amara",
                "legal_last_name": "Okafor",
                "date_of_birth": D(2015, 5, 4),
            },
        )
    with store.session(reason="spelling") as s:
        s.get(Pupil, pid).class_name = "5B"
    with store.read() as s:
        rows = history(s, "pupil", pid)
    assert rows[0] == HistoryRow(rows[0].at, "test", "update", "class_name", "", "5B", "spelling")
    assert {r.action for r in rows[1:]} == {"insert"}
    assert ("legal_first_name", None, "Amara") in [(r.field, r.old, r.new) for r in rows]
    with store.read() as s:
        assert history(s, "pupil", pid + 1) == []


def test_retention_list_and_holds(any_store):
    with any_store.session() as s:
        old = full_pupil(s)
        young = commands.save_pupil(
            s,
            {
                "legal_first_name": "Young",
                "legal_last_name": "Leaver",
                "date_of_birth": D(2010, 1, 1),
                "archived": True,
            },
        )
        commands.save_pupil(
            s,
            {
                "legal_first_name": "Old",
                "legal_last_name": "Current",
                "date_of_birth": D(1980, 1, 1),
            },
        )  # on roll: never listed
    with any_store.read() as s:
        rows = retention_review_list(s, TODAY)
    assert [(r.pupil_id, r.retain_until, r.on_hold) for r in rows] == [(old, D(2021, 1, 1), False)]
    assert young not in [r.pupil_id for r in rows]
    with pytest.raises(ValidationError), any_store.session() as s:
        put_on_hold(s, old, "  ")
    with any_store.session() as s:
        put_on_hold(s, old, "Insurance claim")
    with any_store.read() as s:
        row = retention_review_list(s, TODAY)[0]
        assert (row.on_hold, row.hold_reason) == (True, "Insurance claim")
        assert history(s, "pupil", old)[0].reason == "Insurance claim"
    with any_store.session() as s, pytest.raises(KnownError, match="on hold"):
        erase_pupil(s, old, "Retention period over", confirm_upn_or_name=UPN)
    with any_store.session() as s:
        release_hold(s, old, "Claim settled")
    with any_store.read() as s:
        assert retention_review_list(s, TODAY)[0].on_hold is False


def _all_text(conn) -> str:
    chunks = []
    for table in Base.metadata.sorted_tables:
        for row in conn.execute(select(table)):
            chunks.extend(str(v) for v in row if v is not None)
    return "\n".join(chunks)


def own_rows(s, pid) -> set[tuple[str, int]]:
    """(table, id) of the pupil's row and of every row that hangs from it."""
    q = {
        "pupil": "SELECT id FROM pupil WHERE id = :p",
        "outcome": "SELECT id FROM outcome WHERE pupil_id = :p",
        "outcome_status_change": "SELECT c.id FROM outcome_status_change c JOIN outcome o "
        "ON o.id = c.outcome_id WHERE o.pupil_id = :p",
        "record": "SELECT id FROM record WHERE pupil_id = :p",
        "funding": "SELECT id FROM funding WHERE pupil_id = :p",
        "assignment": "SELECT id FROM assignment WHERE pupil_id = :p",
        "review_meeting": "SELECT id FROM review_meeting WHERE pupil_id = :p",
        "review_invitee": "SELECT i.id FROM review_invitee i JOIN review_meeting m "
        "ON m.id = i.meeting_id WHERE m.pupil_id = :p",
        "review_advice": "SELECT a.id FROM review_advice a JOIN review_meeting m "
        "ON m.id = a.meeting_id WHERE m.pupil_id = :p",
        "review_amendment": "SELECT a.id FROM review_amendment a JOIN review_meeting m "
        "ON m.id = a.meeting_id WHERE m.pupil_id = :p",
        "mis_pupil": "SELECT id FROM mis_pupil WHERE pupil_id = :p",
    }
    assert set(q) == set(ERASED_TABLES)
    return {(t, r[0]) for t, sql in q.items() for r in s.execute(text(sql), {"p": pid})}


def test_erasure_leaves_one_entry_and_no_trace(any_store):
    with any_store.session() as s:
        pid = full_pupil(s)
        keep = full_pupil(s, "Amara", "Okafor", upn=None)
    with any_store.read() as s:
        erased = own_rows(s, pid)
        kept = own_rows(s, keep)
    assert {t for t, _ in erased} == set(ERASED_TABLES)  # one of everything was there
    with any_store.session() as s:
        erase_pupil(s, pid, "Retention period over", confirm_upn_or_name="b801200005001")
    with any_store.engine.connect() as conn:
        everything = _all_text(conn)
        for word in ("Zebedee", "Sentinelson", UPN):
            assert word not in everything
        assert "Okafor" in everything  # the other pupil is untouched
        for table in Base.metadata.sorted_tables:
            if "pupil_id" in table.c:
                assert conn.execute(select(table).where(table.c.pupil_id == pid)).first() is None
        entries = conn.execute(select(AuditEntry.__table__)).mappings().all()
        left = [e for e in entries if (e["table_name"], e["row_id"]) in erased]
        assert len(left) == 1
        e = left[0]
        assert (e["action"], e["table_name"], e["row_id"], e["user"], e["reason"]) == (
            "erase",
            "pupil",
            pid,
            "test",
            "Retention period over",
        )
        assert e["field"] == "" and e["old_value"] is None and e["new_value"] is None
        assert not [
            x
            for x in entries
            if x["field"] == "pupil_id" and str(pid) in (x["old_value"], x["new_value"])
        ]
        assert {(x["table_name"], x["row_id"]) for x in entries} >= kept
        # The contract funded by the erased pupil's funding stays, unlinked.
        assert conn.execute(select(Contract.funding_id)).scalars().all().count(None) == 1
    with any_store.read() as s:
        assert s.get(Pupil, keep) is not None
        assert [r.action for r in history(s, "pupil", pid)] == ["erase"]


def test_erasure_refusals(store):
    with store.session() as s:
        pid = full_pupil(s)
        current = commands.save_pupil(
            s, {"legal_first_name": "On", "legal_last_name": "Roll", "date_of_birth": D(2015, 1, 1)}
        )
    with store.session() as s, pytest.raises(ValidationError) as err:
        erase_pupil(s, pid, "", confirm_upn_or_name="Someone Else")
    assert set(err.value.errors) == {"reason", "confirm_upn_or_name"}
    with store.session() as s, pytest.raises(ValidationError, match="must not name the pupil"):
        erase_pupil(s, pid, "Zebedee's mother asked", confirm_upn_or_name="zebedee  SENTINELSON")
    with store.session() as s, pytest.raises(KnownError, match="on roll"):
        erase_pupil(s, current, "Duplicate record", confirm_upn_or_name="On Roll")
    with store.session() as s:
        erase_pupil(s, current, "Duplicate record", confirm_upn_or_name="On Roll", force=True)
        assert s.get(Pupil, current) is None
    with store.read() as s:
        assert s.get(Pupil, pid) is not None  # the refused erasures changed nothing


def test_a_reused_row_id_keeps_each_childs_history_apart(store):
    """SQLite gives a deleted last row's id to the next row: the audit trail then holds two
    lives of one (table, id), and erasing one child must not touch the other's."""
    with store.session() as s:
        amara = commands.save_pupil(
            s,
            {
                "legal_first_name": "Amara",
                "legal_last_name": "Okafor",
                "date_of_birth": D(2015, 5, 4),
                "archived": True,
            },
        )
        zeb = commands.save_pupil(
            s,
            {
                "legal_first_name": "Zebedee",
                "legal_last_name": "Sentinelson",
                "date_of_birth": D(2015, 6, 1),
                "archived": True,
            },
        )
        first = commands.save_record(
            s,
            {
                "pupil_id": zeb,
                "kind": "medical",
                "occurred_at": dt.datetime(2025, 1, 6, 9),
                "text": "Zebedee nosebleed",
            },
        )
        commands.delete(s, "record", first)
        again = commands.save_record(
            s,
            {
                "pupil_id": amara,
                "kind": "medical",
                "occurred_at": dt.datetime(2025, 1, 7, 9),
                "text": "Amara grazed knee",
            },
        )
    assert again == first  # the id was reused

    def texts():
        with store.read() as s:
            return set(
                s.scalars(
                    select(AuditEntry.new_value).where(
                        AuditEntry.table_name == "record",
                        AuditEntry.row_id == again,
                        AuditEntry.field == "text",
                    )
                )
            )

    assert texts() == {"Zebedee nosebleed", "Amara grazed knee"}
    with store.read() as s:  # the History view shows the row's own life only
        assert "Zebedee nosebleed" not in {r.new for r in history(s, "record", again)}
        assert "Amara grazed knee" in {r.new for r in history(s, "record", again)}
    with store.session() as s:
        erase_pupil(s, zeb, "Duplicate", confirm_upn_or_name="Zebedee Sentinelson")
    assert texts() == {"Amara grazed knee"}
