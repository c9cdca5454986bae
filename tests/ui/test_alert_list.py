"""The dashboard's alert list at a trust's size (#17): a model the view asks for the rows it
shows, with the words, colours and widths the list of items had."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QTreeView

from sencodesk.alerts.alert import Alert, AlertKind
from sencodesk.vocab import Urgency
from ui.models.alerts import AlertModel, AlertTree

TODAY = dt.date(2026, 11, 16)
URGENCIES = (Urgency.OVERDUE, Urgency.THIS_WEEK, Urgency.THIS_HALF_TERM, Urgency.LATER)


def alert(i: int, name: str = "") -> Alert:
    return Alert(
        kind=AlertKind.REVIEW_DUE,
        subject_kind="pupil",
        subject_id=i,
        subject_name=name or f"Pupil {i}",
        title="Annual review overdue",
        detail=f"Was due {i % 28 + 1:02d}/01/2026; no meeting booked" if i % 5 else "",
        due=TODAY + dt.timedelta(days=i % 40),
        act_by=TODAY + dt.timedelta(days=(i * 7) % 90 - 45),
    )


def tree_of(qtbot: Any, alerts: list[tuple[Urgency, Alert]]) -> tuple[AlertTree, AlertModel]:
    tree = AlertTree()
    model = AlertModel(tree)
    tree.setModel(model)
    tree.setUniformRowHeights(True)
    tree.resize(1000, 300)
    qtbot.addWidget(tree)
    bold = QFont(tree.font())
    bold.setBold(True)
    model.set_alerts(alerts, bold)
    for g, group in enumerate(model.groups):
        tree.setExpanded(model.index(g, 0), group.starts_open)
    tree.show()
    qtbot.waitExposed(tree)
    return tree, model


def test_only_the_rows_shown_have_their_words_made(qtbot: Any) -> None:
    alerts = [(URGENCIES[i % 4], alert(i)) for i in range(3500)]
    tree, model = tree_of(qtbot, alerts)
    tree.grab()
    made = sum(w is not None for group in model.groups for w in group._words)
    shown = tree.viewport().height() // tree.sizeHintForRow(0) + 1
    assert 0 < made <= shown, (made, shown)  # before: 3,500 items built before the first paint
    # Scrolled to the end: the rows there, and still not the thousands between.
    tree.scrollToBottom()
    tree.grab()
    made = sum(w is not None for group in model.groups for w in group._words)
    assert made <= 2 * shown, made


def test_the_rows_read_as_the_items_did(qtbot: Any) -> None:
    alerts = [(URGENCIES[i % 4], alert(i)) for i in range(60)]
    alerts += [(Urgency.LATER, alert(1000 + i)) for i in range(5)]  # Later: 20 > 15, folded
    tree, model = tree_of(qtbot, alerts)
    heads = [model.index(g, 0) for g in range(4)]
    assert [h.data() for h in heads] == [
        "Overdue (15)",
        "This week (15)",
        "This half-term (15)",
        "Later (20)",
    ]
    assert [tree.isExpanded(h) for h in heads] == [True, True, True, False]
    assert all(h.data(Qt.ItemDataRole.FontRole).bold() for h in heads)
    colour = [h.data(Qt.ItemDataRole.ForegroundRole) for h in heads]
    assert [c.color() if c else None for c in colour] == [
        QColor("#9b0015"),
        QColor("#8a4b00"),
        None,
        None,
    ]
    assert all(h.siblingAtColumn(c).data() is None for h in heads for c in (1, 2, 3))
    overdue = [model.index(r, 0, heads[0]) for r in range(15)]
    acts = [model.alert(i).act_by for i in overdue]
    assert acts == sorted(acts)  # soonest act-by first
    first = model.alert(overdue[0])
    cells = [overdue[0].siblingAtColumn(c).data() for c in range(4)]
    assert cells == [
        f"Annual review overdue – {first.subject_name}",
        first.act_by.strftime("%d/%m/%Y"),
        first.due.strftime("%d/%m/%Y"),
        first.detail,
    ]
    assert overdue[0].data(Qt.ItemDataRole.ToolTipRole) == cells[0]
    assert overdue[0].siblingAtColumn(3).data(Qt.ItemDataRole.ToolTipRole) == cells[3]
    assert overdue[0].data(Qt.ItemDataRole.UserRole) == first
    red = overdue[0].siblingAtColumn(1).data(Qt.ItemDataRole.ForegroundRole)
    assert red.color() == QColor("#9b0015")
    assert (
        model.index(0, 0, heads[2]).siblingAtColumn(1).data(Qt.ItemDataRole.ForegroundRole) is None
    )
    assert model.alert(heads[0]) is None and model.parent(overdue[0]) == heads[0]
    assert model.parent(heads[0]) == QModelIndex()


def test_what_is_as_wide_as_qt_sizes_its_widest_line(qtbot: Any) -> None:
    alerts = [(URGENCIES[i % 4], alert(i)) for i in range(200)]
    alerts.append((Urgency.THIS_WEEK, alert(999, "Wolstenholme-Abercrombie Wwwwwwww")))
    alerts.append(
        (Urgency.LATER, alert(998, "Wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww"))
    )  # folded
    tree, _model = tree_of(qtbot, alerts)
    qt_own = QTreeView.sizeHintForColumn(tree, 0)  # Qt's: every row's delegate (under 1,000)
    assert tree.what_width() == qt_own
    assert tree.sizeHintForColumn(0) == qt_own
    # The folded group's very long line counts only once its group is open.
    tree.setExpanded(tree.model().index(3, 0), True)
    assert tree.what_width() == QTreeView.sizeHintForColumn(tree, 0) > qt_own
    # Up to a limit: the search may stop at the first line that wide, never below it.
    assert tree.what_width(up_to=qt_own - 50) >= qt_own - 50
    tree.setExpanded(tree.model().index(3, 0), False)
    assert tree.what_width(up_to=qt_own + 50) == qt_own


def test_the_summary_takes_its_colour_from_its_new_name(qtbot: Any) -> None:
    """``restyle``: as ``style().unpolish/polish`` (the same pixels), without the first
    ``style()`` call on the way to the first page's data."""
    from PySide6.QtWidgets import QLabel

    from ui.pages.dashboard import restyle

    def label() -> QLabel:
        it = QLabel("2 overdue, 1 this week")
        qtbot.addWidget(it)
        it.show()
        qtbot.waitExposed(it)
        return it

    ours, theirs = label(), label()
    for name, colour in (("summaryBad", "#b00020"), ("summaryGood", "#1d6b34")):
        ours.setObjectName(name)
        restyle(ours)
        theirs.setObjectName(name)
        theirs.style().unpolish(theirs)
        theirs.style().polish(theirs)
        assert ours.palette().windowText().color() == QColor(colour) and ours.font().bold()
        assert ours.grab().toImage() == theirs.grab().toImage()


