"""Starting the GUI: the QApplication, its settings and style, and the main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from .main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
STYLE = ROOT / "resources" / "style.qss"
ICON = ROOT / "resources" / "icons" / "app.png"  # app.svg drawn at 256 px; app.ico for Windows
ORG = "SENCO Desk"
APP = "SENCO Desk"

log = logging.getLogger(__name__)


def configure_app(app: QApplication) -> None:
    """Names for QSettings, and the style sheet."""
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    # No setApplicationDisplayName: on X11 and Windows Qt appends the display name to every
    # window title ("SENCO Desk — School — SENCO Desk"). The titles name the app themselves.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    if ICON.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(ICON)))
    if STYLE.exists():
        resources = STYLE.parent.as_posix()  # url() in a style sheet is relative to the cwd
        app.setStyleSheet(STYLE.read_text(encoding="utf-8").replace("@RESOURCES@", resources))


def initial_db(db: str | None) -> str | None:
    """--db if given; else the database opened last time; else the default file."""
    if db:
        return db
    last = QSettings().value("last_db")
    if isinstance(last, str) and last and Path(last).exists():
        return last
    return None


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An exception escaping a slot is a bug: log it and say so, in words, on screen."""
    from .dialogs import ask as dlg

    text = "".join(traceback.format_exception(kind, exc, tb))
    app = QApplication.instance()
    parent = app.activeWindow() if isinstance(app, QApplication) else None
    dlg.show_error(parent, exc, text)


def run_gui(args: argparse.Namespace) -> int:
    """``args``: the command line's options (``sencodesk.cli.gui_args``)."""
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "sencodesk"])
    configure_app(app)
    sys.excepthook = _excepthook

    from .main_window import MainWindow

    win = MainWindow()
    win.show()
    db = initial_db(args.db)
    if os.environ.get(TRACE_ENV):
        trace_startup(app, win)
    # The database is opened once the window is on screen: its imports and checks (most of a
    # second) run on the worker thread and never hold the window back.
    if not args.db and QSettings().value("last_kind") == "server":
        from .signin import start  # a school server was used last: sign in to it again

        QTimer.singleShot(0, lambda: start(win))
    else:
        if db is not None and win.current_key == "dashboard":
            start_glance(win, db)  # queued on the worker ahead of the open
        QTimer.singleShot(0, lambda: win.open_database(db))
    return app.exec()


GLANCE_PAINT_WAIT = 0.5  # seconds the open waits at most for the glance to be painted


def start_glance(win: MainWindow, db: str) -> None:
    """Paint the dashboard from the file at a glance (plain sqlite3, ``sencodesk.glance``)
    while the database opens: the worker runs it before the open, so SQLAlchemy's import (longer
    than the whole bare window) comes after the first page has its data (#17). A file it cannot
    read that way (encrypted, another schema) gives nothing, and the page waits as before.

    The worker then waits (up to ``GLANCE_PAINT_WAIT``) until the page has been painted with
    it, before the open queued next. The open's imports are pure Python: run beside the
    painting they hold the GIL while the GUI thread waits for it again after each Qt call that
    let it go, and the paint took 80-110 ms instead of 20-35 at 20,000 pupils."""
    painted = threading.Event()

    def show(data: object) -> None:  # on the GUI thread; the page is built by now
        from .pages.dashboard import DashboardData, DashboardPage

        page = win.current_page()
        if isinstance(page, DashboardPage) and isinstance(data, DashboardData):
            timeline = page.timeline

            def done() -> None:  # the window's paint goes on (the alerts): then the open
                timeline.paint_done.disconnect(done)
                QTimer.singleShot(0, win, painted.set)

            timeline.paint_done.connect(done)
            page.show_glance(data)
            if page.data is data:
                return  # shown: the open waits for its paint
            timeline.paint_done.disconnect(done)
        painted.set()

    win.worker.run_op(
        _glance, db, win.ctx.today, on_done=show, on_error=lambda e, tb: painted.set()
    )
    win.worker.run_op(_wait_for, painted, on_error=lambda e, tb: None)


def _glance(_store: object, path: str, today: object) -> object:
    from .pages.dashboard import glance_op  # on the worker, while the window paints

    return glance_op(_store, path, today)  # type: ignore[arg-type]


def _wait_for(_store: object, painted: threading.Event) -> None:
    painted.wait(GLANCE_PAINT_WAIT)  # on the worker, without the GIL


TRACE_ENV = "SENCODESK_STARTUP_TRACE"


def trace_startup(app: QApplication, win: MainWindow) -> None:
    """For ``benchmarks/bench_gui_startup.py`` (``SENCODESK_STARTUP_TRACE=1``). Prints "ready"
    when the window is painted with its menus, sidebar and status bar, "page" when the first
    page is built and painted (the event loop's first turn), and "loaded" when it is painted
    again with its rows from the database; then quits. Each mark is followed by the CPU time
    the process has used (all threads), which a busy machine disturbs less than wall time."""
    import time

    from PySide6.QtCore import QTimer

    win.repaint()
    print("ready", time.process_time(), flush=True)  # and the CPU time this process has used

    def page_built() -> None:  # the window's first turn builds the page: then this
        win.repaint()
        print("page", time.process_time(), flush=True)

    QTimer.singleShot(0, page_built)

    def loaded() -> None:
        win.repaint()
        print("loaded", time.process_time(), flush=True)
        # 1 if that paint came from the glance (plain sqlite3, before SQLAlchemy's import)
        glanced = getattr(win.current_page(), "painted_from_glance", False)
        print("from_glance", int(glanced), flush=True)
        app.quit()

    win.current_page().loaded.connect(loaded)
