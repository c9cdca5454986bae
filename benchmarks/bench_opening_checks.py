"""What the data-safety checks cost at opening, on a trust-sized database.

1. Opening for changes: the quick check (every opening) against SQLite's full integrity check
   (the first opening for changes of each day), each on its own read-only connection.
2. A backup: made, checked, and its SHA-256 taken (``backup_now``), and the SHA-256 alone
   (what re-verifying a backup before a restore costs).

    python benchmarks/bench_opening_checks.py [--pupils 20000] [--runs 7] [--db FILE]

The demo database is built once (as ``python main.py demo --db FILE --pupils 20000``) and
kept at ``--db``. Medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "bench-checks.db")
    args = parser.parse_args()

    from sencodesk import cli
    from sencodesk.safety import backup as bk
    from sencodesk.store import open_store

    if not args.db.exists():
        cli.run(["demo", "--db", str(args.db), "--pupils", str(args.pupils)])
    size = args.db.stat().st_size / 1e6

    def pragma(name: str) -> Callable[[], object]:
        def run() -> object:
            conn = sqlite3.connect(args.db.resolve().as_uri() + "?mode=ro", uri=True)
            try:
                return conn.execute(f"PRAGMA {name}").fetchall()
            finally:
                conn.close()

        return run

    quick = median_s(pragma("quick_check"), args.runs)
    full = median_s(pragma("integrity_check"), args.runs)
    print(f"database: {args.db} ({size:.1f} MB, {args.pupils} pupils)")
    print(f"quick check (every opening):           {quick * 1000:7.0f} ms")
    print(f"full integrity check (first of a day): {full * 1000:7.0f} ms ({full / quick:.1f}x)")

    store = open_store(args.db)
    made: list[Path] = []
    try:
        backup = median_s(lambda: made.append(bk.backup_now(store)), args.runs)
    finally:
        store.close()
    digest = median_s(lambda: bk.file_sha256(made[-1]), args.runs)
    print(f"backup, checked, checksum recorded:    {backup * 1000:7.0f} ms")
    print(f"re-verifying a backup's SHA-256:       {digest * 1000:7.0f} ms")
    for p in made:
        p.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
