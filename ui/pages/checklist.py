"""Getting started: the first-run checklist on the Dashboard of a new school. One line per
step (``sencodesk.queries.setup``), ticked off as its records arrive, each with a button to
the place to do it; the panel goes when every step is done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..context import Context
from ..roles import fit_writes, mark

if TYPE_CHECKING:
    from sencodesk.store import Session

DONE, TO_DO = "✓", "○"


def load_setup(s: Session, today: dt.date) -> Any:
    from sencodesk.queries.setup import setup_state

    return setup_state(s, today)


class ChecklistPanel(QFrame):
    """Shown while the school has steps left; ``loaded`` after each refresh. The Dashboard
    refreshes it whenever it reloads (after a change to what it watches)."""

    loaded = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: Any = None
        self.setObjectName("checklist")
        self.setAccessibleName("Getting started")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        self.title = QLabel("<b>Getting started</b>")
        lay.addWidget(self.title)
        # The steps scroll rather than hold the window taller than a small screen: the panel
        # takes the height its rows want where there is room, and no more.
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(2)
        area = QScrollArea()
        area.setObjectName("formScroll")  # no frame, the panel's background
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setWidget(inner)
        area.setMinimumHeight(60)
        self.area, self.inner = area, inner
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its buttons are the Tab stops
        lay.addWidget(area)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.buttons: dict[str, list[QPushButton]] = {}
        self.ticks: dict[str, QLabel] = {}
        self.details: dict[str, QLabel] = {}
        self.hide()  # until the first count says there is something to do

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        if not self.ctx.worker.has_store:
            return
        self.ctx.query(load_setup, self.ctx.today, on_done=self.show_state)

    def show_state(self, state: Any) -> None:
        self.state = state
        if state.done:
            self.hide()
            self.loaded.emit()
            return
        if not self.ticks:
            self._build(state)
        for st in state.steps:
            self.ticks[st.key].setText(DONE if st.done else TO_DO)
            self.ticks[st.key].setAccessibleName("Done" if st.done else "To do")
            self.details[st.key].setText(f"<b>{st.title}</b>: {st.detail}")
            for b in self.buttons[st.key]:
                b.setDefault(False)
        n = len(state.steps)
        self.title.setText(
            f"<b>Getting started</b>: {n - state.left} of {n} done. "
            "Each button takes you to the place to do it."
        )
        self.show()
        self.loaded.emit()

    def _build(self, state: Any) -> None:
        actions = self._actions()
        for row, st in enumerate(state.steps):
            tick = QLabel()
            detail = QLabel()
            detail.setWordWrap(True)
            self.grid.addWidget(tick, row, 0)
            self.grid.addWidget(detail, row, 1)
            self.ticks[st.key], self.details[st.key] = tick, detail
            buttons = []
            for col, (text, what, fn) in enumerate(actions[st.key], start=2):
                b = QPushButton(text)
                b.setAccessibleName(text.replace("&", "").rstrip("…"))
                if what:
                    mark(b, what)  # greyed out where this login may not change it
                b.clicked.connect(lambda _=False, f=fn: f())
                self.grid.addWidget(b, row, col)
                buttons.append(b)
            self.buttons[st.key] = buttons
        self.grid.setColumnStretch(1, 1)
        # No taller than its rows (the alerts below get the rest), shorter where it must.
        self.area.setMaximumHeight(self.inner.sizeHint().height() + 2)
        # Built after the page was fitted to who is signed in: fitted now, as the page was.
        fit_writes(self, getattr(self.ctx.window, "signed_in", None))

    # ------------------------------------------------------------------ the places to go

    def _actions(self) -> dict[str, list[tuple[str, str, Callable[[], Any]]]]:
        # Each button's Alt key is its own on the Dashboard (the menus have E, F, H and V).
        win: Any = self.ctx.window
        from .. import actions

        return {
            "school": [("&School settings…", "school", lambda: actions.school_settings(win))],
            "term_dates": [("&Term dates…", "term_date", self.term_dates)],
            "las": [("Add a &local authority…", "local_authority", self.add_la)],
            "staff": [
                ("&Add staff…", "staff", lambda: actions.new_staff(win)),
                ("Staff pa&ge", "", lambda: win.show_page("staff")),
            ],
            "pupils": [
                ("Bring in pupils from the &MIS…", "pupil", self.import_mis),
                ("Add a p&upil…", "pupil", lambda: actions.new_pupil(win)),
            ],
            "funding": [("&Pupils page", "", lambda: win.show_page("pupils"))],
            "assignments": [("Ass&ign on the Staff page", "", lambda: win.show_page("staff"))],
        }

    def import_mis(self) -> Any:
        from ..dialogs.mis_import import MisImportDialog

        dialog = MisImportDialog(self.ctx, self.ctx.window)
        dialog.open()
        return dialog

    def term_dates(self) -> Any:
        from ..dialogs.term_dates import TermDatesEditor

        ed = TermDatesEditor(self.ctx)
        ed.open()
        return ed

    def add_la(self) -> None:
        from ..dialogs import ask
        from ..dialogs.pupil_editors import add_local_authority

        name = ask.ask_text(self, "New local authority", "The local authority's name:").strip()
        if not name:
            return
        self.ctx.change(
            add_local_authority,
            name,
            on_done=lambda _r: self.ctx.status.emit(f"Added {name} to the local authorities."),
            reason="local authority added from the getting-started list",
        )
