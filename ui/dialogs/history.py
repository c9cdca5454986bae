"""A row's History: every change the audit trail kept, newest first, read-only.

When (local time, dd/mm/yyyy HH:MM), who, what happened, the field, its old and new value,
and the reason given. Nothing here can change or delete an entry: the table is read-only and
the core has no command that edits the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from .. import format as fmt
from ..context import Context
from ..models.base import Column, RowTableModel
from ..widgets.table import Table

# What each audited table's rows are called, for the dialog's heading.
TABLE_WORDS = {
    "pupil": "Pupil",
    "staff": "Member of staff",
    "funding": "Funding",
    "contract": "Contract",
    "assignment": "Support (LSA assignment)",
    "outcome": "Outcome",
    "record": "Record",
    "review_meeting": "Review meeting",
    "qualification": "Qualification",
    "training": "Training",
    "dbs_check": "DBS check",
    "school": "School settings",
    "local_authority": "Local authority",
}


FIELD_WORDS = {
    "upn": "UPN",
    "sen_code": "SEN code",
    "dob": "Date of birth",
    "ehcp_la_id": "EHCP local authority (id)",
    "ehcp_issued": "EHCP issued",
    "ehcp_last_review": "Last EHCP review",
    "ehcp_weekly_minutes": "EHCP hours a week",
    "weekly_minutes": "Hours a week",
    "la_id": "Local authority (id)",
    "dfe_number": "DfE number",
    "dbs": "DBS",
    "retention_hold": "Kept (on hold)",
    "retention_hold_reason": "Reason kept",
}

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")


def local_time(at: dt.datetime) -> dt.datetime:
    """Audit times are stored in UTC (naive); people read their own clock's time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().replace(tzinfo=None)


def field_label(field: str) -> str:
    if not field:
        return "(the whole row)"
    if field in FIELD_WORDS:
        return FIELD_WORDS[field]
    words = field.removesuffix("_id").replace("_", " ")
    words = re.sub(r"\b(ehcp|sen|dbs|upn|lsa|la)\b", lambda m: m.group(1).upper(), words)
    return words[:1].upper() + words[1:] + (" (id)" if field.endswith("_id") else "")


def value_text(field: str, value: str | None) -> str:
    """A stored value as people read it: dd/mm/yyyy dates, Yes/No, hours and minutes."""
    if value is None:
        return ""
    if value in ("true", "false"):
        return "Yes" if value == "true" else "No"
    if field.endswith("_minutes") and value.isdigit():
        return fmt.hours(int(value))
    try:
        if _ISO_DATETIME.match(value):
            return fmt.date_time(dt.datetime.fromisoformat(value))
        if _ISO_DATE.match(value):
            return fmt.date(dt.date.fromisoformat(value))
    except ValueError:
        return value
    if _TIME.match(value):
        return value[:5]
    return value


class HistoryModel(RowTableModel):
    COL_WHEN, COL_WHO, COL_CHANGE, COL_FIELD, COL_OLD, COL_NEW, COL_REASON = range(7)
    COLUMNS = (
        Column("When", lambda r: fmt.date_time(local_time(r.at)), key=lambda r: r.at),
        Column("Who", lambda r: r.user),
        Column("Change", lambda r: r.change),
        Column("Field", lambda r: field_label(r.field)),
        Column("Was", lambda r: value_text(r.field, r.old), tooltip=lambda r: r.old or ""),
        Column("Became", lambda r: value_text(r.field, r.new), tooltip=lambda r: r.new or ""),
        Column("Reason", lambda r: r.reason, tooltip=lambda r: r.reason),
    )


class HistoryDialog(QDialog):
    """The History of one row: ``table`` and ``row_id`` as the audit trail names them."""

    loaded = Signal()

    def __init__(
        self, ctx: Context, table: str, row_id: int, what: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent or ctx.window)
        self.ctx = ctx
        self.table_name = table
        self.row_id = row_id
        self.setWindowTitle("History")  # never the child's name in a window title
        self.setAccessibleName("History")
        self.resize(980, 520)
        lay = QVBoxLayout(self)
        kind = TABLE_WORDS.get(table, table.replace("_", " ").capitalize())
        self.heading = QLabel(f"{kind}: {what}" if what else kind)
        self.heading.setObjectName("sectionTitle")
        self.heading.setAccessibleName("History of")
        lay.addWidget(self.heading)
        self.model = HistoryModel()
        self.view = Table(
            self.model, "History", widths=(128, 90, 72, 170, 150, 150, 120), sortable=True
        )
        lay.addWidget(self.view, 1)
        self.note = QLabel("Loading…")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def load(self) -> None:
        from ..safety_ops import history_rows

        self.ctx.query(history_rows, self.table_name, self.row_id, on_done=self._loaded)

    def _loaded(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        n = len(rows)
        self.note.setText(
            (
                "No changes are recorded for this yet. "
                if not n
                else f"{fmt.count(n, 'entry', 'entries')}, newest first. "
            )
            + "Every change is kept with who made it and when; this history cannot be "
            "edited or deleted. Times are this computer's local time."
        )
        self.loaded.emit()


def show_history(
    ctx: Context, table: str, row_id: int, what: str = "", parent: QWidget | None = None
) -> HistoryDialog:
    box = HistoryDialog(ctx, table, row_id, what, parent)
    box.show()
    box.load()
    return box
