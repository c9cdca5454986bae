"""Dashboard: what needs action and by when (the core's alerts, grouped by urgency), and the
12-month timeline. Enter or a click on an alert or a bar opens what it is about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sencodesk.changes import Change
from sencodesk.vocab import RecordKind, Urgency

from .. import format as fmt
from ..context import Context
from ..models.alerts import AlertModel, AlertTree
from ..widgets.timeline import TimelineWidget
from .base import Page, hint, section

if TYPE_CHECKING:
    from sencodesk.store import Session

TIMELINE_DAYS = 365
WHAT_MAX = 420  # the alerts' "What" column at its widest, in pixels


@dataclass(frozen=True)
class DashboardData:
    alerts: tuple[tuple[Urgency, Any], ...]
    lanes: tuple[Any, ...]
    start: dt.date
    end: dt.date
    incidents_week: int = 0  # incidents recorded in the last 7 days


def load_dashboard(s: Session, today: dt.date) -> DashboardData:
    from sencodesk.alerts import alerts_and_timeline, current_half_term_end, urgency

    start = today - dt.timedelta(days=30)
    end = start + dt.timedelta(days=TIMELINE_DAYS)
    # the school's own horizon: as before, when it was passed in
    alerts, lanes = alerts_and_timeline(s, today=today, start=start, end=end)
    ht_end = current_half_term_end(s, today)
    grouped = tuple((urgency(a, today, ht_end), a) for a in alerts)
    from sencodesk.queries.records import count_records

    week_ago = dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min)
    incidents = count_records(s, kind=RecordKind.INCIDENT, since=week_ago)
    return DashboardData(grouped, tuple(lanes), start, end, incidents)


def restyle(widget: QWidget) -> None:
    """Apply the style sheet's rules to ``widget`` again, after its object name changed.
    ``widget.style().unpolish/polish`` does it too, but the first ``style()`` from Python
    builds QStyle's enums (600 members, 15-30 ms) on the way to the first page's data. A
    widget's own style sheet being set makes Qt polish it again: a blank one adds no rule."""
    widget.setStyleSheet(" ")


def glance_op(_store: object, path: str, today: dt.date) -> DashboardData | None:
    """A worker op run before the database is opened: the dashboard's data read from the file
    with plain sqlite3 (``sencodesk.glance``; no SQLAlchemy), or None if it cannot be."""
    from sencodesk.glance import glance_dashboard

    g = glance_dashboard(path, today, TIMELINE_DAYS)
    return None if g is None else DashboardData(g.alerts, g.lanes, g.start, g.end, g.incidents_week)


