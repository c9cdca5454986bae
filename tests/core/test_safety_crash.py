"""Crash safety: a writer killed with SIGKILL at random points loses no committed transaction
and leaves no partial one visible; the file stays sound. Runs in CI (bounded: a few seconds)."""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from sencodesk.model import AuditEntry, Pupil, Record
from sencodesk.store import open_store

ROOT = Path(__file__).resolve().parents[2]
KILLS = 50
RECORDS_PER_PUPIL = 3

# A "zygote" imports everything once and forks one writer per round, so that 50 rounds do not
# pay 50 interpreter start-ups (about 1 s each). Each writer is its own process, killed with
# SIGKILL. A writer's transaction: one pupil, three records, and their audit rows, through
# Store.session(); its number is written to stdout (one write call) only after the commit
# has returned.
ZYGOTE = f"""
import datetime as dt, os, sys
from pathlib import Path
from sencodesk.model import Pupil, Record
from sencodesk.store import open_store


def write_forever(db, n):
    store = open_store(db, user="crash", migrate=False)
    while True:
        with store.session() as s:
            p = Pupil(legal_first_name=f"P{{n}}", legal_last_name="Crash",
                      date_of_birth=dt.date(2015, 1, 1))
            s.add(p)
            s.flush()
            for k in range({RECORDS_PER_PUPIL}):
                s.add(Record(pupil_id=p.id, occurred_at=dt.datetime(2025, 1, 1, 9),
                             kind="support", text=f"T{{n}}-{{k}}"))
        os.write(1, f"{{n}}\\n".encode())
        n += 1


db = Path(sys.argv[1])
warm = open_store(Path(sys.argv[2]), user="warm")  # compile the ORM's work once, before forking
with warm.session() as s:
    s.add(Pupil(legal_first_name="W", legal_last_name="W", date_of_birth=dt.date(2015, 1, 1)))
warm.close()
os.write(1, b"ready\\n")
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            os.write(1, f"pid {{os.getpid()}}\\n".encode())
            write_forever(db, int(line))
        finally:
            os._exit(1)
    os.waitpid(pid, 0)
    os.write(1, b"end\\n")
"""


def _run_and_kill(zygote: subprocess.Popen, start: int, rng: random.Random) -> list[int]:
    assert zygote.stdin is not None and zygote.stdout is not None
    zygote.stdin.write(f"{start}\n".encode())
    zygote.stdin.flush()
    first = zygote.stdout.readline().split()
    assert first[0] == b"pid"
    lines = []
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.0, 0.05))  # sometimes while it is still opening the file
    else:
        lines.append(zygote.stdout.readline())  # it is committing: kill it mid-stream
        time.sleep(rng.uniform(0.0, 0.03))
    os.kill(int(first[1]), signal.SIGKILL)
    while (line := zygote.stdout.readline()) != b"end\n":
        assert line, "the zygote died"
        lines.append(line)
    # Only whole numbers count (a write cut off by the kill was not reported as committed).
    return [int(x) for x in lines if x.endswith(b"\n") and x.strip().isdigit()]


def _verify(db: Path, committed: set[int]) -> int:
    """Every committed number is there, every transaction is whole, the file is sound."""
    store = open_store(db, user="check")  # the killed writer's lock is gone with it
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with store.read() as s:
            pupils = {p.id: int(p.legal_first_name[1:]) for p in s.scalars(select(Pupil))}
            records = s.execute(select(Record.pupil_id, Record.text)).all()
            audited = Counter(
                (t, r) for t, r in s.execute(select(AuditEntry.table_name, AuditEntry.row_id))
            )
            record_ids = s.scalars(select(Record.id)).all()
    finally:
        store.close()
    present = set(pupils.values())
    assert committed <= present, f"lost commits: {sorted(committed - present)[:10]}"
    assert len(present) == len(pupils)  # no number written twice
    per_pupil = Counter(pid for pid, _ in records)
    for pid in pupils:
        assert per_pupil[pid] == RECORDS_PER_PUPIL
        assert audited[("pupil", pid)] > 0
    assert {text.split("-")[0] for _, text in records} == {f"T{n}" for n in present}
    assert all(audited[("record", rid)] > 0 for rid in record_ids)
    # No audit rows of a transaction that did not commit.
    assert {r for t, r in audited if t == "pupil"} == set(pupils)
    assert {r for t, r in audited if t == "record"} == set(record_ids)
    return max(present, default=-1)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork and SIGKILL are POSIX")
def test_killed_writer_loses_nothing_committed(tmp_path):
    db = tmp_path / "crash.db"
    open_store(db, user="setup").close()
    rng = random.Random(20250319)
    committed: set[int] = set()
    started = time.monotonic()
    highest = -1
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(db), str(tmp_path / "warm.db")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert zygote.stdout is not None and zygote.stdout.readline() == b"ready\n"
        for _ in range(KILLS):
            committed.update(_run_and_kill(zygote, highest + 1, rng))
            highest = _verify(db, committed)
    finally:
        zygote.kill()
        zygote.wait()
    assert len(committed) >= KILLS  # the kills did land among commits
    assert time.monotonic() - started < 60
