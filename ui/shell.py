"""What the window's actions, menus, reports and data safety ask of the main window.

They are helpers given the window (``win``). Typing them against this base class, not
``MainWindow``, keeps the import graph free of circles: ``main_window`` imports them and
they never import it (``tests/core/test_architecture.py``). ``MainWindow`` subclasses it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QMainWindow, QMenu

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel

    from .context import Context
    from .pages.base import Page
    from .worker import DbWorker


class SafetyActions(Protocol):
    """The File menu's data-safety commands (``ui.safety.DataSafety``)."""

    def retry_open(self) -> None: ...
    def encrypt_database(self) -> None: ...
    def change_passphrase(self) -> None: ...
    def show_history(self) -> Any: ...
    def show_retention(self) -> Any: ...
    def subject_access(self) -> None: ...


class PageMap(Protocol):
    """The window's pages by key, each built when first asked for."""

    def __getitem__(self, key: str) -> Page: ...
    def __contains__(self, key: str) -> bool: ...
    def values(self) -> list[Page]: ...


class Shell(QMainWindow):
    """The main window, as its helpers see it: ``MainWindow`` is the one implementation."""

    ctx: Context
    worker: DbWorker
    safety: SafetyActions
    pages: PageMap
    db: str | None
    db_path: Path | None
    db_label: QLabel
    reports_menu: QMenu

    @property
    def current_key(self) -> str:
        raise NotImplementedError

    def current_page(self) -> Page:
        raise NotImplementedError

    def show_page(self, key: str) -> Page:
        raise NotImplementedError

    def refresh_current(self) -> None:
        raise NotImplementedError

    def open_pupil(self, pupil_id: int) -> None:
        raise NotImplementedError

    def open_staff(self, staff_id: int) -> None:
        raise NotImplementedError

    def open_database(
        self,
        db: str | Path | None,
        *,
        first_run_check: bool = True,
        passphrase: str | None = None,
        same_passphrase: bool = False,
    ) -> None:
        raise NotImplementedError

    def new_database(self) -> None:
        raise NotImplementedError

    def choose_database(self) -> None:
        raise NotImplementedError

    def add_action(
        self, menu: Any, text: str, slot: Callable[..., Any], shortcut: Any = None, name: str = ""
    ) -> QAction:
        raise NotImplementedError
