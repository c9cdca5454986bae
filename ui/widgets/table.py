"""The table view every list uses: sortable, whole-row selection, fixed row height (fast on
20,000 rows), Enter or double-click opens the row, and a filter box that narrows it.

Columns fit their contents: when new rows arrive and when the table is resized, each column
gets the width of its header and of the widest text in the first rows; when that is more than
the table has room for, the widest columns give way first (their cells elide, with the whole
text as a tooltip), so short columns such as dates, money and hours are never cut. Once the
user drags a column edge, the table leaves the widths alone.

A table with no rows says why in its body ("No pupils yet…", or that the filter matches
nothing), never a blank grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ..models.base import WHOLE, RowTableModel
from .table_fit import CELL_PAD, FIT_SAMPLE, HEAD_PAD, MAX_FIT, share_width

_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

LOADING = "Loading…"  # instead of the empty text, until the first rows arrive
# Instead of the empty text when the page's last load failed (its message said why): the
# list is not empty, it could not be read.
NOT_LOADED = "Not shown: this list could not be loaded (the message said why)."


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
        min_fit: int = 110,
        empty: str = "Nothing here yet.",
    ) -> None:
        """``widths``: the columns' widths until rows arrive (then they fit their text).
        ``sort_column``: the column the rows are sorted by at first (ascending); -1 keeps
        the order they come in (the query's). ``min_fit``: the narrowest a text column is
        squeezed to for room; past that the table scrolls sideways instead. ``empty``: what
        the body says while there are no rows at all (what to do to add some)."""
        super().__init__(parent)
        self.empty = empty
        self.waiting = False  # the page's first rows are on their way: say "Loading…"
        self.failed = False  # the page's last load failed: say so, not "No pupils yet"
        self.fast_paint = True  # False: Qt's own painting, through data() (tests compare)
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
        self._head_metrics = QFontMetrics(bold)
        self._auto_fit = True
        self._min_fit = min_fit
        self._fitting = False
        self._fitted_rows: object = None
        for col, w in enumerate(widths):
            if w:  # never narrower than the header's words (+ padding; a sort arrow may crowd)
                w = max(w, self._header_width(col))
            self.setColumnWidth(col, w)
        hh.sectionResized.connect(self._section_resized)
        # A column edge dragged is a press on the header itself: a page chosen with the
        # mouse lays its tables out while the button is down in the sidebar, which is not.
        self._header_pressed = False
        hh.viewport().installEventFilter(self)
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
        model.modelReset.connect(self._rows_reset)

    # ------------------------------------------------------------------ no rows

    def empty_text(self) -> str:
        """What the body says instead of rows: "" when there are rows to show."""
        model = self.source()
        if model.rowCount():
            return ""
        if self.waiting:
            return LOADING
        if self.failed:
            return NOT_LOADED
        if model.total_rows:
            return "No rows match the filter. Esc in the filter box clears it."
        return self.empty

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        model = self.source()
        focus_rect = self.hasFocus() and self.currentIndex().isValid()
        if (
            self.fast_paint
            and not focus_rect  # the keyboard is in the list, not in its filter box
            and type(model).data is RowTableModel.data
            and model.rowCount()
        ):
            self._paint_rows(model)
        else:  # Qt's painting: a model with its own data() (colours), or the focus frame
            super().paintEvent(event)
        text = self.empty_text()
        if not text:
            return
        p = QPainter(self.viewport())
        p.setPen(self.palette().placeholderText().color())
        p.drawText(
            self.viewport().rect().adjusted(16, 16, -16, -16),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            | int(Qt.TextFlag.TextWordWrap),
            text,
        )
        p.end()

    def _paint_rows(self, model: RowTableModel) -> None:
        """The visible cells, drawn straight from the model's rows: what Qt's own painting
        draws for a RowTableModel (text, alignment, cell colour, alternate rows, selection,
        grid), without asking ``data()`` seven times a cell through PySide. That is most of a
        repaint: 7 ms against 2 ms for a screenful of the pupil list, at every keystroke of
        the filter, when the keyboard is in the filter box. With the keyboard in the list, the
        focus frame round the current cell is Qt's to draw, and Qt paints.
        ``tests/ui/test_table_fit.py`` compares the two pixel by pixel."""
        vp = self.viewport()
        first = max(self.rowAt(0), 0)
        last = self.rowAt(vp.height() - 1)
        if last < 0:
            last = model.rowCount() - 1
        columns = [
            (c, self.columnViewportPosition(c), self.columnWidth(c), col)
            for c, col in enumerate(model.COLUMNS)
            if not self.isColumnHidden(c) and self.columnWidth(c) > 0
        ]
        height = self.rowHeight(first)
        line = 1 if self.showGrid() else 0  # a cell's own rect leaves its grid lines out
        cell_h = height - line
        width = min(vp.width(), max((x + w for _c, x, w, _col in columns), default=0))
        option = QStyleOptionViewItem()
        option.initFrom(self)  # the palette's colour group: active, inactive or disabled
        palette = option.palette
        selected = self.selectionModel().isRowSelected
        grid = QColor.fromRgba(  # as QTableView reads it
            self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self)
            & 0xFFFFFFFF
        )
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        today = model.today
        p = QPainter(vp)
        metrics = p.fontMetrics()
        text_pen, bright_pen = palette.text().color(), palette.highlightedText().color()
        for r in range(first, last + 1):
            y = self.rowViewportPosition(r)
            row = model.row_at(r)
            chosen = selected(r)
            if chosen:
                p.fillRect(0, y, width, cell_h, palette.highlight())
            elif r % 2 and self.alternatingRowColors():
                p.fillRect(0, y, width, cell_h, palette.alternateBase())
            for c, x, w, col in columns:
                if col.background is not None and not chosen:
                    colour = col.background(row, today)
                    if colour is not None:
                        p.fillRect(x, y, w - line, cell_h, colour)
                text = model.cell_text(row, c)
                if text:
                    p.setPen(bright_pen if chosen else text_pen)
                    room = w - line - 2 * margin
                    if metrics.horizontalAdvance(text) > room:
                        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                    # 1 px above the middle, as Qt's item text sits (the same pixels: tested).
                    p.drawText(
                        x + margin, y - 1, room, cell_h, _RIGHT if col.right else _LEFT, text
                    )
        if self.showGrid():
            p.setPen(grid)
            bottom = self.rowViewportPosition(last) + height
            for r in range(first, last + 1):
                y = self.rowViewportPosition(r) + height - 1
                p.drawLine(0, y, width - 1, y)
            for _c, x, w, _col in columns:
                p.drawLine(x + w - 1, 0, x + w - 1, bottom - 1)
        p.end()

    # ------------------------------------------------------------------ column widths

    def _header_width(self, col: int) -> int:
        title = str(self.model().headerData(col, Qt.Orientation.Horizontal) or "")
        return self._head_metrics.horizontalAdvance(title) + HEAD_PAD

    def _rows_reset(self) -> None:
        """Fit the columns to new rows (``set_rows``), not at each keystroke of a filter."""
        rows = self.source().rows_token
        if rows is not self._fitted_rows:
            self._fitted_rows = rows
            self.fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self._header_pressed = True
        elif kind == QEvent.Type.MouseButtonRelease:
            self._header_pressed = False
        return super().eventFilter(watched, event)

    def _section_resized(self, _col: int, _old: int, _new: int) -> None:
        if (
            not self._fitting
            and self._header_pressed
            and QApplication.mouseButtons() != Qt.MouseButton.NoButton
        ):
            self._auto_fit = False  # the user dragged a column edge: keep their widths

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()

    def natural_widths(self) -> list[int]:
        """Each column's width for its header and the text of the first rows shown."""
        model = self.source()
        metrics = self.fontMetrics()
        rows = [model.row_at(i) for i in range(min(model.rowCount(), FIT_SAMPLE))]
        out = []
        for col in range(model.columnCount()):
            if self.isColumnHidden(col):
                out.append(0)
                continue
            texts = {model.cell_text(r, col) for r in rows}
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            natural = max(self._header_width(col), min(widest + CELL_PAD, MAX_FIT))
            out.append(natural)
        return out

    def fit_columns(self) -> None:
        """Share the table's width between the columns (see the module's docstring)."""
        if not self._auto_fit or not self.source().columnCount():
            return
        natural = self.natural_widths()
        room = self.maximumViewportSize().width()
        body = self.maximumViewportSize().height() - self.horizontalHeader().height()
        always = self.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOn
        if (
            not always
            and self.source().rowCount() * self.verticalHeader().defaultSectionSize() > body
        ):
            room -= self.verticalScrollBar().sizeHint().width()  # (AlwaysOn: taken off already)
        widths = share_width(natural, self._squeezes(), self._floors(natural), room)
        self._fitting = True
        try:
            # Stretching the last column would squeeze it when even the floors overflow.
            self.horizontalHeader().setStretchLastSection(sum(widths) <= room)
            for col, w in enumerate(widths):
                if w:
                    self.setColumnWidth(col, w)
        finally:
            self._fitting = False

    def _squeezes(self) -> list[int]:
        return [WHOLE if c.right else c.squeeze for c in self.source().COLUMNS]

    def _floors(self, natural: Sequence[int]) -> list[int]:
        """A column gives way down to its header's width, never below ``min_fit``."""
        return [min(n, max(self._header_width(c), self._min_fit)) for c, n in enumerate(natural)]

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
        # A clear button that is always there (greyed out when empty): Qt's own fades in and
        # out as the text comes and goes, relaying out the box in the middle of a keystroke.
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton)
        self.clear_action = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        self.clear_action.setToolTip("Clear the filter (Esc)")
        self.clear_action.setEnabled(False)
        self.clear_action.triggered.connect(self.clear)
        self.textChanged.connect(table.source().set_filter)
        self.textChanged.connect(lambda text: self.clear_action.setEnabled(bool(text)))

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
