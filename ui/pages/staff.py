"""Staff: the list, and one person's page (contracts, assignments, qualifications,
training and DBS, coloured by expiry)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import format as fmt
from ..context import Context
from ..models.staff import StaffListModel
from ..widgets.table import FilterBox, Table
from .base import ListDetailPage
from .staff_tabs import AssignmentsTab, ContractsTab, QualificationsTab, TrainingTab


def load_staff(store: Any, today: Any, leavers: bool) -> list[Any]:
    from sencodesk.queries.staff import list_staff

    with store.read() as s:
        return list_staff(s, today=today, include_leavers=leavers)


def load_staff_detail(store: Any, staff_id: int, today: Any) -> Any:
    from sencodesk.queries.staff import get_staff

    with store.read() as s:
        return get_staff(s, staff_id, today=today)


class StaffView(QWidget):
    back = Signal()
    loaded = Signal()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.staff_id: int | None = None
        self.detail: Any = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.back_button = QPushButton("← &Back to the list")
        self.back_button.setAccessibleName("Back to the staff list")
        self.back_button.clicked.connect(self.back.emit)
        self.name = QLabel()
        self.name.setObjectName("sectionTitle")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.edit = QPushButton("Edit &staff details…")
        self.edit.clicked.connect(self.edit_staff)
        top.addWidget(self.back_button)
        top.addWidget(self.name)
        top.addWidget(self.summary, 1)
        top.addWidget(self.edit)
        lay.addLayout(top)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Staff tabs")
        self.contracts = ContractsTab(ctx, self)
        self.assignments = AssignmentsTab(ctx, self)
        self.qualifications = QualificationsTab(ctx, self)
        self.training = TrainingTab(ctx, self)
        self.tabs.addTab(self.contracts, "&Contracts")
        self.tabs.addTab(self.assignments, "&Pupils supported")
        self.tabs.addTab(self.qualifications, "&Qualifications")
        self.tabs.addTab(self.training, "&Training && DBS")
        lay.addWidget(self.tabs, 1)

    def show_staff(self, staff_id: int) -> None:
        if staff_id != self.staff_id:
            self.tabs.setCurrentIndex(0)
        self.staff_id = staff_id
        self.reload()

    def reload(self) -> None:
        if self.staff_id is not None:
            self.ctx.run(load_staff_detail, self.staff_id, self.ctx.today, on_done=self._loaded)

    def _loaded(self, d: Any) -> None:
        if d.row.id != self.staff_id:
            return
        self.detail = d
        r = d.row
        self.name.setText(r.name)
        bits = [
            r.role_label,
            f"contracted {fmt.hours(r.contracted_minutes)}",
            f"assigned {fmt.hours(r.assigned_minutes)}",
        ]
        if r.email:
            bits.append(r.email)
        self.summary.setText(" · ".join(bits))
        for tab in (self.contracts, self.assignments, self.qualifications, self.training):
            tab.show_detail(d)
        self.loaded.emit()

    def edit_staff(self) -> None:
        from ..dialogs.staff_editors import StaffEditor

        if self.detail is not None:
            StaffEditor(self.ctx, self.detail, parent=self).open()


class StaffPage(ListDetailPage):
    TITLE = "Staff"
    WATCHES = frozenset(
        {"staff", "contract", "assignment", "training", "dbs", "qualification", "pupil", "funding"}
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
        self.ctx.run(
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
