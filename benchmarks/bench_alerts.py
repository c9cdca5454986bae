"""Alerts in process at 420, 2,000 and 20,000 pupils (issue #17's target: at most 50 ms at
20,000 pupils, linear beyond). Builds each demo with ``python3 main.py demo --db X --pupils N``
in a temporary folder, then times ``compute_alerts`` (load the facts + the rules) on a warm
session: the median of --runs."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="420,2000,20000")
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    from sencodesk.alerts import compute_alerts
    from sencodesk.store import open_store

    today = dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            db = Path(tmp) / f"demo{n}.db"
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "main.py"),
                    "demo",
                    "--db",
                    str(db),
                    "--pupils",
                    str(n),
                ],
                check=True,
                capture_output=True,
            )
            store = open_store(db, user="bench", read_only=True)
            try:
                times = []
                count = 0
                for _ in range(args.runs):
                    with store.read() as s:
                        t = time.perf_counter()
                        count = len(compute_alerts(s, today=today))
                        times.append((time.perf_counter() - t) * 1000)
                print(
                    f"{n:>6} pupils: {count:>4} alerts, median {statistics.median(times):6.1f} ms "
                    f"(min {min(times):.1f}, max {max(times):.1f}, {args.runs} runs)"
                )
            finally:
                store.close()


if __name__ == "__main__":
    main()
