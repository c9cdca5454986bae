"""What the app does before its first frame: only what that frame needs.

The start-up target (the window ready within 1.5 times a bare PySide6 window) is measured in
``benchmarks/bench_gui_startup.py``, never here. These tests keep the reasons it is met: nothing
heavy is imported or built before the window is on screen. Each runs ``main.py``'s own path in a
fresh Python, as a SENCO starts it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# At the first frame (the window shown with its menus, sidebar and status bar): what has been
# imported, and whether Qt's namespace of enums (25 ms on its own) has been built.
PROBE = r"""
import json, os, sys
DB = sys.argv[1]
sys.argv = ["main.py", "--db", DB]
import ui.app

def at_first_frame(app, win):
    import PySide6.QtCore
    from PySide6.QtCore import QTimer

    heavy = ("sqlalchemy", "alembic", "holidays", "reportlab", "openpyxl", "icalendar")
    ours = ("sencodesk.store", "sencodesk.cli.safety", "sencodesk.cli.reports",
            "sencodesk.cli.alerts", "ui.pages.dashboard")
    print(json.dumps({
        "imported": sorted(
            m for m in sys.modules if m.split(".")[0] in heavy or m in ours
        ),
        "qt_namespace": "Qt" in vars(PySide6.QtCore),
        "menus": [a.text() for a in win.menuBar().actions()],
        "shortcuts": sum(1 for a in win.findChildren(type(win.menuBar().actions()[0]))
                         if a.shortcuts()),
        "title": win.windowTitle(),
        "db_exists": os.path.exists(DB),
    }), flush=True)
    QTimer.singleShot(0, app.quit)

ui.app.trace_startup = at_first_frame
_run_gui = ui.app.run_gui

def run_gui(args):
    print(json.dumps({"gc_when_the_gui_starts": __import__("gc").isenabled()}), flush=True)
    return _run_gui(args)

ui.app.run_gui = run_gui
import main
main.main()
"""


def run_probe(tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SENCODESK_STARTUP_TRACE": "1",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "school.db")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    seen: dict = {}
    for line in out.stdout.strip().splitlines():
        if line.startswith("{"):
            seen.update(json.loads(line))
    return seen


def test_the_first_frame_needs_no_database_code_and_no_page(tmp_path):
    seen = run_probe(tmp_path)
    # The database layer, reports and the commands load on the worker or on demand.
    assert seen["imported"] == [], seen["imported"]
    assert seen["qt_namespace"] is False
    # ... and the frame is whole: menus with their shortcuts live, the title.
    assert seen["menus"] == ["&File", "&Edit", "&View", "Reports", "&Help"]  # menus.py: why
    assert seen["shortcuts"] >= 10
    assert seen["title"] == "SENCO Desk"
    # Opened after the first frame, not before (looked at in that frame: the worker may open
    # it, and the closing finish its work, before the process ends).
    assert seen["db_exists"] is False


def test_the_start_walks_no_garbage_and_the_guis_collector_takes_over(tmp_path):
    """Python's automatic collection is off from main.py's choice of the window (its walks
    over the objects the start makes were about 3% of the first frame); the GUI collector
    (ui/collector.py) collects while the worker runs and turns it on again at the end."""
    assert run_probe(tmp_path)["gc_when_the_gui_starts"] is False


def test_the_refcount_workaround_acts_only_on_the_affected_pyside6():
    """ui/qtfix.py works round a PySide6 6.12.0 bug; pyproject.toml excludes that version,
    so on an installed PySide6 it changes nothing (and costs no start-up time)."""
    import tomllib

    import PySide6

    from ui import qtfix

    assert qtfix.make_bools_immortal("6.11.3") is False
    assert PySide6.__version__ not in qtfix.AFFECTED
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pyside = next(d for d in deps if d.startswith("PySide6"))
    assert all(f"!={v}" in pyside for v in qtfix.AFFECTED), pyside
