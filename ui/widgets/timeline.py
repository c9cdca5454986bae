"""The 12-month timeline, painted with QPainter: a lane per pupil with their funding (blue),
their LSAs' contracts (grey), review dates (diamonds), today (a line), and red where a
contract outlives its funding or EHCP hours go unstaffed. Clicking a bar opens what it is
about; Up/Down pick a lane and Enter opens the pupil."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from .. import format as fmt

LABEL_W = 180
HEADER_H = 34  # month names on the first line, "today" on the second
LANE_H = 46
FUNDING = QColor("#3b6fc4")
CONTRACT = QColor("#6b7785")
RED = QColor("#c8102e")
REVIEW = QColor("#e39b00")
TODAY = QColor("#1b1f24")
GRID = QColor("#d9dee5")
LANE_ALT = QColor("#f1f4f8")
SELECTED = QColor("#dfe8f7")


EMPTY = "No pupil has funding, an LSA or a review to show yet."
LOADING = "Loading…"  # instead, until the first lanes arrive
NOT_LOADED = "Not shown: the timeline could not be loaded (the message said why)."


@dataclass(frozen=True)
class Mark:
    """One thing drawn in a lane: a pupil's name, a bar, a red stretch or a review."""

    kind: str  # "name", "funding", "contract", "red" or "review"
    rect: QRectF  # what is painted
    hit: QRectF  # where the pointer finds it (a contract: its whole band)
    target: str  # what a click opens: "pupil" or "staff"
    target_id: int
    text: str  # its tooltip
    words: str = ""  # the words painted on it: the name, a funding bar's label


