"""Integrity: the full check and the ``check`` command report in words, never a traceback."""

import datetime as dt
import sqlite3

import pytest

from sencodesk import cli
from sencodesk.model import Pupil, Record
from sencodesk.safety import integrity, sqlitefile


@pytest.fixture(autouse=True)
def _forget_passphrase():
    yield
    sqlitefile.set_session_passphrase(None)


def add_pupil_with_record(store):
    with store.session() as s:
        p = Pupil(
            legal_first_name="Amara", legal_last_name="Okafor", date_of_birth=dt.date(2015, 5, 4)
        )
        s.add(p)
        s.flush()
        s.add(
            Record(
                pupil_id=p.id,
                occurred_at=dt.datetime(2025, 1, 6, 10),
                kind="support",
                text="Phonics group",
            )
        )
        return p.id


def test_sound_database(any_store):
    add_pupil_with_record(any_store)
    assert integrity.full_check(any_store) == []
    assert integrity.full_check(any_store.url) == []
    assert integrity.quick_check(any_store) == []


def test_orphan_rows_reported(store, db_path):
    add_pupil_with_record(store)
    store.close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("DELETE FROM pupil")
    raw.commit()
    raw.close()
    assert integrity.full_check(db_path) == ["1 row in record points to a missing pupil row."]
    assert cli.run(["check", "--db", str(db_path)]) == 1


def test_orphan_rows_on_a_server(pg_url):
    from sencodesk.store import open_store

    s = open_store(pg_url, user="test")
    try:
        add_pupil_with_record(s)
        with s.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE record DROP CONSTRAINT fk_record_pupil_id_pupil")
            conn.exec_driver_sql("DELETE FROM pupil")
        assert integrity.full_check(pg_url) == [
            "1 row in record points to a missing pupil row (pupil_id)."
        ]
    finally:
        s.close()


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: p.write_bytes(b"Dear parents, ..."), "not a database"),
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: None, "There is no database file"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
)
def test_not_a_database(tmp_path, capsys, make, words):
    path = tmp_path / "x.db"
    make(path)
    problems = integrity.full_check(path)
    assert len(problems) == 1 and words in problems[0]
    assert cli.run(["check", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_empty_path_and_foreign_sqlite(tmp_path):
    assert integrity.full_check("") == ["No database was given (the path is empty)."]
    foreign = tmp_path / "contacts.db"
    raw = sqlite3.connect(foreign)
    raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.commit()
    raw.close()
    result = integrity.check_database(foreign)
    assert result.unusable and "not SENCO Desk's" in result.problems[0]


def test_truncated_and_garbage_files(store, db_path, tmp_path, capsys):
    for _ in range(200):
        add_pupil_with_record(store)
    store.close()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(db_path.read_bytes()[:40000])
    problems = integrity.full_check(truncated)
    assert problems and all(isinstance(p, str) for p in problems)
    assert cli.run(["check", "--db", str(truncated)]) == 1
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    assert integrity.full_check(garbage)
    assert cli.run(["check", "--db", str(garbage)]) in (1, 2)
    assert "Traceback" not in capsys.readouterr().err


def test_schema_versions(store, db_path, capsys):
    store.close()
    assert integrity.check_database(db_path).revision is not None
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    result = integrity.check_database(db_path)
    assert result.newer and result.problems == () and "newer version" in result.notes[0]
    assert cli.run(["check", "--db", str(db_path)]) == 0
    assert "note: It was made by a newer version" in capsys.readouterr().out


def test_check_command_ok(store, db_path, capsys):
    add_pupil_with_record(store)
    assert cli.run(["check", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == "ok\n"


def test_weekly_full_check_in_a_sidecar(store, db_path):
    now = dt.datetime(2025, 3, 19, 18, 0)
    assert integrity.due_full_check(store, now)
    assert integrity.run_full_check(store, now) == []
    sidecar = db_path.with_name("school.db.state.json")
    assert sidecar.exists() and "2025-03-19T18:00:00" in sidecar.read_text()
    assert not integrity.due_full_check(store, now + dt.timedelta(days=6, hours=23))
    assert integrity.due_full_check(store, now + dt.timedelta(days=7))
    sidecar.write_text("{broken")
    assert integrity.due_full_check(store, now)  # a damaged sidecar means "check now"
