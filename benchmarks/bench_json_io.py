"""JSON export and import at 2,000 / 20,000 / 100,000 pupils: time and peak RSS (issue #17).

    python benchmarks/bench_json_io.py [--runs 3] [--sizes 2000,20000,100000] [--keep DIR]

Target (#17): a 100,000-pupil import and export each within 250 MB peak RSS, time linear in
rows. Each size's demo database is made once (``main.py demo --pupils N``, or taken from
--keep); then each run exports it and imports that file into a new SQLite database, each in
a fresh process so that its peak RSS (``ru_maxrss``) is its own. Printed per size: the file's
size and rows, then for export and import the median wall time (and CPU time) of the runs,
the time per 1,000 rows, and the largest peak RSS of the runs.
"""

from __future__ import annotations

import argparse
import json
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

SIZES = (2000, 20000, 100000)
TODAY = "2026-02-20"


def _child(what: str, db: str, file: str) -> None:
    """One export or import in this fresh process: prints its times, rows and peak RSS."""
    from sencodesk.exchange.json_io import export_json, import_json
    from sencodesk.store import open_store

    t, c = time.perf_counter(), time.process_time()
    if what == "export":
        store = open_store(db, user="bench", read_only=True)
        counts = export_json(store, file)
    else:
        store = open_store(db, user="bench")
        counts = import_json(store, file)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "cpu": cpu, "rss": rss, "rows": sum(counts.values())}))


def _run(what: str, db: Path, file: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", what, str(db), str(file)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--keep", type=Path, help="make (or reuse) the demo databases here")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{args.runs} runs each; {os.cpu_count()} CPUs; median s (CPU s); max peak RSS")
        print(
            f"{'pupils':>8} {'rows':>8} {'file MB':>8}  {'what':<6} {'time':>16} "
            f"{'ms/1k rows':>10} {'peak RSS':>9}"
        )
        for n in sizes:
            db = folder / f"d{n}.db"
            if not db.exists():
                subprocess.run(
                    [sys.executable, str(ROOT / "main.py"), "demo", "--db", str(db)]
                    + ["--pupils", str(n), "--today", TODAY],
                    check=True,
                    capture_output=True,
                )
            file = folder / f"export{n}.json"
            got: dict[str, list[dict[str, float]]] = {"export": [], "import": []}
            for i in range(args.runs):
                got["export"].append(_run("export", db, file))
                target = folder / f"import{n}-{i}.db"
                target.unlink(missing_ok=True)
                got["import"].append(_run("import", target, file))
                target.unlink(missing_ok=True)
            size = file.stat().st_size / 2**20
            file.unlink(missing_ok=True)
            for what, runs in got.items():
                rows = runs[0]["rows"]
                wall = statistics.median(r["wall"] for r in runs)
                cpu = statistics.median(r["cpu"] for r in runs)
                rss = max(r["rss"] for r in runs)
                print(
                    f"{n:>8,} {rows:>8,.0f} {size:>8.1f}  {what:<6} "
                    f"{f'{wall:.2f} ({cpu:.2f})':>16} {wall * 1e6 / rows:>10.1f} "
                    f"{rss:>7.0f}MB",
                    flush=True,
                )


if __name__ == "__main__":
    main()