class TimelineWidget(QWidget):
    clicked = Signal(str, int)  # ("pupil" | "staff", id)
    lane_changed = Signal(int, int)  # the current lane's top and height, to scroll it into view
    paint_done = Signal()  # after each paint (at start-up, the open waits for the glance's)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lanes: list[Any] = []
        self.start = dt.date.today()
        self.end = self.start + dt.timedelta(days=365)
        self.today = self.start
        self.current = -1
        self.waiting = False  # the first lanes are on their way: say "Loading…", not EMPTY
        self.failed = False  # the page's last load failed: say so, not EMPTY
        self.painted = range(0)  # the lanes the last paint drew: those its rect met
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName("Twelve-month timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_lanes(self, lanes: list[Any], start: dt.date, end: dt.date, today: dt.date) -> None:
        self.lanes, self.start, self.end, self.today = list(lanes), start, end, today
        self.current = 0 if lanes and self.current < 0 else min(self.current, len(lanes) - 1)
        reds = sum(1 for lane in lanes if lane.red)
        self.setAccessibleDescription(
            f"{len(lanes)} pupils; {reds} with a red stretch (a contract outliving its funding "
            "or EHCP hours unstaffed)"
        )
        self.updateGeometry()
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, HEADER_H + max(1, len(self.lanes)) * LANE_H + 4)

    # ------------------------------------------------------------------ geometry

    def _x(self, d: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        width = max(self.width() - LABEL_W - 10, 50)
        days = min(max((d - self.start).days, 0), span)
        return LABEL_W + width * days / span

    def _span(self, start: dt.date, end: dt.date | None) -> tuple[float, float]:
        x1 = self._x(max(start, self.start))
        x2 = self._x(min(end or self.end, self.end) + dt.timedelta(days=1))
        return x1, max(x2, x1 + 2)

    # ------------------------------------------------------------------ one lane's marks

    def lane_top(self, i: int) -> int:
        return HEADER_H + i * LANE_H

    def lane_at(self, y: float) -> int:
        """The lane at height ``y``, or -1 above the first lane or below the last."""
        i = int((y - HEADER_H) // LANE_H)
        return i if y >= HEADER_H and 0 <= i < len(self.lanes) else -1

    def lanes_in(self, rect: QRect) -> range:
        """The lanes meeting ``rect`` (a paint event's rect): all a paint has to draw."""
        first = max((rect.top() - HEADER_H) // LANE_H, 0)
        last = min((rect.bottom() - HEADER_H) // LANE_H + 1, len(self.lanes))
        return range(first, max(last, first))

    def marks(self, i: int) -> list[Mark]:
        """Lane ``i``'s marks, in the order painted (a later one is on top): the name, the
        funding bars, the contracts, the red stretches and the review diamonds, each with the
        rectangle painted, the rectangle that finds it under the pointer and what it opens.
        The one home of the lane's geometry: painting, clicks, tooltips and ``bar_point``
        all ask here. Every mark lies inside the lane's own band of ``LANE_H`` pixels."""
        lane = self.lanes[i]
        top = self.lane_top(i)
        name = QRectF(6, top, LABEL_W - 10, LANE_H)
        out = [Mark("name", name, name, "pupil", lane.pupil_id, lane.pupil_name, lane.pupil_name)]
        fy, fh = top + 5, 13
        for bar in lane.funding:
            x1, x2 = self._span(bar.start, bar.end)
            rect = QRectF(x1, fy, x2 - x1, fh)
            tip = (
                f"Funding: {bar.label}, {fmt.date(bar.start)} to "
                f"{fmt.date(bar.end) or 'no end date'}"
            )
            words = f"{bar.label} to {fmt.date(bar.end) or 'no end'}"
            out.append(Mark("funding", rect, rect, bar.target, bar.target_id, tip, words))
        cy, ch = top + 22, 8
        n = max(len(lane.contracts), 1)
        step = ch / n if n > 1 else ch
        for k, bar in enumerate(lane.contracts):
            x1, x2 = self._span(bar.start, bar.end)
            out.append(
                Mark(
                    "contract",
                    QRectF(x1, cy + k * step, x2 - x1, max(step - 1, 3)),
                    QRectF(x1, cy, x2 - x1, ch),
                    bar.target,
                    bar.target_id,
                    f"Contract: {bar.label}, to {fmt.date(bar.end) or 'no end date'}",
                )
            )
        for red in lane.red:
            x1, x2 = self._span(red.start, red.end)
            out.append(
                Mark(
                    "red",
                    QRectF(x1, top + 33, x2 - x1, 7),
                    QRectF(x1, top + 31, x2 - x1, 11),
                    red.target,
                    red.target_id,
                    red.tooltip,
                )
            )
        for d in lane.reviews:
            x = self._x(d)
            cy2 = top + 26  # on the contract line: the funding bar above carries words
            box = QRectF(x - 6, cy2 - 6, 12, 12)
            out.append(Mark("review", box, box, "pupil", lane.pupil_id, f"Review {fmt.date(d)}"))
        return out

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Only the lanes the event's rect meets: in its scroll area a few of hundreds show."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1.5, 7))
        p.setFont(small)
        self._paint_months(p)
        self.painted = self.lanes_in(event.rect())
        for i in self.painted:
            self._paint_lane(p, i, small)
        x = self._x(self.today)
        p.setPen(QPen(TODAY, 2))
        p.drawLine(QPointF(x, HEADER_H - 14), QPointF(x, self.height()))
        p.setFont(small)
        p.drawText(QPointF(x + 4, HEADER_H - 4), "today")
        if not self.lanes:  # say so, over the empty year (on white, across today's line)
            text = LOADING if self.waiting else NOT_LOADED if self.failed else EMPTY
            p.setFont(self.font())
            box = p.fontMetrics().boundingRect(text).adjusted(-8, -4, 8, 4)
            box.moveTo(6, HEADER_H + (LANE_H - box.height()) // 2)
            p.fillRect(box, QColor("#ffffff"))
            p.setPen(self.palette().placeholderText().color())
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        p.end()
        self.paint_done.emit()

    def _paint_months(self, p: QPainter) -> None:
        """A line at each month's start, and the names of ``month_labels``."""
        d = dt.date(self.start.year, self.start.month, 1)
        p.setPen(QPen(GRID, 1))
        while d <= self.end:
            x = self._x(max(d, self.start))
            p.drawLine(QPointF(x, 4), QPointF(x, self.height()))
            d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        p.setPen(QColor("#4a5361"))
        for x, name in self.month_labels(p.fontMetrics().horizontalAdvance):
            p.drawText(QPointF(x + 4, 15), name)

    def month_labels(self, advance: Any) -> list[tuple[float, str]]:
        """Where each month's name goes, and the name: "Nov", with the year at the first and
        at January ("Jan 2026"): "Nov 25" would read as a day. Where that is too wide (a
        narrow window) the first month is "Nov" and January is "2027" (or "Jan"). A name that would not
        fit before the next month's (the part-month at the start) is left out.
        ``advance(text)``: the text's width."""
        labels: list[tuple[float, str]] = []
        # Narrow: a whole month has no room for "Sep 2026" (the widest kind of name).
        month = self._x(self.start + dt.timedelta(days=30)) - self._x(self.start) - 6
        narrow = advance(f"Sep {self.start.year}") > month
        d = dt.date(self.start.year, self.start.month, 1)
        first = True
        while d <= self.end:
            nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            x = self._x(max(d, self.start))
            room = self._x(min(nxt, self.end)) - x - 6
            if not narrow and (first or d.month == 1):
                names: tuple[str, ...] = (f"{d:%b %Y}",)
            elif narrow and d.month == 1 and not first:
                names = (f"{d:%Y}", f"{d:%b}")
            else:
                names = (f"{d:%b}",)
            for name in names:
                if advance(name) <= room:
                    labels.append((x, name))
                    first = False
                    break
            d = nxt
        return labels

    def _paint_lane(self, p: QPainter, i: int, small: QFont) -> None:
        lane = self.lanes[i]
        top = self.lane_top(i)
        if i == self.current and self.hasFocus():
            p.fillRect(QRectF(0, top, self.width(), LANE_H), SELECTED)
        elif i % 2:
            p.fillRect(QRectF(0, top, self.width(), LANE_H), LANE_ALT)
        for mark in self.marks(i):
            rect = mark.rect
            if mark.kind == "name":
                p.setPen(RED if lane.red else QColor("#1b1f24"))
                p.setFont(self.font())
                p.drawText(
                    rect,
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    p.fontMetrics().elidedText(
                        mark.words, Qt.TextElideMode.ElideRight, LABEL_W - 12
                    ),
                )
                p.setFont(small)
            elif mark.kind == "funding":
                p.fillRect(rect, FUNDING)
                p.setPen(QColor("#ffffff"))
                p.drawText(
                    rect.adjusted(4, 0, -2, 0),
                    Qt.AlignmentFlag.AlignVCenter,
                    p.fontMetrics().elidedText(
                        mark.words, Qt.TextElideMode.ElideRight, int(rect.width()) - 6
                    ),
                )
            elif mark.kind == "contract":
                p.fillRect(rect, CONTRACT)
            elif mark.kind == "red":
                p.fillRect(rect, RED)
            else:  # a review: a diamond in its box
                c = rect.center()
                diamond = QPolygonF(
                    [
                        QPointF(c.x(), rect.top()),
                        QPointF(rect.right(), c.y()),
                        QPointF(c.x(), rect.bottom()),
                        QPointF(rect.left(), c.y()),
                    ]
                )
                p.setPen(QPen(QColor("#1b1f24"), 1))
                p.setBrush(REVIEW)
                p.drawPolygon(diamond)
                p.setBrush(Qt.BrushStyle.NoBrush)

    # ------------------------------------------------------------------ input

    def hit(self, pos: QPointF) -> tuple[str, int, str] | None:
        """What is under ``pos``: (what it opens, its id, its tooltip), from the marks of the
        lane there (the topmost mark first), whether or not that lane was painted yet."""
        i = self.lane_at(pos.y())
        if i < 0:
            return None
        for mark in reversed(self.marks(i)):
            if mark.hit.contains(pos):
                return mark.target, mark.target_id, mark.text
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.setFocus()
        found = self.hit(event.position())
        lane = self.lane_at(event.position().y())
        if lane >= 0:
            self.current = lane
            self.update()
        if found is not None:
            self.clicked.emit(found[0], found[1])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        found = self.hit(event.position())
        if found is not None:
            QToolTip.showText(event.globalPosition().toPoint(), found[2], self)
        else:
            QToolTip.hideText()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.lanes:
            delta = 1 if key == Qt.Key.Key_Down else -1
            self.current = min(max(self.current + delta, 0), len(self.lanes) - 1)
            self.lane_changed.emit(self.lane_top(self.current), LANE_H)
            self.update()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and 0 <= self.current < len(self.lanes):
            self.clicked.emit("pupil", self.lanes[self.current].pupil_id)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.update()  # the current lane is highlighted only while the timeline has focus

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.update()

    def bar_point(self, pupil_id: int, kind: str) -> QPointF | None:
        """The middle of a lane's first mark of a kind ("funding", "contract", "red",
        "review"): for tests and for keyboard-free users of assistive tools."""
        for i, lane in enumerate(self.lanes):
            if lane.pupil_id == pupil_id:
                found = next((m for m in self.marks(i) if m.kind == kind), None)
                return None if found is None else found.rect.center()
        return None
