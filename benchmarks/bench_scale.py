"""The scaling table of issue #17: 420 / 2,000 / 20,000 (and 200,000 with --big) pupils.

    python benchmarks/bench_scale.py [--runs 7] [--big] [--keep DIR]

For each size, a demo database is made with ``python main.py demo --db X --pupils N --today
2026-02-20`` (timed: the target for 200,000 is 60 s), then, each in process on a warm
session, the median of --runs:

- alerts: ``alerts.compute_alerts`` (the facts loaded + the rules);
- timeline: ``queries.timeline.timeline``, the dashboard's 12 months;
- dashboard: ``alerts.alerts_and_timeline``, both over one load of the facts (the first
  page's data);
- pupils: ``queries.pupils.list_pupils``, the Pupils page;
- expiries, costs: the two reports' tables (``reports.expiries``, ``reports.costs``);

and, each in its own fresh process (so its peak RSS is its own), once per run:

- export: ``exchange.json_io.export_json`` of the whole database, and its peak RSS;
- import: ``exchange.json_io.import_json`` of that file into a new database, and its RSS.

The queries are timed as the app runs them: on the database worker, Python's automatic
garbage collection is off (``ui/collector.py``: the GUI thread collects on a timer), so it is
off around each timed call here too. ``--python-gc`` leaves it on: at 200,000 pupils the
collector's walks over the growing heap then add about a third (the gap between the two is
the collector, not the queries).

Times are wall-clock medians and, in brackets, the median CPU time of the process (on a
machine shared with other work the CPU time moves less). The last columns give the ratio
from one size to the next: "linear" is 10x for 10x the pupils.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 2, 20)
SIZES = (420, 2000, 20000)
BIG = 200000


def _child(what: str, db: str, file: str) -> None:
    """Run one export or import in this (fresh) process; print its time and peak RSS."""
    from sencodesk.exchange.json_io import export_json, import_json
    from sencodesk.store import open_store

    t = time.perf_counter()
    c = time.process_time()
    if what == "export":
        store = open_store(db, user="bench", read_only=True)
        export_json(store, file)
    else:
        store = open_store(db, user="bench")
        import_json(store, file)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    store.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": wall * 1000, "cpu": cpu * 1000, "rss": rss_mb}))


def _in_child(what: str, db: Path, file: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", what, str(db), str(file)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _timed(
    store: Any, fn: Callable[[Any], object], runs: int, python_gc: bool
) -> tuple[float, float]:
    walls, cpus = [], []
    with store.read() as s:
        fn(s)  # warm: first-use imports and caches
    for _ in range(runs):
        gc.collect()
        if not python_gc:
            gc.disable()  # as on the app's database worker (ui/collector.py)
        try:
            with store.read() as s:
                t, c = time.perf_counter(), time.process_time()
                fn(s)
                walls.append((time.perf_counter() - t) * 1000)
                cpus.append((time.process_time() - c) * 1000)
        finally:
            gc.enable()
    return statistics.median(walls), statistics.median(cpus)


def measure(
    n: int, folder: Path, runs: int, *, python_gc: bool, exchange: bool
) -> dict[str, tuple[float, float, float | None]]:
    """name -> (median wall ms, median CPU ms, peak RSS MB or None)."""
    from sencodesk.alerts import alerts_and_timeline, compute_alerts
    from sencodesk.queries.pupils import list_pupils
    from sencodesk.queries.timeline import timeline
    from sencodesk.reports.costs import costs_report
    from sencodesk.reports.expiries import expiries_report
    from sencodesk.store import open_store

    out: dict[str, tuple[float, float, float | None]] = {}
    db = folder / f"demo{n}.db"
    if not db.exists():
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "demo", "--db", str(db), "--pupils", str(n)]
            + ["--today", TODAY.isoformat()],
            check=True,
            capture_output=True,
        )
        out["demo"] = ((time.perf_counter() - t) * 1000, float("nan"), None)
    year = TODAY + dt.timedelta(days=365)
    jobs: dict[str, Callable[[Any], object]] = {
        "alerts": lambda s: compute_alerts(s, today=TODAY),
        "timeline": lambda s: timeline(s, TODAY, year),
        "dashboard": lambda s: alerts_and_timeline(s, today=TODAY, start=TODAY, end=year),
        "pupils": lambda s: list_pupils(s, today=TODAY),
        "expiries": lambda s: expiries_report(s, today=TODAY),
        "costs": lambda s: costs_report(s, today=TODAY),
    }
    store = open_store(db, user="bench", read_only=True)
    try:
        for name, fn in jobs.items():
            wall, cpu = _timed(store, fn, runs, python_gc)
            out[name] = (wall, cpu, None)
    finally:
        store.close()
    file = folder / f"export{n}.json"
    for what in ("export", "import") if exchange else ():
        got = []
        for i in range(max(1, min(runs, 3))):
            target = folder / f"import{n}-{i}.db"
            target.unlink(missing_ok=True)
            got.append(_in_child(what, db if what == "export" else target, file))
            target.unlink(missing_ok=True)
        out[what] = (
            statistics.median(g["wall"] for g in got),
            statistics.median(g["cpu"] for g in got),
            max(g["rss"] for g in got),
        )
    file.unlink(missing_ok=True)
    return out


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--big", action="store_true", help=f"also {BIG:,} pupils (slow)")
    ap.add_argument("--sizes", help="comma-separated pupil counts instead")
    ap.add_argument("--keep", type=Path, help="keep the demo databases in this folder")
    ap.add_argument("--python-gc", action="store_true", help="automatic collection left on")
    ap.add_argument(
        "--no-exchange-over",
        type=int,
        default=100000,
        help="leave out export and import above this many pupils (default 100,000)",
    )
    args = ap.parse_args()
    sizes = (
        tuple(int(x) for x in args.sizes.split(","))
        if args.sizes
        else SIZES + ((BIG,) if args.big else ())
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        table = {}
        for n in sizes:
            table[n] = measure(
                n,
                folder,
                args.runs,
                python_gc=args.python_gc,
                exchange=n <= args.no_exchange_over,
            )
            print(f"measured {n:,} pupils", file=sys.stderr)
    names = [
        "demo",
        "alerts",
        "timeline",
        "dashboard",
        "pupils",
        "expiries",
        "costs",
        "export",
        "import",
    ]
    head = f"{'':<9}" + "".join(f"{n:>22,}" for n in sizes)
    ratios = list(zip(sizes, sizes[1:], strict=False))
    head += "".join(f"{f'{b // a}x pupils':>14}" for a, b in ratios)
    print(
        f"median ms (CPU ms) of {args.runs} runs; peak RSS for export/import; "
        f"{os.cpu_count()} CPUs; automatic gc {'on' if args.python_gc else 'off, as the app'}"
    )
    print(head)
    for name in names:
        cells = []
        for n in sizes:
            v = table[n].get(name)
            if v is None:
                cells.append(f"{'-':>22}")
                continue
            wall, cpu, rss = v
            text = f"{wall:,.1f}" + ("" if cpu != cpu else f" ({cpu:,.0f})")
            if rss is not None:
                text += f" {rss:,.0f}MB"
            cells.append(f"{text:>22}")
        line = f"{name:<9}" + "".join(cells)
        for a, b in ratios:
            va, vb = table[a].get(name), table[b].get(name)
            line += f"{(vb[0] / va[0] if va and vb and va[0] else float('nan')):>13.1f}x"
        print(line)


if __name__ == "__main__":
    main()
