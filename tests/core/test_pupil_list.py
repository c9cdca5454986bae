"""The pupil list on a school's own file, read with the driver (#17), is the list read through
SQLAlchemy as a server reads it: the same rows in the same order, field by field and type by
type, on the demo schools and on values no form would save (blank medical notes of every kind
of space, names with spaces and accents, missing dates, archived pupils)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from sencodesk import commands
from sencodesk.demo import make_demo
from sencodesk.queries.pupils import PupilRow, has_medical, list_pupils, list_pupils_sqlalchemy
from sencodesk.store import open_store

TODAY = dt.date(2026, 3, 1)
D = dt.date
ASKED = (TODAY, TODAY + dt.timedelta(days=47), TODAY + dt.timedelta(days=190))
CHOICES = (
    {},
    {"include_archived": True},
    {"sen_only": True},
    {"include_archived": True, "sen_only": True},
)


def typed(rows: list[PupilRow]) -> list[list[tuple[str, type, Any]]]:
    """Each row's fields with their types (``True == 1``, but a flag must stay a bool)."""
    return [
        [(f.name, type(v), v) for f in dataclasses.fields(r) for v in [getattr(r, f.name)]]
        for r in rows
    ]


def assert_same_both_ways(store: Any, on: dt.date) -> list[PupilRow]:
    with store.read() as s:
        for kw in CHOICES:
            raw = list_pupils(s, today=on, **kw)
            assert typed(raw) == typed(list_pupils_sqlalchemy(s, today=on, **kw)), kw
            assert all(type(r) is PupilRow for r in raw)
        return list_pupils(s, today=on, include_archived=True)


@pytest.mark.parametrize("pupils", [420, 2000])
def test_the_driver_read_is_the_sqlalchemy_read_on_a_demo(tmp_path, pupils):
    store = open_store(tmp_path / "demo.db", user="test")
    try:
        make_demo(store, pupils=pupils, seed=1, today=TODAY)
        with store.session() as s:  # a few leavers among them, so archived rows are skipped
            s.execute(text("UPDATE pupil SET archived = 1 WHERE id % 7 = 3"))
        for on in ASKED:
            every = assert_same_both_ways(store, on)
            assert len(every) == pupils
            assert any(r.archived for r in every) and any(r.lsa_names for r in every)
            assert any(r.next_review_due for r in every) and any(r.medical for r in every)
    finally:
        store.close()


# Blank to Python's str.strip (str.isspace), whatever SQLite's trim would say.
BLANK = ["", " ", "\t\n", "\xa0", "\u3000", "\x1c", "\u2028", "\x85 \u2003"]
NOT_BLANK = ["Asthma", " epipen ", "\u200b", "\x00", "-"]


def seed(store: Any) -> dict[str, int]:
    ids: dict[str, int] = {}
    with store.session() as s:
        commands.save_school(s, {"name": "Oakfield Primary"})
        for key, first, last in (
            ("amy", "Amy", "Zane"),
            ("ben", "Ben", "Ash"),
            ("cat", "Cat", "Ash"),
        ):
            ids[key] = commands.save_staff(
                s, {"first_name": first, "last_name": last, "role": "lsa_1to1"}
            )
        names = [("Ada", "Pupil"), ("Bo", "Pupil"), ("Bo", "Pupil"), ("Cy", "Able")]
        names += [("Dee", "Twin"), ("Dee", "Twin")]  # the same name: by id
        names += [(f"N{i}", f"Needs{i}") for i in range(len(BLANK) + len(NOT_BLANK))]
        for i, (first, last) in enumerate(names):
            ids[f"p{i}"] = commands.save_pupil(
                s,
                {
                    "legal_first_name": first,
                    "legal_last_name": last,
                    "date_of_birth": D(2014 + i % 5, 1 + i % 12, 1 + i % 28),
                    "sen_code": "EKN"[i % 3],
                    "ehcp_weekly_minutes": 900 if i % 3 == 0 else None,
                },
            )
        for staff, pupil, start, end, role, sessions, minutes in (
            ("amy", "p0", D(2025, 9, 1), None, "one_to_one", 0b11, 300),
            ("ben", "p0", D(2025, 9, 1), None, "shared", 0b1100, 200),
            ("cat", "p0", D(2025, 9, 1), D(2026, 12, 31), "one_to_one", 0b110000, 100),
            ("amy", "p1", D(2025, 9, 1), D(2026, 2, 1), "one_to_one", 0b11, 300),  # ended
            ("amy", "p2", D(2026, 4, 1), None, "one_to_one", 0b11, 300),  # starts later
            ("ben", "p3", D(2025, 9, 1), None, "cover", 0b11, 300),
            ("cat", "p3", D(2025, 9, 1), None, "one_to_one", 0b11, 300),
        ):
            commands.save_assignment(
                s,
                {
                    "staff_id": ids[staff],
                    "pupil_id": ids[pupil],
                    "weekly_minutes": minutes,
                    "start_date": start,
                    "end_date": end,
                    "role": role,
                    "sessions": sessions,
                },
            )
    return ids


