"""The editor dialog every "Add…"/"Edit…" uses: a form, Save and Cancel.

Save sends the form's values to a core ``save_*`` command through the worker; a
``ValidationError`` puts each message beside its field and keeps the dialog open. Cancel (or
Esc, or closing the window) with unsaved edits asks first; it never touches saved work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sencodesk.errors import Conflict, ValidationError

from ..context import ALL, Context
from ..widgets.form import Form
from . import ask as dlg

if TYPE_CHECKING:
    from sencodesk.store import Session


def loaded_version(row: Any) -> int | None:
    """The version a row was read at (``queries`` rows carry it), or None for a new row."""
    return getattr(row, "version", None) or None


class EditorDialog(QDialog):
    saved = Signal(object)  # the saved row's id

    def __init__(
        self,
        ctx: Context,
        title: str,
        what: str,
        parent: QWidget | None = None,
        *,
        scroll: bool = False,
    ) -> None:
        super().__init__(parent or ctx.window)
        self.ctx = ctx
        self.what = what  # "this pupil" in "You have unsaved changes to this pupil"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.form = Form()
        lay = QVBoxLayout(self)
        # Every form scrolls rather than clips: on a 1366x768 or 1024x768 screen a long one
        # (an incident, a contract) is taller than the screen. (``scroll`` is kept for callers.)
        del scroll
        area = QScrollArea()
        area.setObjectName("formScroll")  # no frame, the dialog's background
        area.setWidgetResizable(True)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: its fields are
        area.setWidget(self.form)
        lay.addWidget(area, 1)
        self.scroll_area = area
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        # Enter is Save. Set once the button is in the dialog: the dialog then gives Save
        # back the default when Tab has passed through the buttons (set before, the default
        # went with Cancel's focus and Enter did nothing).
        self.save_button.setDefault(True)
        # Opened read-only (another SENCO Desk has the file open for changes): look, not save.
        self.read_only = bool(getattr(ctx.window, "read_only", False))
        if self.read_only:
            note = QLabel(
                "Read only: another copy of SENCO Desk has this database open for changes, "
                "so nothing here can be saved."
            )
            note.setObjectName("readOnlyNote")
            note.setWordWrap(True)
            lay.insertWidget(0, note)
            self.save_button.setEnabled(False)
            self.save_button.setToolTip("Read only: this database is open for changes elsewhere")
        self.saved_id: Any = None
        self._saving = False
        self._decided = False
        self._shown = False

    # Subclasses: any reshaping of the values, and the command (what it changed, the core
    # reports: ``sencodesk.changes``).
    row_id: Any = None
    # The core's table the form edits: its text limits are counted as you type.
    TABLE = ""
    # The version of the row the form was loaded from (``row.version``); None for a new row.
    version: int | None = None

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        """Runs in the worker thread: call the core command (never touch a widget here)."""
        raise NotImplementedError

    def write(self, s: Session, values: dict[str, Any]) -> Any:
        return self.save_in(s, values)

    def values_to_save(self) -> dict[str, Any]:
        """A new row: every value. An existing row: only the fields changed in the form, and
        the version it was loaded at (a save after someone else's is refused, not merged)."""
        v = self.values()
        if self.version is None:
            return v
        changed = self.form.changed()
        out = {k: x for k, x in v.items() if k in changed}
        out["version"] = self.version
        return out

    def save(self) -> None:
        if self._saving or self.read_only:
            return
        self.form.clear_errors()
        if bad := self.form.input_errors():
            # Never saved with a guess: the box keeps what was typed and says why.
            names = ", ".join(self.form.labels[n] for n in bad)
            self.form.summary.setText(f"Not saved: put right {names} first.")
            self.form.summary.show()
            self.form.fields[next(iter(bad))].setFocus()
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.ctx.change(
            self.write,
            self.values_to_save(),
            on_done=self._saved_ok,
            on_error=self._save_failed,
        )

    def _saved_ok(self, row_id: Any) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.saved_id = row_id
        self.form.mark_clean()
        self.saved.emit(row_id)
        self._decided = True
        self.accept()

    def _save_failed(self, exc: BaseException, tb: str) -> None:
        self._saving = False
        self.save_button.setEnabled(not self.read_only)
        if isinstance(exc, ValidationError):
            self.form.show_errors(exc.errors)
        elif isinstance(exc, Conflict):
            self._conflict(exc)
        else:
            self.ctx.error(exc, tb)

    def _conflict(self, exc: Conflict) -> None:
        """Someone saved this row since the form was loaded: show theirs and yours, and do
        what the user chooses (keep theirs, overwrite with mine, or go back to the form)."""
        from . import conflict

        choice = conflict.ask_conflict(self, exc, self.form)
        if choice == conflict.MINE:
            self.version = exc.version
            self.save()
        elif choice == conflict.THEIRS:
            self._decided = True
            self.ctx.status.emit(f"Kept the changes saved by {exc.by or 'someone else'}.")
            super().reject()
            # Pages showing this row reload it: the form's values are not theirs.
            from sencodesk.changes import TABLE_KINDS

            kind = TABLE_KINDS.get(exc.table)
            self.ctx.worker.changed.emit(frozenset({kind} if kind else {ALL}))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if not self._shown:
            self._shown = True
            if self.TABLE:
                from sencodesk.checks import text_limits

                self.form.apply_limits(text_limits(self.TABLE))
            self._fit_screen()
            self._buttons_last()
            self.focus_first_field()
        super().showEvent(event)

    def _fit_screen(self) -> None:
        """As big as the form wants (no scroll bar when there is room), never bigger than the
        screen's free area: then the form scrolls and Save stays on screen."""
        from ..screen import fit_to_screen

        want = self.form.sizeHint()
        chrome_h = self.buttons.sizeHint().height() + 40
        if self.form.summary.isVisibleTo(self) or self.read_only:
            chrome_h += 40
        fit_to_screen(
            self,
            max(self.width(), want.width() + 40),
            max(self.height(), want.height() + chrome_h),
        )

    def _buttons_last(self) -> None:
        """Tab goes through the fields, then Save and Cancel (the subclass builds its fields
        after the buttons exist, so Qt's creation-order chain would put the buttons first)."""
        last = None
        w = self.nextInFocusChain()
        while w is not None and w is not self:
            if self.form.isAncestorOf(w) and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                last = w
            w = w.nextInFocusChain()
        if last is None:
            return
        for b in self.buttons.buttons():
            QWidget.setTabOrder(last, b)
            last = b

    def focus_first_field(self) -> None:
        """Start typing in the first field, not on the Save button."""
        for w in self.form.fields.values():
            if w.isVisibleTo(self) and w.isEnabled():
                (w.focusProxy() or w).setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def is_dirty(self) -> bool:
        return self.form.dirty

    def reject(self) -> None:
        if self._saving:
            return
        if self.is_dirty() and not self._decided:
            answer = dlg.ask_save(self, self.what)
            if answer == dlg.CANCEL:
                return
            if answer == dlg.SAVE:
                self.save()
                return
        self._decided = True
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._decided or not self.is_dirty():
            event.accept()
            return
        event.ignore()
        self.reject()
