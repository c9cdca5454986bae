"""Records: quick entry of a support note, observation or incident for a pupil (linked to
an EHCP outcome), beside a log that filters as you type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sencodesk import vocab
from sencodesk.changes import Change
from sencodesk.errors import ValidationError
from sencodesk.vocab import RecordKind

from ..context import Context
from ..dialogs.record_editor import (
    INCIDENT_ONLY,
    build_record_form,
    load_outcome_choices,
    load_record_choices,
    record_values,
)
from ..models.reviews import RecordModel
from ..roles import mark
from ..widgets.fields import ChoiceField
from ..widgets.form import Form
from ..widgets.table import FilterBox, Table
from .base import Page

if TYPE_CHECKING:
    from sencodesk.store import Session


def load_log(s: Session, kind: str | None) -> list[Any]:
    from sencodesk.queries.records import list_records

    return list_records(s, kind=kind, limit=2000)


def save_record(s: Session, values: dict[str, Any]) -> int:
    from sencodesk import commands

    return commands.save_record(s, values)


class RecordsPage(Page):
    TITLE = "Records"
    WATCHES = frozenset({Change.RECORD, Change.PUPIL, Change.STAFF, Change.OUTCOME})

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        split = QSplitter()
        entry = QGroupBox("New record")
        self.entry = entry
        el = QVBoxLayout(entry)
        self.form = Form()
        build_record_form(self.form, with_pupil=True)
        from sencodesk.checks import text_limits

        self.form.apply_limits(text_limits("record"))  # counted down as you type, as in the editor
        scroll = QScrollArea()
        scroll.setObjectName("formScroll")  # no frame, the group box's background
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: its fields are
        scroll.setWidget(self.form)
        # As wide as the form needs (with room for a scroll bar when an incident's fields
        # make it tall), never clipped sideways; the log gets the rest.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entry_scroll = scroll
        self._fit_entry_width()
        # An incident's rows bring longer labels ("Behaviour (what happened)"): the form
        # widens with them rather than clip its boxes at the right edge.
        self.form.fields["kind"].currentIndexChanged.connect(lambda _i: self._fit_entry_width())
        el.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.save_button = QPushButton("&Save record")
        self.save_button.setObjectName("primary")
        mark(self.save_button, "record")
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton("Clea&r")
        mark(self.clear_button, "record")
        self.clear_button.clicked.connect(self.clear_entry)
        row.addWidget(self.save_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        el.addLayout(row)
        split.addWidget(entry)

        log = QWidget()
        ll = QVBoxLayout(log)
        ll.setContentsMargins(0, 0, 0, 0)
        self.model = RecordModel()
        self.table = Table(
            self.model,
            "Record log",
            (125, 115, 105, 95, 150),
            empty="No records yet. Choose a pupil in the form on the left to record a "
            "support session, an observation or an incident.",
        )
        top = QHBoxLayout()
        self.filter = FilterBox(
            self.table, "Filter the log by pupil, kind, author or words…", "Filter records"
        )
        self.filter.setObjectName("filter")
        self.kind = ChoiceField(list(vocab.RECORD_KIND_LABELS.items()), blank="All kinds")
        self.kind.setAccessibleName("Kind of record")
        self.kind.edited.connect(self.refresh)
        top.addWidget(self.filter, 1)
        top.addWidget(self.kind)
        ll.addLayout(top)
        ll.addWidget(self.table, 1)
        split.addWidget(log)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([1, 10000])  # the form at its narrowest; the log gets the rest
        self.outer.addWidget(split, 1)
        self.table.row_activated.connect(self.edit_record)
        self.form.fields["pupil_id"].edited.connect(self._pupil_changed)
        self._fresh_entry()

    def _fit_entry_width(self) -> None:
        layout = self.form.layout()
        if layout is not None:
            layout.invalidate()  # the rows just shown or hidden count at once
        bar = self.entry_scroll.verticalScrollBar().sizeHint().width()
        self.entry_scroll.setMinimumWidth(self.form.minimumSizeHint().width() + bar)

    def read_only(self) -> bool:
        return bool(getattr(self.ctx.window, "read_only", False))

    def load(self) -> None:
        # Read only (another SENCO Desk has the file open for changes): the log, no entry.
        ro = self.read_only()
        self.entry.setEnabled(not ro)
        self.entry.setTitle("New record (read only: nothing can be saved)" if ro else "New record")
        self.ctx.query(load_record_choices, None, self.ctx.today, on_done=self._choices)
        self.ctx.query(load_log, self.kind.value(), on_done=self._loaded, on_error=self.load_failed)

    def _choices(self, c: dict[str, Any]) -> None:
        self.form.set_choices("pupil_id", c["pupils"], "(choose)")
        self.form.set_choices("author_id", c["staff"], "(me / not recorded)")

    def _loaded(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.finish_loading()

    def _pupil_changed(self) -> None:
        pid = self.form.fields["pupil_id"].value()
        if pid is None:
            self.form.set_choices("outcome_id", [], "(not linked)")
            return
        self.ctx.query(
            load_outcome_choices,
            pid,
            on_done=lambda rows: self.form.set_choices("outcome_id", rows, "(not linked)"),
        )

    # ------------------------------------------------------------------ entry

    def _fresh_entry(self, keep: dict[str, Any] | None = None) -> None:
        import datetime as dt

        now = dt.datetime.now().replace(second=0, microsecond=0)
        values = {
            "kind": RecordKind.SUPPORT,
            "text": "",
            "minutes": 0,
            "progress": 0,
            "occurred_at": dt.datetime.combine(self.ctx.today, now.time()),
        }
        values.update({n: "" for n in INCIDENT_ONLY})
        values.update(
            {"physical_intervention": False, "parents_informed": False, "outcome_id": None}
        )
        values.update(keep or {})
        self.form.set_values(values)

    def focus_entry(self, pupil_id: int | None = None, kind: str | None = None) -> None:
        if pupil_id is not None:
            self.form.fields["pupil_id"].set_value(pupil_id)
        if kind is not None:
            self.form.fields["kind"].set_value(kind)
        self.form.fields["pupil_id"].setFocus()

    def clear_entry(self) -> None:
        self._fresh_entry()

    def save(self) -> None:
        if self.read_only():
            return
        self.form.clear_errors()
        if bad := self.form.input_errors():  # each says why beside it; never a guess saved
            self.form.fields[next(iter(bad))].setFocus()
            return
        self.save_button.setEnabled(False)
        self.ctx.change(
            save_record,
            record_values(self.form),
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, _record_id: int) -> None:
        self.save_button.setEnabled(True)
        keep = {
            "pupil_id": self.form.fields["pupil_id"].value(),
            "author_id": self.form.fields["author_id"].value(),
        }
        self._fresh_entry(keep)
        self.ctx.status.emit("Record saved.")
        self.form.fields["kind"].setFocus()

    def _failed(self, exc: BaseException, tb: str) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.form.show_errors(exc.errors)
        else:
            self.ctx.error(exc, tb)

    def edit_record(self, row: Any) -> None:
        from ..dialogs.record_editor import RecordEditor

        if self.save_button.isHidden():  # a read-only role: not offered the editor
            return

        RecordEditor(self.ctx, pupil_id=row.pupil_id, row=row, parent=self).open()

    def confirm_leave(self) -> bool:
        from ..dialogs import ask as dlg

        if not self.form.dirty:
            return True
        answer = dlg.ask_save(self, "the new record")
        if answer == dlg.CANCEL:
            return False
        if answer == dlg.SAVE:
            self.save()
            return False
        self._fresh_entry()
        return True

    def export_table(self) -> Table:
        return self.table
