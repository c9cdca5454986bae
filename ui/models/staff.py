"""Staff: the list, and on a staff page their contracts, qualifications, training and DBS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from sencodesk import vocab

from .. import format as fmt
from .base import FIRST, RED_BG, WHOLE, Column, Index, RowTableModel
from .common import date_col, expiry_colour, expiry_words, fold, hours_col, label, money_col


class StaffListModel(RowTableModel):
    COL_NAME, COL_ROLE, COL_CONTRACTED, COL_ASSIGNED, COL_ENDS, COL_EXPIRY = range(6)
    COLUMNS = (
        Column("Name", lambda r: r.name, key=lambda r: fold(r.sort_name)),
        Column("Role", lambda r: r.role_label),
        hours_col("Contracted", lambda r: r.contracted_minutes),
        hours_col(
            "Assigned",
            lambda r: r.assigned_minutes,
            background=lambda r, _t: RED_BG if r.assigned_minutes > r.contracted_minutes else None,
        ),
        date_col(
            "Contract ends",
            lambda r: r.contract_end,
            background=lambda r, t: expiry_colour(r.contract_end, t, 90),
        ),
        Column(
            "Next expiry",
            lambda r: (
                (
                    f"{fmt.date(r.next_expiry)} {label(vocab.TRAINING_LABELS, r.next_expiry_what)}"
                    if r.next_expiry_what != "DBS"
                    else f"{fmt.date(r.next_expiry)} DBS renewal"
                )
                if r.next_expiry
                else ""
            ),
            key=lambda r: r.next_expiry,
            background=lambda r, t: expiry_colour(r.next_expiry, t),
        ),
    )


class StaffContractModel(RowTableModel):
    """One person's contracts (the Staff page)."""

    COL_TITLE, COL_KIND, COL_HOURS, COL_PAY, COL_COST, COL_END, COL_NOTICE, COL_FUNDING = range(8)
    COLUMNS = (
        Column("Job", lambda r: r.job_title or "Contract"),
        Column(
            "Kind",
            lambda r: vocab.CONTRACT_KIND_LABELS[r.kind],
        ),
        hours_col("Hours", lambda r: r.weekly_minutes, header_tip="Contracted hours a week"),
        money_col("Pay a year", lambda r: r.annual_pay),
        money_col("Cost a year", lambda r: r.annual_cost),
        date_col("Ends", lambda r: r.end_date),
        date_col(
            "Notice by",
            lambda r: r.notice_by,
            background=lambda r, t: expiry_colour(r.notice_by, t, 30),
        ),
        Column(
            "Funded by",
            lambda r: (
                (
                    f"{r.funding_pupil_name} (ends {fmt.date(r.funding_end)})"
                    if r.funding_end
                    else r.funding_pupil_name
                )
                if r.funding_pupil_name
                else "not linked"
            ),
            background=lambda r, _t: RED_BG if r.gap is not None else None,
            tooltip=lambda r: r.gap.sentence() if r.gap is not None else "",
            header_tip="The pupil whose funding pays for this contract, and when it ends",
            squeeze=FIRST,
        ),
    )


class QualificationModel(RowTableModel):
    COLUMNS = (
        Column("Qualification", lambda r: r.kind),
        Column("Level", lambda r: r.level),
        date_col("Awarded", lambda r: r.awarded),
    )


class TrainingModel(RowTableModel):
    """Training records; one renewed by a later course of the same kind is history: grey,
    never red (only the latest of each kind can be out of date)."""

    COL_KIND, COL_COMPLETED, COL_EXPIRES, COL_STATUS = range(4)
    COLUMNS = (
        Column("Training", lambda r: label(vocab.TRAINING_LABELS, r.kind)),
        date_col("Completed", lambda r: r.completed),
        date_col(
            "Expires", lambda r: r.expires, background=lambda r, t: expiry_colour(r.expires, t)
        ),
        # The colour's meaning in words, on this tab (its key sat on another page).
        Column("Status", lambda r: "", key=lambda r: r.expires),
    )

    def cell_text(self, row: Any, column: int) -> str:
        if column == self.COL_STATUS:
            renewed = self.renewed.get(row.id)
            if renewed is not None:
                return f"Renewed {fmt.date(renewed)}"
            return expiry_words(row.expires, self.today)
        return super().cell_text(row, column)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.renewed: dict[int, dt.date] = {}  # row id -> when a later course renewed it

    def set_rows(self, rows: Sequence[Any]) -> None:
        latest: dict[str, Any] = {}
        for r in rows:
            if r.kind not in latest or r.completed > latest[r.kind].completed:
                latest[r.kind] = r
        self.renewed = {
            r.id: latest[r.kind].completed
            for r in rows
            if r.kind != vocab.TrainingKind.OTHER and latest[r.kind] is not r
        }
        super().set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and int(role) in _RENEWED_ROLES:
            renewed = self.renewed.get(self.row_at(index.row()).id)
            if renewed is not None:
                if int(role) == _FOREGROUND:
                    return QBrush(GREY_FG)
                if int(role) == _TOOLTIP:
                    return f"Renewed on {fmt.date(renewed)}"
                return None  # no red or amber: this one is history
        return super().data(index, role)


GREY_FG = QColor("#5f6874")  # still 5.6:1 on white
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_RENEWED_ROLES = frozenset({int(Qt.ItemDataRole.BackgroundRole.value), _FOREGROUND, _TOOLTIP})


class DbsModel(RowTableModel):
    COLUMNS = (
        Column(
            "Level",
            lambda r: vocab.DBS_LEVEL_LABELS.get(r.level, r.level),
        ),
        Column("Certificate", lambda r: r.certificate_number, squeeze=WHOLE),
        date_col("Issued", lambda r: r.issued),
        Column("Update service", lambda r: "Yes" if r.update_service else "No"),
        date_col(
            "Renew by", lambda r: r.renew_by, background=lambda r, t: expiry_colour(r.renew_by, t)
        ),
        Column("Status", lambda r: "", key=lambda r: r.renew_by),
    )
    COL_STATUS = 5

    def cell_text(self, row: Any, column: int) -> str:
        if column == self.COL_STATUS:
            words = expiry_words(row.renew_by, self.today)
            return {"Expired": "Renewal overdue", "Expires soon": "Renew soon"}.get(words, words)
        return super().cell_text(row, column)
