"""Input widgets for the app's kinds of value: dates (dd/mm/yyyy, optional), money, weekly
hours, choices from a vocabulary. Each has ``value()``/``set_value()`` and ``edited``."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from sencodesk.rules.pay import format_hours as fmt_hours
from sencodesk.rules.pay import parse_hours

# The date and time widgets live in .dates: here as before.
from .dates import _LEAVE_KEYS, DateField, DateTimeField, TimeField


class MoneyField(QDoubleSpinBox):
    edited = Signal()

    def __init__(self, maximum: float = 500_000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPrefix("£")
        self.setDecimals(2)
        self.setRange(0, maximum)
        self.setGroupSeparatorShown(True)
        self.setSingleStep(100)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.valueChanged.connect(lambda _v: self.edited.emit())

    def value_decimal(self) -> Decimal:
        return Decimal(str(round(self.value(), 2))).quantize(Decimal("0.01"))

    def set_value(self, amount: Decimal | None) -> None:
        self.setValue(float(amount or 0))


class HoursField(QWidget):
    """Weekly hours typed as people write them ("25", "27.5", "27:30", "27 h 30 min"), read
    by the core's ``rules.pay.parse_hours`` and shown, on leaving the box, by the one hours
    formatter ("25 h", "27 h 30 min", never "25 h 0 min"). The value is minutes (0 when
    empty). Text that is not hours stays as typed, red, with the reason beside it, and
    ``input_error()`` stops Save: nothing is guessed."""

    edited = Signal()

    # No cap on what can be typed: a box that stopped at the core's limit (60) would turn a
    # typed "80" into "8" without a word; past 60 the core's "is more than 60 hours a week"
    # shows by the field.
    def __init__(self, name: str, parent: QWidget | None = None, maximum_hours: int = 99) -> None:
        super().__init__(parent)
        del maximum_hours  # (kept for callers) the core holds the limit, and says so
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.line = QLineEdit()
        self.line.setAccessibleName(name)
        self.line.setPlaceholderText("e.g. 27.5")
        self.line.setToolTip("Hours a week: 25, 27.5, 27:30 or 27 h 30 min")
        self.line.setFixedWidth(self.line.fontMetrics().horizontalAdvance("000 h 00 min") + 20)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.hide()
        lay.addWidget(self.line)
        lay.addWidget(self.note, 1)
        lay.addStretch(0)  # the box at the left, when the note is hidden
        self.setFocusProxy(self.line)
        self._minutes = 0
        self._error = ""
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._tidy)
        self.line.installEventFilter(self)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        key_press = obj is self.line and event.type() == QEvent.Type.KeyPress
        if key_press and event.key() in _LEAVE_KEYS:
            self._tidy()  # before Tab moves on, or Enter saves: the hours as they will be
        return False

    def text(self) -> str:
        return self.line.text()

    def value(self) -> int:
        return self._minutes

    def input_error(self) -> str:
        return self._error

    def set_value(self, minutes: int | None) -> None:
        self.line.setText(fmt_hours(int(minutes)) if minutes else "")
        self._read(self.line.text())
        self._show()

    def _read(self, text: str) -> None:
        try:
            self._minutes, self._error = parse_hours(text) or 0, ""
        except ValueError as exc:
            self._minutes, self._error = 0, str(exc)

    def _typed(self, text: str) -> None:
        self._read(text)
        self._show(typing=True)
        self.edited.emit()

    def _tidy(self) -> None:
        if not self._error:
            shown = fmt_hours(self._minutes) if self._minutes else ""
            if self.line.text() != shown:
                self.line.setText(shown)
        self._show()

    def _show(self, typing: bool = False) -> None:
        shown = fmt_hours(self._minutes) if self._minutes else ""
        if self._error:
            self.note.setObjectName("fieldError")
            self.note.setText(self._error)
        elif typing and self.line.text().strip() and self.line.text() != shown:
            self.note.setObjectName("hint")  # what the box will hold
            self.note.setText(f"= {shown or '0 h'}")
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        self.line.setProperty("invalid", "true" if self._error else "false")
        self.line.style().unpolish(self.line)
        self.line.style().polish(self.line)


class ChoiceField(QComboBox):
    """A choice from (value, label) pairs; ``value()`` is the stored value (None for blank)."""

    edited = Signal()

    def __init__(
        self,
        choices: Iterable[tuple[Any, str]],
        *,
        blank: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # As wide as the form gives it, not as wide as its longest choice (an outcome's text,
        # a long name) would make the whole form.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.set_choices(choices, blank=blank)
        self.currentIndexChanged.connect(lambda _i: self.edited.emit())

    def set_choices(self, choices: Iterable[tuple[Any, str]], *, blank: str | None = None) -> None:
        current = self.value() if self.count() else None
        self.blockSignals(True)
        self.clear()
        if blank is not None:
            self.addItem(blank, None)
        for value, label in choices:
            self.addItem(label, value)
        self.blockSignals(False)
        if current is not None:
            self.set_value(current)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        i = self.findData(value)
        self.setCurrentIndex(max(i, 0))


def over_limit(text: str, limit: int | None) -> str:
    """ "is 190 characters too long (at most 100)", or "" within the limit."""
    if limit is None or len(text) <= limit:
        return ""
    return f"is {len(text) - limit} characters too long (at most {limit})"


class TextField(QLineEdit):
    edited = Signal()
    #: the longest text Save takes (``checks.text_limits``; set by ``Form.apply_limits``)
    limit: int | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textEdited.connect(lambda _t: self.edited.emit())

    def value(self) -> str:
        return self.text().strip()

    def input_error(self) -> str:
        return over_limit(self.value(), self.limit)

    def set_value(self, text: str | None) -> None:
        self.setText(text or "")


class NotesField(QPlainTextEdit):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(lines * 22 + 12)  # room for the frame: no scroll bar when empty
        self.setMaximumHeight(lines * 22 + 40)
        self.textChanged.connect(self.edited.emit)

    limit: int | None = None  # as TextField's

    def value(self) -> str:
        return self.toPlainText().strip()

    def input_error(self) -> str:
        return over_limit(self.value(), self.limit)

    def set_value(self, text: str | None) -> None:
        self.setPlainText(text or "")


class CheckField(QCheckBox):
    edited = Signal()

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.toggled.connect(lambda _b: self.edited.emit())

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, on: bool | None) -> None:
        self.setChecked(bool(on))


class IntField(QSpinBox):
    edited = Signal()

    def __init__(
        self, low: int, high: int, suffix: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setRange(low, high)
        if suffix:
            self.setSuffix(suffix)
        self.valueChanged.connect(lambda _v: self.edited.emit())

    def set_value(self, v: int | None) -> None:
        self.setValue(int(v or 0))


class SessionsField(QWidget):
    """The ten half-day sessions of a week (Mon AM … Fri PM) as ticks; the value is a mask."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QGridLayout, QLabel

        from sencodesk.vocab import WEEKDAYS, session_bit

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[int, QCheckBox]] = []
        grid.addWidget(QLabel("AM"), 1, 0)
        grid.addWidget(QLabel("PM"), 2, 0)
        for day, name in enumerate(WEEKDAYS):
            grid.addWidget(QLabel(name), 0, day + 1)
            for row, pm in ((1, False), (2, True)):
                box = QCheckBox()
                box.setAccessibleName(f"{name} {'afternoon' if pm else 'morning'}")
                box.toggled.connect(lambda _on: self.edited.emit())
                grid.addWidget(box, row, day + 1)
                self.boxes.append((session_bit(day, pm), box))
        self.setFocusProxy(self.boxes[0][1])

    def value(self) -> int:
        return sum(bit for bit, box in self.boxes if box.isChecked())

    def set_value(self, mask: int | None) -> None:
        for bit, box in self.boxes:
            box.setChecked(bool((mask or 0) & bit))


__all__ = [
    "CheckField",
    "ChoiceField",
    "DateField",
    "DateTimeField",
    "HoursField",
    "IntField",
    "MoneyField",
    "NotesField",
    "SessionsField",
    "TextField",
    "TimeField",
    "over_limit",
]
