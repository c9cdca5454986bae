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
        sort_column: int = -1,
    ) -> None:
        """``sort_column``: the column the rows are sorted by at first (ascending); -1 keeps
        the order they come in (the query's)."""
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
            if w:  # never narrower than the header's words (+ padding; a sort arrow may crowd)
                title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
                w = max(w, metrics.horizontalAdvance(title) + 18)
            self.setColumnWidth(col, w)
        if sortable:
            # The indicator first: enabling sorting sorts by it at once (Qt's default
            # indicator would sort the first column descending).
            hh.setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
            self.setSortingEnabled(True)
        self.doubleClicked.connect(lambda idx: self._activate(idx.row()))
        # Lay the rows out as soon as the model has changed, not on Qt's next timer tick:
        # otherwise each keystroke in a filter box paints the table twice (once stale).
        model.modelReset.connect(self.executeDelayedItemsLayout)
        model.layoutChanged.connect(self.executeDelayedItemsLayout)

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
