"""Render every page of the app, offscreen, from a demo database into docs/screenshots/.

    python docs/render_screenshots.py [--pupils 60] [--out docs/screenshots]

Builds a fresh demo school for a fixed day (so the pictures do not change from run to run),
opens the main window at 1366x820 and saves ``widget.grab()`` of each page, a pupil's tabs,
a staff page and the contract editor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TODAY = dt.date(2025, 11, 12)  # a Wednesday in the autumn term
os.environ["SENCODESK_TODAY"] = TODAY.isoformat()


def wait(app: object, win: object, seconds: float = 0.3) -> None:
    """Let the worker finish and the window repaint."""
    end = time.monotonic() + 20
    while win.worker.busy and time.monotonic() < end:  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def make_demo(db: Path, pupils: int) -> None:
    from sencodesk.store import open_store

    store = open_store(db, user="screenshots")
    try:
        from sencodesk.demo import build_demo

        build_demo(store, pupils=pupils, seed=1, today=TODAY)
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.app import configure_app

    tmp = Path(tempfile.mkdtemp(prefix="sencodesk-shots-"))
    db = tmp / "demo.db"
    make_demo(db, args.pupils)

    app = QApplication([])
    configure_app(app)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    from ui.dialogs.contract_editor import ContractEditor
    from ui.main_window import MainWindow

    win = MainWindow()
    win.resize(1366, 820)
    win.show()
    win.open_database(db)
    wait(app, win, 1.0)
    args.out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shoot(name: str, widget: object = None) -> None:
        wait(app, win)
        path = args.out / f"{len(shots) + 1:02d}-{name}.png"
        (widget or win).grab().save(str(path))  # type: ignore[attr-defined]
        shots.append(path)

    for key in ("dashboard", "pupils", "staff", "money", "reviews", "records", "cover"):
        win.show_page(key)
        wait(app, win)
        if key == "cover":
            page = win.pages["cover"]
            if page.absent.count() > 1:
                monday = TODAY - dt.timedelta(days=TODAY.weekday())
                page.choose(page.absent.itemData(1), monday)
                wait(app, win)
        shoot(key.replace("money", "funding-contracts"))

    pupils = win.pages["pupils"]
    rows = pupils.model.rows
    ehcp = next((r for r in rows if r.sen_code == "E" and r.lsa_names), rows[0] if rows else None)
    if ehcp is not None:
        win.open_pupil(ehcp.id)
        for i, tab in enumerate(
            ("profile", "outcomes", "support", "funding", "reviews", "records")
        ):
            pupils.view.tabs.setCurrentIndex(i)
            shoot(f"pupil-{tab}")
    staff = win.pages["staff"]
    win.show_page("staff")
    wait(app, win)
    lsa = next((r for r in staff.model.rows if r.assigned_minutes), None)
    if lsa is not None:
        win.open_staff(lsa.id)
        for i, tab in enumerate(("contracts", "pupils", "qualifications", "training")):
            staff.view.tabs.setCurrentIndex(i)
            shoot(f"staff-{tab}")
        contracts = staff.view.detail.contracts if staff.view.detail else ()
        if contracts:
            ed = ContractEditor(win.ctx, staff_id=lsa.id, row=contracts[0])
            ed.show()
            wait(app, win)
            shoot("contract-editor", ed)
            ed.form.dirty = False
            ed.reject()
    win.pages["records"].form.dirty = False
    win.close()
    for p in shots:
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