def test_values_no_form_would_save_read_the_same(store):
    ids = seed(store)
    notes = BLANK + NOT_BLANK
    with store.session() as s:  # what an import or an older version could have left
        for i, note in enumerate(notes):
            s.execute(
                text("UPDATE pupil SET medical_needs = :m WHERE id = :id"),
                {"m": note, "id": ids[f"p{i + 6}"]},
            )
        for key, sets in (
            ("p0", "preferred_name = ' ', legal_last_name = ' Pupil\t', upn = NULL"),
            ("p1", "legal_first_name = 'Ábel', year_group_override = 3, upn = ''"),
            ("p2", "legal_last_name = 'pupil', year_group_override = 14, archived = 1"),
            ("p3", "legal_last_name = 'Éclair', ehcp_issued = '2025-02-28', archived = 1"),
            ("p4", "ehcp_last_review = '2024-02-29', ehcp_issued = '2023-01-05'"),
            ("p5", "ehcp_issued = '2025-06-30', review_interval_months = 6"),
            ("p6", "primary_need = 'ASD', secondary_need = 'SLCN', year_group_override = -2"),
        ):
            s.execute(text(f"UPDATE pupil SET {sets} WHERE id = :id"), {"id": ids[key]})
    every = assert_same_both_ways(store, TODAY)
    by_id = {r.id: r for r in every}
    # the flag is Python's strip, whitespace of every kind
    assert [by_id[ids[f"p{i + 6}"]].medical for i in range(len(notes))] == [False] * len(BLANK) + [
        True
    ] * len(NOT_BLANK)
    # by surname, first name and id, in SQLite's order of text (BINARY: " " < "N" < "p" < "É")
    needs = sorted(f"Needs{i}" for i in range(len(notes)))
    assert [r.legal_last_name for r in every] == [
        " Pupil\t",
        *needs,
        "Pupil",
        "Twin",
        "Twin",
        "pupil",
        "Éclair",
    ]
    assert [r.id for r in every if r.legal_last_name == "Twin"] == [ids["p4"], ids["p5"]]
    assert by_id[ids["p0"]].name == "Pupil" and by_id[ids["p0"]].sort_name == "Pupil, "
    assert by_id[ids["p0"]].lsa_names == "Ben Ash, Cat Ash, Amy Zane"
    assert by_id[ids["p0"]].assigned_minutes == 600
    assert by_id[ids["p1"]].lsa_names == "" and by_id[ids["p2"]].lsa_names == ""
    assert by_id[ids["p3"]].lsa_names == "Ben Ash, Cat Ash"  # cover: named, not counted
    assert by_id[ids["p3"]].assigned_minutes == 300
    assert by_id[ids["p1"]].year_label == "Year 3" and by_id[ids["p2"]].year_label == "Post-19"
    assert by_id[ids["p6"]].year_label == "Pre-school" and by_id[ids["p6"]].primary_need == "ASD"
    assert by_id[ids["p3"]].next_review_due == D(2026, 2, 28)  # issued + 12 months
    assert by_id[ids["p4"]].next_review_due is None  # not an EHCP (K)
    assert by_id[ids["p5"]].next_review_due is None  # not an EHCP (N)
    with store.session() as s:
        s.execute(
            text("UPDATE pupil SET sen_code = 'E' WHERE id IN (:a, :b)"),
            {"a": ids["p4"], "b": ids["p5"]},
        )
    every = {r.id: r for r in assert_same_both_ways(store, TODAY)}
    assert every[ids["p4"]].next_review_due == D(2025, 2, 28)  # the last review's, 29 Feb
    assert every[ids["p5"]].next_review_due == D(2025, 12, 30)  # issued + 6 months


def test_pending_changes_are_read_in_the_sessions_own_transaction(store):
    ids = seed(store)
    with store.session() as s:
        s.execute(
            text("UPDATE pupil SET legal_last_name = 'Aaron' WHERE id = :id"), {"id": ids["p2"]}
        )
        from sencodesk.model import Pupil

        s.get(Pupil, ids["p1"]).preferred_name = "Bee"  # pending: flushed by the read
        rows = list_pupils(s, today=TODAY)
        assert rows[0].legal_last_name == "Aaron"
        assert {r.id: r.name for r in rows}[ids["p1"]] == "Bee Pupil"
        assert typed(rows) == typed(list_pupils_sqlalchemy(s, today=TODAY))
        s.rollback()
    with store.read() as s:
        assert list_pupils(s, today=TODAY)[0].legal_last_name == "Able"


@pytest.mark.parametrize("note", [None, *BLANK, *NOT_BLANK])
def test_has_medical_is_whether_the_notes_are_blank(note):
    assert has_medical(note) is (note is not None and note.strip() != "")


def test_an_encrypted_file_lists_the_same_both_ways(tmp_path):
    """On an encrypted file the driver is SQLCipher's, on the session's unlocked connection."""
    store = open_store(tmp_path / "locked.db", user="test", passphrase="a long enough passphrase")
    try:
        seed(store)
        with store.session() as s:
            s.execute(text("UPDATE pupil SET archived = 1, medical_needs = ' ' WHERE id = 2"))
        every = assert_same_both_ways(store, TODAY)
        assert every and any(r.archived for r in every) and every[0].lsa_names
    finally:
        store.close()
