"""The list tabs of a pupil's page: outcomes, support, funding, reviews and records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from sencodesk import vocab

from .. import format as fmt
from ..context import Context
from ..models.base import RowTableModel
from ..models.common import label
from ..models.money import FundingModel
from ..models.pupils import OutcomeModel, PupilAssignmentModel
from ..models.reviews import RecordModel, ReviewModel
from ..roles import mark, may_write
from ..widgets.steps import StepsPanel
from ..widgets.table import Table

if TYPE_CHECKING:
    from ..shell import Shell


class TableTab(QWidget):
    """A table of the pupil's rows with buttons under it; Enter edits the row."""

    NAME = ""
    WRITES = ""  # the table its Add/Edit buttons write (hidden for a role that may not)
    EMPTY = "Nothing here yet."  # what the empty table says (what to do to add a row)

    def __init__(
        self, ctx: Context, view: Any, model: RowTableModel, widths: tuple[int, ...] = ()
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.view = view
        self.model = model
        self.model.today = ctx.today
        self.lay = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.lay.addWidget(self.note)
        self.body = QHBoxLayout()
        self.table = Table(model, self.NAME, widths, empty=self.EMPTY)
        self.body.addWidget(self.table, 3)
        self.lay.addLayout(self.body, 1)
        self.buttons = QHBoxLayout()
        self.lay.addLayout(self.buttons)
        self.table.row_activated.connect(self._activated)

    def _activated(self, row: Any) -> None:
        if self.WRITES and not may_write(self.ctx.window, self.WRITES):
            return  # Enter on a row edits it: not offered to a role that may not
        self.edit_row(row)

    def button(self, text: str, slot: Any, name: str = "", writes: str = "") -> QPushButton:
        b = QPushButton(text)
        mark(b, writes or self.WRITES)
        if name:
            b.setAccessibleName(name)
        b.clicked.connect(slot)
        self.buttons.addWidget(b)
        return b

    def row_button(self, text: str, name: str) -> QPushButton:
        """A button acting on the selected row (Edit…): greyed out while no row is selected."""
        b = self.button(text, lambda: self.edit_row(self.table.current_row()), name)
        if not hasattr(self, "_row_buttons"):
            self._row_buttons: list[QPushButton] = []
            self.table.selectionModel().currentRowChanged.connect(self._update_row_buttons)
            self.model.modelReset.connect(self._update_row_buttons)
            self.model.layoutChanged.connect(self._update_row_buttons)
        self._row_buttons.append(b)
        b.setEnabled(False)
        return b

    def _update_row_buttons(self, *_: Any) -> None:
        on = self.table.current_row() is not None
        for b in self._row_buttons:
            b.setEnabled(on)

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)

    def pupil_id(self) -> int:
        return int(self.view.pupil_id)

    def show_detail(self, d: Any) -> None:
        raise NotImplementedError

    def edit_row(self, row: Any) -> None:
        pass


class OutcomesTab(TableTab):
    NAME = "Outcomes"
    WRITES = "outcome"
    EMPTY = (
        "No outcomes yet. Add outcome… records one from the EHCP (section E) or a school target."
    )

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, OutcomeModel(), (150, 270, 90, 90, 90))
        self.history = QTextBrowser()
        self.history.setAccessibleName("Outcome history and evidence")
        self.body.addWidget(self.history, 1)
        self.body.setStretch(0, 2)
        self.button("&Add outcome…", self.add, "Add outcome")
        self.row_button("&Change status…", "Change outcome status")
        self.finish_buttons()
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_history())
        self.records: tuple[Any, ...] = ()

    def show_detail(self, d: Any) -> None:
        self.records = d.records
        self.model.set_rows(d.outcomes)
        if d.outcomes:
            self.table.selectRow(0)
        self._show_history()

    def _show_history(self) -> None:
        o = self.table.current_row()
        if o is None:
            self.history.setHtml("<p>Choose an outcome to see its history and evidence.</p>")
            return
        parts = [f"<h3>{fmt_html(o.text)}</h3>"]
        if o.success_criteria:
            parts.append(f"<p><i>Success looks like:</i> {fmt_html(o.success_criteria)}</p>")
        parts.append("<p><b>Status history</b></p><ul>")
        for h in reversed(o.history):
            note = f" – {fmt_html(h.note)}" if h.note else ""
            parts.append(
                f"<li>{fmt.date(h.changed_on)}: "
                f"{label(vocab.OUTCOME_STATUS_LABELS, h.status)}{note}</li>"
            )
        parts.append("</ul><p><b>Evidence (records linked to this outcome)</b></p><ul>")
        linked = [r for r in self.records if r.outcome_id == o.id]
        for r in linked[:30]:
            parts.append(
                f"<li>{fmt.date(r.occurred_at)} "
                f"{label(vocab.RECORD_KIND_LABELS, r.kind)}: "
                f"{fmt_html((r.text or r.behaviour)[:160])}</li>"
            )
        if not linked:
            parts.append("<li>none yet</li>")
        parts.append("</ul>")
        self.history.setHtml("".join(parts))

    def add(self) -> None:
        from ..dialogs.pupil_editors import OutcomeEditor

        OutcomeEditor(self.ctx, self.pupil_id(), None, parent=self).open()

    def edit_row(self, row: Any) -> None:
        from ..dialogs.pupil_editors import OutcomeEditor

        if row is not None:
            OutcomeEditor(self.ctx, self.pupil_id(), row, parent=self).open()


def fmt_html(text: str) -> str:
    import html

    return html.escape(text)


