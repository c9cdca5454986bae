"""The meeting's record (#13): what an LA's review form asks for, written before or at the
meeting and saved with the meeting (``commands.save_review``): attendance and exclusions,
attainment, the advice received, changes to the needs (section B), health and social care,
the views and aspirations, the school's view, the amendments proposed, the recommendation to
the LA (or a SEN-support plan's next step), who came and who the report goes to.

Opened from the Reviews page ("Meeting record…") with the meeting's ``MeetingRecord``,
loaded by the worker. Every check is the core's: a bad row of the advice or amendments
comes back as "advice 2: summary is required" and is shown at the top of the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sencodesk import vocab
from sencodesk.rules.dates import format_date

from ..context import Context
from ..widgets.fields import ChoiceField, NotesField, TextField
from .editor import EditorDialog

if TYPE_CHECKING:
    from sencodesk.queries.review_record import MeetingRecord

# (key, heading, kind, choices): kind is "text", "choice" or "check"
Column = tuple[str, str, str, dict[str, str] | None]

ADVICE_COLUMNS: tuple[Column, ...] = (
    ("source", "From", "choice", vocab.ADVICE_SOURCE_LABELS),
    ("given_by", "Given by", "text", None),
    ("received_on", "Received", "text", None),
    ("summary", "Summary", "text", None),
    ("shared", "Shared", "check", None),
)
COLUMN_WIDTHS = {"source": 205, "given_by": 105, "received_on": 90, "shared": 60, "section": 240}
AMENDMENT_COLUMNS: tuple[Column, ...] = (
    ("section", "Section of the plan", "choice", vocab.PLAN_SECTION_LABELS),
    ("text", "Change proposed", "text", None),
)


class RowsField(QWidget):
    """A short list of rows to edit in a table (the advice, the amendments): Add and Remove,
    a choice column as a drop-down, a yes/no column as a tick box. ``value()`` is a list of
    dicts for the core, each with the ``id`` of the stored row it came from (None: new)."""

    edited = Signal()

    def __init__(self, columns: tuple[Column, ...], what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = columns
        self.ids: list[int | None] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([c[1] for c in columns])
        self.table.setAccessibleName(what)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(120)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next field
        self.table.setToolTip(
            "Received: the date as dd/mm/yyyy. Shared: may go to every invitee (untick to keep "
            "it to the SENCO's internal copy)."
        )
        head = self.table.horizontalHeader()
        for i, (key, _h, _kind, _c) in enumerate(columns):
            if key in ("summary", "text"):  # the words take what is left
                head.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                head.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
                head.resizeSection(i, COLUMN_WIDTHS.get(key, 120))
        self.table.itemChanged.connect(lambda *_: self.edited.emit())
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(f"Add {what}")
        self.remove_button = QPushButton(f"Remove {what}")
        self.add_button.clicked.connect(lambda: self.add_row({}))
        self.remove_button.clicked.connect(self.remove_row)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        lay.addLayout(row)

    def add_row(self, values: dict[str, Any], row_id: int | None = None) -> None:
        self.table.blockSignals(True)
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.ids.append(row_id)
        for i, (key, heading, kind, choices) in enumerate(self.columns):
            v = values.get(key)
            if kind == "choice" and choices is not None:
                box = QComboBox()
                box.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                box.setMinimumContentsLength(10)
                box.setAccessibleName(f"{heading}, row {r + 1}")
                for code, label in choices.items():
                    box.addItem(label, str(code))
                if v is not None:
                    box.setCurrentIndex(max(box.findData(str(v)), 0))
                box.currentIndexChanged.connect(lambda *_: self.edited.emit())
                self.table.setCellWidget(r, i, box)
            elif kind == "check":
                tick = QCheckBox()
                tick.setAccessibleName(f"{heading}, row {r + 1}")
                tick.setChecked(True if v is None else bool(v))
                tick.toggled.connect(lambda *_: self.edited.emit())
                self.table.setCellWidget(r, i, tick)
            else:
                self.table.setItem(r, i, QTableWidgetItem("" if v is None else str(v)))
        self.table.blockSignals(False)
        self._tab_order()
        if not values:
            self.table.setCurrentCell(r, 0)
            self.edited.emit()

    def _tab_order(self) -> None:
        """Tab goes from the table through its rows' drop-downs and tick boxes, then to
        Add and Remove (cell widgets are otherwise last in the dialog's focus chain)."""
        prev: QWidget = self.table
        for r in range(self.table.rowCount()):
            for i in range(len(self.columns)):
                w = self.table.cellWidget(r, i)
                if w is not None:
                    QWidget.setTabOrder(prev, w)
                    prev = w
        QWidget.setTabOrder(prev, self.add_button)
        QWidget.setTabOrder(self.add_button, self.remove_button)

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        self.table.removeRow(r)
        del self.ids[r]
        self._tab_order()
        self.edited.emit()

    def value(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.table.rowCount()):
            item: dict[str, Any] = {"id": self.ids[r]}
            for i, (key, _h, _kind, _c) in enumerate(self.columns):
                w = self.table.cellWidget(r, i)
                if isinstance(w, QComboBox):
                    item[key] = w.currentData()
                elif isinstance(w, QCheckBox):
                    item[key] = w.isChecked()
                else:
                    cell = self.table.item(r, i)
                    item[key] = cell.text().strip() if cell is not None else ""
            out.append(item)
        return out

    def set_value(self, rows: list[dict[str, Any]] | None) -> None:
        self.table.setRowCount(0)
        self.ids = []
        for row in rows or []:
            self.add_row(row, row.get("id"))


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


class MeetingRecordDialog(EditorDialog):
    """Edit what was written for one review meeting (an existing meeting only)."""

    def __init__(self, ctx: Context, rec: MeetingRecord, parent: QWidget | None = None) -> None:
        day = format_date(rec.meeting_at.date())
        # No name in the title: window titles show in the taskbar and when sharing a screen.
        super().__init__(ctx, f"Meeting record: review of {day}", "this meeting", parent)
        self.row_id = rec.id
        self.version = rec.version
        self.statutory = rec.sen_code == vocab.SenCode.EHCP
        f = self.form
        f.add_widget(QLabel(f"{rec.pupil_name}: the review meeting of {day}"))
        f.add_widget(_heading("Before the meeting"))
        f.add(
            "attendance_percent",
            "&Attendance %",
            TextField(),
            tip="The pupil's attendance this year, per cent (e.g. 94.5)",
        )
        f.add("exclusions", "&Suspensions and exclusions", NotesField(lines=2))
        f.add("attainment", "Attai&nment and progress", NotesField(lines=3))
        f.add("advice", "Advice &received", RowsField(ADVICE_COLUMNS, "advice"))
        b = " (section B)" if self.statutory else ""
        f.add("needs_changes", f"Changes to nee&ds{b}", NotesField(lines=2))
        f.add("health_care", "&Health" + (" (C and G)" if b else ""), NotesField(lines=2))
        f.add("social_care", "Social &care" + (" (D and H)" if b else ""), NotesField(lines=2))
        f.add_widget(_heading("Views"))
        f.add("pupil_views", "The child's &views", NotesField(lines=3))
        f.add("parent_views", "&Parents' views", NotesField(lines=3))
        f.add("aspirations", "Asp&irations", NotesField(lines=2))
        f.add("school_view", "The sch&ool's view", NotesField(lines=3))
        f.add_widget(_heading("At and after the meeting"))
        f.add(
            "amendments",
            "Chan&ges proposed to the plan",
            RowsField(AMENDMENT_COLUMNS, "change"),
        )
        f.add(
            "recommendation",
            "Recommendation to the &LA",
            ChoiceField(list(vocab.REVIEW_OUTCOME_LABELS.items()), blank="Not decided yet"),
        )
        f.add(
            "next_step",
            "What happens ne&xt",
            ChoiceField(list(vocab.SUPPORT_NEXT_STEP_LABELS.items()), blank="Not decided yet"),
        )
        f.set_row_visible("recommendation", self.statutory)
        f.set_row_visible("next_step", not self.statutory)
        f.add(
            "attendees",
            "Who ca&me",
            NotesField(lines=3),
            tip="One person a line, e.g. Áine Ní Bhriain (mother)",
        )
        f.add("sent_to", "Report sent &to", NotesField(lines=2))
        pct = rec.attendance_percent
        f.set_values(
            {
                **rec.texts(),
                "attendance_percent": "" if pct is None else f"{pct.normalize():f}",
                "recommendation": rec.recommendation,
                "next_step": rec.next_step,
                "advice": [
                    {
                        "id": a.id,
                        "source": a.source,
                        "given_by": a.given_by,
                        "received_on": format_date(a.received_on),
                        "summary": a.summary,
                        "shared": a.shared,
                    }
                    for a in rec.advice
                ],
                "amendments": [
                    {"id": a.id, "section": a.section, "text": a.text} for a in rec.amendments
                ],
            }
        )
        if not rec.attendees.strip() and rec.invitees:
            # Those invited, as a start: a suggestion, not an edit.
            f.suggest({"attendees": "\n".join(f"{n} ({r})" if r else n for n, r in rec.invitees)})
        self.resize(1000, 720)

    def values(self) -> dict[str, Any]:
        v = super().values()
        if self.statutory:
            v.pop("next_step", None)
        else:
            v.pop("recommendation", None)
        return v

    def values_to_save(self) -> dict[str, Any]:
        out = super().values_to_save()
        if "attendees" in self.form.fields and self.form.fields["attendees"].value().strip():
            # A suggested list of who came is saved as it stands once anything is saved.
            out.setdefault("attendees", self.form.fields["attendees"].value())
        return out

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_review(session, values, self.row_id)


def open_meeting_record(ctx: Context, meeting_id: int, parent: QWidget) -> None:
    """Load the meeting's record in the worker, then open its editor (kept on ``parent`` as
    ``record_dialog``, for the tests and so it is not collected while open)."""
    from sencodesk.queries.review_record import meeting_record

    def opened(rec: MeetingRecord) -> None:
        dialog = MeetingRecordDialog(ctx, rec, parent=parent)
        parent.record_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    ctx.query(meeting_record, meeting_id, on_done=opened)
