"""Reviews: annual reviews due (and overdue), the meetings booked with their statutory
deadline chain; schedule a meeting, tick steps as done."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from sencodesk.changes import Change

from ..context import Context
from ..models.reviews import ReviewDueModel, ReviewModel
from ..roles import mark
from ..widgets.steps import StepsPanel
from ..widgets.table import Table
from .base import Page, hint, section

if TYPE_CHECKING:
    from sencodesk.store import Session

    from ..shell import Shell

HORIZON_DAYS = 180


def load_reviews(s: Session, today: dt.date) -> tuple[list[Any], list[Any]]:
    from sencodesk.queries.reviews import list_reviews, reviews_due

    due = reviews_due(s, before=today + dt.timedelta(days=HORIZON_DAYS))
    meetings = [
        r
        for r in list_reviews(s, start=today - dt.timedelta(days=120))
        if r.next_step() is not None
    ]
    return due, meetings


class ReviewsPage(Page):
    TITLE = "Reviews"
    WATCHES = frozenset({Change.REVIEW, Change.PUPIL})

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.due_model = ReviewDueModel()
        self.meeting_model = ReviewModel()
        for m in (self.due_model, self.meeting_model):
            m.today = ctx.today
        split = QSplitter()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(section(f"Annual reviews due in the next {HORIZON_DAYS} days or overdue"))
        self.due = Table(
            self.due_model,
            "Reviews due",
            (190, 110, 110, 140),
            sort_column=ReviewDueModel.COL_DUE,
            empty="No annual reviews due or overdue. A pupil's review shows here once their "
            "EHCP's issue date (or last review) is recorded on their Profile & EHCP tab.",
        )
        ll.addWidget(self.due, 1)
        row = QHBoxLayout()
        self.schedule = QPushButton("&Schedule a meeting…")
        mark(self.schedule, "review_meeting")
        self.schedule.clicked.connect(self.schedule_meeting)
        row.addWidget(self.schedule)
        row.addStretch(1)
        ll.addLayout(row)
        ll.addWidget(section("Meetings with steps still to do"))
        self.meetings = Table(
            self.meeting_model,
            "Review meetings",
            (160, 125, 180, 90, 90, 70),
            sort_column=ReviewModel.COL_ACT_BY,
            empty="No meetings with steps still to do. Select a review due above and "
            "Schedule a meeting… to plan one.",
        )
        ll.addWidget(self.meetings, 1)
        row = QHBoxLayout()
        self.record_button = QPushButton("Meeting &record…")
        self.record_button.setToolTip(
            "What the LA's review form asks for: attendance, advice received, views, "
            "changes to the plan, the recommendation, who came"
        )
        mark(self.record_button, "review_meeting")
        self.record_button.clicked.connect(self.edit_record)
        self.report_button = QPushButton("Review re&port…")
        self.report_button.setToolTip("The report after the meeting, for the LA and invitees")
        self.report_button.clicked.connect(self.review_report)
        row.addWidget(self.record_button)
        row.addWidget(self.report_button)
        row.addStretch(1)
        ll.addLayout(row)
        split.addWidget(left)
        self.steps = StepsPanel(ctx)
        split.addWidget(self.steps)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([740, 280])
        self.outer.addWidget(split, 1)
        self.outer.addWidget(
            hint(
                "Tick a step when it is done. Red: past its act-by date. "
                "Enter on a due review schedules it; on a meeting, opens "
                "the pupil."
            )
        )
        self.due.row_activated.connect(
            lambda _r: self.schedule_meeting() if not self.schedule.isHidden() else None
        )
        self.meetings.row_activated.connect(lambda r: ctx.open_pupil.emit(r.pupil_id))
        self.meetings.selectionModel().currentRowChanged.connect(
            lambda *_: self.steps.show_review(self.meetings.current_row())
        )

    def load(self) -> None:
        self.ctx.query(
            load_reviews, self.ctx.today, on_done=self._loaded, on_error=self.load_failed
        )

    def _loaded(self, result: tuple[list[Any], list[Any]]) -> None:
        due, meetings = result
        current = self.meetings.current_row()
        self.due_model.set_rows(due)
        self.meeting_model.set_rows(meetings)
        if current is not None and self.meetings.select_id(current.id):
            pass
        elif meetings:
            self.meetings.selectRow(0)
        self.steps.show_review(self.meetings.current_row())
        self.finish_loading()

    def schedule_meeting(self) -> None:
        from ..dialogs.review_editor import ReviewEditor

        row = self.due.current_row()
        if row is None:
            return
        if row.scheduled_meeting_id is not None:  # booked: its meeting and steps
            self.meetings.select_id(row.scheduled_meeting_id)
            self.meetings.setFocus()
            return
        from sencodesk.rules.reviews import latest_meeting_date

        latest = max(self.ctx.today + dt.timedelta(weeks=2), latest_meeting_date(row.due))
        ReviewEditor(self.ctx, pupil_id=row.pupil_id, when=latest, parent=self).open()

    def edit_record(self) -> None:
        """The selected meeting's record (#13), loaded by the worker, in its editor."""
        row = self.meetings.current_row()
        if row is not None:
            from ..dialogs.meeting_record import open_meeting_record

            open_meeting_record(self.ctx, row.id, self)

    def review_report(self) -> None:
        from .. import reports

        row, win = self.meetings.current_row(), self.ctx.window
        if row is not None and win is not None:
            reports.review_report(cast("Shell", win), row.id)

    def export_table(self) -> Table:
        return self.meetings if self.meetings.hasFocus() else self.due
