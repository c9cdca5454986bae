"""File > Import from MIS…: choose the file, map its columns (a spreadsheet), preview with
ticks and counts, then apply with a progress bar and Cancel. Every step runs on the
database worker (``ui/mis_ops.py``); nothing is written before "Import"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import mis_ops
from ..context import ALL, Context
from . import ask as dlg
from . import files
from .mis_preview import PreviewTree
from .progress import run_with_progress

FILTER = "MIS exports (*.xml *.csv *.xlsx);;Common Transfer File (*.xml);;Lists (*.csv *.xlsx)"
NO_COLUMN = "(not in the file)"
WHERE = (
    "<p><b>Where to find the file</b> (a CTF export may need your data manager):</p>"
    "<p><b>SIMS</b>: Routines &gt; Data Out &gt; CTF &gt; Export CTF; or a report from "
    "Reports &gt; Design Report, exported as CSV or Excel.<br>"
    "<b>Arbor</b>: Students &gt; Data &gt; Common Transfer Files &gt; Export CTF; or the "
    "Student List, downloaded as CSV or XLSX.<br>"
    "<b>Bromcom</b>: Data Exchange &gt; CTF &gt; Export; or Report Writer, exported to "
    "Excel/CSV.<br>"
    "<b>ScholarPack</b>: Admin &gt; Data Exports &gt; CTF Export; or a custom report as "
    "CSV.</p><p>The list needs legal surname, forename and date of birth; add UPN, year, "
    "registration group, admission date, SEN status and needs if you can.</p>"
)
FILE, COLUMNS, PREVIEW = 0, 1, 2


class MisImportDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent or ctx.window)
        self.ctx = ctx
        self.setWindowTitle("Import from MIS")
        self.setAccessibleName("Import from MIS")
        self.resize(760, 560)
        self.columns: Any = None  # SheetColumns of a spreadsheet, None for a CTF
        self.plan: Any = None
        self.result: Any = None
        lay = QVBoxLayout(self)
        self.steps = QStackedWidget()
        self.steps.addWidget(self._file_page())
        self.steps.addWidget(self._columns_page())
        self.preview = PreviewTree()
        self.steps.addWidget(self.preview)
        lay.addWidget(self.steps, 1)
        # Back, Next (or Import), Cancel: in the order of a wizard, on every platform
        row = QHBoxLayout()
        row.addStretch(1)
        self.back = QPushButton("< &Back")
        self.next = QPushButton("&Next >")
        self.go = QPushButton("&Import")
        cancel = QPushButton("Cancel")
        for b in (self.back, self.next, self.go, cancel):
            b.setAutoDefault(False)
            row.addWidget(b)
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.go.clicked.connect(self.start_import)
        cancel.clicked.connect(self.reject)
        lay.addLayout(row)
        self._show(FILE)

    # ------------------------------------------------------------------ pages

    def _file_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        intro = QLabel(
            "Choose a Common Transfer File (.xml) or a list exported from your MIS (.csv or "
            ".xlsx). You will see what would change before anything is written."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        where = QLabel(WHERE)
        where.setObjectName("hint")
        where.setWordWrap(True)
        where.setTextFormat(Qt.TextFormat.RichText)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("File")
        label = QLabel("&File:")
        label.setBuddy(self.path)
        browse = QPushButton("C&hoose…")
        browse.clicked.connect(self.browse)
        row.addWidget(label)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        self.kind_pupils = QRadioButton("The list is of &pupils")
        self.kind_staff = QRadioButton("The list is of &staff")
        self.kind_pupils.setChecked(True)
        self.kind_chosen = False  # until the SENCO picks one, it is guessed from the headings
        self.kind_pupils.clicked.connect(self._kind_clicked)
        self.kind_staff.clicked.connect(self._kind_clicked)
        group = QButtonGroup(page)
        group.addButton(self.kind_pupils)
        group.addButton(self.kind_staff)
        lay.addWidget(self.kind_pupils)
        lay.addWidget(self.kind_staff)
        lay.addWidget(where)
        lay.addStretch(1)
        return page

    def _columns_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.columns_intro = QLabel("")
        self.columns_intro.setWordWrap(True)
        lay.addWidget(self.columns_intro)
        self.form = QFormLayout()
        lay.addLayout(self.form)
        self.combos: dict[str, QComboBox] = {}
        self.save_as = QLineEdit()
        self.save_as.setAccessibleName("Save this mapping as")
        self.save_as.setPlaceholderText("e.g. SIMS roll (leave empty not to save)")
        save_label = QLabel("Save this &mapping as:")
        save_label.setBuddy(self.save_as)
        lay.addWidget(save_label)
        lay.addWidget(self.save_as)
        lay.addStretch(1)
        return page

    def _show(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.back.setVisible(step != FILE)
        self.next.setVisible(step != PREVIEW)
        self.go.setVisible(step == PREVIEW)
        self.go.setEnabled(step == PREVIEW)
        (self.go if step == PREVIEW else self.next).setDefault(True)  # Enter goes on

    def browse(self) -> None:
        path = files.choose_open_file(self, "Import from MIS", FILTER)
        if path:
            self.path.setText(path)

    def _kind_clicked(self) -> None:
        self.kind_chosen = True

    def kind(self) -> str:
        return "staff" if self.kind_staff.isChecked() else "pupils"

    # ------------------------------------------------------------------ steps

    def go_back(self) -> None:
        step = self.steps.currentIndex()
        self._show(COLUMNS if step == PREVIEW and self.columns is not None else FILE)

    def go_next(self) -> None:
        step = self.steps.currentIndex()
        if step == FILE:
            text = self.path.text().strip()
            if not text or not Path(text).is_file():
                dlg.tell(self, "Import from MIS", "Choose the file to import.", warning=True)
                return
            self.next.setEnabled(False)
            self.ctx.query(
                mis_ops.read_columns,
                Path(text),
                self.kind() if self.kind_chosen else None,
                None,
                on_done=self._columns_read,
                on_error=self._failed,
            )
        elif step == COLUMNS:
            self._make_preview()

    def _failed(self, exc: BaseException, tb: str) -> None:
        self.next.setEnabled(True)
        self.ctx.error(exc, tb)

    def _columns_read(self, columns: Any) -> None:
        self.next.setEnabled(True)
        self.columns = columns
        if columns is None:  # a CTF: straight to the preview
            self._make_preview()
            return
        if columns.kind == "staff":
            self.kind_staff.setChecked(True)
        self._fill_columns(columns)
        self._show(COLUMNS)

    def _fill_columns(self, columns: Any) -> None:
        from sencodesk.mis.sheet import fields_of

        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        for field, (label, _known) in fields_of(columns.kind).items():
            combo = QComboBox()
            combo.addItems([NO_COLUMN, *[h for h in columns.headings if h]])
            heading = columns.mapping.get(field)
            if heading and combo.findText(heading) >= 0:
                combo.setCurrentText(heading)
            combo.setAccessibleName(label)
            self.combos[field] = combo
            self.form.addRow(label + ":", combo)
        how = (
            f"The saved mapping '{columns.saved_name}' fits this file."
            if columns.saved_name
            else "These are guesses from the column headings: check each one."
        )
        self.columns_intro.setText(
            f"Which column holds what? {how} Name the mapping to have next term's file "
            "mapped the same way."
        )
        self.save_as.setText(columns.saved_name)

    def mapping(self) -> dict[str, str]:
        return {f: c.currentText() for f, c in self.combos.items() if c.currentText() != NO_COLUMN}

    def _make_preview(self) -> None:
        path = Path(self.path.text().strip())
        kind = None if self.columns is None else self.columns.kind
        mapping = self.mapping() if self.columns is not None else None
        self.next.setEnabled(False)
        self.box, self.state = run_with_progress(
            self.ctx,
            self,
            "Reading the file",
            mis_ops.make_preview,
            path,
            kind,
            mapping,
            on_done=self._previewed,
            query=True,
            on_failed=lambda: self.next.setEnabled(True),
        )

    def _previewed(self, plan: Any) -> None:
        self.next.setEnabled(True)
        self.plan = plan
        self.preview.show_plan(plan)
        self._show(PREVIEW)

    # ------------------------------------------------------------------ apply

    def start_import(self) -> None:
        if self.plan is None:
            return
        choices = self.preview.choices()
        if not choices.count() and not self.plan.mis_updates:
            dlg.tell(self, "Import from MIS", "Nothing is ticked: there is nothing to import.")
            return
        self.go.setEnabled(False)
        save_as = self.save_as.text().strip() if self.columns is not None else ""
        mapping = self.mapping() if self.columns is not None else None
        self.box, self.state = run_with_progress(
            self.ctx,
            self,
            "Importing",
            mis_ops.apply_choices,
            self.plan,
            choices,
            on_done=lambda result: self._imported(result, save_as, mapping),
            on_failed=lambda: self.go.setEnabled(True),
            changes=(ALL,),
        )

    def _imported(
        self, result: Any, save_as: str = "", mapping: dict[str, str] | None = None
    ) -> None:
        if save_as and mapping:  # the import is done: then the mapping, for next time
            self.ctx.change(mis_ops.save_mapping, save_as, self.plan.kind, mapping)
        self.result = result
        text = result.summary(self.plan.kind) + f", from {self.plan.source.file_name}."
        self.ctx.status.emit(text)
        dlg.tell(self, "Import from MIS", text)
        self.accept()
