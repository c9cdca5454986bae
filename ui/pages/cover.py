"""Cover: who is absent and when -> the pupils who lose their support that day, and the staff
free and trained (e.g. to give medication) to cover them; assigning cover writes a one-day
Assignment with the role "cover"."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from sencodesk.changes import Change
from sencodesk.vocab import AssignmentRole

from .. import format as fmt
from ..context import Context
from ..models.cover import CandidateModel, LostSupportModel, day_sessions
from ..roles import mark
from ..widgets.fields import ChoiceField, DateField
from ..widgets.table import Table
from .base import Page, hint, section

if TYPE_CHECKING:
    from sencodesk.store import Session


def load_absentees(s: Session, today: dt.date) -> list[tuple[int, str]]:
    from sencodesk.queries.staff import list_staff

    return [
        (r.id, f"{r.name} ({r.role_label})")
        for r in list_staff(s, today=today)
        if r.assigned_minutes
    ]


def load_plan(s: Session, staff_id: int, on: dt.date) -> Any:
    from sencodesk.queries.cover import cover_day

    return cover_day(s, staff_id, on)


def assign_cover(s: Session, values: dict[str, Any]) -> int:
    from sencodesk import commands

    return commands.save_assignment(s, values)


def undo_cover(s: Session, assignment_ids: list[int]) -> int:
    """Remove cover assigned for one day (a cover assignment, nothing else)."""
    from sencodesk import commands

    for aid in assignment_ids:
        commands.delete(s, "assignment", aid)
    return len(assignment_ids)


def make_cover_sheet(s: Session, on: dt.date, today: dt.date) -> tuple[Any, bytes]:
    """The day's cover sheet: (its report, for CSV/XLSX, and its PDF)."""
    import io

    from sencodesk.reports.cover_sheet import cover_sheet_report
    from sencodesk.reports.tables import write_pdf_report

    report = cover_sheet_report(s, on, today=today)
    buf = io.BytesIO()
    write_pdf_report(report, buf)
    return report, buf.getvalue()


CHOOSE = "Choose who is absent and the day."
LOST_EMPTY = "Choose who is absent and the day: the pupils who lose their support show here."
CANDS_EMPTY = "Choose who is absent and the day: the staff working that day show here."


