"""Pupils: the list with an instant filter, and one pupil's page (``pupil_view``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QPushButton, QWidget

from sencodesk.changes import Change

from ..models.pupils import PupilListModel
from ..roles import mark
from ..widgets.table import FilterBox, Table
from .base import ListDetailPage, hint
from .pupil_view import PupilView

if TYPE_CHECKING:
    from sencodesk.store import Session

    from ..context import Context


def load_pupils(s: Session, today: Any, include_archived: bool) -> list[Any]:
    """On the worker: the rows, with their search keys made here, not on the GUI thread."""
    from sencodesk.queries.pupils import list_pupils

    return PupilListModel.keyed(list_pupils(s, today=today, include_archived=include_archived))


class PupilsPage(ListDetailPage):
    TITLE = "Pupils"
    view: PupilView
    WATCHES = frozenset(
        {
            Change.PUPIL,
            Change.ASSIGNMENT,
            Change.STAFF,
            Change.REVIEW,
            Change.FUNDING,
            Change.OUTCOME,
            Change.RECORD,
            Change.CONTRACT,
        }
    )

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = PupilListModel()
        self.model.today = ctx.today
        # Fits 1280 pixels wide without a horizontal scroll bar; the last column stretches.
        table = Table(
            self.model,
            "Pupil list",
            widths=(165, 80, 58, 120, 50, 115, 102, 97, 116, 100),
            sort_column=PupilListModel.COL_NAME,
            empty="No pupils yet. New pupil… (Ctrl+Shift+P) adds one; Show leavers lists "
            "pupils who have left.",
        )
        # A filter leaving a screenful or less would hide the scroll bar, and widen and repaint
        # the list twice over: it stays, greyed out.
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        filter_box = FilterBox(
            table, "Filter by name, UPN, year, need, SEN code or LSA…", "Filter pupils"
        )
        filter_box.setObjectName("filter")
        self.archived = QCheckBox("Show &leavers")
        self.archived.setAccessibleName("Show leavers")
        self.archived.toggled.connect(lambda _on: self.refresh())
        self.new_button = QPushButton("&New pupil…")
        mark(self.new_button, "pupil")
        self.new_button.clicked.connect(self.new_pupil)
        self.count = hint("")
        # Its text changes at every keystroke in the filter: a fixed size keeps that from
        # re-laying out (and repainting) the whole page each time.
        self.count.setWordWrap(False)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count.setFixedWidth(
            self.count.fontMetrics().horizontalAdvance("000,000 of 000,000 pupils") + 8
        )
        self.count.setFixedHeight(self.count.fontMetrics().height() + 4)  # (no layout pass)
        self.head.addWidget(self.count)
        self.head.addWidget(self.archived)
        self.head.addWidget(self.new_button)
        self.set_up_list_and_view(
            table,
            filter_box,
            "Enter or double-click opens a pupil. Red: EHCP hours not all "
            "staffed, or a review overdue; amber: a review due within 60 days.",
            PupilView(ctx),
        )
        self.model.modelReset.connect(self._update_count)

    def load(self) -> None:
        self.ctx.query(
            load_pupils,
            self.ctx.today,
            self.archived.isChecked(),
            on_done=self.show_rows,
            on_error=self.load_failed,
        )
        if self.in_view() and self.view.pupil_id is not None:
            self.view.reload()

    def _update_count(self) -> None:
        from .. import format as fmt

        shown, total = self.model.rowCount(), self.model.total_rows
        self.count.setText(
            f"{shown:,} of {fmt.count(total, 'pupil')}"
            if shown != total
            else fmt.count(total, "pupil")
        )

    # ------------------------------------------------------------------ navigation

    def open_in_view(self, row_id: int) -> None:
        self.view.show_pupil(row_id)

    def view_id(self) -> int | None:
        return self.view.pupil_id

    def open_pupil(self, pupil_id: int) -> None:
        self.open_row(pupil_id)

    def new_pupil(self) -> None:
        from ..dialogs.pupil_editors import PupilEditor

        ed = PupilEditor(self.ctx, parent=self)
        ed.saved.connect(self.open_pupil)
        ed.open()
