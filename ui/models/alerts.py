"""The dashboard's alerts as a tree: a head row per urgency ("Overdue (2425)") with its alerts
under it, soonest act-by date first. A model, not a tree of items: a trust of 20,000 pupils
has 3,500 alerts and a screenful shows, so a row's words are made when the view first asks
for them (#17), not 3,500 items built before the first paint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QTreeView, QWidget

from sencodesk.vocab import URGENCY_LABELS, Urgency

from .. import format as fmt

Index = QModelIndex | QPersistentModelIndex

GROUPS = tuple((Urgency(key), label) for key, label in URGENCY_LABELS.items())
GROUP_COLOURS = {Urgency.OVERDUE: QColor("#9b0015"), Urgency.THIS_WEEK: QColor("#8a4b00")}
HEADERS = ("What", "Act by", "Due", "Detail")
ALERT_ROLE = Qt.ItemDataRole.UserRole  # an alert row's alert (column 0)
FOLDED_OVER = 15  # "Later" starts folded when it has more alerts than this

# data() runs for every role of every cell shown: compare plain ints, not Qt enum members.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_ALERT = int(ALERT_ROLE.value)
_HEAD = 0  # a head row's internal id; an alert row's is its group's number + 1
# No flags(): Qt's own (enabled, selectable) costs no call into Python for each of the
# thousands of rows the view lays out.


def _act_by_order(alert: Any) -> dt.date:
    return alert.act_by or alert.due or dt.date.max


class Group:
    """One urgency's head and its alerts, with each row's words once made."""

    def __init__(self, urgency: Urgency, label: str, alerts: list[Any]) -> None:
        self.urgency = urgency
        self.alerts = sorted(alerts, key=_act_by_order)
        self.title = f"{label} ({len(self.alerts)})"
        self.brush = QBrush(GROUP_COLOURS[urgency]) if urgency in GROUP_COLOURS else None
        self.whats = [
            f"{a.title} – {a.subject_name}" if a.subject_name else a.title for a in self.alerts
        ]
        self._words: list[tuple[str, str, str, str] | None] = [None] * len(self.alerts)

    def words(self, row: int) -> tuple[str, str, str, str]:
        """An alert row's four cells: what (with whom), act by, due, the detail."""
        got = self._words[row]
        if got is None:
            a = self.alerts[row]
            got = (self.whats[row], fmt.date(a.act_by), fmt.date(a.due), a.detail or "")
            self._words[row] = got
        return got

    @property
    def starts_open(self) -> bool:
        return self.urgency != Urgency.LATER or len(self.alerts) <= FOLDED_OVER


class AlertModel(QAbstractItemModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[Group] = []
        self.bold = QFont()  # the heads' font: the view's, bold

    def set_alerts(self, grouped: Iterable[tuple[Urgency, Any]], bold: QFont) -> None:
        """``grouped``: (urgency, alert) pairs, as ``DashboardData.alerts``."""
        by_group: dict[Urgency, list[Any]] = {key: [] for key, _ in GROUPS}
        for key, alert in grouped:
            by_group[key].append(alert)
        self.beginResetModel()
        self.bold = bold
        self.groups = [Group(key, label, by_group[key]) for key, label in GROUPS]
        self.endResetModel()

    def alert(self, index: Index) -> Any:
        """The alert of an alert row, or None (a head row)."""
        group = index.internalId()
        return self.groups[group - 1].alerts[index.row()] if index.isValid() and group else None

    # ------------------------------------------------------------------ the model

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Only rows and columns there are: Qt may ask for (0, 0) of an empty list, and an
        # exception in data() there would end the app.
        if not 0 <= column < len(HEADERS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _HEAD) if row < len(self.groups) else QModelIndex()
        g = parent.row()
        if parent.internalId() != _HEAD or row >= len(self.groups[g].alerts):
            return QModelIndex()
        return self.createIndex(row, column, g + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        group = index.internalId()
        return QModelIndex() if group == _HEAD else self.createIndex(group - 1, 0, _HEAD)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == _HEAD and parent.column() == 0:
            return len(self.groups[parent.row()].alerts)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        gid, row, col = index.internalId(), index.row(), index.column()
        if gid == _HEAD:
            if col != 0:
                return None
            head = self.groups[row]
            if role == _DISPLAY:
                return head.title
            if role == _FONT:
                return self.bold
            if role == _FOREGROUND:
                return head.brush
            return None
        group = self.groups[gid - 1]
        if role == _DISPLAY:
            return group.words(row)[col]
        if role == _TOOLTIP:
            return group.words(row)[col] if col in (0, 3) else None
        if role == _FOREGROUND:
            return group.brush if col == 1 else None
        if role == _ALERT and col == 0:
            return group.alerts[row]
        return None


class AlertTree(QTreeView):
    """The tree the alerts are shown in. Sizing "What" to its contents asks Qt's delegate about
    the widest lines only, not a thousand rows through ``data()`` (about 40 ms at 3,500)."""

    def sizeHintForColumn(self, column: int) -> int:  # noqa: N802 - Qt override
        if column != 0 or not isinstance(self.model(), AlertModel):
            return super().sizeHintForColumn(column)
        return self.what_width()

    def what_width(self, up_to: int | None = None) -> int:
        """How wide "What" must be for its widest line: a head's, or an alert's in an open
        group, as Qt's delegate sizes it, with the line's indentation. With ``up_to``, the
        first line found as wide ends the search (the caller gives no more than that).
        Lines are measured longest first, and only those near the widest so far ask the
        delegate (a line's width grows with its text's, give or take Qt's rounding)."""
        model = self.model()
        assert isinstance(model, AlertModel)
        self.ensurePolished()
        fm = QFontMetrics(self.font())
        root = 1 if self.rootIsDecorated() else 0
        step = self.indentation()
        widest = -1
        lines: list[tuple[str, QModelIndex, int]] = []  # (text, its group's head, row)
        for g, group in enumerate(model.groups):
            head = model.index(g, 0)
            widest = max(widest, self.sizeHintForIndex(head).width() + step * root)
            if self.isExpanded(head):
                lines.extend((what, head, r) for r, what in enumerate(group.whats))
        lines.sort(key=lambda line: len(line[0]), reverse=True)
        most = -1  # the widest text so far
        for what, head, row in lines:
            if up_to is not None and widest >= up_to:
                break
            advance = fm.horizontalAdvance(what)
            if advance < most - 2:
                continue
            most = max(most, advance)
            hint = self.sizeHintForIndex(model.index(row, 0, head)).width()
            widest = max(widest, hint + step * (1 + root))
        return widest
