"""The main window: a sidebar of pages, the menus, and the database it has open.

The title is "SENCO Desk — <school>": never a pupil's name (UK GDPR: nothing sensitive in
window titles, which show in the taskbar and in screen shares).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QWidget,
)

from sencodesk.changes import Change

from . import ops
from .context import ALL, Context
from .dialogs import ask as dlg
from .pages import PAGES
from .pages.base import Page
from .roles import fit as fit_role
from .shell import Shell
from .worker import DbWorker, Opened, open_store_for_gui

log = logging.getLogger(__name__)

APP_TITLE = "SENCO Desk"
PAGE_KEYS = tuple(p[0] for p in PAGES)


def page_class(key: str) -> type[Page]:
    _key, _title, module, name = PAGES[PAGE_KEYS.index(key)]
    cls = getattr(importlib.import_module(f"ui.pages.{module}"), name)
    assert issubclass(cls, Page)
    return cls


class LazyPages:
    """``pages[key]`` builds the page the first time it is asked for."""

    def __init__(self, win: MainWindow) -> None:
        self.win = win
        self.built: dict[str, Page] = {}

    def __getitem__(self, key: str) -> Page:
        page = self.built.get(key)
        if page is None:
            i = PAGE_KEYS.index(key)
            page = page_class(key)(self.win.ctx)
            self.built[key] = page
            fit_role(page, getattr(self.win, "signed_in", None))
            placeholder = self.win.stack.widget(i)
            current = self.win.stack.currentIndex()
            self.win.stack.insertWidget(i, page)
            if placeholder is not None:
                self.win.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.win.stack.setCurrentIndex(current)
        return page

    def __contains__(self, key: str) -> bool:
        return key in self.built

    def __iter__(self) -> Iterator[str]:
        return iter(PAGE_KEYS)

    def values(self) -> list[Page]:
        """The pages built so far."""
        return list(self.built.values())


class MainWindow(Shell):
    """The first frame has the whole frame of the window: title, menus (every action and
    shortcut live), sidebar and status bar. The current page is built on the event loop's
    first turn, as the database opens on the worker thread (``open_database``), and fills when
    its rows arrive. docs/development.md ("Start-up and speed") says why."""

    def __init__(self, worker: DbWorker | None = None) -> None:
        super().__init__()
        self.worker = worker or DbWorker(self)
        self.ctx = Context(self.worker, self)
        self.worker.default_on_error = self.ctx.error
        app = QApplication.instance()
        if app is not None:  # never leave the database thread running at exit
            app.aboutToQuit.connect(self.worker.shutdown)
        self.setWindowTitle(APP_TITLE)
        self.setAccessibleName(APP_TITLE)
        self.db: str | None = None
        self.db_path: Path | None = None
        self.read_only = False

        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Pages")
        self.stack = QStackedWidget()
        lay.addWidget(self.sidebar)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # Pages are built when first shown: styling a page's widgets is most of startup.
        self.pages = LazyPages(self)
        for _key, title, _module, _name in PAGES:
            self.stack.addWidget(QWidget())
            self.sidebar.addItem(title)
        self.sidebar.currentRowChanged.connect(self._show_row)
        self.worker.changed.connect(self._on_changed)
        self.ctx.open_pupil.connect(self.open_pupil)
        self.ctx.open_staff.connect(self.open_staff)
        self.ctx.show_page.connect(self.show_page)
        self.ctx.status.connect(lambda text: self.statusBar().showMessage(text, 8000))

        self.db_label = QLabel()
        self.db_label.setAccessibleName("Database")
        self.statusBar().addPermanentWidget(self.db_label)
        from .safety import DataSafety

        self.safety: DataSafety = DataSafety(self)  # backups, checks, read-only banner, encryption
        self._restore_settings()
        from .menus import build_menus

        build_menus(self)
        # Not before the first frame: building a page needs Qt's namespace of enums (25 ms
        # on its own) and styles its widgets; until then its place is empty, as it would be
        # while its rows load. (Asking for a page builds it at once.)
        QTimer.singleShot(0, self, self.current_page)  # not after the window has gone

    # ------------------------------------------------------------------ pages

    @property
    def current_key(self) -> str:
        return PAGES[self.stack.currentIndex()][0]

    def show_page(self, key: str) -> Page:
        self.sidebar.setCurrentRow(PAGE_KEYS.index(key))
        return self.pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages[PAGES[row][0]]
        self.stack.setCurrentIndex(row)
        if self.worker.has_store or self.db is not None:
            page.activate()

    def current_page(self) -> Page:
        return self.pages[self.current_key]

    def open_pupil(self, pupil_id: int) -> None:
        self.show_page("pupils").open_pupil(pupil_id)  # type: ignore[attr-defined]

    def open_staff(self, staff_id: int) -> None:
        self.show_page("staff").open_staff(staff_id)  # type: ignore[attr-defined]

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if ALL in kinds or Change.SCHOOL in kinds:
            self.load_school()
        for page in self.pages.values():
            page.on_changed(kinds)

    def refresh_current(self) -> None:
        self.current_page().refresh()

    # ------------------------------------------------------------------ the database

    def open_database(
        self,
        db: str | Path | None,
        *,
        first_run_check: bool = True,
        passphrase: str | None = None,
        same_passphrase: bool = False,
    ) -> None:
        """Open a database in the worker; when it has no school yet, offer the first-run
        choices (demo school or start empty). ``same_passphrase``: reopen with the passphrase of
        the database open until now (the worker has it; the GUI keeps no copy)."""
        self.db = str(db) if db is not None else None
        self.statusBar().showMessage("Opening the database…")

        def opened(store: Opened | None) -> None:
            assert store is not None, "an opener that opens"
            self.db_path = store.path
            self.read_only = store.read_only
            where = store.path or "database server"
            self.db_label.setText(f"Database: {where}" + (" (read only)" if self.read_only else ""))
            self.safety.store_opened(store)  # the read-only banner, daily backup, weekly check
            from .live import follow

            follow(self, store)  # a server: other people's changes refresh the pages
            if not store.is_sqlite:  # who is signed in, and what their role may see
                from .signin import apply_role

                self.ctx.run(ops.signed_in, on_done=lambda me: apply_role(self, me))
            elif getattr(self, "signed_in", None) is not None:
                from .signin import apply_role

                apply_role(self, None)
            self.statusBar().clearMessage()
            if store.path is not None:
                QSettings().setValue("last_db", str(store.path))
                QSettings().setValue("last_kind", "file")
            self.ctx.query(
                ops.school_name, on_done=lambda name: self._school_loaded(name, first_run_check)
            )

        self.worker.open(
            lambda key: open_store_for_gui(db, key if same_passphrase else passphrase),
            on_done=opened,
            on_error=lambda e, tb: self._open_failed(e, tb, db, first_run_check, passphrase),
        )

    def _open_failed(
        self,
        exc: BaseException,
        tb: str,
        db: Any = None,
        first_run_check: bool = True,
        passphrase: str | None = None,
    ) -> None:
        from sencodesk.safety.errors import PassphraseRequired, WrongPassphrase

        for page in self.pages.values():  # no rows are coming: not "Loading…"
            page.set_waiting(False)
        if self.safety.open_failed(exc, db, passphrase, first_run_check):
            return  # a network share or a damaged file: told, and a backup offered

        if isinstance(exc, PassphraseRequired | WrongPassphrase):
            prompt = (
                "That passphrase is not right. " if isinstance(exc, WrongPassphrase) else ""
            ) + "This database is encrypted. Enter its passphrase:"
            phrase = dlg.ask_text(self, "Passphrase", prompt, password=True)
            if phrase:
                self.open_database(db, first_run_check=first_run_check, passphrase=phrase)
                return
        self.statusBar().clearMessage()
        self.db_label.setText("No database open")
        dlg.show_error(self, exc, tb)

    def load_school(self) -> None:
        self.ctx.query(ops.school_name, on_done=lambda name: self._school_loaded(name, False))

    def _school_loaded(self, name: str, first_run_check: bool) -> None:
        self.ctx.school_name = name
        self.setWindowTitle(f"{APP_TITLE} — {name}" if name else APP_TITLE)
        if not name and first_run_check and not self.read_only:
            from .dialogs.first_run import FirstRunDialog

            first_run = FirstRunDialog(self.ctx, self)
            # Closed without a choice: the pages show the empty database, not "Loading…".
            first_run.rejected.connect(self.refresh_current)
            first_run.open()
            return
        for page in self.pages.values():
            page.on_changed(frozenset({ALL}))
        self.current_page().activate()

    def new_database(self) -> None:
        from .dialogs import files

        path = files.choose_save_file(self, "New database", "SENCO Desk database (*.db)")
        if not path:
            return
        if Path(path).exists():
            dlg.tell(
                self,
                "New database",
                f"{path} already exists. Choose a new file name "
                "(use Open database… to open an existing one).",
                warning=True,
            )
            return
        self.safety.new_database(path)  # asks whether to protect it with a passphrase

    def choose_database(self) -> None:
        from .dialogs import files

        path = files.choose_open_file(self, "Open database", "SENCO Desk database (*.db)")
        if path:
            self.open_database(path)

    # ------------------------------------------------------------------ settings, closing

    def _restore_settings(self) -> None:
        st = QSettings()
        geometry = st.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            from .screen import fit_to_screen

            # 1280x800 where there is room; on a 1366x768 laptop (or 1024x768) the screen's
            # free area, so the status bar is on screen.
            fit_to_screen(self, 1280, 800, centre=True)
        try:
            row = int(str(st.value("main/page", 0)))
        except (TypeError, ValueError):
            row = 0
        row = row if 0 <= row < len(PAGES) else 0
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(row)
        self.stack.setCurrentIndex(row)
        self.sidebar.blockSignals(False)

    def save_settings(self) -> None:
        st = QSettings()
        st.setValue("main/geometry", self.saveGeometry())
        st.setValue("main/page", self.stack.currentIndex())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        from .closing import close_window

        if not close_window(self, self.safety):  # unsaved edits, the backup, the queue
            event.ignore()
            return
        self.save_settings()
        from .live import unfollow

        unfollow(self)
        self.worker.shutdown()
        event.accept()

    def add_action(
        self, menu: Any, text: str, slot: Any, shortcut: Any = None, name: str = ""
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            # The list form: setShortcut's overload resolution costs ~15 ms on first use.
            # The context stays Qt's default, the window: a shortcut works wherever the focus
            # is in this window, and a preview window's own Ctrl+P is not made ambiguous.
            act.setShortcuts([QKeySequence(shortcut)])
        act.triggered.connect(slot)
        if name:
            act.setObjectName(name)
        menu.addAction(act)
        return act