def test_no_index_for_a_row_or_column_not_there(qtbot: Any) -> None:
    """An exception in ``data()`` for a row not there would end the app (PySide6 6.11
    crashes reporting it): the model gives no such index."""
    model = AlertModel()
    assert not model.index(0, 0).isValid()  # nothing yet: Qt asks for (0, 0) regardless
    model.set_alerts([(Urgency.OVERDUE, alert(1)), (Urgency.LATER, alert(2))], QFont())
    overdue = model.index(0, 0)
    assert overdue.isValid() and model.rowCount(overdue) == 1
    assert model.index(0, 0, overdue).isValid() and not model.index(1, 0, overdue).isValid()
    assert not model.index(4, 0).isValid() and not model.index(0, 4).isValid()
    assert not model.index(0, 0, model.index(0, 0, overdue)).isValid()  # an alert has no rows


def test_the_alert_model_passes_qtmodeltester(qtbot: Any, qtmodeltester: Any) -> None:
    """A tree model (groups, their alerts): Qt's model tester checks its parents, children,
    rows and data, through a reload to fewer and to no alerts."""
    model = AlertModel()  # no parent: the tester outlives any view (it disconnects last)
    bold = QFont()
    bold.setBold(True)
    model.set_alerts([(URGENCIES[i % 4], alert(i)) for i in range(40)], bold)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    model.set_alerts([(Urgency.LATER, alert(i)) for i in range(3)], bold)
    model.set_alerts([], bold)
    assert model.rowCount() >= 0
