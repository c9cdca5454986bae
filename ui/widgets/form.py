"""A form: labelled fields, each with its own error label beside it, and a dirty flag.

The core validates (``commands.save_*`` raise ``ValidationError({field: message})``);
``show_errors`` puts each message beside its field, and anything it has no field for in
the summary line at the top.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget


class Form(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setObjectName("fieldError")
        self.summary.setWordWrap(True)
        self.summary.hide()
        outer.addWidget(self.summary)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(10)
        outer.addLayout(self.grid)
        outer.addStretch(1)
        self.fields: dict[str, Any] = {}
        self.labels: dict[str, str] = {}
        self.label_widgets: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self._row = 0
        self.dirty = False
        self._loading = False
        self._initial: dict[str, Any] = {}
        self._baseline: dict[str, Any] = {}  # each field's value() as loaded
        self._counting: set[str] = set()  # fields whose label shows a length count

    def add(self, name: str, label: str, widget: QWidget, *, tip: str = "") -> QWidget:
        """Add a field; ``name`` is the core's field name its errors come back under."""
        lab = QLabel(label)
        lab.setBuddy(widget)
        lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        plain = label.replace("&", "")
        if not widget.accessibleName():
            widget.setAccessibleName(plain)
        if tip:
            widget.setToolTip(tip)
        err = QLabel()
        err.setObjectName("fieldError")
        err.setWordWrap(True)
        err.setMinimumWidth(160)
        err.hide()
        self.grid.addWidget(lab, self._row, 0)
        self.grid.addWidget(widget, self._row, 1)
        self.grid.addWidget(err, self._row, 2)
        self._row += 1
        self.fields[name] = widget
        self.label_widgets[name] = lab
        self.labels[name] = plain
        self.errors[name] = err
        edited = getattr(widget, "edited", None)
        if edited is not None:
            edited.connect(self._on_edited)
            if hasattr(widget, "limit"):  # a text box: its length counted as you type
                edited.connect(lambda n=name: self._count(n))
        return widget

    def add_widget(self, widget: QWidget) -> None:
        """A full-width row (a hint, a computed summary)."""
        self.grid.addWidget(widget, self._row, 0, 1, 3)
        self._row += 1

    def apply_limits(self, limits: Mapping[str, int]) -> None:
        """The longest text each field takes (``checks.text_limits(table)``: the limits Save
        holds the record to), counted down beside the box as you type near it."""
        for name, n in limits.items():
            field = self.fields.get(name)
            if field is not None and hasattr(field, "limit"):
                field.limit = n
                self._count(name)

    def _count(self, name: str) -> None:
        """Beside a text box near or over its limit: "12 characters left", or "Name is 190
        characters too long (at most 100)" (and Save refuses it, ``input_errors``)."""
        field, lab = self.fields[name], self.errors[name]
        limit = getattr(field, "limit", None)
        if limit is None:
            return
        n = len(field.value())
        if n > limit:
            text, bad = said_with(self.labels[name], field.input_error()), True
        elif n >= limit - max(5, limit // 10):
            left = limit - n
            text, bad = f"{left} character{'s' if left != 1 else ''} left", False
        else:
            text, bad = "", False
        if text:
            self._style(lab, "fieldError" if bad else "hint")  # a count is not an error
            lab.setText(text)
            lab.show()
            self._counting.add(name)
        elif name in self._counting:
            lab.hide()
            lab.clear()
            self._style(lab, "fieldError")
            self._counting.discard(name)
        self._set_invalid(field, bad)

    def set_row_visible(self, name: str, visible: bool) -> None:
        self.fields[name].setVisible(visible)
        self.label_widgets[name].setVisible(visible)
        if not visible:
            self.errors[name].hide()

    def _on_edited(self) -> None:
        if not self._loading:
            self.dirty = True
            self.edited.emit()

    # ------------------------------------------------------------------ values

    def values(self) -> dict[str, Any]:
        return {name: w.value() for name, w in self.fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the fields from saved values; the form is clean afterwards."""
        self._initial.update(values)
        self._loading = True
        try:
            for name, v in values.items():
                if name in self.fields:
                    self.fields[name].set_value(v)
        finally:
            self._loading = False
        self._baseline = {n: w.value() for n, w in self.fields.items()}
        self.dirty = False
        self.clear_errors()

    def suggest(self, values: dict[str, Any]) -> None:
        """Fill fields with suggested values (a new record's defaults): not an edit, so the
        form stays as clean or as edited as it was."""
        self._loading = True
        try:
            for name, v in values.items():
                self.fields[name].set_value(v)
                if not self.dirty:
                    self._baseline[name] = self.fields[name].value()
        finally:
            self._loading = False

    def set_choices(self, name: str, choices: Any, blank: str | None = None) -> None:
        """Fill a choice field loaded later, keeping the value it was given (not dirty)."""
        field = self.fields[name]
        was_dirty = self.dirty
        self._loading = True
        try:
            current = field.value()
            field.set_choices(choices, blank=blank)
            want = current if was_dirty or name not in self._initial else self._initial[name]
            field.set_value(want)
            if not was_dirty:
                self._baseline[name] = field.value()
        finally:
            self._loading = False
        self.dirty = was_dirty

    def input_errors(self) -> dict[str, str]:
        """Fields whose text is not a value at all (a date box holding "31/02/2024"): the
        form cannot be saved until they are put right. Each already says why beside it."""
        out = {}
        for name, w in self.fields.items():
            check = getattr(w, "input_error", None)
            if check is not None and w.isVisibleTo(self) and (message := check()):
                out[name] = message
        return out

    def mark_clean(self) -> None:
        self.dirty = False

    def changed(self) -> set[str]:
        """The fields whose value differs from the one loaded (what a save of an existing row
        sends: nothing else, so it cannot put back what someone else changed meanwhile)."""
        return {
            n
            for n, w in self.fields.items()
            if n not in self._baseline or w.value() != self._baseline[n]
        }

    # ------------------------------------------------------------------ errors

    def clear_errors(self) -> None:
        self.summary.hide()
        self.summary.clear()
        for name, lab in self.errors.items():
            lab.hide()
            lab.clear()
            self._set_invalid(self.fields[name], False)
        for name in self._counting:
            self._style(self.errors[name], "fieldError")
        self._counting.clear()

    def show_errors(self, errors: dict[str, str]) -> None:
        self.clear_errors()
        leftover = []
        first: QWidget | None = None
        for name, message in errors.items():
            lab = self.errors.get(name)
            if lab is None:
                leftover.append(f"{name.replace('_', ' ').capitalize()} {message}")
                continue
            lab.setText(said_with(self.labels[name], message))
            lab.show()
            self._set_invalid(self.fields[name], True)
            first = first or self.fields[name]
        if leftover:
            self.summary.setText("\n".join(leftover))
            self.summary.show()
        if first is not None:
            first.setFocus()

    def error_text(self, name: str) -> str:
        lab = self.errors.get(name)
        return lab.text() if lab is not None and not lab.isHidden() else ""

    @staticmethod
    def _style(label: QLabel, name: str) -> None:
        if label.objectName() != name:
            label.setObjectName(name)
            label.style().unpolish(label)
            label.style().polish(label)

    @staticmethod
    def _set_invalid(widget: QWidget, bad: bool) -> None:
        widget.setProperty("invalid", "true" if bad else "false")
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def said_with(label: str, message: str) -> str:
    """An error beside its field, starting with the field's name: "UPN must be 13
    characters", not "UPN UPN must be 13 characters" when the message names it already."""
    name = label.rstrip(":").strip()
    if message.casefold().startswith(name.casefold() + " "):
        return message
    return f"{name} {message}"
