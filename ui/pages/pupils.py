"""Pupils: the list with an instant filter, and one pupil's page (``pupil_view``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ..models.pupils import PupilListModel
from ..widgets.table import FilterBox, Table
from .base import Page, hint
from .pupil_view import PupilView


def load_pupils(store: Any, today: Any, include_archived: bool) -> list[Any]:
    from sencodesk.queries.pupils import list_pupils

    with store.read() as s:
        return list_pupils(s, today=today, include_archived=include_archived)


class PupilsPage(Page):
    TITLE = "Pupils"
    WATCHES = frozenset(
        {"pupil", "assignment", "staff", "review", "funding", "outcome", "record", "contract"}
    )

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = PupilListModel()
        self.model.today = ctx.today
        self.inner = QStackedWidget()
        self.outer.addWidget(self.inner, 1)

        listing = QWidget()
        lay = QVBoxLayout(listing)
        lay.setContentsMargins(0, 0, 0, 0)
        # Fits 1280 pixels wide without a horizontal scroll bar; the last column stretches.
        self.table = Table(
            self.model,
            "Pupil list",
            widths=(165, 80, 58, 120, 50, 115, 102, 97, 116, 100),
            sort_column=PupilListModel.COL_NAME,
            empty="No pupils yet. New pupil… (Ctrl+Shift+P) adds one; Show leavers lists "
            "pupils who have left.",
        )
        # A filter leaving a screenful or less would hide the scroll bar, and widen and repaint
        # the list twice over: it stays, greyed out.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.filter = FilterBox(
            self.table, "Filter by name, UPN, year, need, SEN code or LSA…", "Filter pupils"
        )
        self.filter.setObjectName("filter")
        self.archived = QCheckBox("Show &leavers")
        self.archived.setAccessibleName("Show leavers")
        self.archived.toggled.connect(lambda _on: self.refresh())
        self.new_button = QPushButton("&New pupil…")
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
        lay.addWidget(self.filter)
        lay.addWidget(self.table, 1)
        lay.addWidget(
            hint(
                "Enter or double-click opens a pupil. Red: EHCP hours not all "
                "staffed, or a review overdue; amber: a review due within 60 days."
            )
        )
        self.inner.addWidget(listing)

        self.view = PupilView(ctx)
        self.view.back.connect(self.show_list)
        self.inner.addWidget(self.view)
        self.table.row_activated.connect(lambda row: self.open_pupil(row.id))
        self.model.modelReset.connect(self._update_count)
        back = QShortcut(QKeySequence("Alt+Left"), self)
        back.activated.connect(self.show_list)
        esc = QShortcut(QKeySequence("Escape"), self.view)  # only while in the pupil's page
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.show_list)
        self.setTabOrder(self.filter, self.table)

    def load(self) -> None:
        self.ctx.run(
            load_pupils,
            self.ctx.today,
            self.archived.isChecked(),
            on_done=self._loaded,
            on_error=self.load_failed,
        )
        if self.inner.currentWidget() is self.view and self.view.pupil_id is not None:
            self.view.reload()

    def _loaded(self, rows: list[Any]) -> None:
        current = self.table.current_row()
        self.model.set_rows(rows)
        if current is not None:
            self.table.select_id(current.id)
        self.finish_loading()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_rows
        self.count.setText(
            f"{shown:,} of {total:,} pupils" if shown != total else f"{total:,} pupils"
        )

    def export_table(self) -> Table | None:
        return self.table if self.inner.currentIndex() == 0 else None

    # ------------------------------------------------------------------ navigation

    def open_pupil(self, pupil_id: int) -> None:
        if not self.confirm_leave():
            return
        self.inner.setCurrentWidget(self.view)
        self.view.show_pupil(pupil_id)

    def show_list(self) -> None:
        if not self.confirm_leave():
            return
        self.inner.setCurrentIndex(0)
        if self.view.pupil_id is not None:
            self.table.select_id(self.view.pupil_id)
        self.filter.setFocus()

    def new_pupil(self) -> None:
        from ..dialogs.pupil_editors import PupilEditor

        ed = PupilEditor(self.ctx, parent=self)
        ed.saved.connect(self.open_pupil)
        ed.open()

    def confirm_leave(self) -> bool:
        return self.view.confirm_leave()

    def focus_main(self) -> None:
        if self.inner.currentWidget() is self.view:
            self.view.tabs.tabBar().setFocus()
        else:
            self.filter.setFocus()
