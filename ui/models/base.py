"""A thin table model over a list of frozen rows (Anki's browser table / Vorta's habit).

Subclasses give ``COLUMNS`` (and ``COL_*`` indices into it). Rows come in through one
``set_rows()``. Sorting sorts the Python list with each column's key (a proxy with a Python
``lessThan`` calls ``data()`` millions of times on 20,000 rows); filtering matches a folded
search key computed once per row, and narrows the previous result while the user types on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from sencodesk.rules.text import padded_key, search_needles

Index = QModelIndex | QPersistentModelIndex

RED_BG = QColor("#fbd5d5")
AMBER_BG = QColor("#fdecc8")
GREEN_BG = QColor("#d6f0dc")
RED_FG = QColor("#9b0015")

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

# data() runs for every role of every visible cell at each paint (about 2,000 calls when a
# keystroke refilters the 20,000-pupil list): compare plain ints, not Qt enum members.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ACCESSIBLE_TEXT = int(Qt.ItemDataRole.AccessibleTextRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ROW = int(ROW_ROLE)
_ID = int(ID_ROLE)
_ALIGN_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_ALIGN_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


# How readily a column gives up width when a table is too narrow for all its text (the
# view elides the text, and the tooltip shows it whole).
WHOLE = 0  # never cut: dates, times, money, hours, codes (a cut one misleads)
AS_NEEDED = 1  # names and labels: cut only when the free text alone cannot make the room
FIRST = 2  # free text (notes, lists of names): cut first


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any] | None = None
    right: bool = False
    background: Callable[[Any, dt.date], QColor | None] | None = None  # (row, today)
    tooltip: Callable[[Any], str] | None = None  # default: the cell's text, when it is long
    header_tip: str = ""  # what the column title means, when the title alone is short
    squeeze: int = AS_NEEDED  # WHOLE, AS_NEEDED or FIRST (right-aligned ones stay WHOLE)


def _sort_key(value: Any) -> tuple[int, Any]:
    """None (and "") sort after everything else, whatever their neighbours' type."""
    return (1, 0) if value is None or value == "" else (0, value)


def row_search_key(row: Any, columns: Sequence[Column]) -> str:
    """A row's search key: the one it folds itself (``search_key``), else its cells' text
    folded, padded as ``padded_key`` pads it. Plain Python: a load op can make the keys on the
    worker (:class:`KeyedRows`)."""
    key = getattr(row, "search_key", None)
    if isinstance(key, str):
        return f" {key} "  # (folded by the row) padded, as ``padded_key`` does
    return padded_key(" ".join(c.text(row) for c in columns))


class KeyedRows(list[Any]):
    """A load op's rows with their search keys made beside them, off the GUI thread
    (:meth:`RowTableModel.keyed`): ``set_rows`` takes the keys as they are. Folding the keys
    of 20,000 pupils took about 80 ms, and the GUI thread did it at every reload (#17)."""

    def __init__(self, rows: Sequence[Any], keys: Sequence[str], model: type) -> None:
        super().__init__(rows)
        if len(keys) != len(self):
            raise ValueError("a search key for each row")
        self.keys = list(keys)
        self.model = model  # whose rule made the keys


