"""Columns fit their text: free text gives way first, dates and money never."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ui.models.base import AS_NEEDED, FIRST, RED_BG, WHOLE, Column, RowTableModel
from ui.models.common import date_col
from ui.widgets.table import share_width


def test_all_fit_the_spare_goes_to_long_free_text_or_nowhere():
    assert share_width([100, 80], [AS_NEEDED, WHOLE], [100, 80], 300) == [100, 80]
    assert share_width([100, 380], [AS_NEEDED, FIRST], [100, 110], 600) == [100, 500]


def test_free_text_gives_way_before_names_and_dates_never():
    natural, squeeze = [200, 90, 300], [AS_NEEDED, WHOLE, FIRST]
    floor = [110, 90, 110]
    assert share_width(natural, squeeze, floor, 450) == [200, 90, 160]
    # Not enough even with the notes at their floor: the name gives way too.
    assert share_width(natural, squeeze, floor, 350) == [150, 90, 110]
    # Not enough whatever: the names and notes stay at their floors (what comes first stays
    # in view) and the table scrolls sideways.
    assert share_width(natural, squeeze, floor, 250) == [110, 90, 110]


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    when: dt.date
    notes: str


class Model(RowTableModel):
    COLUMNS = (
        Column("Name", lambda r: r.name),
        date_col("When", lambda r: r.when),
        Column("Notes", lambda r: r.notes, squeeze=FIRST),
    )


def shown_table(qtbot, model: RowTableModel, width: int, height: int, rows: list):
    """A Table of ``model`` on screen at ``width`` x ``height``, with ``rows`` in it."""
    from ui.widgets.table import Table

    table = Table(model, type(model).__name__)
    qtbot.addWidget(table)
    table.resize(width, height)
    table.show()
    model.set_rows(rows)
    return table


def test_a_narrow_table_cuts_the_notes_not_the_date(qtbot):
    model = Model()
    table = shown_table(
        qtbot,
        model,
        420,
        300,
        [Row(1, "Franciszek Wiśniewski", dt.date(2025, 11, 12), "word " * 80)],
    )
    metrics = table.fontMetrics()
    assert table.columnWidth(1) > metrics.horizontalAdvance("12/11/2025")
    assert table.columnWidth(0) > metrics.horizontalAdvance("Franciszek Wiśniewski")
    assert table.columnWidth(2) < metrics.horizontalAdvance("word " * 80)
    assert not table.horizontalScrollBar().isVisible()


def test_a_column_edge_dragged_on_the_header_keeps_its_width(qtbot):
    """A press on the header, then a column resized: the user's width stays through a
    resize of the table (the columns are no longer fitted for them)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    model = Model()
    rows = [Row(1, "Franciszek Wiśniewski", dt.date(2025, 11, 12), "word " * 80)]
    table = shown_table(qtbot, model, 600, 300, rows)
    head = table.horizontalHeader().viewport()
    QTest.mousePress(head, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    table.setColumnWidth(0, 300)  # as a drag of the first column's edge does
    QTest.mouseRelease(
        head, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5)
    )
    table.resize(700, 300)
    qtbot.wait(10)
    assert table.columnWidth(0) == 300


class Paid(RowTableModel):
    """Text, a right-aligned amount, a cell colour from the row, long text to elide."""

    COLUMNS = (
        Column("Name", lambda r: r.name),
        date_col("When", lambda r: r.when),
        Column("Amount", lambda r: f"£{r.id * 1234.5:,.2f}", right=True),
        Column(
            "Notes",
            lambda r: r.notes,
            squeeze=FIRST,
            background=lambda r, _today: RED_BG if r.id % 3 == 0 else None,
        ),
    )


class Coloured(Paid):
    """A model with its own data(): Qt's painting must ask it (its colours are not in
    COLUMNS)."""

    def data(self, index, role=0):
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QBrush, QColor

        if int(role) == int(Qt.ItemDataRole.ForegroundRole.value):
            return QBrush(QColor("#c00000"))
        return super().data(index, role)


def _painted(table, fast: bool):
    table.fast_paint = fast
    table.viewport().repaint()
    return table.viewport().grab().toImage()


def _rows(n: int) -> list[Row]:
    names = ["Zoë Ní Bhriain", "Kabir Ahmed", "Franciszek Wiśniewski", "Mia Cole"]
    return [
        Row(i, names[i % 4], dt.date(2025, 11, 12) + dt.timedelta(days=i), "note " * (i % 40))
        for i in range(1, n + 1)
    ]


def test_the_fast_painter_draws_what_qt_draws(qtbot, monkeypatch):
    """Table paints a plain RowTableModel's cells itself (a keystroke of the filter was
    mostly PySide asking data() seven times a cell). Pixel for pixel it must be what Qt's own
    painting draws: selection, alternate rows, cell colours, alignment, eliding, grid."""
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from ui.widgets.table import Table

    calls = []
    plain_data = RowTableModel.data

    def counted(self, index, role=0):
        calls.append(role)
        return plain_data(self, index, role)

    monkeypatch.setattr(RowTableModel, "data", counted)
    box = QWidget()
    qtbot.addWidget(box)
    model = Paid()
    table = Table(model, "Paid")
    filter_box = QLineEdit()  # the keyboard is here, as when typing a filter
    lay = QVBoxLayout(box)
    lay.addWidget(filter_box)
    lay.addWidget(table)
    box.resize(700, 440)
    box.show()
    model.set_rows(_rows(60))
    table.selectRow(2)
    table.setColumnWidth(3, 120)  # the notes elide
    filter_box.setFocus()
    qtbot.waitUntil(lambda: filter_box.hasFocus() and not table.hasFocus())
    calls.clear()
    fast = _painted(table, True)
    asked_fast = len(calls)
    qt = _painted(table, False)
    assert asked_fast == 0 and len(calls) > 100  # the fast painter did paint
    assert fast.size() == qt.size()
    assert fast == qt
    # ... and it draws something: the selection's colour is there.
    highlight = table.palette().highlight().color().rgb()
    assert any(fast.pixel(x, y) == highlight for x in range(5, 50) for y in range(0, 120))
    # Scrolled sideways and down, and with a filter: still the same pixels.
    table.horizontalScrollBar().setValue(60)
    table.verticalScrollBar().setValue(7)
    model.set_filter("mia")
    qtbot.wait(10)
    assert _painted(table, True) == _painted(table, False)


def test_a_model_with_its_own_data_is_painted_by_qt(qtbot):
    table = shown_table(qtbot, Coloured(), 700, 300, _rows(10))
    qtbot.wait(10)
    image = _painted(table, True)  # asks for the fast painter, gets Qt's: the red text shows
    red = QColor("#c00000").rgb()
    assert any(image.pixel(x, y) == red for x in range(0, 200) for y in range(0, 60))
    assert image == _painted(table, False)
