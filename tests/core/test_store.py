"""Opening a database: refusals leave the file untouched, migrations back up first, read-only
opening, the quick check at open, and the writer's lock."""

import datetime as dt
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sencodesk import schema
from sencodesk.errors import DatabaseError, KnownError
from sencodesk.model import AuditEntry, Pupil
from sencodesk.safety import location
from sencodesk.safety.backup import backup_now, list_backups
from sencodesk.safety.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    NetworkShareRefused,
    ReadOnlyStore,
)
from sencodesk.store import open_for_reading, open_store

ROOT = Path(__file__).resolve().parents[2]


def add_pupil(store, first="Amara", last="Okafor"):
    with store.session() as s:
        p = Pupil(legal_first_name=first, legal_last_name=last, date_of_birth=dt.date(2015, 5, 4))
        s.add(p)
        s.flush()
        return p.id


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_open_creates_migrates_and_audits(store, db_path):
    assert store.is_sqlite and store.path == db_path and not store.read_only
    pid = add_pupil(store)
    with store.read() as s:
        assert s.get(Pupil, pid).legal_last_name == "Okafor"
        assert s.scalar(select(func.count()).select_from(AuditEntry)) > 0
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_newer_schema_refused_and_file_unchanged(db_path):
    s = open_store(db_path, user="test")
    add_pupil(s)
    s.close()
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    before = digest(db_path)
    with pytest.raises(DatabaseError, match=r"newer version of SENCO Desk \(schema 9999\)"):
        open_store(db_path, user="test")
    assert digest(db_path) == before
    assert not (db_path.parent / "backups").exists()  # refused before any backup
    assert not db_path.with_name(db_path.name + ".lock").exists()  # the lock was let go


@pytest.mark.parametrize(
    "content", [b"hello, this is a letter to parents\n", b"\x00" * 10, b"PK\x03\x04" + b"x" * 100]
)
def test_not_a_database_refused_and_file_unchanged(db_path, content):
    db_path.write_bytes(content)
    with pytest.raises(KnownError, match="not a SENCO Desk database"):
        open_store(db_path, user="test")
    assert db_path.read_bytes() == content


def test_folder_and_missing_file(tmp_path):
    with pytest.raises(KnownError, match="is a folder"):
        open_store(tmp_path, user="test")
    with pytest.raises(KnownError, match="There is no database"):
        open_store(tmp_path / "none.db", create=False)


def test_foreign_sqlite_database_refused(db_path):
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.commit()
    raw.close()
    before = digest(db_path)
    with pytest.raises(KnownError, match="not SENCO Desk's"):
        open_store(db_path, user="test")
    assert digest(db_path) == before


def _migrations_with_a_new_revision(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(ROOT / "db", folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = schema.head_revision()
    (folder / "versions" / "9001_test_index.py").write_text(
        textwrap.dedent(f"""
        from alembic import op

        revision = "9001"
        down_revision = "{head}"
        branch_labels = None
        depends_on = None

        def upgrade():
            op.create_index("ix_test_pupil_class", "pupil", ["class_name"])

        def downgrade():
            op.drop_index("ix_test_pupil_class", "pupil")
        """)
    )
    return folder


def test_migration_backs_up_first(db_path, tmp_path, monkeypatch):
    s = open_store(db_path, user="test")
    add_pupil(s, "Before", "Migration")
    s.close()
    monkeypatch.setattr(schema, "MIGRATIONS", _migrations_with_a_new_revision(tmp_path))
    s = open_store(db_path, user="test")
    s.close()
    backups = list_backups(db_path.parent / "backups", database=db_path)
    assert [b.kind for b in backups] == ["before-upgrade"]
    raw = sqlite3.connect(backups[0].path)
    # The backup is the database as it was: the old schema, with the data.
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] != "9001"
    assert raw.execute("SELECT legal_last_name FROM pupil").fetchall() == [("Migration",)]
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9001"
    raw.close()


def test_read_only_store_reads_but_never_writes(store, db_path):
    add_pupil(store)
    ro = open_store(db_path, read_only=True)
    try:
        assert ro.read_only
        with ro.read() as s:
            assert s.scalar(select(func.count()).select_from(Pupil)) == 1
        with pytest.raises(ReadOnlyStore), ro.session():
            pass
        with ro.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA query_only").scalar() == 1
    finally:
        ro.close()


LOCK_HOLDER = """
import sys, time
from sencodesk.safety import lock
held = lock.acquire(__import__("pathlib").Path(sys.argv[1]), user="mrs.jones")
print("locked", flush=True)
time.sleep(60)
"""


def _hold_lock(db_path: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_is_told_who_has_it_and_may_read(store, db_path):
    add_pupil(store)
    store.close()
    holder = _hold_lock(db_path)
    try:
        with pytest.raises(DatabaseLocked) as err:
            open_store(db_path, user="test")
        assert "SENCO Desk is already open on this file by mrs.jones on " in str(err.value)
        assert f"since {dt.datetime.now():%H}:" in str(err.value)
        assert err.value.info is not None and err.value.info.pid == holder.pid
        reader = open_for_reading(db_path, user="test")
        try:
            assert reader.read_only and reader.locked_by.user == "mrs.jones"
            with reader.read() as s:
                assert s.scalar(select(func.count()).select_from(Pupil)) == 1
        finally:
            reader.close()
    finally:
        holder.kill()
        holder.wait()
    # The OS lock died with the process: the stale lock file is taken over.
    assert db_path.with_name(db_path.name + ".lock").exists()
    again = open_store(db_path, user="test")
    assert not again.read_only
    again.close()
    assert not db_path.with_name(db_path.name + ".lock").exists()


def test_same_process_may_open_twice(store, db_path):
    other = open_store(db_path, user="test")
    other.close()
    add_pupil(store)  # the first store still works and still holds the lock
    assert db_path.with_name(db_path.name + ".lock").exists()


def test_damaged_file_refused_naming_the_newest_good_backup(store, db_path):
    for i in range(300):
        add_pupil(store, f"First{i}", f"Last{i}" * 20)
    good = backup_now(store)
    store.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    leaves = [i for i in range(1, len(data) // page) if data[i * page] in (0x0A, 0x0D)]
    target = leaves[len(leaves) // 2] * page
    data[target + 8 : target + 400] = b"\xff" * 392
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged) as err:
        open_store(db_path, user="test")
    assert err.value.backup == good
    assert str(good) in str(err.value) and "restore" in str(err.value)


def test_network_share_refused_unless_allowed(tmp_path, monkeypatch, caplog):
    with pytest.raises(
        NetworkShareRefused, match=r"network share \\\\fileserver\\senco.*PostgreSQL"
    ):
        open_store("//fileserver/senco/school.db")
    table = f"srv:/export {tmp_path} nfs4 rw,relatime 0 0\n"
    monkeypatch.setattr(location, "read_mount_table", lambda: table)
    with pytest.raises(NetworkShareRefused, match="NFS"):
        open_store(tmp_path / "school.db")
    assert not (tmp_path / "school.db").exists()
    with caplog.at_level("WARNING"):
        s = open_store(tmp_path / "school.db", allow_network=True)
    s.close()
    assert any("NETWORK SHARE" in r.getMessage().upper() for r in caplog.records)
