"""Main window ready vs a bare PySide6 QMainWindow, side by side in fresh subprocesses
(targets: ready in at most 1.5 times the bare window, the first page with its data in 3).

    python benchmarks/bench_gui_startup.py [--runs 7] [--db PATH]

Each run starts a new Python: the bare window with ``python -c``, SENCO Desk as a SENCO starts
it, ``python main.py --db FILE``, with ``SENCODESK_STARTUP_TRACE=1`` so that it prints its
marks and quits. Times run from just before the process starts to:

- bare: the QMainWindow shown and painted;
- ready: the whole SENCO Desk window shown and painted: title, menus, sidebar, status bar
  and the first page laid out, saying "Loading…". The event loop starts next, so the
  window takes input from here on;
- loaded: the first page painted again with its rows (#17's target: at most 3 times the bare
  window, on the demo school and at 20,000 pupils). The dashboard's data comes at a glance
  (plain sqlite3, ``sencodesk/glance.py``) on the worker thread; the database is opened there
  after it, and its imports (SQLAlchemy alone takes longer than the whole bare window) never
  hold the window back. docs/development.md says why "ready" is the first frame.

The process time printed with each mark is the CPU time of all its threads: on a busy machine
it moves less than the wall time, and the glance (worker) and the page (GUI thread) take
turns at the GIL, so it is close to the sum of their work.

Runs alternate between the two so that disk caches and CPU frequency treat them alike; medians
are reported, with each run's ratio to the bare run just before it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACE_ENV = "SENCODESK_STARTUP_TRACE"  # ui.app.TRACE_ENV: print the marks, then quit

BARE = r"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
win = QMainWindow()
win.setWindowTitle("bare")
win.resize(1280, 800)
win.show()
win.repaint()
app.processEvents()
import time
print("shown", time.process_time(), flush=True)
"""


def run(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,  # the offscreen plugin's notices; shown if the run fails
        text=True,
        env=env,
        cwd=str(ROOT),
    )
    marks: dict[str, float] = {}
    assert proc.stdout is not None and proc.stderr is not None
    for line in proc.stdout:
        name, *cpu = line.split()
        marks[name] = time.perf_counter() - t0  # wall time, from before the process started
        if cpu:
            marks[name + "_cpu"] = float(cpu[0])  # the CPU time the process had used
    err = proc.stderr.read()
    proc.wait()
    if proc.returncode:
        raise SystemExit(f"subprocess failed ({proc.returncode}):\n{err}")
    return marks


def seed_db(path: Path) -> None:
    """A small school (the app's own demo) so the first page has real data to load."""
    sys.path.insert(0, str(ROOT))
    from sencodesk.store import open_store

    store = open_store(path, user="bench")
    try:
        from sencodesk.demo import make_demo

        make_demo(store, seed=1)  # the default demo: a 420-pupil primary school
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sencodesk-startup-"))
    db = args.db or tmp / "demo.db"
    if not db.exists():
        seed_db(db)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "HOME": str(tmp),
    }
    # As installed (and as PyInstaller ships it), the app's modules are compiled once: let the
    # runs write and use .pyc files even where the shell turns that off.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env[TRACE_ENV] = "1"
    bare_argv = ["-c", BARE]
    app_argv = [str(ROOT / "main.py"), "--db", str(db)]  # as a SENCO starts it
    run(bare_argv, env)  # warm the disk cache for both
    run(app_argv, env)
    bare, ready, page, loaded, bare_cpu, ready_cpu = [], [], [], [], [], []
    loaded_cpu: list[float] = []
    glanced: list[float] = []  # 1.0: the data was painted from the glance (before SQLAlchemy)
    for _ in range(args.runs):
        marks = run(bare_argv, env)
        bare.append(marks["shown"])
        bare_cpu.append(marks["shown_cpu"])
        marks = run(app_argv, env)
        ready.append(marks["ready"])
        ready_cpu.append(marks["ready_cpu"])
        page.append(marks.get("page", float("nan")))
        loaded.append(marks.get("loaded", float("nan")))
        loaded_cpu.append(marks.get("loaded_cpu", float("nan")))
        glanced.append(marks.get("from_glance_cpu", float("nan")))
    b, r, pg, ld, bc, rc, lc = (
        statistics.median(x) * 1000
        for x in (bare, ready, page, loaded, bare_cpu, ready_cpu, loaded_cpu)
    )
    # Each app run against the bare run just before it: the machine's speed drifts between
    # pairs far more than within one.
    ratios = sorted(rd / bw for rd, bw in zip(ready, bare, strict=True))
    paired = statistics.median(ratios)
    print(f"runs each:                                {args.runs}")
    print(f"bare QMainWindow shown (median):          {b:.0f} ms")
    print(f"SENCO Desk window ready (median):         {r:.0f} ms = {r / b:.2f}x")
    print(f"ready / bare, run by run (median):        {paired:.2f}x (target <= 1.5x)")
    print(f"   each run:                              {', '.join(f'{x:.2f}' for x in ratios)}")
    print(
        f"CPU time used by then (medians):          bare {bc:.0f} ms, ready {rc:.0f} ms = {rc / bc:.2f}x"
    )
    print(f"first page built, before its data:        {pg:.0f} ms = {pg / b:.2f}x")
    print(f"first page painted with its data:         {ld:.0f} ms = {ld / b:.2f}x (target <= 3x)")
    loaded_ratios = sorted(ldr / bw for ldr, bw in zip(loaded, bare, strict=True))
    print(f"loaded / bare, run by run (median):       {statistics.median(loaded_ratios):.2f}x")
    print(
        f"   each run:                              {', '.join(f'{x:.2f}' for x in loaded_ratios)}"
    )
    print(f"CPU time used by then (median):           {lc:.0f} ms = {lc / bc:.2f}x bare's")
    print(
        f"   (from the glance, before SQLAlchemy, in {sum(x == 1.0 for x in glanced)} of {args.runs} runs)"
    )
    return 0 if paired <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
