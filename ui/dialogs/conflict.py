"""Someone else saved the row you are editing: theirs and yours side by side, and a choice.

An editor's save is refused (``errors.Conflict``) when the row changed after its form was
loaded. This dialog shows, for each field the save would change, the value saved now
("theirs") and the value in the form ("yours"), in the form's own words (dd/mm/yyyy, £, hours,
a choice's label), and asks: keep theirs (close the editor), overwrite with mine (save again
over their version; only these fields, so anything else they changed stays), or cancel (back
to the form, nothing saved).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sencodesk.errors import Conflict

from .. import format as fmt

THEIRS, MINE, CANCEL = "theirs", "mine", "cancel"
EMPTY = "(empty)"


def show_value(value: Any, widget: Any = None) -> str:
    """A value as the form shows it (``widget``: the form's field for it, if any)."""
    from ..widgets.fields import ChoiceField, HoursField, MoneyField

    if value is None or value == "":
        return EMPTY
    if isinstance(widget, ChoiceField):
        i = widget.findData(value)
        if i >= 0:
            return widget.itemText(i)
    if isinstance(widget, HoursField) and isinstance(value, int):
        return fmt.hours(value)
    if isinstance(widget, MoneyField) or (isinstance(value, Decimal) and widget is None):
        return fmt.money(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return fmt.date_time(value)
    if isinstance(value, dt.date):
        return fmt.date(value)
    if isinstance(value, list | tuple):
        return "; ".join(show_value(v) for v in value) or EMPTY
    return str(value)


def rows(exc: Conflict, form: Any = None) -> list[tuple[str, str, str]]:
    """(field label, theirs, yours) for each field of the refused save."""
    labels = getattr(form, "labels", {})
    fields = getattr(form, "fields", {})
    out = []
    for name, (theirs, yours) in exc.fields.items():
        widget = fields.get(name)
        label = labels.get(name) or name.replace("_", " ").capitalize()
        out.append((label, show_value(theirs, widget), show_value(yours, widget)))
    return out


class ConflictDialog(QDialog):
    def __init__(self, exc: Conflict, form: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = CANCEL
        self.setWindowTitle("Changed by someone else")
        self.setAccessibleName("Changed by someone else")
        self.setModal(True)
        lay = QVBoxLayout(self)
        who = exc.by or "Someone else"
        when = ""
        if isinstance(exc.at, dt.datetime):
            local = exc.at.replace(tzinfo=dt.UTC).astimezone()
            when = f" at {local:%H:%M} on {fmt.date(local)}"
        self.message = QLabel(
            f"{who} saved this {exc.what}{when}, after you opened it. Your changes have not "
            "been saved yet. Compare them, then choose."
        )
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        data = rows(exc, form)
        self.table = QTableWidget(len(data), 3)
        self.table.setHorizontalHeaderLabels(["Field", "Saved now (theirs)", "Yours"])
        self.table.setAccessibleName("Theirs and yours")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, cells in enumerate(data):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        lay.addWidget(self.table, 1)
        note = QLabel(
            "Overwrite with mine saves only these fields: anything else they changed stays."
        )
        note.setWordWrap(True)
        lay.addWidget(note)
        buttons = QDialogButtonBox()
        self.theirs_button = QPushButton("&Keep theirs")
        self.mine_button = QPushButton("&Overwrite with mine")
        self.cancel_button = QPushButton("Cancel")
        buttons.addButton(self.theirs_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.theirs_button.clicked.connect(lambda: self._choose(THEIRS))
        self.mine_button.clicked.connect(lambda: self._choose(MINE))
        self.cancel_button.clicked.connect(self.reject)
        lay.addWidget(buttons)
        self.cancel_button.setDefault(True)  # Enter changes nothing (set once in the dialog)
        self.cancel_button.setFocus()
        self.resize(640, 320)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask_conflict(parent: QWidget | None, exc: Conflict, form: Any = None) -> str:
    """Show theirs and yours; returns THEIRS, MINE or CANCEL (tests patch this)."""
    box = ConflictDialog(exc, form, parent)
    box.exec()
    return box.choice
