"""Backups: the online backup API, checked copies, rotation, and restore through the API."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sencodesk.model import Pupil
from sencodesk.safety import backup as bk
from sencodesk.safety.errors import BackupFailed, BadBackup
from sencodesk.safety.restore import restore
from sencodesk.store import open_store

NOW = dt.datetime(2025, 3, 19, 18, 0)  # a Wednesday


def add_pupil(store, first="Amara", last="Okafor"):
    with store.session() as s:
        p = Pupil(legal_first_name=first, legal_last_name=last, date_of_birth=dt.date(2015, 5, 4))
        s.add(p)
        s.flush()
        return p.id


def names(store):
    with store.read() as s:
        return sorted(s.scalars(select(Pupil.legal_last_name)))


def test_backup_now_default_folder_checked_single_file(store, db_path):
    add_pupil(store)
    made = bk.backup_now(store, now=NOW)
    assert made == db_path.parent / "backups" / "school-20250319-180000.db"
    assert not list(made.parent.glob("*.partial"))
    head = made.read_bytes()[:100]
    assert head[:16] == b"SQLite format 3\x00"
    assert head[18:20] == b"\x01\x01"  # rollback journal: one self-contained file, no -wal
    raw = sqlite3.connect(made)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("SELECT legal_last_name FROM pupil").fetchall() == [("Okafor",)]
    raw.close()
    again = bk.backup_now(store, now=NOW)  # same second: a new name, never an overwrite
    assert again.name == "school-20250319-180000-2.db"
    infos = bk.list_backups(made.parent)
    assert [i.path for i in infos] == [again, made]
    assert infos[0].taken_at == NOW and infos[0].kind == "" and infos[0].database == "school"


def test_backup_out_folder_or_file(store, tmp_path):
    folder = tmp_path / "usb"
    made = bk.backup_now(store, folder, now=NOW)
    assert made.parent == folder
    file = tmp_path / "copy-for-the-head.db"
    assert bk.backup_now(store, file) == file and file.exists()
    with pytest.raises(BackupFailed, match="already exists"):
        bk.backup_now(store, file)


def test_backup_sees_committed_data_only_and_works_read_only(store, db_path):
    add_pupil(store, last="Committed")
    ro = open_store(db_path, read_only=True)
    try:
        made = bk.backup_now(ro, now=NOW)
    finally:
        ro.close()
    raw = sqlite3.connect(made)
    assert raw.execute("SELECT legal_last_name FROM pupil").fetchall() == [("Committed",)]
    raw.close()


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    leaves = [i for i in range(1, len(data) // page) if data[i * page] in (0x0A, 0x0D)]
    at = leaves[len(leaves) // 2] * page
    data[at + 8 : at + 400] = b"\xff" * 392
    path.write_bytes(bytes(data))


def test_bad_backup_is_deleted_and_an_error_raised(tmp_path):
    src = tmp_path / "damaged.db"
    raw = sqlite3.connect(src)
    raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)")
    raw.execute("CREATE INDEX ix_t ON t (x)")
    raw.executemany("INSERT INTO t (x) VALUES (?)", [(f"row {i} " * 5,) for i in range(3000)])
    raw.commit()
    raw.close()
    _corrupt(src)
    with pytest.raises(BackupFailed, match="failed"):
        bk.backup_file(src, now=NOW)
    assert list((tmp_path / "backups").iterdir()) == []


def _fake(folder: Path, when: dt.datetime, kind: str = "", db: str = "school") -> Path:
    folder.mkdir(exist_ok=True)
    p = folder / bk.backup_name(Path(f"{db}.db"), when, kind)
    p.write_bytes(b"x")
    return p


def test_rotation_keeps_daily_weekly_and_newest(tmp_path):
    folder = tmp_path / "backups"
    day = dt.datetime(2025, 1, 1)
    while day.date() <= NOW.date():
        for hour in (9, 17):
            _fake(folder, day.replace(hour=hour))
        day += dt.timedelta(days=1)
    other = _fake(folder, dt.datetime(2024, 1, 1), db="other-school")
    young_safety = _fake(folder, NOW - dt.timedelta(days=20), "before-upgrade")
    old_safety = _fake(folder, NOW - dt.timedelta(days=40), "before-restore")
    deleted = bk.rotate(folder, now=NOW, database="school.db")
    kept = {i.taken_at for i in bk.list_backups(folder, database="school.db") if not i.kind}
    daily = {dt.datetime(2025, 3, d, 17) for d in range(13, 20)}
    weekly = {
        dt.datetime(2025, 3, 16, 17),
        dt.datetime(2025, 3, 9, 17),
        dt.datetime(2025, 3, 2, 17),
    }  # Sundays: the newest of each earlier ISO week
    assert kept == daily | weekly
    assert young_safety.exists() and not old_safety.exists() and old_safety in deleted
    assert other.exists()  # another database's backups are not this rotation's business
    assert len(deleted) == 2 * 78 - len(kept) + 1


def test_rotation_never_deletes_the_newest(tmp_path):
    folder = tmp_path / "backups"
    old = [_fake(folder, dt.datetime(2024, 6, d, 12)) for d in (1, 2, 3)]
    bk.rotate(folder, now=NOW)
    assert [p.exists() for p in old] == [False, False, True]


def test_auto_backup_once_a_day(store):
    add_pupil(store)
    first = bk.auto_backup(store, now=NOW)
    assert first is not None and first.exists()
    assert bk.auto_backup(store, now=NOW + dt.timedelta(hours=3)) is None
    nxt = bk.auto_backup(store, now=NOW + dt.timedelta(days=1))
    assert nxt is not None and nxt != first and first.exists()


def test_restore_through_the_backup_api(store, db_path):
    add_pupil(store, last="Kept")
    saved = bk.backup_now(store, now=NOW)
    add_pupil(store, last="Later")  # committed, still in the -wal
    assert db_path.with_name("school.db-wal").stat().st_size > 0
    safety = restore(db_path, saved, now=NOW + dt.timedelta(minutes=5))
    # The open store sees the restored data at once: the live file, its -wal and -shm were
    # changed by SQLite itself, never swapped underneath it.
    assert names(store) == ["Kept"]
    add_pupil(store, last="AfterRestore")
    assert names(store) == ["AfterRestore", "Kept"]
    assert safety is not None and safety.name == "school-before-restore-20250319-180500.db"
    raw = sqlite3.connect(safety)
    assert sorted(r[0] for r in raw.execute("SELECT legal_last_name FROM pupil")) == [
        "Kept",
        "Later",
    ]
    raw.close()
    store.close()
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_restore_refuses_bad_backups_and_changes_nothing(store, db_path, tmp_path):
    add_pupil(store)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all")
    foreign = tmp_path / "foreign.db"
    raw = sqlite3.connect(foreign)
    raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.commit()
    raw.close()
    newer = bk.backup_now(store, now=NOW)
    raw = sqlite3.connect(newer)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    (newer.parent / bk.CHECKSUMS).unlink()  # as from a version that kept none
    for bad, message in [
        (garbage, "not a database"),
        (foreign, "not a SENCO Desk database"),
        (newer, "newer version"),
        (db_path, "the database itself"),
        (tmp_path / "missing.db", "no database file"),
    ]:
        with pytest.raises(BadBackup, match=message):
            restore(db_path, bad)
    assert names(store) == ["Okafor"]
    assert [i.kind for i in bk.list_backups(db_path.parent / "backups")] == [""]


def test_restore_over_a_damaged_database_moves_it_aside(db_path):
    s = open_store(db_path, user="test")
    for i in range(300):
        add_pupil(s, f"First{i}", f"Last{i}" * 20)
    good = bk.backup_now(s, now=NOW)
    s.close()
    _corrupt(db_path)
    moved = restore(db_path, good, now=NOW + dt.timedelta(hours=1))
    assert moved is not None and moved.name == "school-damaged-20250319-190000.db"
    assert moved.read_bytes()[:16] == b"SQLite format 3\x00"
    s = open_store(db_path, user="test")
    with s.read() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == 300
    s.close()
    assert bk.newest_good_backup(db_path) == good  # the damaged copy is never offered
