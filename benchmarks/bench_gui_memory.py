"""The GUI's memory at a trust: RSS after visiting every page (issue #17's target: at most
250 MB with 20,000 pupils).

    python benchmarks/bench_gui_memory.py [--runs 3] [--pupils 20000] [--db PATH]

Each run is a fresh Python that opens the window offscreen on the database (made once with
``python main.py demo --pupils N``), shows each page in the sidebar's order and waits until
it has its rows and the database worker is idle, then prints its resident set size (now, and
the peak so far). Medians of the runs are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 250

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from ui.app import configure_app
configure_app(app)
from ui.main_window import MainWindow
from ui.pages import PAGES

win = MainWindow()
win.resize(1280, 800)
win.show()

def settle(timeout=300.0):
    end = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < end and quiet < 10:
        app.processEvents()
        quiet = 0 if win.worker.busy else quiet + 1
        time.sleep(0.01)

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

win.open_database(sys.argv[1])
settle()
opened = rss_mb()
for key, *_ in PAGES:
    win.show_page(key)
    settle()
    win.repaint()
    app.processEvents()
settle()
print(json.dumps({
    "opened": opened,
    "rss": rss_mb(),
    "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "pages": len(PAGES),
}), flush=True)
win.close()
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pupils", type=int, default=20000)
    ap.add_argument("--db", type=Path, help="an existing database instead of a new demo")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sencodesk-memory-"))
    db = args.db or tmp / f"demo{args.pupils}.db"
    if not db.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "demo", "--db", str(db)]
            + ["--pupils", str(args.pupils)],
            check=True,
            capture_output=True,
        )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "HOME": str(tmp),
    }
    got = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(db), str(ROOT)],
            capture_output=True,
            text=True,
            env=env,
            cwd=str(ROOT),
            timeout=900,
        )
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            return 2
        got.append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = {k: statistics.median(g[k] for g in got) for k in ("opened", "rss", "peak")}
    print(f"database: {db} ({args.runs} runs, {got[0]['pages']} pages visited)")
    print(f"RSS once opened (median):                 {med['opened']:.0f} MB")
    print(f"RSS after every page (median):            {med['rss']:.0f} MB (target <= {TARGET_MB})")
    each = ", ".join(f"{g['rss']:.0f}" for g in got)
    print(f"   each run:                              {each}")
    print(f"peak RSS (median):                        {med['peak']:.0f} MB")
    return 0 if med["rss"] <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
