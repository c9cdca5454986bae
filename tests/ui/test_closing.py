"""Closing the main window: the backup at close runs in the worker while the GUI thread keeps
its event loop going (painting, timers, the worker's results), and ``close()`` still returns
with the backup made and the worker stopped."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from sencodesk import commands
from sencodesk.safety import backup as bk
from tests.ui.conftest import set_up_school
from tests.ui.helpers import write_in_worker
from ui.main_window import MainWindow


def open_window(qtbot: Any, db: Path) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.safety.first_routine_ms = 3_600_000  # no routine backup: only the one at close
    win.show()
    win.open_database(db)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=15000)
    return win


def add_pupil(qtbot: Any, win: MainWindow, last: str) -> None:
    write_in_worker(
        win,
        commands.save_pupil,
        {"legal_first_name": "Close", "legal_last_name": last, "date_of_birth": dt.date(2016, 1, 2)},
        changes={"pupil"},
    )
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=15000)


def gate_the_backup(monkeypatch: Any, order: list[str]) -> threading.Event:
    """The real backup at close, held in the worker until the returned event is set (at
    most 5 s): long enough to see what the GUI thread does meanwhile."""
    import ui.safety_ops as ops

    real = ops.backup_at_close
    gate = threading.Event()

    def gated(store: Any, changed: bool, now: dt.datetime) -> Path | None:
        gate.wait(5)
        order.append("backup")
        return real(store, changed, now)

    monkeypatch.setattr(ops, "backup_at_close", gated)
    return gate


def test_the_event_loop_runs_while_close_waits_for_the_backup(qtbot, store, db_path, monkeypatch):
    set_up_school(store)
    store.close()
    win = open_window(qtbot, db_path)
    add_pupil(qtbot, win, "Waitedfor")
    order: list[str] = []
    gate = gate_the_backup(monkeypatch, order)
    seen: dict[str, Any] = {}

    def meanwhile() -> None:  # a timer of the GUI thread, due while the backup is held
        order.append("timer")
        seen["status"] = win.statusBar().currentMessage()
        win.close()  # pressed again while waiting: no second backup
        gate.set()

    QTimer.singleShot(50, meanwhile)
    win.close()

    # The GUI thread ran its timer while the backup waited (a blocking wait runs it after).
    assert order == ["timer", "backup"]
    assert seen == {"status": "Backing up before closing…"}
    assert not win.isVisible()
    assert not win.worker.has_store  # the worker finished and closed the database
    made = bk.list_backups(bk.backup_folder(db_path), database=db_path)
    assert len(made) == 1 and not win.safety.changed


def test_a_failed_backup_kept_open_leaves_the_window_working(
    qtbot, store, db_path, dialogs, monkeypatch
):
    set_up_school(store)
    store.close()
    win = open_window(qtbot, db_path)
    add_pupil(qtbot, win, "Keptopen")
    assert win.safety.timer.isActive()
    bk.backup_folder(db_path).write_text("a file where the backups folder should be")
    dialogs.answer = False
    assert not win.close()
    assert "backup when closing failed" in dialogs.asked[-1]
    assert win.isVisible() and win.worker.has_store
    assert win.safety.timer.isActive()  # the hourly routine goes on
    # The window still works: a save goes through, and a second close asks again.
    add_pupil(qtbot, win, "Afterwards")
    dialogs.answer = True
    assert win.close()
    assert len(dialogs.asked) == 2 and not win.isVisible()
