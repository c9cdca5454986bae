"""Every command's failure is one clear line, never a traceback: a closed pipe, a full disk
(the output's or the database's), the database server going away mid-command. Passphrases
are judged by how guessable they are; a new file made while a passphrase is given is
encrypted with it; change-passphrase makes and checks the backup it promises."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sencodesk import cli
from sencodesk.safety import backup as bk
from sencodesk.safety import sqlitefile
from sencodesk.safety.errors import WrongPassphrase
from sencodesk.store import open_store

from .safety_helpers import ROOT, add_pupil, child_env, fill_disk, names, small_disk

PHRASE = "correct horse battery staple"
NEW_PHRASE = "purple elephants juggle quietly"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("fail") / "demo.db"
    assert cli.run(["demo", "--db", str(db), "--pupils", "30", "--today", "2026-03-02"]) == 0
    return db


def _main(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args],
        env=child_env(),
        cwd=ROOT,
        stderr=subprocess.PIPE,
        **popen,
    )


def _one_line(err: bytes) -> str:
    text_ = err.decode("utf-8", "replace")
    assert "Traceback" not in text_ and "Exception ignored" not in text_, text_
    lines = [ln for ln in text_.splitlines() if ln.strip()]
    assert lines and lines[-1].startswith("sencodesk: "), text_
    # Above it at most a progress bar ("Demo school [....]"), never a second message.
    assert all("[" in ln and "]" in ln for ln in lines[:-1]), text_
    return lines[-1]


def test_a_closed_pipe_is_one_line(demo_db):
    """``alerts | head`` where head has gone before the output comes."""
    proc = _main("alerts", "--db", str(demo_db), "--today", "2026-03-02", stdout=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "broken pipe" in _one_line(err)


def test_a_full_disk_under_the_output_is_one_line(demo_db):
    with open("/dev/full", "wb") as full:
        proc = _main("alerts", "--db", str(demo_db), "--today", "2026-03-02", stdout=full)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "disk is full" in _one_line(err)


def test_a_full_disk_under_the_database_is_one_line_and_nothing_half_saved(tmp_path, capsys):
    with small_disk(tmp_path / "disk", "4m") as disk:
        db = disk / "school.db"
        store = open_store(db, user="test")
        add_pupil(store)
        store.close()
        fill_disk(disk)
        assert cli.run(["demo", "--db", str(db), "--pupils", "30", "--today", "2026-03-02"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("sencodesk: ") and err.count("\n") == 1, err
        assert "disk is full" in err
        (disk / "filler").unlink()
        store = open_store(db, user="test")
        try:
            assert names(store) == ["Okafor"]  # the demo was not half-written
        finally:
            store.close()


def _terminate_when_busy(admin_url: str, database: str, stop: threading.Event) -> None:
    """Cut every connection to ``database`` once the command is writing (as a server that
    is killed or restarted does, from the client's side)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        time.sleep(1.5)  # started; then cut it while it is busy
        with admin.connect() as conn:
            while not stop.is_set():
                n = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :d AND pid <> pg_backend_pid() "
                        "AND state IN ('active', 'idle in transaction')"
                    ),
                    {"d": database},
                ).scalar()
                if n:
                    return
                time.sleep(0.02)
    finally:
        admin.dispose()


def test_the_server_going_away_during_demo_is_one_line(pg_url):
    from tests.conftest import PG_URL

    database = make_url(pg_url).database
    stop = threading.Event()
    killer = threading.Thread(target=_terminate_when_busy, args=(PG_URL, database, stop))
    proc = _main("demo", "--db", pg_url, "--pupils", "20000", stdout=subprocess.PIPE)
    killer.start()
    try:
        _, err = proc.communicate(timeout=300)
    finally:
        stop.set()
        killer.join()
    assert proc.returncode == 2
    assert "connection to the database server was lost" in _one_line(err)


@pytest.mark.parametrize("weak", ["aaaaaaaaaa", "password123", "qwertyuiop", "1234567890"])
def test_a_guessable_passphrase_is_refused_and_nothing_changes(tmp_path, capsys, weak):
    db = tmp_path / "school.db"
    store = open_store(db, user="test")
    add_pupil(store)
    store.close()
    before = db.read_bytes()
    phrase_file = tmp_path / "phrase.txt"
    phrase_file.write_text(weak, "utf-8")
    assert cli.run(["encrypt", "--db", str(db), "--passphrase-file", str(phrase_file)]) == 2
    err = capsys.readouterr().err
    assert "too easy to guess" in err and err.count("\n") == 1
    assert db.read_bytes() == before and sqlitefile.is_plain_sqlite(db)
    assert sqlitefile.new_passphrase_problem(PHRASE) is None


