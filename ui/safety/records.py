"""What the records say and who may see them: History of a row, the retention review, and
a subject access request for the open pupil."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from ..dialogs import ask as dlg
from .state import SafetyState

# The row types of the lists, and the audited table each one is a row of (for History).
ROW_TABLES = {
    "PupilRow": "pupil",
    "PupilDetail": "pupil",
    "StaffRow": "staff",
    "StaffDetail": "staff",
    "FundingRow": "funding",
    "ContractRow": "contract",
    "AssignmentRow": "assignment",
    "OutcomeRow": "outcome",
    "RecordRow": "record",
    "ReviewRow": "review_meeting",
    "QualificationRow": "qualification",
    "TrainingRow": "training",
    "DbsRow": "dbs_check",
}


def choose_folder(parent: QWidget | None, title: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title)


class Records(SafetyState):
    def history_target(self) -> tuple[str, int, str] | None:
        """What History is about: the row selected in the table that has the focus, else
        the pupil or member of staff whose page is open."""
        from ..widgets.table import Table

        focus = QApplication.focusWidget()
        if isinstance(focus, Table) and self.win.isAncestorOf(focus):
            found = _row_target(focus.current_row())
            if found is not None:
                return found
        page = self.win.current_page()
        view = getattr(page, "view", None)
        inner = getattr(page, "inner", None)
        if view is None or inner is None or inner.currentWidget() is not view:
            return None
        tab = view.tabs.currentWidget() if hasattr(view, "tabs") else None
        table = getattr(tab, "table", None)
        if isinstance(table, Table):
            found = _row_target(table.current_row())
            if found is not None:
                return found
        return _row_target(getattr(view, "detail", None))

    def show_history(self) -> Any:
        if not self.win.worker.has_store:
            dlg.tell(self.win, "History", "Open a database first.")
            return None
        target = self.history_target()
        if target is None:
            dlg.tell(
                self.win,
                "History",
                "Open a pupil or a member of staff (or select a row in a list) to see its history.",
            )
            return None
        from ..dialogs.history import show_history

        table, row_id, what = target
        return show_history(self.win.ctx, table, row_id, what, self.win)

    def show_retention(self) -> Any:
        if not self.win.worker.has_store:
            dlg.tell(self.win, "Records past retention", "Open a database first.")
            return None
        from ..dialogs.retention import show_retention

        return show_retention(self.win.ctx, self.win)

    def open_pupil_id(self) -> int | None:
        """The pupil whose page is open, if any."""
        if "pupils" not in self.win.pages or self.win.current_key != "pupils":
            return None
        page = self.win.pages["pupils"]
        view = getattr(page, "view", None)
        if view is None or page.inner.currentWidget() is not view:  # type: ignore[attr-defined]
            return None
        return getattr(view, "pupil_id", None)

    def subject_access(self) -> None:
        from .. import safety_ops

        pupil_id = self.open_pupil_id()
        if pupil_id is None:
            dlg.tell(
                self.win,
                "Subject access request",
                "Open the pupil's page first (Pupils, then the pupil), then choose "
                "File > Subject access request….",
            )
            return
        folder = choose_folder(self.win, "Folder for the subject access files")
        if not folder:
            return

        def _done(files: Any) -> None:
            dlg.tell(
                self.win,
                "Subject access request",
                f"Wrote everything held about the pupil into {folder}:\n\n"
                f"• {Path(files.json).name}\n• {Path(files.pdf).name} ({files.pages} pages)\n\n"
                "These files are OFFICIAL-SENSITIVE (special-category data about a child): "
                "check them for other people's information, send them securely, and delete "
                "your copies once the request is answered (within one month).",
            )

        self.win.ctx.status.emit("Writing the subject access files…")
        self.win.ctx.run(
            safety_ops.subject_access, pupil_id, Path(folder), self.win.ctx.today, on_done=_done
        )


def _row_target(row: Any) -> tuple[str, int, str] | None:
    if row is None:
        return None
    inner = getattr(row, "row", None)  # a detail (PupilDetail, StaffDetail) wraps its row
    if inner is not None and type(inner).__name__ in ROW_TABLES:
        row = inner
    table = ROW_TABLES.get(type(row).__name__)
    row_id = getattr(row, "id", None)
    if table is None or not isinstance(row_id, int):
        return None
    what = getattr(row, "name", "") or getattr(row, "pupil_name", "") or ""
    if table not in ("pupil", "staff"):
        who = getattr(row, "pupil_name", "") or getattr(row, "staff_name", "")
        what = who or what
    return table, row_id, str(what)
