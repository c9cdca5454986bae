"""Every message box the app shows goes through here, so tests can patch one place.

``ask`` (a yes/no question), ``ask_save`` (save / discard / cancel), ``tell`` (information or
a known problem in words) and ``report_bug`` (an unexpected error, logged with its traceback).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# QMessageBox is imported in each function, not here: its enums cost start-up time, and the
# main window imports this module before it is shown.

log = logging.getLogger(__name__)

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask(parent: QWidget | None, title: str, text: str, *, default_yes: bool = False) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(
        QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No
    )
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_save(parent: QWidget | None, what: str) -> str:
    """ "You have unsaved changes to <what>": returns SAVE, DISCARD or CANCEL."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Unsaved changes",
        f"You have unsaved changes to {what}. Save them?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


def ask_text(parent: QWidget | None, title: str, text: str, *, password: bool = False) -> str:
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    mode = QLineEdit.EchoMode.Password if password else QLineEdit.EchoMode.Normal
    value, ok = QInputDialog.getText(parent, title, text, mode)
    return value if ok else ""


def tell(parent: QWidget | None, title: str, text: str, *, warning: bool = False) -> None:
    from PySide6.QtWidgets import QMessageBox

    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent).exec()


def report_bug(parent: QWidget | None, exc: BaseException, tb: str) -> None:
    """Log the traceback and tell the user this is a bug, not something they did."""
    from PySide6.QtWidgets import QMessageBox

    log.error("Unexpected error: %r\n%s", exc, tb)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        "SENCO Desk hit a problem it did not expect. This is a bug in the app, not something "
        "you did. Your saved work is safe.\n\nPlease send the details below to whoever supports "
        "the app.",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setDetailedText(tb or repr(exc))
    box.exec()


def show_error(parent: QWidget | None, exc: BaseException, tb: str = "") -> None:
    """The two kinds of error: a ``KnownError`` or a failure of the computer (disk full, the
    server gone) in words, anything else as a bug."""
    from sencodesk.errors import KnownError, environment_problem

    if isinstance(exc, KnownError):
        tell(parent, "SENCO Desk", str(exc), warning=True)
        return
    problem = environment_problem(exc)
    if problem is not None:
        log.warning("%s (%r)", problem, exc)
        tell(parent, "SENCO Desk", problem, warning=True)
    else:
        report_bug(parent, exc, tb)
