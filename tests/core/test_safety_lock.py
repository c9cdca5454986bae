"""One writer per SQLite file: the OS-locked ``<db>.lock`` file (POSIX path tested here)."""

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sencodesk import cli
from sencodesk.safety import lock, sqlitefile
from sencodesk.safety.errors import DatabaseLocked, LockInfo

ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys, time
from pathlib import Path
from sencodesk.store import open_store
store = open_store(Path(sys.argv[1]), user="mr.patel")
print("open", flush=True)
time.sleep(60)
"""


@pytest.fixture(autouse=True)
def _forget_passphrase():
    yield
    sqlitefile.set_session_passphrase(None)  # --passphrase-file sets it for the process


@pytest.fixture
def other_app(store, db_path):
    """Another SENCO Desk process with the database open for writing."""
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    yield proc
    proc.kill()
    proc.wait()


def test_lock_file_says_who_and_goes_away(tmp_path):
    db = tmp_path / "school.db"
    when = dt.datetime(2025, 3, 19, 8, 5)
    held = lock.acquire(db, user="ms.khan", now=when)
    info = lock.read_info(db)
    assert info == LockInfo(os.getpid(), socket.gethostname(), "ms.khan", when)
    assert json.loads((tmp_path / "school.db.lock").read_text())["user"] == "ms.khan"
    second = lock.acquire(db)  # the same process shares it
    held.release()
    assert (tmp_path / "school.db.lock").exists()
    second.release()
    second.release()  # releasing twice is harmless
    assert not (tmp_path / "school.db.lock").exists()
    assert lock.read_info(db) is None


def test_message_names_user_host_and_time():
    today = dt.datetime.combine(dt.date.today(), dt.time(8, 5))
    msg = str(DatabaseLocked(Path("x.db"), LockInfo(1, "OFFICE-PC", "ms.khan", today)))
    assert msg.startswith(
        "SENCO Desk is already open on this file by ms.khan on OFFICE-PC since 08:05."
    )
    old = str(
        DatabaseLocked(
            Path("x.db"), LockInfo(1, "OFFICE-PC", "ms.khan", dt.datetime(2025, 3, 1, 14, 30))
        )
    )
    assert "since 14:30 on 01/03/2025" in old
    assert "another window or on another computer" in str(DatabaseLocked(Path("x.db"), None))


def test_garbage_lock_file_without_an_os_lock_is_taken_over(tmp_path):
    db = tmp_path / "school.db"
    (tmp_path / "school.db.lock").write_text("{not json")
    assert lock.read_info(db) is None
    with lock.locked(db, user="me"):
        assert lock.read_info(db).user == "me"


def test_other_process_holds_it_until_killed(other_app, db_path):
    with pytest.raises(DatabaseLocked, match="by mr.patel on "):
        lock.acquire(db_path)
    other_app.send_signal(signal.SIGKILL)
    other_app.wait()
    with lock.locked(db_path) as held:  # stale: the OS lock died with the process
        assert held.path == db_path.with_name("school.db.lock")


def test_cli_write_command_refused_read_command_reads(other_app, db_path, tmp_path, capsys):
    pw = tmp_path / "pw"
    pw.write_text("a long enough passphrase\n")
    assert cli.run(["encrypt", "--db", str(db_path), "--passphrase-file", str(pw)]) == 2
    assert "already open on this file by mr.patel" in capsys.readouterr().err
    # backup only reads: it falls back to a read-only open and works.
    assert cli.run(["backup", "--db", str(db_path)]) == 0
    assert "Backed up to" in capsys.readouterr().out
    assert cli.run(["check", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.strip() == "ok"
