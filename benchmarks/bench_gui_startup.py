"""Main window ready vs a bare PySide6 QMainWindow, side by side in fresh subprocesses
(target: ready, the first paint with data, at most 1.5 times the bare window).

    python benchmarks/bench_gui_startup.py [--runs 7] [--db PATH]

Each run starts a new Python. Times run from just before the process starts to: the window
shown and painted (the frame, sidebar and status bar); the menus and first page built (the
event loop's first turn); and "ready", the first page painted with its rows from the database
(the target). Runs alternate between the two so that disk caches and CPU frequency treat them
alike; medians are reported.
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
print("shown", flush=True)
"""

APP = r"""
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui.app import configure_app
app = QApplication(sys.argv[:1])
configure_app(app)
from ui.main_window import MainWindow
win = MainWindow()  # as ui.app.run_gui does
win.show()
QTimer.singleShot(0, lambda: win.open_database({db!r}))
win.repaint()
print("shown", flush=True)
win.ready.connect(lambda: print("built", flush=True))
def painted_with_data():
    win.repaint()  # the first paint with the first page's rows in it
    print("loaded", flush=True)
    app.quit()
def watch():
    win.current_page().loaded.connect(painted_with_data)
win.ready.connect(watch)
QTimer.singleShot(20000, app.quit)
app.exec()
win.close()
"""


def run(code: str, env: dict[str, str]) -> dict[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,  # the offscreen plugin's notices; shown if the run fails
        text=True,
        env=env,
        cwd=str(ROOT),
    )
    marks: dict[str, float] = {}
    assert proc.stdout is not None and proc.stderr is not None
    for line in proc.stdout:
        marks[line.strip()] = time.perf_counter() - t0
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
        from sencodesk.demo import build_demo

        build_demo(store, seed=1)  # the default demo: a 420-pupil primary school
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
    app_code = APP.format(root=str(ROOT), db=str(db))
    run(BARE, env)  # warm the disk cache for both
    run(app_code, env)
    bare, shown, built, loaded = [], [], [], []
    for _ in range(args.runs):
        bare.append(run(BARE, env)["shown"])
        marks = run(app_code, env)
        shown.append(marks["shown"])
        built.append(marks.get("built", float("nan")))
        loaded.append(marks.get("loaded", float("nan")))
    b, s, bt, ld = (statistics.median(x) * 1000 for x in (bare, shown, built, loaded))
    print(f"runs each:                              {args.runs}")
    print(f"bare QMainWindow shown (median):        {b:.0f} ms")
    print(f"SENCO Desk window shown and painted:    {s:.0f} ms = {s / b:.2f}x")
    print(f"... menus and first page built:         {bt:.0f} ms = {bt / b:.2f}x")
    print(f"... first paint with data (ready):      {ld:.0f} ms = {ld / b:.2f}x (target <= 1.5x)")
    return 0 if ld / b <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
