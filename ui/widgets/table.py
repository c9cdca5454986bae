"""The table view every list uses: sortable, whole-row selection, fixed row height (fast on
20,000 rows), Enter or double-click opens the row, and a filter box that narrows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QWidget

from ..models.base import RowTableModel


class Table(QTableView):
    row_activated = Signal(object)  # the row (a frozen dataclass)

    def __init__(
        self,
        model: RowTableModel,
        name: str,
        widths: Sequence[int] = (),
        parent: QWidget | None = None,
        sortable: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(name)
        self.setObjectName(name.lower().replace(" ", "_"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move within it
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(True)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        bold = hh.font()
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        for col, w in enumerate(widths):
            if w:  # never narrower than the header's words (+ padding and sort arrow)
                title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
                w = max(w, metrics.horizontalAdvance(title) + 34)
            self.setColumnWidth(col, w)
        if sortable:
            self.setSortingEnabled(True)
            hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.doubleClicked.connect(lambda idx: self._activate(idx.row()))

    def source(self) -> RowTableModel:
        model = self.model()
        assert isinstance(model, RowTableModel)
        return model

    def current_row(self) -> Any:
        idx = self.currentIndex()
        if not idx.isValid():
            return None
        return self.source().row_at(idx.row())

    def select_id(self, row_id: int) -> bool:
        r = self.source().row_of_id(row_id)
        if r < 0:
            return False
        self.selectRow(r)
        self.scrollTo(self.source().index(r, 0))
        return True

    def _activate(self, row: int) -> None:
        if 0 <= row < self.source().rowCount():
            self.row_activated.emit(self.source().row_at(row))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class FilterBox(QLineEdit):
    """Type to filter a table; Down moves into the table, Esc clears."""

    def __init__(self, table: Table, placeholder: str, name: str) -> None:
        super().__init__()
        self.table = table
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(name)
        self.setClearButtonEnabled(True)
        self.textChanged.connect(table.source().set_filter)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Down and self.table.source().rowCount():
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.source().rowCount():
            self.table._activate(max(self.table.currentIndex().row(), 0))
            return
        super().keyPressEvent(event)
