"""Staff: the list, and one person's page (contracts, assignments, qualifications,
training and DBS, coloured by expiry)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QPushButton,
    QWidget,
)

from sencodesk.changes import Change

from .. import format as fmt
from ..context import Context
from ..models.staff import StaffListModel
from ..roles import mark
from ..widgets.table import FilterBox, Table
from .base import ListDetailPage, RowView
from .staff_tabs import AssignmentsTab, ContractsTab, QualificationsTab, TrainingTab

if TYPE_CHECKING:
    from sencodesk.store import Session


def load_staff(s: Session, today: Any, leavers: bool) -> list[Any]:
    from sencodesk.queries.staff import list_staff

    return list_staff(s, today=today, include_leavers=leavers)


def load_staff_detail(s: Session, staff_id: int, today: Any) -> Any:
    from sencodesk.queries.staff import get_staff

    return get_staff(s, staff_id, today=today)


class StaffView(RowView):
    KIND = "staff"
    load = staticmethod(load_staff_detail)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.edit = QPushButton("Edit &staff details…")
        mark(self.edit, "staff")
        self.edit.clicked.connect(self.edit_staff)
        self.top.addWidget(self.edit)
        self.contracts = self.add_tab(ContractsTab(ctx, self), "&Contracts")
        self.assignments = self.add_tab(AssignmentsTab(ctx, self), "&Pupils supported")
        self.qualifications = self.add_tab(QualificationsTab(ctx, self), "&Qualifications")
        self.training = self.add_tab(TrainingTab(ctx, self), "&Training && DBS")

    @property
    def staff_id(self) -> int | None:
        return self.row_id

    def show_staff(self, staff_id: int) -> None:
        self.show_row(staff_id)

    def summary(self, d: Any) -> list[str]:
        r = d.row
        bits = [
            r.role_label,
            f"contracted {fmt.hours(r.contracted_minutes)}",
            f"assigned {fmt.hours(r.assigned_minutes)}",
        ]
        if r.email:
            bits.append(r.email)
        return bits

    def edit_staff(self) -> None:
        from ..dialogs.staff_editors import StaffEditor

        if self.detail is not None:
            StaffEditor(self.ctx, self.detail, parent=self).open()


class StaffPage(ListDetailPage):
    TITLE = "Staff"
    view: StaffView
    WATCHES = frozenset(
        {
            Change.STAFF,
            Change.CONTRACT,
            Change.ASSIGNMENT,
            Change.TRAINING,
            Change.DBS,
            Change.QUALIFICATION,
            Change.PUPIL,
            Change.FUNDING,
        }
    )

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = StaffListModel()
        self.model.today = ctx.today
        table = Table(
            self.model,
            "Staff list",
            widths=(200, 150, 110, 110, 130, 260),
            sort_column=StaffListModel.COL_NAME,
            empty="No staff yet. New member of staff… (Ctrl+Shift+S) adds one; Show leavers "
            "lists staff who have left.",
        )
        filter_box = FilterBox(table, "Filter by name, role or email…", "Filter staff")
        filter_box.setObjectName("filter")
        self.leavers = QCheckBox("Show &leavers")
        self.leavers.toggled.connect(lambda _on: self.refresh())
        self.new_button = QPushButton("&New member of staff…")
        mark(self.new_button, "staff")
        self.new_button.clicked.connect(self.new_staff)
        self.head.addWidget(self.leavers)
        self.head.addWidget(self.new_button)
        self.set_up_list_and_view(
            table,
            filter_box,
            "Red: more hours assigned than contracted, or training/DBS expired; "
            "amber: expires within 60 days, or a contract ends within 90.",
            StaffView(ctx),
        )

    def load(self) -> None:
        self.ctx.query(
            load_staff,
            self.ctx.today,
            self.leavers.isChecked(),
            on_done=self.show_rows,
            on_error=self.load_failed,
        )
        if self.in_view():
            self.view.reload()

    def open_in_view(self, row_id: int) -> None:
        self.view.show_staff(row_id)

    def view_id(self) -> int | None:
        return self.view.staff_id

    def open_staff(self, staff_id: int) -> None:
        self.open_row(staff_id)

    def new_staff(self) -> None:
        from ..dialogs.staff_editors import StaffEditor

        ed = StaffEditor(self.ctx, parent=self)
        ed.saved.connect(self.open_staff)
        ed.open()