class SupportTab(TableTab):
    NAME = "Assigned LSAs"
    WRITES = "assignment"
    EMPTY = "No LSA is assigned to this pupil yet. Assign an LSA… adds one."

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, PupilAssignmentModel(), (180, 70, 115, 320, 90, 90))
        self.note.show()
        self.button("&Assign an LSA…", self.add, "Assign an LSA")
        self.row_button("Ed&it assignment…", "Edit assignment")
        self.finish_buttons()

    def show_detail(self, d: Any) -> None:
        r = d.row
        self.model.set_rows(d.assignments)
        ehcp = r.ehcp_weekly_minutes or 0
        text = f"Assigned now: {fmt.hours(r.assigned_minutes)} a week"
        if ehcp:
            text += f" against {fmt.hours(ehcp)} in the EHCP."
            if r.unstaffed_minutes:
                text += f" {fmt.hours(r.unstaffed_minutes)} a week is not staffed."
                self.note.setObjectName("summaryBad")
            else:
                text += " Every EHCP hour is staffed."
                self.note.setObjectName("summaryGood")
        else:
            self.note.setObjectName("hint")
        self.note.setText(text)
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)

    def add(self) -> None:
        from ..dialogs.support_editors import AssignmentEditor

        AssignmentEditor(self.ctx, pupil_id=self.pupil_id(), parent=self).open()

    def edit_row(self, row: Any) -> None:
        from ..dialogs.support_editors import AssignmentEditor

        if row is not None:
            AssignmentEditor(self.ctx, pupil_id=self.pupil_id(), row=row, parent=self).open()


class FundingTab(TableTab):
    NAME = "Funding"
    WRITES = "funding"
    EMPTY = "No funding recorded for this pupil. Add funding… adds a funding line."

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, FundingModel(), (0, 90, 150, 170, 140, 90, 95, 80, 150))
        self.table.hideColumn(FundingModel.COL_PUPIL)
        self.button("&Add funding…", self.add, "Add funding")
        self.row_button("Ed&it funding…", "Edit funding")
        self.finish_buttons()

    def show_detail(self, d: Any) -> None:
        self.model.set_rows(d.funding)

    def add(self) -> None:
        from ..dialogs.support_editors import FundingEditor

        FundingEditor(self.ctx, pupil_id=self.pupil_id(), parent=self).open()

    def edit_row(self, row: Any) -> None:
        from ..dialogs.support_editors import FundingEditor

        if row is not None:
            FundingEditor(self.ctx, pupil_id=self.pupil_id(), row=row, parent=self).open()


class ReviewsTab(TableTab):
    NAME = "Review meetings"
    WRITES = "review_meeting"
    EMPTY = "No review meetings yet. Schedule a review… plans the next one."

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, ReviewModel(), (0, 90, 130, 220, 90, 90))
        self.table.hideColumn(ReviewModel.COL_PUPIL)
        self.steps = StepsPanel(ctx)
        self.body.addWidget(self.steps, 1)
        self.body.setStretch(0, 2)
        self.button("&Schedule a review…", self.add, "Schedule a review")
        self.row_button("Ed&it meeting…", "Edit review meeting")
        # What the LA's review form asks for, and the report after the meeting (#13).
        self.record_button = self.button(
            "Meeting &record…", self.edit_record, "Meeting record (review form)"
        )
        self.report_button = QPushButton("Review report…")
        self.report_button.setAccessibleName("Review report after the meeting")
        self.report_button.clicked.connect(self.review_report)
        self.buttons.addWidget(self.report_button)
        self.finish_buttons()
        self.table.selectionModel().currentRowChanged.connect(
            lambda *_: self.steps.show_review(self.table.current_row())
        )

    def show_detail(self, d: Any) -> None:
        self.model.set_rows(d.reviews)
        if d.reviews:
            upcoming = [r for r in d.reviews if not r.held]
            # The next meeting to come, else the latest one held.
            self.table.select_id(upcoming[0].id if upcoming else d.reviews[-1].id)
        self.steps.show_review(self.table.current_row())

    def add(self) -> None:
        from ..dialogs.review_editor import ReviewEditor

        ReviewEditor(self.ctx, pupil_id=self.pupil_id(), parent=self).open()

    def edit_record(self) -> None:
        row = self.table.current_row()
        if row is not None:
            from ..dialogs.meeting_record import open_meeting_record

            open_meeting_record(self.ctx, row.id, self)

    def review_report(self) -> None:
        from .. import reports

        row, win = self.table.current_row(), self.ctx.window
        if row is not None and win is not None:
            reports.review_report(cast("Shell", win), row.id)

    def edit_row(self, row: Any) -> None:
        from ..dialogs.review_editor import ReviewEditor

        if row is not None:
            ReviewEditor(self.ctx, pupil_id=self.pupil_id(), row=row, parent=self).open()


class RecordsTab(TableTab):
    NAME = "Pupil records"
    WRITES = "record"
    EMPTY = "No records yet. Add a record… records a session, an observation or an incident."

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, RecordModel(), (125, 0, 150, 140, 560))
        self.table.hideColumn(RecordModel.COL_PUPIL)
        self.button("&Add a record…", self.add, "Add a record")
        self.finish_buttons()

    def show_detail(self, d: Any) -> None:
        self.model.set_rows(d.records)

    def add(self) -> None:
        from ..dialogs.record_editor import RecordEditor

        d = self.view.detail
        RecordEditor(
            self.ctx,
            pupil_id=self.pupil_id(),
            pupil_name=d.row.name if d is not None else "",
            parent=self,
        ).open()

    def edit_row(self, row: Any) -> None:
        from ..dialogs.record_editor import RecordEditor

        if row is not None:
            RecordEditor(self.ctx, pupil_id=row.pupil_id, row=row, parent=self).open()
