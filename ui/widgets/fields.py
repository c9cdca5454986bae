"""Input widgets for the app's kinds of value: dates (dd/mm/yyyy, optional), money, weekly
hours, choices from a vocabulary. Each has ``value()``/``set_value()`` and ``edited``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from .. import format as fmt

EMPTY_DATE = QDate(1900, 1, 1)


class DateField(QDateEdit):
    """A dd/mm/yyyy date with a calendar; optional ones can be empty (Delete clears)."""

    edited = Signal()

    def __init__(self, optional: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.setDisplayFormat(fmt.DATE_FORMAT)
        self.setCalendarPopup(True)
        self.setMaximumDate(QDate(2100, 12, 31))
        if optional:
            self.setMinimumDate(EMPTY_DATE)
            self.setSpecialValueText("not set")
            self.setDate(EMPTY_DATE)
            self.setToolTip("dd/mm/yyyy. Delete clears the date; F4 opens a calendar.")
        else:
            self.setMinimumDate(QDate(1990, 1, 1))
            self.setDate(QDate.currentDate())
            self.setToolTip("dd/mm/yyyy. F4 opens a calendar.")
        self.dateChanged.connect(lambda _d: self.edited.emit())

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt override
        # Tab moves to the next box, as everywhere else: Qt's date box would step through
        # day, month and year first, and swallows Tab altogether while showing "not set"
        # (a keyboard trap). Left/Right move between day, month and year.
        return QWidget.focusNextPrevChild(self, forward)

    def value(self) -> dt.date | None:
        if self.optional and self.date() == EMPTY_DATE:
            return None
        return fmt.from_qdate(self.date())

    def set_value(self, d: dt.date | None) -> None:
        self.setDate(
            fmt.to_qdate(d)
            if d is not None
            else (EMPTY_DATE if self.optional else QDate.currentDate())
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if (
            self.optional
            and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and (
                self.value() is None
                or event.modifiers() & Qt.KeyboardModifier.ControlModifier
                or self.currentSection() == QDateEdit.Section.DaySection
                and key == Qt.Key.Key_Delete
            )
        ):
            self.setDate(EMPTY_DATE)
            return
        if (
            self.optional
            and self.value() is None
            and (
                event.text().isdigit()
                or key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
            )
        ):
            self.setDate(QDate.currentDate())
            self.setCurrentSection(QDateEdit.Section.DaySection)
            if not event.text().isdigit():
                return
        super().keyPressEvent(event)


class TimeField(QTimeEdit):
    """A time of day, HH:mm; Tab moves to the next box (Left/Right between hours and minutes)."""

    def __init__(self, time: QTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(time if time is not None else QTime(9, 0), parent)
        self.setDisplayFormat("HH:mm")

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt override
        return QWidget.focusNextPrevChild(self, forward)


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
    """Weekly hours as hours and minutes; the value is minutes (None when optional and 0)."""

    edited = Signal()

    # Up to 99: a box that stopped at the core's limit (60) would turn a typed "80" into "8"
    # without a word; past 60 the core's "is more than 60 hours a week" shows by the field.
    def __init__(self, name: str, parent: QWidget | None = None, maximum_hours: int = 99) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.h = QSpinBox()
        self.h.setRange(0, maximum_hours)
        self.h.setSuffix(" h")
        self.h.setAccessibleName(f"{name}: hours")
        self.m = QSpinBox()
        self.m.setRange(0, 59)
        self.m.setSingleStep(5)
        self.m.setSuffix(" min")
        self.m.setAccessibleName(f"{name}: minutes")
        lay.addWidget(self.h)
        lay.addWidget(self.m)
        lay.addStretch(1)
        self.setFocusProxy(self.h)
        self.h.valueChanged.connect(lambda _v: self.edited.emit())
        self.m.valueChanged.connect(lambda _v: self.edited.emit())

    def value(self) -> int:
        return self.h.value() * 60 + self.m.value()

    def set_value(self, minutes: int | None) -> None:
        h, m = divmod(int(minutes or 0), 60)
        self.h.setValue(h)
        self.m.setValue(m)


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


class TextField(QLineEdit):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textEdited.connect(lambda _t: self.edited.emit())

    def value(self) -> str:
        return self.text().strip()

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

    def value(self) -> str:
        return self.toPlainText().strip()

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
