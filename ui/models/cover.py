"""Cover: the pupils who lose support on a day, and who could cover them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush

from sencodesk import vocab

from .. import format as fmt
from .base import AMBER_BG, FIRST, GREEN_BG, RED_BG, WHOLE, Column, Index, RowTableModel
from .common import label


def day_sessions(mask: int) -> str:
    """The AM/PM of one day's mask: "AM", "PM", "AM+PM"."""
    am = any(mask & vocab.session_bit(d, False) for d in range(5))
    pm = any(mask & vocab.session_bit(d, True) for d in range(5))
    return "AM+PM" if am and pm else "AM" if am else "PM" if pm else ""


def covered_text(r: Any) -> str:
    """Who covers which session: "Rachel Henry (AM), Priya Shah (PM)"; what is still
    uncovered is said too ("…; PM not covered")."""
    parts = [f"{name} ({day_sessions(mask)})" for _id, name, mask in r.cover_lines]
    if not parts:
        return "not covered"
    if r.uncovered_sessions:
        parts.append(f"{day_sessions(r.uncovered_sessions)} not covered")
    return ", ".join(parts)


def training_text(kinds: tuple[str, ...]) -> str:
    return ", ".join(label(vocab.TRAINING_LABELS, k) for k in kinds)


class LostSupportModel(RowTableModel):
    # Who, which session and who covers it first: in view on a 1024-pixel screen, where the
    # list has a third of the width; the year and the training needed after.
    COL_PUPIL, COL_SESSIONS, COL_COVER, COL_NEEDS, COL_YEAR = range(5)
    KEY_COLUMNS = (COL_PUPIL, COL_SESSIONS, COL_COVER)
    COLUMNS = (
        Column("Pupil", lambda r: r.pupil_name),
        Column("Loses", lambda r: day_sessions(r.sessions), squeeze=WHOLE),
        Column(
            "Covered by",
            covered_text,
            background=lambda r, _t: RED_BG if r.uncovered_sessions else GREEN_BG,
        ),
        Column(
            "Needs",
            lambda r: training_text(r.needs_training) or "—",
            tooltip=lambda r: r.medical_needs,
            header_tip="The training whoever covers must have",
            squeeze=FIRST,
        ),
        Column("Year", lambda r: r.year_label, squeeze=WHOLE),
    )


class CandidateModel(RowTableModel):
    """Staff who work that day; green when free and trained for the selected pupil."""

    COL_NAME, COL_ROLE, COL_FREE, COL_FOR, COL_TRAINING = range(5)
    KEY_COLUMNS = (COL_NAME, COL_FREE, COL_FOR)
    COLUMNS = (
        Column("Name", lambda r: r.name),
        Column("Role", lambda r: label(vocab.STAFF_ROLE_LABELS, r.role)),
        Column(
            "Free",
            lambda r: day_sessions(r.free) or "busy all day",
            key=lambda r: -bin(r.free).count("1"),
            squeeze=WHOLE,
        ),
        Column(
            "Can cover",
            lambda r: fmt.count(len(r.qualified_for), "pupil"),
            key=lambda r: -len(r.qualified_for),
            header_tip="How many of the pupils losing support they are free and trained for",
            squeeze=WHOLE,
        ),
        Column(
            "Training",
            lambda r: training_text(r.training),
            header_tip="Training they hold that is in date",
            squeeze=FIRST,
        ),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.selected: int | None = None  # the lost support's assignment id

    def set_selected(self, assignment_id: int | None) -> None:
        self.selected = assignment_id
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.BackgroundRole],
            )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and self.selected is not None:
            row = self.row_at(index.row())
            if self.selected in row.qualified_for:
                return QBrush(GREEN_BG)
            return QBrush(AMBER_BG) if row.free else None
        return super().data(index, role)
