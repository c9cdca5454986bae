"""No lost updates: a save from a form loaded before someone else's save is refused, with
both values, and changes nothing; a save sends only the fields it changes."""

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from sencodesk import commands
from sencodesk.errors import Conflict, ValidationError
from sencodesk.model import AuditEntry, Pupil
from sencodesk.queries.money import contract_rows
from sencodesk.queries.pupil_detail import get_pupil
from sencodesk.rules.pay import WorkDay
from sencodesk.store import Store

D = dt.date
TODAY = D(2026, 3, 2)


def _pupil(store: Store) -> int:
    with store.session() as s:
        return commands.save_pupil(
            s,
            {
                "legal_first_name": "Amara",
                "legal_last_name": "Okafor",
                "date_of_birth": D(2015, 5, 4),
                "class_name": "5A",
                "medical_needs": "",
            },
        )


def _form(store: Store, pid: int):
    with store.read() as s:
        return get_pupil(s, pid, today=TODAY)


def test_the_issue_scenario_a_note_is_not_reverted_and_b_is_told(any_store):
    pid = _pupil(any_store)
    a_form = _form(any_store, pid)  # A and B open the same pupil
    b_form = _form(any_store, pid)
    assert a_form.version == b_form.version == 1
    # A saves a new medical note.
    with any_store.session() as s:
        s.info["user"] = "alice"
        commands.save_pupil(
            s, {"medical_needs": "Epipen in the office", "version": a_form.version}, pid
        )
    # B saves a class change from the form loaded earlier: refused, with both values.
    with pytest.raises(Conflict) as err, any_store.session() as s:
        commands.save_pupil(s, {"class_name": "5B", "version": b_form.version}, pid)
    conflict = err.value
    assert conflict.fields == {"class_name": ("5A", "5B")}
    assert conflict.version == 2
    assert conflict.by == "alice"
    assert "not saved" in str(conflict) and "5A / 5B" in str(conflict)
    after = _form(any_store, pid)
    assert (after.medical_needs, after.row.class_name) == ("Epipen in the office", "5A")
    # B chooses "overwrite with mine": only the class is sent, so A's note stays.
    with any_store.session() as s:
        commands.save_pupil(s, {"class_name": "5B", "version": conflict.version}, pid)
    after = _form(any_store, pid)
    assert (after.medical_needs, after.row.class_name, after.version) == (
        "Epipen in the office",
        "5B",
        3,
    )


def test_a_refused_save_writes_no_audit_entry(any_store):
    pid = _pupil(any_store)
    with any_store.session() as s:
        commands.save_pupil(s, {"class_name": "5C", "version": 1}, pid)
    with any_store.read() as s:
        before = len(s.scalars(select(AuditEntry)).all())
    with pytest.raises(Conflict), any_store.session() as s:
        commands.save_pupil(s, {"class_name": "5D", "version": 1}, pid)
    with any_store.read() as s:
        assert len(s.scalars(select(AuditEntry)).all()) == before
        assert s.get(Pupil, pid).class_name == "5C"


def test_version_is_not_audited_and_is_checked_as_a_number(store):
    pid = _pupil(store)
    with store.session() as s:
        commands.save_pupil(s, {"class_name": "6A", "version": 1}, pid)
    with store.read() as s:
        fields = set(s.scalars(select(AuditEntry.field)).all())
    assert "version" not in fields and "school_id" not in fields
    with pytest.raises(ValidationError) as err, store.session() as s:
        commands.save_pupil(s, {"class_name": "6B", "version": "one"}, pid)
    assert "version" in err.value.errors


def test_a_contract_edit_from_an_old_form_is_refused(any_store):
    with any_store.session() as s:
        sid = commands.save_staff(s, {"first_name": "Ben", "last_name": "Ross", "role": "lsa_1to1"})
        cid = commands.save_contract(
            s,
            {
                "staff_id": sid,
                "kind": "permanent",
                "start_date": D(2025, 9, 1),
                "fte_salary": "24000",
                "days": [WorkDay(d, dt.time(9), dt.time(15), 30) for d in range(5)],
            },
        )
    with any_store.read() as s:
        (row,) = contract_rows(s, staff_id=sid)
    with any_store.session() as s:
        commands.save_contract(s, {"grade": "B3", "version": row.version}, cid)
    with pytest.raises(Conflict) as err, any_store.session() as s:
        commands.save_contract(s, {"grade": "B4", "version": row.version}, cid)
    assert err.value.fields == {"grade": ("B3", "B4")}


@pytest.mark.pg
def test_two_saves_at_the_same_moment_one_wins_one_is_told(pg_url):
    """On PostgreSQL the row is read FOR UPDATE: the second save waits for the first to
    commit, then sees the new version and is refused (no lost update, no deadlock)."""
    from sencodesk.store import open_store

    store = open_store(pg_url, user="test")
    try:
        pid = _pupil(store)
        results: dict[str, object] = {}
        first_holds = threading.Event()
        release = threading.Event()

        def first() -> None:
            with store.session() as s:
                commands.save_pupil(s, {"medical_needs": "Asthma", "version": 1}, pid)
                first_holds.set()
                release.wait(5)
            results["first"] = "saved"

        def second() -> None:
            first_holds.wait(5)
            try:
                with store.session() as s:
                    commands.save_pupil(s, {"class_name": "5B", "version": 1}, pid)
                results["second"] = "saved"
            except Conflict as exc:
                results["second"] = exc

        t1, t2 = threading.Thread(target=first), threading.Thread(target=second)
        t1.start()
        t2.start()
        first_holds.wait(5)
        t2.join(0.5)  # the second is blocked on the row lock
        assert t2.is_alive()
        release.set()
        t1.join(5)
        t2.join(5)
        assert results["first"] == "saved"
        assert isinstance(results["second"], Conflict)
        assert results["second"].fields == {"class_name": ("5A", "5B")}
        after = _form(store, pid)
        assert (after.medical_needs, after.row.class_name) == ("Asthma", "5A")
    finally:
        store.close()


def test_a_save_that_changes_nothing_is_not_a_conflict(store):
    pid = _pupil(store)
    with store.session() as s:
        commands.save_pupil(s, {"class_name": "5C", "version": 1}, pid)
    with store.session() as s:  # an editor saved with no field changed, from an old form
        assert commands.save_pupil(s, {"version": 1}, pid) == pid
    assert _form(store, pid).version == 2
