"""Columns fit their text: free text gives way first, dates and money never."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ui.models.base import AS_NEEDED, FIRST, WHOLE, Column, RowTableModel
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
    # Not enough whatever: each keeps its width and the table scrolls sideways.
    assert share_width(natural, squeeze, floor, 250) == natural


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


def test_a_narrow_table_cuts_the_notes_not_the_date(qtbot):
    from ui.widgets.table import Table

    model = Model()
    table = Table(model, "Test")
    qtbot.addWidget(table)
    table.resize(420, 300)
    table.show()
    model.set_rows([Row(1, "Franciszek Wiśniewski", dt.date(2025, 11, 12), "word " * 80)])
    metrics = table.fontMetrics()
    assert table.columnWidth(1) > metrics.horizontalAdvance("12/11/2025")
    assert table.columnWidth(0) > metrics.horizontalAdvance("Franciszek Wiśniewski")
    assert table.columnWidth(2) < metrics.horizontalAdvance("word " * 80)
    assert not table.horizontalScrollBar().isVisible()
