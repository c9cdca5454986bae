"""The timeline at a trust's size (#17): hundreds of lanes in a scroll area, of which about ten
show. A paint draws the lanes its rect meets, and what is under the pointer (a click, a
tooltip, ``bar_point``) comes from the same geometry of that one lane, painted or not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QToolTip

from sencodesk.queries.timeline import Bar, Lane, RedStretch
from ui.widgets.timeline import FUNDING, HEADER_H, LANE_H, RED, TimelineWidget

TODAY = dt.date(2026, 11, 16)
START = TODAY - dt.timedelta(days=30)
END = START + dt.timedelta(days=365)
LANES = 600


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def lane(i: int) -> Lane:
    return Lane(
        pupil_id=1000 + i,
        pupil_name=f"Pupil {i:03d}",
        funding=(Bar("funding", day(10), day(200), "Element 3", "pupil", 1000 + i),),
        contracts=(Bar("contract", day(5), day(250), f"LSA {i}", "staff", 5000 + i),),
        reviews=(day(100),),
        red=(RedStretch(day(201), day(250), "Contract outlives funding", "staff", 5000 + i),),
    )


class Watched:
    """A lane that notes each time its bars are read: which lanes a paint looked at."""

    def __init__(self, inner: Lane, seen: set[int]) -> None:
        self._inner, self._seen = inner, seen

    def __getattr__(self, name: str) -> Any:
        if name == "funding":
            self._seen.add(self._inner.pupil_id - 1000)
        return getattr(self._inner, name)


def timeline_in_scroll(qtbot: Any) -> tuple[QScrollArea, TimelineWidget]:
    """As on the dashboard: the timeline in a resizable scroll area, waiting for its lanes."""
    tl = TimelineWidget()
    tl.waiting = True
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(tl)
    scroll.resize(1000, 500)
    qtbot.addWidget(scroll)
    scroll.show()
    qtbot.waitExposed(scroll)
    return scroll, tl


def in_view(scroll: QScrollArea) -> range:
    """The lanes the viewport shows, wholly or in part."""
    top = scroll.verticalScrollBar().value()
    bottom = top + scroll.viewport().height() - 1
    return range(max((top - HEADER_H) // LANE_H, 0), (bottom - HEADER_H) // LANE_H + 1)


def scroll_to(scroll: QScrollArea, i: int) -> None:
    """Lane ``i`` near the top of the view, without letting a paint happen first: the layout
    requests only (the scroll area learns the timeline's new height), not the paints."""
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    scroll.verticalScrollBar().setValue(HEADER_H + i * LANE_H - 60)


def test_a_paint_draws_only_the_lanes_in_view(qtbot: Any) -> None:
    scroll, tl = timeline_in_scroll(qtbot)
    seen: set[int] = set()
    tl.set_lanes([Watched(lane(i), seen) for i in range(LANES)], START, END, TODAY)
    scroll_to(scroll, 300)
    seen.clear()
    image = scroll.viewport().grab().toImage()
    shown = in_view(scroll)
    assert 300 in shown and len(shown) <= 12
    # Only the lanes in view were looked at and painted (before: all 600, on every paint).
    assert seen and seen <= set(shown), sorted(seen)
    assert tl.painted == shown
    # ...and they were painted: each one's funding bar and red stretch, where the geometry says.
    offset = scroll.verticalScrollBar().value()
    for i in shown:
        if HEADER_H + i * LANE_H - offset < 0:
            continue  # the lane cut by the top edge: its bars are above the view
        for mark in tl.marks(i):
            colour = {"funding": FUNDING, "red": RED}.get(mark.kind)
            if colour is not None:  # the bar's right end: clear of the words on it
                x, y = int(mark.rect.right()) - 3, int(mark.rect.center().y()) - offset
                if y >= image.height():
                    continue  # the lane cut by the bottom edge
                assert QColor(image.pixel(x, y)) == colour, (i, mark.kind)


def test_a_click_on_lane_550_after_scrolling_opens_that_pupil_or_its_lsa(qtbot: Any) -> None:
    scroll, tl = timeline_in_scroll(qtbot)
    clicks: list[tuple[str, int]] = []
    tl.clicked.connect(lambda kind, target: clicks.append((kind, target)))
    tl.set_lanes([lane(i) for i in range(LANES)], START, END, TODAY)
    scroll_to(scroll, 550)
    # At once, before any paint of these lanes (before: found only in the last paint's marks).
    name = QPointF(40, HEADER_H + 550 * LANE_H + LANE_H / 2)
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=name.toPoint())
    assert clicks == [("pupil", 1550)] and tl.current == 550
    # Painted now: the view shows lane 550 and its red stretch opens the LSA's contract.
    qtbot.waitUntil(lambda: 550 in tl.painted)
    red = tl.bar_point(1551, "red")
    assert red is not None
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=red.toPoint())
    assert clicks[-1] == ("staff", 5551) and tl.current == 551
    funding = tl.bar_point(1551, "funding")
    assert funding is not None and tl.hit(funding) == (
        "pupil",
        1551,
        f"Funding: Element 3, {day(10):%d/%m/%Y} to {day(200):%d/%m/%Y}",
    )


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip's window
def test_a_tooltip_on_lane_550(qtbot: Any) -> None:
    scroll, tl = timeline_in_scroll(qtbot)
    tl.set_lanes([lane(i) for i in range(LANES)], START, END, TODAY)
    scroll_to(scroll, 550)
    red = tl.bar_point(1550, "red")
    assert red is not None

    def hover(point: QPointF) -> str:
        at = tl.mapToGlobal(point)
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            point,
            at,
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(tl, move)
        return QToolTip.text() if QToolTip.isVisible() else ""

    expected = lane(550).red[0].tooltip
    assert hover(red) == expected  # at once, as the lanes arrive
    qtbot.waitUntil(lambda: 550 in tl.painted)
    assert hover(red) == expected
    review = tl.bar_point(1550, "review")
    assert review is not None
    assert hover(review) == f"Review {day(100):%d/%m/%Y}"
    QToolTip.hideText()


def test_keyboard_reaches_a_far_lane_and_it_is_painted(qtbot: Any) -> None:
    scroll, tl = timeline_in_scroll(qtbot)
    tl.lane_changed.connect(lambda y, h: scroll.ensureVisible(0, y + h // 2, 0, h // 2 + 30))
    opened: list[tuple[str, int]] = []
    tl.clicked.connect(lambda kind, target: opened.append((kind, target)))
    tl.set_lanes([lane(i) for i in range(LANES)], START, END, TODAY)
    assert tl.accessibleDescription().startswith(f"{LANES} pupils; {LANES} with a red stretch")
    tl.setFocus()
    qtbot.waitUntil(tl.hasFocus)
    tl.current = 545
    for _ in range(5):
        qtbot.keyClick(tl, Qt.Key.Key_Down)
    assert tl.current == 550
    qtbot.waitUntil(lambda: 550 in tl.painted)
    assert 550 in in_view(scroll) and len(tl.painted) <= 12
    qtbot.keyClick(tl, Qt.Key.Key_Return)
    assert opened == [("pupil", 1550)]
    qtbot.keyClick(tl, Qt.Key.Key_Up)
    assert tl.current == 549
