"""Render every page of the app, offscreen, from the demo school into docs/screenshots/.

    python docs/render_screenshots.py [--pupils 420] [--today 2025-11-12] [--out DIR]
                                      [--size 1024x768]

Builds a fresh demo school (``sencodesk.demo``) for a fixed day, and runs the whole render
under a fixed clock (``time-machine``: that day at 16:30, for every ``date.today()`` and
``datetime.now()`` in the app, the timeline's start, a record's time, the history's stamps),
so the pictures are the same from run to run and no date in them drifts with the real one; opens the main window at 1280x800 and saves a PNG of each page (the
dashboard, the pupil list and every tab of a pupil's page, the staff list and every tab of a
staff page, funding and contracts, reviews, records, cover) and of the main editors.

``--size`` takes the screen's size instead (the window fills it, and editors are fitted to
it as on that screen) and writes into ``docs/screenshots/WIDTHxHEIGHT/``: the sets at
1024x768 (a projector), 1366x768 (a school laptop) and 1920x1080.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TODAY = dt.date(2025, 11, 12)  # a Wednesday in the autumn term
SIZE = (1280, 800)


def make_demo(db: Path, pupils: int, today: dt.date) -> None:
    from sencodesk.demo import make_demo as build
    from sencodesk.store import open_store

    store = open_store(db, user="screenshots")
    try:
        build(store, pupils=pupils, seed=1, today=today)
    finally:
        store.close()


class Shooter:
    def __init__(self, app: Any, win: Any, out: Path) -> None:
        self.app, self.win, self.out = app, win, out
        self.shots: list[Path] = []

    def settle(self, seconds: float = 0.25) -> None:
        """Let the worker finish and the window repaint."""
        end = time.monotonic() + 60
        while self.win.worker.busy and time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def shoot(self, name: str, widget: Any = None) -> None:
        self.settle()
        # The status bar's passing notes ("Backed up to /tmp/...") date the picture by the
        # real clock and name a temporary folder: not part of the page.
        self.win.statusBar().clearMessage()
        self.win.db_label.setText("Database: demo.db")
        # Lay the status bar out again for the new text: else the first picture keeps the
        # width of the temporary folder's random name.
        self.win.statusBar().layout().activate()
        self.app.processEvents()
        path = self.out / f"{len(self.shots) + 1:02d}-{name}.png"
        (widget or self.win).grab().save(str(path))
        self.shots.append(path)

    def editor(
        self, name: str, make: Callable[[], Any], prepare: Callable[[Any], None] | None = None
    ) -> None:
        ed = make()
        ed.show()
        self.settle()
        if prepare is not None:
            prepare(ed)
        self.shoot(name, ed)
        ed.form.dirty = False
        ed.reject()
        self.settle(0.05)


CLOCK = dt.time(16, 30)  # the fixed clock on --today: after school, past the day's records


def main() -> int:
    args = _parse()
    try:
        import time_machine
    except ImportError:
        raise SystemExit(
            'render_screenshots.py needs time-machine (a fixed clock): pip install -e ".[dev]"'
        ) from None
    with time_machine.travel(dt.datetime.combine(args.today, CLOCK), tick=False):
        return render(args)


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=420)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=TODAY)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--size", default=None, help="the screen, WIDTHxHEIGHT")
    return parser.parse_args()


def render(args: argparse.Namespace) -> int:
    size = SIZE
    if args.size:
        w, h = (int(n) for n in args.size.lower().split("x"))
        size = (w, h - 70)  # maximised: under its title bar, above a task bar
    if args.out is None:
        args.out = ROOT / "docs" / "screenshots"
        if args.size:
            args.out = args.out / args.size.lower()
    today: dt.date = args.today
    os.environ["SENCODESK_TODAY"] = today.isoformat()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.app import configure_app

    tmp = Path(tempfile.mkdtemp(prefix="sencodesk-shots-"))
    db = tmp / "demo.db"
    make_demo(db, args.pupils, today)

    app = QApplication([])
    configure_app(app)
    app.styleHints().setCursorFlashTime(0)  # a steady text cursor, not one caught mid-blink
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    QSettings().clear()
    from ui.dialogs.contract_editor import ContractEditor
    from ui.dialogs.pupil_editors import OutcomeEditor, PupilEditor
    from ui.dialogs.record_editor import RecordEditor
    from ui.dialogs.review_editor import ReviewEditor
    from ui.dialogs.staff_editors import StaffEditor
    from ui.dialogs.support_editors import AssignmentEditor, FundingEditor
    from ui.main_window import MainWindow

    if args.size:
        from ui import screen

        # Editors fit the screen's free area, as on a real one of this size.
        screen_w, screen_h = w, h - 40  # the free area, above a task bar
        screen.available = lambda _w=None: (0, 0, screen_w, screen_h)  # type: ignore[assignment]

    win = MainWindow()
    win.resize(*size)
    win.show()
    win.open_database(db)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()
    s = Shooter(app, win, args.out)
    s.settle(1.0)

    # The pages, as the sidebar lists them.
    s.shoot("dashboard")
    pupils = win.show_page("pupils")
    s.shoot("pupils")
    staff = win.show_page("staff")
    s.shoot("staff")
    money = win.show_page("money")
    s.shoot("funding")
    money.tabs.setCurrentIndex(1)
    s.shoot("contracts")
    win.show_page("reviews")
    s.shoot("reviews")
    records = win.show_page("records")
    s.shoot("records")
    cover = win.show_page("cover")
    s.settle()
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    for i in range(1, cover.absent.count()):  # the first LSA whose pupils lose support
        cover.choose(cover.absent.itemData(i), monday)
        s.settle()
        if cover.lost_model.rowCount() > 1:
            break
    if cover.cand_model.rowCount():
        cover.cands.selectRow(0)
    s.shoot("cover")

    # One pupil with an EHCP, their LSAs and funding: every tab of their page.
    rows = pupils.model.all_rows
    pupil = next(
        (r for r in rows if r.sen_code == "E" and r.lsa_names and r.next_review_due),
        next((r for r in rows if r.sen_code == "E"), rows[0]),
    )
    win.open_pupil(pupil.id)
    s.settle()
    view = pupils.view
    for i, tab in enumerate(("profile", "outcomes", "support", "funding", "reviews", "records")):
        view.tabs.setCurrentIndex(i)
        s.shoot(f"pupil-{tab}")

    # One LSA with pupils: every tab of their page.
    win.show_page("staff")
    s.settle()
    lsa = next((r for r in staff.model.all_rows if r.assigned_minutes), staff.model.all_rows[0])
    win.open_staff(lsa.id)
    s.settle()
    for i, tab in enumerate(("contracts", "pupils", "qualifications", "training")):
        staff.view.tabs.setCurrentIndex(i)
        s.shoot(f"staff-{tab}")

    # The main editors, filled in from the demo's rows.
    ctx = win.ctx
    detail = view.detail
    s.editor("editor-pupil", lambda: PupilEditor(ctx, detail))
    if detail.outcomes:
        s.editor("editor-outcome", lambda: OutcomeEditor(ctx, pupil.id, detail.outcomes[0]))
    if detail.funding:
        s.editor(
            "editor-funding", lambda: FundingEditor(ctx, pupil_id=pupil.id, row=detail.funding[0])
        )
    if detail.assignments:
        s.editor(
            "editor-assignment",
            lambda: AssignmentEditor(ctx, pupil_id=pupil.id, row=detail.assignments[0]),
        )
    if detail.reviews:
        s.editor(
            "editor-review", lambda: ReviewEditor(ctx, pupil_id=pupil.id, row=detail.reviews[0])
        )
    s.editor("editor-incident", lambda: RecordEditor(ctx, pupil_id=pupil.id, kind="incident"))
    sdetail = staff.view.detail
    s.editor("editor-staff", lambda: StaffEditor(ctx, sdetail))
    if sdetail.contracts:
        s.editor(
            "editor-contract",
            lambda: ContractEditor(ctx, staff_id=lsa.id, row=sdetail.contracts[0]),
        )

    # For the user guide (docs/guide/): the first run, school settings, a batch of review
    # packs, and About.
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.help import AboutDialog
    from ui.dialogs.review_packs import ReviewPacksDialog
    from ui.dialogs.school_editor import SchoolEditor

    s.editor("editor-school", lambda: SchoolEditor(ctx, win))
    for name, make in (
        ("first-run", lambda: FirstRunDialog(ctx, win)),
        ("review-packs", lambda: ReviewPacksDialog(ctx, win)),
        ("about", lambda: AboutDialog(ctx, win)),
    ):
        box = make()
        box.show()
        s.settle()
        if isinstance(box, ReviewPacksDialog):
            # The folder as on a school's Windows PC, not the renderer's own home folder.
            box.folder.setText(r"C:\Users\senco\Documents\Review packs")
            box.folder.setCursorPosition(0)
        s.shoot(name, box)
        box.reject()
        s.settle(0.05)

    records.form.dirty = False
    win.close()
    for p in s.shots:
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