class DashboardPage(Page):
    TITLE = "Dashboard"
    WATCHES = frozenset(
        {
            Change.PUPIL,
            Change.STAFF,
            Change.CONTRACT,
            Change.FUNDING,
            Change.ASSIGNMENT,
            Change.REVIEW,
            Change.TRAINING,
            Change.DBS,
            Change.OUTCOME,
            Change.SCHOOL,
            Change.RECORD,  # the incidents of the last 7 days
        }
    )

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: DashboardData | None = None
        self.painted_from_glance = False  # the first paint came from ``show_glance``
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        self.outer.addWidget(self.summary)
        from .checklist import ChecklistPanel

        self.checklist = ChecklistPanel(ctx)  # a new school's first steps, until done
        self.outer.addWidget(self.checklist)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(section("What needs action"))
        self.alerts = AlertTree()
        self.alerts.setAccessibleName("Alerts")
        self.alert_model = AlertModel(self.alerts)
        self.alerts.setModel(self.alert_model)
        self.alerts.setRootIsDecorated(True)
        self.alerts.setUniformRowHeights(True)
        # A long detail is cut at its end: its start holds the days and the £.
        self.alerts.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.alerts.setAlternatingRowColors(True)
        self.alerts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for col, w in enumerate((420, 96, 96)):
            self.alerts.setColumnWidth(col, w)
        self.alerts.activated.connect(self._alert_activated)
        tl.addWidget(self.alerts, 1)
        split.addWidget(top)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(section("The next 12 months"))
        bl.addWidget(
            hint(
                "Blue: funding. Grey: the contracts of the LSAs who support the "
                "pupil. Diamonds: reviews. Red: a contract outlives its funding, or "
                "EHCP hours are not staffed. Click a bar to open it."
            )
        )
        self.timeline = TimelineWidget()
        self.timeline.clicked.connect(self._open)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the timeline itself takes focus
        self.timeline.lane_changed.connect(
            lambda y, h: scroll.ensureVisible(0, y + h // 2, 0, h // 2 + 30)
        )
        bl.addWidget(scroll, 1)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.outer.addWidget(split, 1)

    def load(self) -> None:
        self.checklist.refresh()
        self.ctx.query(
            load_dashboard, self.ctx.today, on_done=self._loaded, on_error=self.load_failed
        )

    def show_glance(self, data: DashboardData | None) -> None:
        """The first paint, from ``glance_op``, unless the page has its own data already. The
        normal load, once the database is open, shows the same again (and anything since)."""
        if data is None or self._ever_loaded:
            return
        self._show(data)
        self.painted_from_glance = True
        self._ever_loaded = True
        self.set_waiting(False)
        self.loaded.emit()

    def _loaded(self, data: DashboardData) -> None:
        self._show(data)
        self.finish_loading()

    def _show(self, data: DashboardData) -> None:
        self.data = data
        self._fill_alerts(data)
        self.timeline.set_lanes(list(data.lanes), data.start, data.end, self.ctx.today)
        counts = {group.urgency: len(group.alerts) for group in self.alert_model.groups}
        reds = sum(1 for lane in data.lanes if lane.red)
        self.summary.setText(
            f"{counts[Urgency.OVERDUE]} overdue, {counts[Urgency.THIS_WEEK]} this week, "
            f"{counts[Urgency.THIS_HALF_TERM]} this half-term, {counts[Urgency.LATER]} later. "
            f"{fmt.count(reds, 'pupil')} with funding or staffing gaps in the next 12 months."
            + (
                f" {fmt.count(data.incidents_week, 'incident')} recorded in the last 7 days."
                if data.incidents_week
                else ""
            )
        )
        bad = counts[Urgency.OVERDUE] or reds
        self.summary.setObjectName("summaryBad" if bad else "summaryGood")
        restyle(self.summary)

    def _fill_alerts(self, data: DashboardData) -> None:
        bold = QFont(self.alerts.font())
        bold.setBold(True)
        self.alert_model.set_alerts(data.alerts, bold)
        for g, group in enumerate(self.alert_model.groups):
            self.alerts.setExpanded(self.alert_model.index(g, 0), group.starts_open)
        # "What" as wide as its longest line (up to 420 pixels): the detail gets the rest. As
        # resizeColumnToContents, no narrower than its title; measured only up to the most.
        wide = self.alerts.what_width(up_to=WHAT_MAX - 12)
        wide = max(wide, self.alerts.header().sectionSizeHint(0))
        self.alerts.setColumnWidth(0, min(wide + 12, WHAT_MAX))

    def alert_rows(self) -> list[QModelIndex]:
        """Each alert's row (its first column), group by group, folded groups' too."""
        m = self.alert_model
        heads = (m.index(g, 0) for g in range(m.rowCount()))
        return [m.index(r, 0, head) for head in heads for r in range(m.rowCount(head))]

    def _alert_activated(self, index: QModelIndex) -> None:
        a = self.alert_model.alert(index)
        if a is not None:
            self._open(a.subject_kind, a.subject_id)

    def _open(self, kind: str, target_id: int) -> None:
        if kind == "staff":
            self.ctx.open_staff.emit(target_id)
        elif kind == "pupil":
            self.ctx.open_pupil.emit(target_id)
