"""First run: the database has no school yet. Load the demo school, or start empty."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sencodesk.errors import ValidationError
from sencodesk.rules.schooldays import suggested_half_terms

from .. import ops
from ..context import ALL, Context
from ..widgets.fields import DateField, TextField
from ..widgets.form import Form
from .progress import run_with_progress


def academic_year(on: dt.date) -> int:
    return on.year if on.month >= 8 else on.year - 1


class FirstRunDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Welcome to SENCO Desk")
        self.setAccessibleName("Welcome to SENCO Desk")
        lay = QVBoxLayout(self)
        intro = QLabel(
            "This database is new. You can look around a made-up demo school "
            "first, or set up your own school now."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.demo = QRadioButton("Load the &demo school (made-up pupils and staff)")
        self.empty = QRadioButton("&Start empty with my school")
        self.demo.setAccessibleName("Load the demo school")
        self.empty.setAccessibleName("Start empty")
        group = QButtonGroup(self)
        group.addButton(self.demo)
        group.addButton(self.empty)
        self.empty.setChecked(True)
        lay.addWidget(self.demo)
        lay.addWidget(self.empty)
        # A new school's pupils are on its MIS: offered here, after the school is set up.
        self.mis = QCheckBox("Then &bring in pupils from the MIS (SIMS, Arbor, Bromcom…)")
        self.mis.setAccessibleName("Bring in pupils from the MIS")
        self.mis.setStyleSheet("margin-left: 20px")
        lay.addWidget(self.mis)

        self.form = Form()
        self.year = academic_year(ctx.today)
        self.form.add("name", "School &name", TextField())
        self.form.add(
            "la_name",
            "&Local authority",
            TextField(),
            tip="The LA that maintains most of your pupils' EHCPs",
        )
        self.form.add_widget(
            QLabel(
                f"Term dates for {self.year}/{self.year + 1} (first and last day of each half-term)"
            )
        )
        for i, (start, end) in enumerate(suggested_half_terms(self.year), start=1):
            s, e = DateField(optional=False), DateField(optional=False)
            s.set_value(start)
            e.set_value(end)
            self.form.add(f"half-term {i}: start", f"Half-term {i} starts", s)
            self.form.add(f"half-term {i}: end", f"Half-term {i} ends", e)
        lay.addWidget(self.form)
        self.demo.toggled.connect(lambda on: self.form.setEnabled(not on))
        self.demo.toggled.connect(lambda on: self.mis.setEnabled(not on))
        # A school with a SENCO Desk server: sign in to it rather than set up a new file.
        self.server = QPushButton("My school has a server: s&ign in…")
        self.server.setAccessibleName("Sign in to the school's server")
        self.server.clicked.connect(self.sign_in)
        lay.addWidget(self.server, 0, Qt.AlignmentFlag.AlignLeft)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Continue")
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def go(self) -> None:
        if self.demo.isChecked():
            self.hide()
            run_with_progress(
                self.ctx,
                self.parentWidget(),
                "Loading the demo school",
                ops.build_demo,
                420,  # the demo school of issue 2: a 420-pupil primary, ~60 on the SEN register
                1,
                self.ctx.today,
                on_done=lambda _r: self.accept(),
                on_failed=self.show,
                changes={ALL},
            )
            return
        self.form.clear_errors()
        if bad := self.form.input_errors():
            self.form.fields[next(iter(bad))].setFocus()  # each says why beside it
            return
        v = self.form.values()
        terms = [(v[f"half-term {i}: start"], v[f"half-term {i}: end"]) for i in range(1, 7)]
        self.ctx.change(
            ops.set_up_school,
            v["name"],
            v["la_name"],
            self.year,
            terms,
            on_done=lambda _r: self._set_up(),
            on_error=self._failed,
            changes={ALL},
        )

    def _set_up(self) -> None:
        self.accept()
        if self.mis.isChecked():
            from .mis_import import MisImportDialog

            MisImportDialog(self.ctx, self.ctx.window).open()

    def sign_in(self) -> None:
        from ..signin import sign_in

        self.reject()
        sign_in(self.ctx.window)

    def _failed(self, exc: BaseException, tb: str) -> None:
        if isinstance(exc, ValidationError):
            self.form.show_errors(exc.errors)
        else:
            self.ctx.error(exc, tb)
