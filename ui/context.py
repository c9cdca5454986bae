"""What every page shares: the database worker, today's date, and navigation requests."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from sencodesk.changes import Change

from .dialogs import ask as dlg
from .worker import DbWorker, OnError, T, Ts

if TYPE_CHECKING:
    from sencodesk.store import Session, Store

ALL = Change.ALL  # everything may have changed (new database, restore, demo)


def today() -> dt.date:
    """Today, or SENCODESK_TODAY (YYYY-MM-DD) for screenshots and demos of a fixed day."""
    fixed = os.environ.get("SENCODESK_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


class Context(QObject):
    open_pupil = Signal(int)
    open_staff = Signal(int)
    show_page = Signal(str)
    status = Signal(str)

    def __init__(self, worker: DbWorker, window: QWidget | None = None) -> None:
        super().__init__()
        self.worker = worker
        self.window = window
        self.today = today()
        self.school_name = ""

    def error(self, exc: BaseException, tb: str = "") -> None:
        dlg.show_error(self.window, exc, tb)

    def run(
        self,
        fn: Callable[[Store, *Ts], T],
        *args: *Ts,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
        changes: Iterable[str] = (),
    ) -> int:
        return self.worker.run_op(
            fn, *args, on_done=on_done, on_error=on_error or self.error, changes=changes
        )

    def query(
        self,
        fn: Callable[[Session, *Ts], T],
        *args: *Ts,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
    ) -> int:
        """A read op: the worker runs ``fn(session, *args)`` in ``store.read()``."""
        return self.worker.query(fn, *args, on_done=on_done, on_error=on_error or self.error)

    def change(
        self,
        fn: Callable[[Session, *Ts], T],
        *args: *Ts,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
        changes: Iterable[str] = (),
        reason: str = "",
    ) -> int:
        """A write op: the worker runs ``fn(session, *args)`` in ``store.session()`` and
        commits; ``changes`` are told to the pages through ``worker.changed``."""
        return self.worker.change(
            fn,
            *args,
            on_done=on_done,
            on_error=on_error or self.error,
            changes=changes,
            reason=reason,
        )
