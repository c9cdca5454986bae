"""Helpers for driving the GUI in tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget


def find_dialog(cls: type) -> Any:
    """The visible dialog of a class (the newest), as a user would see it."""
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
    assert found, f"no {cls.__name__} is open"
    return found[-1]


def fill(form: Any, **values: Any) -> None:
    """Type values into a form's fields as the user would (marks it edited)."""
    for name, v in values.items():
        w = form.fields[name]
        if hasattr(w, "value_decimal"):
            w.setValue(float(v))
        elif isinstance(v, dt.date) or v is None and hasattr(w, "optional"):
            w.set_value(v)
        else:
            w.set_value(v)
        form.dirty = True


def all_titles() -> list[str]:
    return [w.windowTitle() for w in QApplication.topLevelWidgets() if isinstance(w, QWidget)]


def open_first_run(qtbot: Any, db_path: Any) -> tuple[Any, Any]:
    """A main window opening a database that does not exist yet, and its first-run dialog."""
    from ui.dialogs.first_run import FirstRunDialog
    from ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)  # no file yet

    def mine() -> list[Any]:  # this window's: an earlier test's may still be open
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, FirstRunDialog) and w.isVisible() and w.parentWidget() is win
        ]

    qtbot.waitUntil(lambda: bool(mine()), timeout=10000)
    return win, mine()[-1]


def write_in_worker(win: Any, command: Any, values: dict[str, Any], **kw: Any) -> None:
    """A command in a transaction of its own, run by the window's database worker."""

    def op(store: Any) -> Any:
        with store.session() as s:
            return command(s, values)

    win.ctx.run(op, **kw)