class RowTableModel(QAbstractTableModel):
    COLUMNS: ClassVar[Sequence[Column]] = ()
    # The columns a SENCO acts on: in view without scrolling sideways, even at 1024x768
    # (tests/ui/test_layout.py). Put them first; the details after them may scroll.
    KEY_COLUMNS: ClassVar[tuple[int, ...]] = (0,)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Any] = []
        self._keys: list[str] = []
        self._visible: list[int] = []  # indices into _all
        self._filter = ""
        self._found: dict[str, list[int]] = {}  # filter text -> its rows (since set_rows/sort)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._texts: dict[int, tuple[str, ...]] = {}  # id(row) -> its cells' text, once shown
        self.rows_token: object = object()  # a new one at each set_rows (views refit then)
        self.today = dt.date.today()  # for colours that depend on the date (pages set it)

    # ------------------------------------------------------------------ rows

    def search_key(self, row: Any) -> str:
        return row_search_key(row, self.COLUMNS)

    @classmethod
    def keyed(cls, rows: Sequence[Any]) -> KeyedRows:
        """The rows with their search keys, made where this is called (a load op, on the
        worker) by this model's rule; ``set_rows`` then only takes them."""
        if cls.search_key is not RowTableModel.search_key:
            raise TypeError(f"{cls.__name__} has its own search_key: keyed() would not use it")
        return KeyedRows(rows, [row_search_key(r, cls.COLUMNS) for r in rows], cls)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._texts = {}
        self.rows_token = object()
        given = isinstance(rows, KeyedRows) and rows.model is type(self)
        keys = rows.keys if given else None  # type: ignore[attr-defined]
        if self._sort is not None:
            key, n = self._column_key(*self._sort), len(self._all)
            order = sorted(range(n), key=lambda i: key(self._all[i]), reverse=self._reverse())
            self._all = [self._all[i] for i in order]
            if keys is not None:
                keys = [keys[i] for i in order]
        self._keys = keys if keys is not None else [self.search_key(r) for r in self._all]
        self._found = {}
        self._visible = self._matching(range(len(self._all)), self._filter)
        self.endResetModel()

    @property
    def rows(self) -> list[Any]:
        """The rows shown, in order."""
        return [self._all[i] for i in self._visible]

    @property
    def all_rows(self) -> list[Any]:
        return list(self._all)

    @property
    def total_rows(self) -> int:
        """How many rows there are, shown or filtered out."""
        return len(self._all)

    def row_at(self, index: Index | int) -> Any:
        r = index if isinstance(index, int) else index.row()
        return self._all[self._visible[r]]

    def row_of_id(self, row_id: int) -> int:
        """The visible row number of the row whose ``id`` is ``row_id``, or -1."""
        for n, i in enumerate(self._visible):
            if getattr(self._all[i], "id", None) == row_id:
                return n
        return -1

    # ------------------------------------------------------------------ filtering

    def set_filter(self, text: str) -> None:
        """Show the rows whose search key contains every needle of ``text`` (both folded: no
        case, accents or punctuation, so "oneill" finds O'Neill and "wisn" Wiśniewski; a
        year group and a SEN code are whole words, so "year 6 E" finds Year 6 pupils on an
        EHC plan: ``rules.text.search_needles``). The filter is kept as its needles, one a
        line."""
        new = "\n".join(search_needles(text))
        if new == self._filter:
            return
        found = self._found
        if self._filter:
            found.pop(self._filter, None)
            found[self._filter] = self._visible  # (last: the newest are kept)
        visible = found.pop(new, None)  # typed before: Backspace brings it straight back
        if visible is None:
            # Search the fewest rows that must hold every match: those of an earlier filter
            # whose every word is part of the new text (typing on narrows; so does a word
            # added), else all of them.
            source: Sequence[int] | range = range(len(self._all))
            for old, rows in found.items():
                if len(rows) < len(source) and all(
                    any(w in n for n in new.split("\n")) for w in old.split("\n")
                ):
                    source = rows
            visible = self._matching(source, new)
        while len(found) > 32:  # the texts typed lately (each at most a list of ints)
            del found[next(iter(found))]
        self.beginResetModel()
        self._filter = new
        self._visible = visible
        self.endResetModel()

    def _matching(self, source: Sequence[int] | range, text: str) -> list[int]:
        if not text:
            return list(source)
        keys = self._keys
        # One word at a time, the longest (most telling) first: each pass is a plain
        # substring test and the later ones look at fewer rows.
        first, *rest = sorted(text.split("\n"), key=len, reverse=True)
        found = [i for i in source if first in keys[i]]
        for w in rest:
            found = [i for i in found if w in keys[i]]
        return found

    # ------------------------------------------------------------------ sorting

    def _column_key(self, column: int, _order: Qt.SortOrder) -> Callable[[Any], Any]:
        col = self.COLUMNS[column]
        fn = col.key or col.text
        return lambda row: _sort_key(fn(row))

    def _reverse(self) -> bool:
        return self._sort is not None and self._sort[1] == Qt.SortOrder.DescendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_rows = [self._visible[i.row()] if i.isValid() else -1 for i in old_persistent]
        self._sort = (column, order)
        key = self._column_key(column, order)
        reverse = order == Qt.SortOrder.DescendingOrder
        order_all = sorted(range(len(self._all)), key=lambda i: key(self._all[i]), reverse=reverse)
        position = {old: new for new, old in enumerate(order_all)}
        self._all = [self._all[i] for i in order_all]
        self._keys = [self._keys[i] for i in order_all]
        self._found = {}
        visible = sorted(position[i] for i in self._visible)
        self._visible = visible
        where = {a: n for n, a in enumerate(visible)}
        new_indexes = []
        for idx, old in zip(old_persistent, old_rows, strict=True):
            if old < 0:
                new_indexes.append(QModelIndex())
            else:
                new_indexes.append(self.index(where[position[old]], idx.column()))
        self.changePersistentIndexList(old_persistent, new_indexes)
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole and self.COLUMNS[section].right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.COLUMNS[section].header_tip or None
        return None

    def cell_text(self, row: Any, column: int) -> str:
        """The text of one cell, worked out once per row (rows are frozen)."""
        texts = self._texts.get(id(row))
        if texts is None:
            texts = tuple(c.text(row) for c in self.COLUMNS)
            self._texts[id(row)] = texts
        return texts[column]

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        role = int(role)
        if role in (_DISPLAY, _ACCESSIBLE_TEXT):
            return self.cell_text(self._all[self._visible[index.row()]], index.column())
        if role == _ALIGNMENT:
            return _ALIGN_RIGHT if self.COLUMNS[index.column()].right else _ALIGN_LEFT
        if role == _BACKGROUND:
            background = self.COLUMNS[index.column()].background
            if background is None:
                return None
            colour = background(self._all[self._visible[index.row()]], self.today)
            return QBrush(colour) if colour is not None else None
        if role == _TOOLTIP:  # the whole text of a cell too narrow for it
            tooltip = self.COLUMNS[index.column()].tooltip
            row = self._all[self._visible[index.row()]]
            if tooltip is not None:
                return tooltip(row) or None
            text = self.cell_text(row, index.column())
            return text if len(text) > 14 else None
        if role == _ROW:
            return self._all[self._visible[index.row()]]
        if role == _ID:
            return getattr(self._all[self._visible[index.row()]], "id", None)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
