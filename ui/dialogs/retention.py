"""Records past retention: leavers whose retention period (date of birth + the school's
retention years) has passed. Nothing is deleted by itself: the SENCO puts a pupil's records
on hold (with a reason) or erases them (with a reason, after typing the pupil's name or UPN).
An erasure leaves one audit entry: that a pupil was erased, when, by whom and why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sencodesk.changes import Change
from sencodesk.errors import ValidationError

from .. import format as fmt
from .. import safety_ops
from ..context import Context
from ..models.base import AMBER_BG, Column, RowTableModel
from ..models.common import date_col
from ..widgets.fields import TextField
from ..widgets.form import Form
from ..widgets.table import Table


class RetentionModel(RowTableModel):
    COL_NAME, COL_UPN, COL_DOB, COL_LEFT, COL_UNTIL, COL_STATUS = range(6)
    COLUMNS = (
        Column("Pupil", lambda r: r.name),
        Column("UPN", lambda r: r.upn or ""),
        date_col("Date of birth", lambda r: r.date_of_birth),
        date_col("Left", lambda r: r.leaving_date),
        date_col("Keep until", lambda r: r.retain_until),
        Column(
            "Status",
            lambda r: f"On hold: {r.hold_reason}" if r.on_hold else "To review",
            background=lambda r, _t: None if r.on_hold else AMBER_BG,
        ),
    )

    def search_key(self, row: Any) -> str:
        from sencodesk.rules.text import fold

        return fold(f"{row.name} {row.upn or ''}")


class _ReasonDialog(QDialog):
    """A small form whose OK runs one retention command in the worker; the core validates."""

    def __init__(self, ctx: Context, parent: QWidget, title: str, intro: str, ok_text: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.setMinimumWidth(680)
        lay = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        lay.addWidget(text)
        self.form = Form()
        lay.addWidget(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        self.body = lay

    def finish(self) -> None:
        self.body.addWidget(self.buttons)

    def change(self, fn: Callable[..., Any], *args: Any) -> None:
        """A write op (``fn(session, *args)``): on success ``_ok``, on failure ``_failed``."""
        self.ok_button.setEnabled(False)
        self.ctx.change(fn, *args, on_done=self._ok, on_error=self._failed)

    def go(self) -> None:
        raise NotImplementedError

    def show_errors(self, errors: dict[str, str]) -> None:
        self.form.show_errors(errors)
        self.adjustSize()  # room for the messages

    def _ok(self, _result: Any) -> None:
        self.ok_button.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException, tb: str) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        else:
            self.ctx.error(exc, tb)


class HoldDialog(_ReasonDialog):
    def __init__(self, ctx: Context, parent: QWidget, row: Any, release: bool = False) -> None:
        self.row = row
        self.release = release
        if release:
            title, ok = "Release the hold", "&Release hold"
            intro = (
                f"Release the hold on {row.name}'s records? They go back on the review list "
                "and can then be erased."
            )
        else:
            title, ok = "Keep these records", "Put on &hold"
            intro = (
                f"Keep {row.name}'s records past their retention date, for example because "
                "of a claim, a safeguarding concern or an investigation. The reason is kept "
                "in the audit trail."
            )
        super().__init__(ctx, parent, title, intro, ok)
        self.reason = TextField()
        self.reason.setMinimumWidth(340)
        self.form.add("reason", "&Reason", self.reason)
        self.finish()

    def go(self) -> None:
        reason = self.reason.value()
        if self.release:
            self.change(safety_ops.release_hold, self.row.pupil_id, reason)
        elif not reason:
            self.show_errors({"reason": "is needed: say why the records are kept"})
        else:
            self.change(safety_ops.put_on_hold, self.row.pupil_id, reason)


class EraseDialog(_ReasonDialog):
    def __init__(self, ctx: Context, parent: QWidget, row: Any) -> None:
        self.row = row
        super().__init__(
            ctx,
            parent,
            "Erase a pupil's records",
            f"Erase {row.name}'s records for good?\n\nThe pupil, their outcomes, records, "
            "funding, support, review meetings, and the history of all of these are deleted "
            "and cannot be brought back. One entry stays in the audit trail: that a pupil was "
            "erased, when, by whom, and the reason you give (which must not name the pupil). "
            "Backups made before today still hold the records until they are rotated away.",
            "&Erase for good",
        )
        self.reason = TextField()
        self.reason.setMinimumWidth(340)
        self.reason.setPlaceholderText("e.g. Retention period ended; reviewed by the DPO")
        self.confirm = TextField()
        self.confirm.setPlaceholderText("the pupil's full legal name or UPN")
        self.form.add("reason", "&Reason", self.reason)
        self.form.add("confirm_upn_or_name", "&Name or UPN", self.confirm)
        self.finish()
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(self._enable)
        self.confirm.textChanged.connect(self._enable)

    def _enable(self) -> None:
        self.ok_button.setEnabled(bool(self.reason.value() and self.confirm.value()))

    def _failed(self, exc: BaseException, tb: str) -> None:
        if isinstance(exc, ValidationError) and "confirm_upn_or_name" in exc.errors:
            errors = dict(exc.errors)
            errors["confirm_upn_or_name"] = "does not match this pupil's full legal name or UPN"
            exc = ValidationError(errors)
        super()._failed(exc, tb)

    def _ok(self, result: Any) -> None:
        super()._ok(result)
        copies = getattr(result, "copies", ())
        if not copies:
            return
        from . import ask as dlg

        shown = "\n".join(f"• {p}" for p in copies[:8])
        more = f"\n…and {len(copies) - 8} more." if len(copies) > 8 else ""
        dlg.tell(
            self.ctx.window,
            "Copies that still hold the records",
            "The records are erased from the database. These backups, made before now, "
            f"still hold them:\n\n{shown}{more}\n\nRotation deletes each within about five "
            "weeks of when it was made. Delete them now if the records must go at once (keep at "
            "least one backup made after the erasure), and delete any copies made elsewhere.",
        )

    def go(self) -> None:
        self.ok_button.setEnabled(False)
        self.ctx.change(
            safety_ops.erase_pupil,
            self.row.pupil_id,
            self.reason.value(),
            self.confirm.value(),
            on_done=self._erased,
            on_error=self._failed,
        )

    def _erased(self, entry_id: int) -> None:
        """Erased: then account for every copy (a whole-store op: the backups folder)."""
        self.ctx.run(
            safety_ops.account_for_copies, entry_id, on_done=self._ok, on_error=self._failed
        )


class RetentionDialog(QDialog):
    loaded = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent or ctx.window)
        self.ctx = ctx
        self.setWindowTitle("Records past retention")
        self.setAccessibleName("Records past retention")
        self.resize(980, 520)
        lay = QVBoxLayout(self)
        intro = QLabel(
            "Leavers whose records have reached the end of their retention period (date of "
            "birth plus the school's retention years, 31 unless changed). Nothing is deleted "
            "automatically: review each one, then keep it on hold or erase it."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.model = RetentionModel()
        self.model.today = ctx.today
        self.table = Table(self.model, "Records past retention", (190, 120, 100, 100, 100, 260))
        lay.addWidget(self.table, 1)
        self.count = QLabel("Loading…")
        self.count.setObjectName("hint")
        lay.addWidget(self.count)
        row = QHBoxLayout()
        self.hold_button = self._button(row, "Put on &hold…", self.hold)
        self.release_button = self._button(row, "&Release hold…", self.release)
        self.erase_button = self._button(row, "&Erase…", self.erase)
        row.addStretch(1)
        self._button(row, "&Close", self.reject)
        lay.addLayout(row)
        if getattr(ctx.window, "signed_in", None) is not None:  # an everyday server login
            from sencodesk.safety.retention import ERASE_ON_SERVER

            self.erase_button.hide()
            why = QLabel(ERASE_ON_SERVER)
            why.setObjectName("hint")
            why.setWordWrap(True)
            lay.insertWidget(lay.indexOf(self.count) + 1, why)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.ctx.worker.changed.connect(self._on_changed)
        self._listening = True
        self._enable()

    @staticmethod
    def _button(row: QHBoxLayout, text: str, slot: Callable[[], Any]) -> QPushButton:
        b = QPushButton(text)
        b.setAccessibleName(text.replace("&", "").rstrip("…"))
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        row.addWidget(b)
        return b

    def _enable(self) -> None:
        r = self.table.current_row()
        self.hold_button.setEnabled(r is not None and not r.on_hold)
        self.release_button.setEnabled(r is not None and r.on_hold)
        self.erase_button.setEnabled(r is not None and not r.on_hold)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if Change.PUPIL in kinds or Change.ALL in kinds:
            self.load()

    def load(self) -> None:
        self.ctx.query(safety_ops.retention_rows, self.ctx.today, on_done=self._loaded)

    def _loaded(self, rows: list[Any]) -> None:
        current = self.table.current_row()
        self.model.set_rows(rows)
        ids = [r.pupil_id for r in self.model.rows]
        if current is not None and current.pupil_id in ids:
            self.table.selectRow(ids.index(current.pupil_id))
        elif rows:
            self.table.selectRow(0)
        held = sum(1 for r in rows if r.on_hold)
        self.count.setText(
            "No leaver's records are past their retention date."
            if not rows
            else f"{len(rows)} past retention on {fmt.date(self.ctx.today)}: "
            f"{len(rows) - held} to review, {held} on hold."
        )
        self._enable()
        self.loaded.emit()

    def hold(self) -> None:
        r = self.table.current_row()
        if r is not None:
            HoldDialog(self.ctx, self, r).open()

    def release(self) -> None:
        r = self.table.current_row()
        if r is not None:
            HoldDialog(self.ctx, self, r, release=True).open()

    def erase(self) -> None:
        r = self.table.current_row()
        if r is not None:
            EraseDialog(self.ctx, self, r).open()

    def done(self, result: int) -> None:  # QDialog override: stop listening once closed
        if self._listening:
            self._listening = False
            self.ctx.worker.changed.disconnect(self._on_changed)
        super().done(result)


def show_retention(ctx: Context, parent: QWidget | None = None) -> RetentionDialog:
    box = RetentionDialog(ctx, parent)
    box.show()
    box.load()
    return box
