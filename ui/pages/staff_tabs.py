"""The tabs of a staff page: contracts, pupils supported, qualifications, training and DBS."""

from __future__ import annotations

from typing import Any

from .. import format as fmt
from ..context import Context
from ..models.pupils import StaffAssignmentModel
from ..models.staff import DbsModel, QualificationModel, StaffContractModel, TrainingModel
from ..roles import may_write
from ..widgets.table import Table
from .base import section
from .pupil_tabs import TableTab


class StaffTab(TableTab):
    def staff_id(self) -> int:
        return int(self.view.staff_id)


class ContractsTab(StaffTab):
    NAME = "Contracts"
    WRITES = "contract"
    EMPTY = "No contracts yet. Add contract… records one, with its pay and end date."

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, StaffContractModel(), (170, 85, 100, 95, 100, 85, 85, 260))
        self.button("&Add contract…", self.add, "Add contract")
        self.row_button("Ed&it contract…", "Edit contract")
        self.finish_buttons()

    def show_detail(self, d: Any) -> None:
        self.model.set_rows(d.contracts)

    def add(self) -> None:
        from ..dialogs.contract_editor import ContractEditor

        ContractEditor(self.ctx, staff_id=self.staff_id(), parent=self).open()

    def edit_row(self, row: Any) -> None:
        from ..dialogs.contract_editor import ContractEditor

        if row is not None:
            ContractEditor(self.ctx, staff_id=self.staff_id(), row=row, parent=self).open()


class AssignmentsTab(StaffTab):
    NAME = "Pupils supported"
    WRITES = "assignment"
    EMPTY = "Not assigned to any pupil yet. Assign to a pupil… adds one."

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, StaffAssignmentModel(), (180, 70, 115, 320, 90, 90))
        self.note.show()
        self.button("&Assign to a pupil…", self.add, "Assign to a pupil")
        self.row_button("Ed&it assignment…", "Edit assignment")
        self.finish_buttons()

    def show_detail(self, d: Any) -> None:
        r = d.row
        self.model.set_rows(d.assignments)
        over = r.assigned_minutes - r.contracted_minutes
        text = (
            f"Assigned {fmt.hours(r.assigned_minutes)} a week of "
            f"{fmt.hours(r.contracted_minutes)} contracted."
        )
        if over > 0:
            text += f" That is {fmt.hours(over)} more than the contract."
        self.note.setObjectName("summaryBad" if over > 0 else "hint")
        self.note.setText(text)
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)

    def add(self) -> None:
        from ..dialogs.support_editors import AssignmentEditor

        AssignmentEditor(self.ctx, staff_id=self.staff_id(), parent=self).open()

    def edit_row(self, row: Any) -> None:
        from ..dialogs.support_editors import AssignmentEditor

        if row is not None:
            AssignmentEditor(self.ctx, staff_id=self.staff_id(), row=row, parent=self).open()


class QualificationsTab(StaffTab):
    NAME = "Qualifications"
    WRITES = "qualification"
    EMPTY = "No qualifications recorded. Add qualification… adds one."

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, QualificationModel(), (300, 100, 100))
        self.button("&Add qualification…", self.add, "Add qualification")
        self.finish_buttons()

    def show_detail(self, d: Any) -> None:
        self.model.set_rows(d.qualifications)

    def add(self) -> None:
        from ..dialogs.staff_editors import QualificationEditor

        QualificationEditor(self.ctx, staff_id=self.staff_id(), parent=self).open()

    def edit_row(self, row: Any) -> None:
        from ..dialogs.staff_editors import QualificationEditor

        if row is not None:
            QualificationEditor(self.ctx, staff_id=self.staff_id(), row=row, parent=self).open()


class TrainingTab(StaffTab):
    NAME = "Training"
    WRITES = "training"
    EMPTY = "No training recorded. Add training… adds a course."

    def __init__(self, ctx: Context, view: Any) -> None:
        super().__init__(ctx, view, TrainingModel(), (260, 110, 110))
        self.dbs_model = DbsModel()
        self.dbs_model.today = ctx.today
        self.dbs = Table(
            self.dbs_model,
            "DBS checks",
            (170, 130, 100, 110, 100),
            empty="No DBS check recorded. Add DBS check… adds one.",
        )
        self.dbs.row_activated.connect(
            lambda r: self.edit_dbs(r) if may_write(self.ctx.window, "dbs_check") else None
        )
        self.lay.insertWidget(self.lay.indexOf(self.note) + 1, section("Training"))
        self.lay.addWidget(section("DBS checks"))
        self.lay.addWidget(self.dbs, 1)
        self.button("&Add training…", self.add, "Add training")
        self.button("Add &DBS check…", lambda: self.edit_dbs(None), "Add DBS check", "dbs_check")
        self.finish_buttons()
        self.lay.removeItem(self.buttons)  # under both lists, not between them
        self.lay.addLayout(self.buttons)

    def show_detail(self, d: Any) -> None:
        self.model.set_rows(d.training)
        self.dbs_model.set_rows(d.dbs_checks)

    def add(self) -> None:
        from ..dialogs.staff_editors import TrainingEditor

        TrainingEditor(self.ctx, staff_id=self.staff_id(), parent=self).open()

    def edit_row(self, row: Any) -> None:
        from ..dialogs.staff_editors import TrainingEditor

        if row is not None:
            TrainingEditor(self.ctx, staff_id=self.staff_id(), row=row, parent=self).open()

    def edit_dbs(self, row: Any) -> None:
        from ..dialogs.staff_editors import DbsEditor

        DbsEditor(self.ctx, staff_id=self.staff_id(), row=row, parent=self).open()
