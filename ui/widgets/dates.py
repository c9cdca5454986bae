"""The date and time widgets: a date typed as dd/mm/yyyy (or picked from a calendar), a time,
and the two together. Each has ``value()``/``set_value()`` and ``edited``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTime, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTimeEdit, QToolButton, QWidget

from sencodesk.rules.dates import TYPED_DATE_HELP, TypedDateError, format_date, parse_typed_date

from .. import format as fmt

CALENDAR_ICON = Path(__file__).resolve().parents[2] / "resources" / "icons" / "calendar.svg"


_LEAVE_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class DateField(QWidget):
    """A date box that takes what people type, read by the core's one parser
    (``rules.dates.parse_typed_date``): 10/06/2024, 5/4/27, 050427, 10062024, today, +2w,
    -3d. A calendar button (or F4, Alt+Down) picks one. An optional date can be empty ("not
    set"); a required one cannot. Text that is not a date is never replaced by a guess: it
    stays as typed, the box turns red, the message shows beside it, and ``input_error()``
    says why, so the form refuses to save. Leaving the box shows the date as dd/mm/yyyy."""

    edited = Signal()  # at each keystroke
    committed = Signal()  # on leaving the box (or Enter), or a day picked from the calendar

    def __init__(self, optional: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self._committed: dt.date | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.line = QLineEdit()
        self.line.setPlaceholderText("not set" if optional else "dd/mm/yyyy")
        width = self.line.fontMetrics().horizontalAdvance("00/00/00000") + 16
        self.line.setFixedWidth(max(width, 96))
        self.button = QToolButton()
        self.button.setObjectName("calendarButton")
        self.button.setIcon(QIcon(str(CALENDAR_ICON)))
        self.button.setToolTip("Choose from a calendar (F4)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F4 opens it from the box
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.hide()
        lay.addWidget(self.line)
        lay.addWidget(self.button)
        lay.addWidget(self.note, 1)
        lay.addStretch(0)  # the button beside the box, when the note is hidden
        self.setFocusProxy(self.line)
        self._value: dt.date | None = None
        self._error = ""
        self._calendar: Any = None
        self.line.setToolTip(TYPED_DATE_HELP + (". Empty: not set." if optional else "."))
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._tidy)
        self.line.installEventFilter(self)
        self.button.clicked.connect(self.open_calendar)
        self.set_value(None if optional else dt.date.today())

    # What a screen reader says is the box's name; the button is named after it.
    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt name
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)
        self.button.setAccessibleName(f"{name}: calendar")

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt name
        self.line.setToolTip(f"{tip}. {TYPED_DATE_HELP}." if tip else TYPED_DATE_HELP)

    def text(self) -> str:
        return self.line.text()

    def value(self) -> dt.date | None:
        """The date shown (None when empty, or when the text is not a date: see
        ``input_error``)."""
        return self._value

    def input_error(self) -> str:
        """Why the text typed is not a date ("" when it is one, or empty and optional)."""
        return self._error

    def set_value(self, d: dt.date | None) -> None:
        self.line.setText(format_date(d))
        self._read(self.line.text())
        self._committed = self._value
        self._show()

    def _read(self, text: str) -> None:
        try:
            self._value = parse_typed_date(text, dt.date.today())
        except TypedDateError as exc:
            self._value, self._error = None, str(exc)
            return
        if self._value is None and not self.optional and text.strip() == "":
            self._error = "A date is needed here"
        else:
            self._error = ""

    def _typed(self, text: str) -> None:
        self._read(text)
        self._show(typing=True)
        self.edited.emit()

    def _tidy(self) -> None:
        """On leaving the box: a date read from "+2w" or "050427" is shown as dd/mm/yyyy."""
        if not self._error and self._value is not None:
            shown = format_date(self._value)
            if self.line.text() != shown:
                self.line.setText(shown)
        self._show()
        self._commit()

    def _commit(self) -> None:
        if not self._error and self._value != self._committed:
            self._committed = self._value
            self.committed.emit()

    def _show(self, typing: bool = False) -> None:
        if self._error and not (typing and self.line.text().strip() == ""):
            self.note.setObjectName("fieldError")
            self.note.setText(self._error)
            bad = True
        elif typing and self._value is not None and self.line.text() != format_date(self._value):
            self.note.setObjectName("hint")  # what the box will hold: never a surprise
            self.note.setText(f"= {self._value:%a} {format_date(self._value)}")
            bad = False
        else:
            self.note.setText("")
            bad = False
        self.note.setVisible(bool(self.note.text()))
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        self.line.setProperty("invalid", "true" if bad else "false")
        self.line.style().unpolish(self.line)
        self.line.style().polish(self.line)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if obj is self.line and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
            if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
                self.open_calendar()
                return True
            if key in _LEAVE_KEYS:
                self._tidy()  # before Tab moves on, or Enter saves: the date as it will be
        return False

    def open_calendar(self) -> None:
        from PySide6.QtWidgets import QCalendarWidget

        cal = QCalendarWidget(self)
        cal.setWindowFlags(Qt.WindowType.Popup)
        cal.setGridVisible(True)
        cal.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        cal.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        cal.setSelectedDate(fmt.to_qdate(self._value or dt.date.today()))
        cal.setAccessibleName(f"{self.accessibleName() or 'Date'}: calendar")
        cal.clicked.connect(lambda _d: self._picked(cal))
        cal.activated.connect(lambda _d: self._picked(cal))
        below = self.line.mapToGlobal(self.line.rect().bottomLeft())
        cal.move(below)
        cal.show()
        cal.setFocus()
        self._calendar = cal

    def _picked(self, cal: Any) -> None:
        if self._calendar is not cal:
            return  # a click and its double-click's "activated": the first one chose
        d = fmt.from_qdate(cal.selectedDate())
        cal.close()
        cal.deleteLater()
        self._calendar = None
        if d != self._value or self._error:
            self.line.setText(format_date(d))
            self._typed(self.line.text())
            self._show()
            self._commit()
        self.line.setFocus()


class DateTimeField(QWidget):
    """A date (a ``DateField``) and a time of day: a record's "when", a meeting's date and
    time. Either part changed marks the form edited."""

    edited = Signal()

    def __init__(self, name: str, time: QTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.day = DateField(optional=False)
        self.day.setAccessibleName(f"{name}: date")
        self.time = TimeField(time if time is not None else QTime.currentTime())
        self.time.setAccessibleName(f"{name}: time")
        lay.addWidget(self.day)
        lay.addWidget(self.time)
        lay.addStretch(1)
        # The date's hint or error sits after the time, not between the two boxes.
        day_layout = self.day.layout()
        if day_layout is not None:
            day_layout.removeWidget(self.day.note)
        lay.insertWidget(2, self.day.note, 1)
        self.day.edited.connect(self.edited.emit)
        self.time.timeChanged.connect(lambda _t: self.edited.emit())
        self.setFocusProxy(self.day)

    def input_error(self) -> str:
        return self.day.input_error()

    def value(self) -> dt.datetime | None:
        d = self.day.value()
        if d is None:
            return None
        t = self.time.time()
        return dt.datetime.combine(d, dt.time(t.hour(), t.minute()))

    def set_value(self, when: dt.datetime | None) -> None:
        if when is None:
            return
        self.day.set_value(when.date())
        self.time.setTime(QTime(when.hour, when.minute))


class TimeField(QTimeEdit):
    """A time of day, HH:mm; Tab moves to the next box (Left/Right between hours and minutes)."""

    def __init__(self, time: QTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(time if time is not None else QTime(9, 0), parent)
        self.setDisplayFormat("HH:mm")

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt override
        return QWidget.focusNextPrevChild(self, forward)
