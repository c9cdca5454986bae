"""Review packs for every meeting in a date range: one PDF per pupil in a folder, and
optionally one merged file. Runs on the database worker with a progress bar and Cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import format as fmt
from .. import printing
from ..context import Context
from ..widgets.fields import DateField
from . import ask as dlg
from .progress import run_with_progress

if TYPE_CHECKING:
    from sencodesk.store import Store

DEFAULT_WEEKS = 6  # a half-term


def choose_folder(parent: QWidget | None, title: str, start: str) -> str:
    """The folder chooser (tests replace this)."""
    return QFileDialog.getExistingDirectory(parent, title, start)


def count_meetings(store: Store, start: dt.date, end: dt.date) -> int:
    from sencodesk.reports.batch import pack_jobs

    return len(pack_jobs(store, start, end)) if end >= start else 0


def make_packs(
    store: Store,
    state: Any,
    start: dt.date,
    end: dt.date,
    folder: Path,
    merged: bool,
    today: dt.date,
    internal: bool = False,
    word: bool = False,
) -> list[Path]:
    """The job (in the worker): ``batch.build_review_packs`` reporting to the progress bar."""
    from sencodesk.reports.batch import build_review_packs
    from sencodesk.vocab import PackAudience

    def progress(done: int, total: int) -> None:
        packs = total - 1 if merged and total else total
        if done < packs:
            text = f"Review pack {done + 1} of {packs}…"
        elif done < total:
            text = "Merging the packs into one file…"
        else:
            text = "Done"
        state.set_progress(done, total, text)

    return build_review_packs(
        store,
        start,
        end,
        folder,
        merged=merged,
        progress=progress,
        cancel=state.is_cancelled,
        today=today,
        audience=PackAudience.INTERNAL if internal else PackAudience.INVITEES,
        word=word,
    )


def _date_edit(d: dt.date, name: str) -> DateField:
    # The app's date box: Tab goes on to the next box (Qt's steps through day, month and
    # year, and never leaves the first box of the dialog).
    edit = DateField(optional=False)
    edit.set_value(d)
    edit.setAccessibleName(name)
    return edit


class ReviewPacksDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent or ctx.window)
        self.ctx = ctx
        self.files: list[Path] = []
        self.setWindowTitle("Review packs for a date range")
        self.setAccessibleName("Review packs for a date range")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        today = ctx.today
        self.start = _date_edit(today, "From")
        self.end = _date_edit(today + dt.timedelta(weeks=DEFAULT_WEEKS), "To")
        from_label, to_label = QLabel("&From:"), QLabel("&To:")
        from_label.setBuddy(self.start)
        to_label.setBuddy(self.end)
        form.addRow(from_label, self.start)
        form.addRow(to_label, self.end)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        self.folder = QLineEdit(str(Path(docs or Path.home()) / "Review packs"))
        self.folder.setAccessibleName("Folder")
        browse = QPushButton("C&hoose…")
        browse.setAccessibleName("Choose the folder")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        folder_label = QLabel("F&older:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, row)
        self.merged = QCheckBox("&Also one merged PDF of them all")  # Alt+O is the folder
        form.addRow("", self.merged)
        # The invitee packs unless the SENCO asks for her own copies (Alt+I).
        self.internal = QCheckBox(
            "SENCO's &internal copies (staff contracts, all funding, deadline flags)"
        )
        self.internal.setAccessibleName("SENCO's internal copies")
        form.addRow("", self.internal)
        # Word copies to edit before circulating (Alt+W), beside the PDFs.
        self.word = QCheckBox("Also each pack as a &Word document, to edit")
        self.word.setAccessibleName("Also Word documents")
        form.addRow("", self.word)
        lay.addLayout(form)
        self.count = QLabel("")
        self.count.setObjectName("hint")
        self.count.setWordWrap(True)
        lay.addWidget(self.count)
        note = QLabel(
            "One PDF per meeting (and a Word file, if ticked), named by date and UPN (never "
            "by name). The packs hold "
            "sensitive information: choose a folder only the right people can open."
        )
        note.setObjectName("hint")
        note.setWordWrap(True)
        lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.make = buttons.addButton("&Make the packs", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.start_batch)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.start.edited.connect(self.update_count)
        self.end.edited.connect(self.update_count)
        self.update_count()

    def dates(self) -> tuple[dt.date, dt.date]:
        start = self.start.value() or self.ctx.today
        end = self.end.value() or start
        return start, end

    def update_count(self, *_: Any) -> None:
        if self.start.input_error() or self.end.input_error():
            self.count.setText("Put the dates right to count the meetings.")
            self.make.setEnabled(False)  # never made for a date the SENCO did not type
            return
        start, end = self.dates()
        if end < start:
            self.count.setText("The end date is before the start date.")
            self.make.setEnabled(False)
            return
        self.ctx.run(count_meetings, start, end, on_done=self._counted)

    def _counted(self, n: int) -> None:
        start, end = self.dates()
        self.make.setEnabled(n > 0)
        meetings = f"{n} review meeting{'s' if n != 1 else ''}"
        self.count.setText(
            f"{meetings} from {fmt.date(start)} to {fmt.date(end)}."
            if n
            else "No review meetings in these dates."
        )

    def browse(self) -> None:
        path = choose_folder(self, "Folder for the review packs", self.folder.text())
        if path:
            self.folder.setText(path)

    def start_batch(self) -> None:
        if self.start.input_error() or self.end.input_error():
            return
        start, end = self.dates()
        folder = Path(self.folder.text().strip())
        if not str(folder).strip() or str(folder) == ".":
            dlg.tell(self, "Review packs", "Choose a folder for the packs.", warning=True)
            return
        self.make.setEnabled(False)
        self.box, self.state = run_with_progress(
            self.ctx,
            self,
            "Making review packs",
            make_packs,
            start,
            end,
            folder,
            self.merged.isChecked(),
            self.ctx.today,
            self.internal.isChecked(),
            self.word.isChecked(),
            on_done=self._done,
            on_failed=lambda: self.make.setEnabled(True),
        )

    def _done(self, files: list[Path]) -> None:
        self.files = files
        self.make.setEnabled(True)
        folder = Path(self.folder.text().strip())
        packs = len([f for f in files if "_review-pack_" in f.name and f.suffix == ".pdf"])
        words = len([f for f in files if f.suffix == ".docx"])
        self.ctx.status.emit(f"Wrote {packs} review packs to {folder}")
        if dlg.ask(
            self,
            "Review packs",
            f"Wrote {packs} review pack{'s' if packs != 1 else ''} to {folder}"
            + (f", {words} Word document{'s' if words != 1 else ''}" if words else "")
            + (", and one merged file" if len(files) > packs + words else "")
            + ".\n\nOpen the folder?",
            default_yes=True,
        ):
            printing.open_url(QUrl.fromLocalFile(str(folder)))
        self.accept()


def set_range(dialog: ReviewPacksDialog, start: dt.date, end: dt.date) -> None:
    """For tests and callers with a range in mind (a half-term)."""
    dialog.start.set_value(start)
    dialog.end.set_value(end)