@pytest.mark.parametrize("command", [["demo", "--pupils", "30"], ["import", "{export}"]])
def test_a_new_file_made_while_a_passphrase_is_given_is_encrypted(
    tmp_path, demo_db, monkeypatch, capsys, command
):
    export = tmp_path / "school.json"
    assert cli.run(["export", "--format", "json", "--out", str(export), "--db", str(demo_db)]) == 0
    monkeypatch.setenv(sqlitefile.PASSPHRASE_ENV, PHRASE)
    db = tmp_path / "new.db"
    argv = [a.replace("{export}", str(export)) for a in command]
    assert cli.run([*argv, "--db", str(db)]) == 0
    assert "encrypted" in capsys.readouterr().err
    assert sqlitefile.is_encrypted(db)
    with pytest.raises(WrongPassphrase):
        sqlitefile.connect(db, key=sqlitefile.key_bytes("not the passphrase"), read_only=True)
    store = open_store(db, passphrase=PHRASE)
    try:
        assert len(names(store)) == 30
    finally:
        store.close()


def test_a_weak_passphrase_given_makes_no_new_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(sqlitefile.PASSPHRASE_ENV, "aaaaaaaaaa")
    db = tmp_path / "new.db"
    assert cli.run(["demo", "--pupils", "30", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "was not created" in err and "too easy to guess" in err
    assert not db.exists() or db.stat().st_size == 0


def test_change_passphrase_makes_and_checks_the_backup_it_promises(tmp_path, monkeypatch, capsys):
    db = tmp_path / "school.db"
    store = open_store(db, passphrase=PHRASE, user="test")
    add_pupil(store)
    old_backup = bk.backup_now(store)
    store.close()
    old_file, new_file = tmp_path / "old.txt", tmp_path / "new.txt"
    old_file.write_text(PHRASE, "utf-8")
    new_file.write_text(NEW_PHRASE, "utf-8")
    argv = ["change-passphrase", "--db", str(db), "--passphrase-file", str(old_file)]
    assert cli.run([*argv, "--new-passphrase-file", str(new_file)]) == 0
    out = capsys.readouterr().out
    made = [i.path for i in bk.list_backups(bk.backup_folder(db)) if i.path != old_backup]
    assert len(made) == 1 and str(made[0]) in out
    new_key = sqlitefile.key_bytes(NEW_PHRASE)
    with sqlitefile.connected(made[0], key=new_key, read_only=True) as conn:
        assert conn.execute("SELECT legal_last_name FROM pupil").fetchall() == [("Okafor",)]
    with pytest.raises(WrongPassphrase):
        sqlitefile.connect(made[0], key=sqlitefile.key_bytes(PHRASE), read_only=True)
    assert str(old_backup) in out.split("OLD passphrase", 1)[1]


def test_a_deleted_wal_then_a_crash_loses_no_save(tmp_path):
    """The -wal deleted by hand while the app has the file open (POSIX lets it), then a
    crash: the commits after the deletion, and those before it not yet in the file, stay."""
    db = tmp_path / "school.db"
    script = f"""
import os, signal, datetime as dt
from pathlib import Path
from sencodesk import commands
from sencodesk.store import open_store
db = Path({str(db)!r})
store = open_store(db, user="t")
def add(name):
    with store.session() as s:
        commands.save_pupil(s, {{"legal_first_name": "A", "legal_last_name": name,
                                 "date_of_birth": dt.date(2016, 1, 1)}})
add("Before")
for suffix in ("-wal", "-shm"):
    os.unlink(str(db) + suffix)
add("After")
os.kill(os.getpid(), signal.SIGKILL)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=child_env(), cwd=ROOT, capture_output=True
    )
    assert done.returncode == -9, done.stderr
    assert b"was deleted while the database was open" in done.stderr
    store = open_store(db, user="test")
    try:
        assert names(store) == ["After", "Before"]
    finally:
        store.close()
