"""MIS import timings and memory (targets from issue 14).

1. A 5,000-pupil CTF (generated: every pupil with SEN history, FSM, contacts) previewed
   against an empty school: target 2 s; then applied (5,000 new pupils through
   ``commands.save_pupil``, audited, one transaction): target 5 s. Also the second import of
   the same file (every pupil matched, nothing to write).
2. A 100,000-row spreadsheet (CSV, and XLSX) read and previewed as a stream, each in a fresh
   process: target at most 250 MB peak memory (the child's own peak resident set, VmHWM;
   ``ru_maxrss`` would report the parent's peak, as Linux keeps it across exec).

    python benchmarks/bench_mis.py [--runs 3] [--rows 100000] [--pupils 5000]

Medians of ``--runs`` runs, each on a new database file.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sencodesk import commands  # noqa: E402
from sencodesk.mis.apply import apply_plan  # noqa: E402
from sencodesk.mis.preview import Choices, make_plan  # noqa: E402
from sencodesk.store import open_store  # noqa: E402
from tests.mis.make_files import big_roll, write_csv, write_ctf, write_xlsx  # noqa: E402


def _school(path: Path):
    store = open_store(path, user="bench")
    with store.session() as s:
        commands.save_school(s, {"name": "Bench Primary"})
    return store


def ctf_timings(folder: Path, pupils: int, runs: int) -> None:
    ctf = write_ctf(folder / "roll.xml", big_roll(pupils))
    print(f"CTF: {pupils:,} pupils, {ctf.stat().st_size / 1e6:.1f} MB")
    preview, apply, again = [], [], []
    cpu_preview, cpu_apply = [], []
    for run in range(runs):
        store = _school(folder / f"ctf{run}.db")
        try:
            t, c = time.perf_counter(), time.process_time()
            with store.read() as s:
                plan = make_plan(s, ctf)
            preview.append(time.perf_counter() - t)
            cpu_preview.append(time.process_time() - c)
            assert plan.counts["new"] == pupils, plan.counts
            t, c = time.perf_counter(), time.process_time()
            result = apply_plan(store, plan, Choices.defaults(plan))
            apply.append(time.perf_counter() - t)
            cpu_apply.append(time.process_time() - c)
            assert result.added == pupils
            t = time.perf_counter()
            with store.read() as s:
                plan2 = make_plan(s, ctf)
            apply_plan(store, plan2, Choices.defaults(plan2))
            again.append(time.perf_counter() - t)
            assert plan2.counts["unchanged"] == pupils
        finally:
            store.close()
    med = statistics.median
    print(
        f"  preview (target 2 s): median {med(preview):.2f} s wall, {med(cpu_preview):.2f} s CPU"
        f"  (wall runs {_list(preview)})"
    )
    print(
        f"  apply   (target 5 s): median {med(apply):.2f} s wall, {med(cpu_apply):.2f} s CPU"
        f"  (wall runs {_list(apply)})"
    )
    print(f"  machine load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    print(f"  re-import, preview + apply of nothing: median {med(again):.2f} s")


def _list(xs: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in xs)


CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from sencodesk import commands
from sencodesk.mis.preview import make_plan
from sencodesk.store import open_store
store = open_store(Path({db!r}), user="bench")
with store.session() as s:
    commands.save_school(s, {{"name": "Bench Primary"}})
def hwm():  # this process's own peak (ru_maxrss would carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = hwm()
t = time.perf_counter()
with store.read() as s:
    plan = make_plan(s, Path({path!r}))
took = time.perf_counter() - t
peak = hwm()
print(plan.counts["new"], plan.counts["refused"], round(took, 2), start // 1024, peak // 1024)
"""


def sheet_memory(folder: Path, rows: int) -> None:
    roll = list(big_roll(rows))
    for kind, path in (
        ("CSV", write_csv(folder / "roll.csv", roll)),
        ("XLSX", write_xlsx(folder / "roll.xlsx", roll)),
    ):
        code = CHILD.format(root=str(ROOT), db=str(folder / f"{kind}.db"), path=str(path))
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
        new, refused, took, start, peak = out
        print(
            f"{kind}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB: preview {took} s, "
            f"{new} new, {refused} refused; peak memory {peak} MB (target 250 MB; "
            f"{start} MB before reading)"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--pupils", type=int, default=5000)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--sheets-only", action="store_true", help="only the memory of part 2")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.sheets_only:
            ctf_timings(folder, args.pupils, args.runs)
        sheet_memory(folder, args.rows)
    print(f"(this process: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")


if __name__ == "__main__":
    os.environ.setdefault("SENCODESK_BENCH", "1")
    main()