class CoverPage(Page):
    TITLE = "Cover"
    WATCHES = frozenset(
        {
            Change.ASSIGNMENT,
            Change.STAFF,
            Change.CONTRACT,
            Change.TRAINING,
            Change.PUPIL,
        }
    )

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.plan: Any = None
        top = QHBoxLayout()
        self.absent = ChoiceField([], blank="(choose who is absent)")
        self.absent.setSizeAdjustPolicy(ChoiceField.SizeAdjustPolicy.AdjustToContents)
        self.absent.setMinimumWidth(260)
        from sencodesk.rules.schoolyear import next_working_day

        self.day = DateField(optional=False)
        # Cover is planned for a school day: today, or (on a weekend or a bank holiday)
        # the next one.
        self.day.set_value(next_working_day(ctx.today))
        for w, text in ((self.absent, "&Absent:"), (self.day, "&On:")):
            lab = QLabel(text)
            lab.setBuddy(w)
            top.addWidget(lab)
            top.addWidget(w)
        self.absent.setAccessibleName("Absent member of staff")
        self.day.setAccessibleName("Day of absence")
        top.addStretch(1)
        self.outer.addLayout(top)
        self.summary = QLabel(CHOOSE)
        self.summary.setWordWrap(True)
        self.outer.addWidget(self.summary)

        split = QSplitter()
        left, right = QWidget(), QWidget()
        ll, rl = QVBoxLayout(left), QVBoxLayout(right)
        ll.setContentsMargins(0, 0, 0, 0)
        rl.setContentsMargins(0, 0, 0, 0)
        self.lost_model = LostSupportModel()
        self.cand_model = CandidateModel()
        self.lost = Table(
            self.lost_model,
            "Pupils losing support",
            (145, 62, 110, 110, 78),
            empty=LOST_EMPTY,
        )
        # Free staff first (most free sessions first): those are the ones to choose from.
        self.cands = Table(
            self.cand_model,
            "Staff who could cover",
            (140, 95, 90, 90, 90),
            sort_column=CandidateModel.COL_FREE,
            empty=CANDS_EMPTY,
        )
        ll.addWidget(section("Pupils who lose support"))
        ll.addWidget(self.lost, 1)
        rl.addWidget(section("Staff working that day"))
        rl.addWidget(self.cands, 1)
        row = QHBoxLayout()
        self.assign = QPushButton("A&ssign cover")
        self.assign.setObjectName("primary")
        self.assign.setEnabled(False)
        mark(self.assign, "assignment")
        self.assign.clicked.connect(self.assign_cover)
        row.addWidget(self.assign)
        self.undo = QPushButton("&Undo cover")
        self.undo.setEnabled(False)
        self.undo.setToolTip("Remove the cover assigned to the selected pupil that day")
        self.undo.clicked.connect(self.undo_cover)
        row.addWidget(self.undo)
        row.addStretch(1)
        self.sheet = QPushButton("&Print cover sheet…")
        self.sheet.setToolTip(
            "The day's cover on paper for class teachers: who covers whom, morning and "
            "afternoon, by class"
        )
        self.sheet.clicked.connect(self.print_sheet)
        row.addWidget(self.sheet)
        rl.addLayout(row)
        split.addWidget(left)
        split.addWidget(right)
        # The staff list has more to show (names, roles, their training): it gets more of
        # the width, and the most of any extra.
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([470, 580])
        self.outer.addWidget(split, 1)
        self.outer.addWidget(
            hint(
                "Choose a pupil on the left: green staff are free in the "
                "sessions they lose and hold the training they need; amber "
                "are free but not trained for that pupil."
            )
        )
        self.absent.edited.connect(self.load_plan)
        self.day.committed.connect(self.load_plan)
        self.lost.selectionModel().currentRowChanged.connect(lambda *_: self._selection())
        self.cands.selectionModel().currentRowChanged.connect(lambda *_: self._selection())
        self.cands.row_activated.connect(
            lambda _r: self.assign_cover() if not self.assign.isHidden() else None
        )
        self.lost.row_activated.connect(lambda _r: self.choose_cover())

    def load(self) -> None:
        self.ctx.query(
            load_absentees, self.ctx.today, on_done=self._absentees, on_error=self.load_failed
        )

    def _absentees(self, rows: list[tuple[int, str]]) -> None:
        self.absent.blockSignals(True)
        self.absent.set_choices(rows, blank="(choose who is absent)")
        self.absent.blockSignals(False)
        if self.absent.value() is not None:
            self.load_plan(finish=True)
            return
        # No one chosen (or the one chosen supports no pupil now): no plan of theirs is left.
        self.plan = None
        self.lost.empty, self.cands.empty = LOST_EMPTY, CANDS_EMPTY
        self.lost_model.set_rows([])
        self.cand_model.set_rows([])
        self._selection()
        self.summary.setText(
            CHOOSE
            if rows
            else "No member of staff supports a pupil yet, so nobody loses support when "
            "someone is away. Assign LSAs to pupils (on the Staff page, a member of staff's "
            "Pupils supported tab) to plan cover here."
        )
        self.finish_loading()

    def choose(self, staff_id: int, on: dt.date) -> None:
        """Pick the absent person and the day (as a user would), then load the plan."""
        self.absent.blockSignals(True)
        self.day.blockSignals(True)
        self.absent.set_value(staff_id)
        self.day.set_value(on)
        self.absent.blockSignals(False)
        self.day.blockSignals(False)
        self.load_plan()

    def load_plan(self, finish: bool = False) -> None:
        staff_id, on = self.absent.value(), self.day.value()
        if staff_id is None or on is None:
            return
        self.ctx.query(load_plan, staff_id, on, on_done=lambda plan: self._plan(plan, finish))

    def _plan(self, plan: Any, finish: bool = False) -> None:
        self.plan = plan
        self.lost.empty = "No pupil loses support that day."
        self.cands.empty = "No one else is working that day."
        lost_id = self.lost.current_row().id if self.lost.current_row() else None
        self.lost_model.set_rows(plan.lost)
        self.cand_model.set_rows(plan.candidates)
        if plan.on.weekday() > 4:
            text = f"{fmt.date(plan.on)} is a weekend."
        elif not plan.lost:
            text = f"{plan.staff_name} supports no pupil on {fmt.date(plan.on)}."
        else:
            open_ = [r for r in plan.lost if r.uncovered_sessions]
            lose = "loses" if len(plan.lost) == 1 else "lose"
            text = (
                f"On {plan.on:%A} {fmt.date(plan.on)}, {fmt.count(len(plan.lost), 'pupil')} "
                f"{lose} {plan.staff_name}'s support; {len(open_)} still "
                f"{'needs' if len(open_) == 1 else 'need'} cover."
            )
        self.summary.setText(text)
        if not (lost_id and self.lost.select_id(lost_id)) and plan.lost:
            self.lost.selectRow(0)
        self._selection()
        if finish:
            self.finish_loading()
        else:
            self.loaded.emit()

    def _selection(self) -> None:
        lost = self.lost.current_row()
        self.cand_model.set_selected(lost.assignment_id if lost else None)
        cand = self.cands.current_row()
        ok = bool(lost and cand and lost.uncovered_sessions & cand.free)
        self.assign.setEnabled(ok)
        self.undo.setEnabled(bool(lost and lost.cover_lines))
        if ok:
            self.assign.setText(
                f"A&ssign {cand.name} to cover {day_sessions(lost.uncovered_sessions & cand.free)}"
            )
        elif lost and cand and not lost.uncovered_sessions:
            self.assign.setText(f"A&ssign cover ({lost.pupil_name} is covered)")
        elif lost and cand:
            self.assign.setText(f"A&ssign cover ({cand.name} is not free then)")
        else:
            self.assign.setText("A&ssign cover")

    def undo_cover(self) -> None:
        lost = self.lost.current_row()
        if lost is None or not lost.cover_lines:
            self.ctx.status.emit("Choose a pupil whose cover you want to remove.")
            return
        from ..models.cover import covered_text

        said = covered_text(lost).split(", ")
        gone = "; ".join(p for p in said if not p.endswith("not covered"))
        self.ctx.change(
            undo_cover,
            [aid for aid, _n, _m in lost.cover_lines],
            reason="cover undone",
            on_done=lambda _n: self.ctx.status.emit(
                f"Cover removed for {lost.pupil_name}: {gone}."
            ),
        )

    def print_sheet(self) -> None:
        """The cover sheet for the day chosen (whoever is absent), in the report preview."""
        on = self.day.value()
        if on is None:
            self.ctx.status.emit("Type the day the cover sheet is for.")
            self.day.setFocus()
            return
        from ..reports import show_pdf

        self.ctx.status.emit("Making the cover sheet…")
        self.ctx.query(
            make_cover_sheet,
            on,
            self.ctx.today,
            on_done=lambda result: show_pdf(
                self.ctx.window,  # type: ignore[arg-type]
                "Cover sheet",
                result[1],
                stem=f"cover-sheet_{on.isoformat()}",
                report=result[0],
            ),
        )

    def choose_cover(self) -> None:
        """Enter on a pupil: on to the staff who could cover them (Enter there assigns)."""
        if self.cand_model.rowCount():
            self.cands.setFocus()
            if not self.cands.currentIndex().isValid():
                self.cands.selectRow(0)

    def assign_cover(self) -> None:
        lost, cand = self.lost.current_row(), self.cands.current_row()
        if self.plan is None or lost is None or cand is None:
            self.ctx.status.emit("Choose a pupil who loses support, then who is to cover.")
            return
        sessions = lost.uncovered_sessions & cand.free
        if not sessions:  # say why Enter did nothing
            self.ctx.status.emit(
                f"{lost.pupil_name} is covered already."
                if not lost.uncovered_sessions
                else f"{cand.name} is not free when {lost.pupil_name} loses support."
            )
            return
        values = {
            "staff_id": cand.staff_id,
            "pupil_id": lost.pupil_id,
            "role": AssignmentRole.COVER,
            "sessions": sessions,
            "weekly_minutes": lost.minutes_for(sessions),
            "start_date": self.plan.on,
            "end_date": self.plan.on,
        }
        self.ctx.change(
            assign_cover,
            values,
            reason="cover",
            on_done=lambda _id: self.ctx.status.emit(f"{cand.name} is covering {lost.pupil_name}."),
        )
