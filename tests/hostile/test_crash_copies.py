"""A backup or a restore killed with SIGKILL at random points: at the next opening no
unfinished copy (``*.partial``, ``.restoring``) survives, every backup is private (0600 in a
0700 folder), and the database is sound, holding either what it held or the backup."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sencodesk import cli
from sencodesk.safety import backup as bk
from sencodesk.safety import integrity
from sencodesk.store import open_store

from .safety_helpers import ROOT, child_env, mode, names

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and file modes are POSIX")
ROUNDS = 4

BACKUP_FOREVER = """
import sys
from pathlib import Path
from sencodesk.safety.backup import backup_now
from sencodesk.store import open_store
store = open_store(Path(sys.argv[1]), user="crash")
print("ready", flush=True)
while True:
    backup_now(store)
"""

RESTORE_FOREVER = """
import sys
from pathlib import Path
from sencodesk.safety.restore import restore
db, backup = Path(sys.argv[1]), Path(sys.argv[2])
print("ready", flush=True)
while True:
    restore(db, backup)
"""


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> Path:
    """A 2,000-pupil demo school: a backup of it takes long enough to be caught mid-way."""
    db = tmp_path_factory.mktemp("crash-school") / "school.db"
    assert cli.run(["demo", "--db", str(db), "--pupils", "2000", "--today", "2026-03-02"]) == 0
    return db


def _copy_school(school: Path, folder: Path) -> Path:
    db = folder / "school.db"
    shutil.copyfile(school, db)
    return db


def _unfinished(db: Path) -> list[Path]:
    return sorted(db.parent.rglob("*.partial*")) + sorted(db.parent.glob("*.restoring*"))


def _kill_mid_copy(args: list[str], db: Path, rng: random.Random) -> bool:
    """Start a child that backs up or restores forever; SIGKILL it while an unfinished copy
    exists (or, now and then, a little after one went). True if one was left behind."""
    proc = subprocess.Popen(
        [sys.executable, "-c", *args], env=child_env(), cwd=ROOT, stdout=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 30
        while not _unfinished(db) and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.03))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    return bool(_unfinished(db))


def _assert_tidy_and_private(db: Path) -> None:
    store = open_store(db, user="test")  # the next opening
    try:
        assert len(names(store)) == 2000
        assert integrity.quick_check(store) == []
    finally:
        store.close()
    assert _unfinished(db) == []
    folder = bk.backup_folder(db)
    assert mode(folder) == 0o700
    backups = list(folder.iterdir())
    assert backups
    for p in backups:
        assert mode(p) == 0o600, p


def test_a_backup_killed_mid_way_leaves_nothing_at_the_next_opening(school, tmp_path):
    rng = random.Random(11)
    db = _copy_school(school, tmp_path)
    store = open_store(db, user="test")
    bk.backup_now(store)  # one whole backup beside the unfinished ones
    store.close()
    left = 0
    for _ in range(ROUNDS):
        left += _kill_mid_copy([BACKUP_FOREVER, str(db)], db, rng)
        _assert_tidy_and_private(db)
    assert left >= 1  # the kills did land while a copy was unfinished


def test_a_restore_killed_mid_way_leaves_nothing_at_the_next_opening(school, tmp_path):
    rng = random.Random(12)
    db = _copy_school(school, tmp_path)
    store = open_store(db, user="test")
    backup = bk.backup_now(store)
    store.close()
    left = 0
    for _ in range(ROUNDS):
        left += _kill_mid_copy([RESTORE_FOREVER, str(db), str(backup)], db, rng)
        _assert_tidy_and_private(db)
    assert left >= 1
