"""Choosing a new passphrase: typed twice, at least ``MIN_NEW_PASSPHRASE`` characters, with
the warning that a lost passphrase means lost data. ``ask_new_passphrase`` is the one entry
point (tests patch it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sencodesk.safety import sqlitefile

from ..widgets.form import Form

LOST_WARNING = (
    "Keep the passphrase somewhere safe (for example in the school's password manager). "
    "Without it nobody, including you and the app's makers, can open the data again."
)


def encryption_available() -> bool:
    try:
        sqlitefile.sqlcipher()
    except Exception:  # noqa: BLE001 - EncryptionUnavailable, or a broken install
        return False
    return True


class NewPassphraseDialog(QDialog):
    """Two password fields; OK only closes the dialog when they match and are usable.

    ``optional``: a "Protect it with a passphrase" check box (for a new database); unticked,
    ``passphrase()`` is "" (no encryption).
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        intro: str,
        *,
        optional: bool = False,
        ok_text: str = "&Encrypt",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.setMinimumWidth(640)
        lay = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        lay.addWidget(text)
        available = encryption_available()
        self.use = QCheckBox("P&rotect it with a passphrase (recommended)")  # Alt+P: Passphrase
        self.use.setChecked(available)
        self.use.setEnabled(available)
        self.use.setVisible(optional)
        lay.addWidget(self.use)
        self.form = Form()
        self.first = QLineEdit()
        self.second = QLineEdit()
        for box in (self.first, self.second):
            box.setEchoMode(QLineEdit.EchoMode.Password)
            box.setMinimumWidth(260)
        self.form.add("passphrase", "&Passphrase", self.first)
        self.form.add("again", "Type it &again", self.second)
        lay.addWidget(self.form)
        self.show_chars = QCheckBox("&Show what I type")
        self.show_chars.toggled.connect(self._show_chars)
        lay.addWidget(self.show_chars)
        note = QLabel(
            f"At least {sqlitefile.MIN_NEW_PASSPHRASE} characters and hard to guess (repeats, "
            "keyboard runs and common passwords are refused): a few unrelated words are easy "
            "to type and hard to guess. " + LOST_WARNING
        )
        note.setObjectName("hint")
        note.setWordWrap(True)
        lay.addWidget(note)
        if not available:
            missing = QLabel(
                "Encryption is not available on this computer (the sqlcipher3 package is missing)."
            )
            missing.setObjectName("fieldError")
            missing.setWordWrap(True)
            lay.addWidget(missing)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setEnabled(available or optional)
        self.buttons.accepted.connect(self.check_and_accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.use.toggled.connect(self._use_toggled)
        self._use_toggled(self.use.isChecked() or not optional)

    def _use_toggled(self, on: bool) -> None:
        self.form.setEnabled(on)
        self.show_chars.setEnabled(on)
        if not on:
            self.form.clear_errors()

    def _show_chars(self, on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def passphrase(self) -> str:
        """The passphrase chosen ("" for none)."""
        if self.use.isHidden() or self.use.isChecked():
            return self.first.text()
        return ""

    def problems(self) -> dict[str, str]:
        if not (self.use.isHidden() or self.use.isChecked()):
            return {}
        phrase = self.first.text()
        problem = sqlitefile.new_passphrase_problem(phrase)
        if problem:
            return {"passphrase": problem.removeprefix("The passphrase ")}
        if self.second.text() != phrase:
            return {"again": "is not the same as the passphrase"}
        return {}

    def check_and_accept(self) -> None:
        errors = self.problems()
        if errors:
            self.form.show_errors(errors)
            self.adjustSize()  # room for the messages
            return
        self.accept()


def ask_new_passphrase(
    parent: QWidget | None, title: str, intro: str, *, optional: bool = False, ok_text: str = ""
) -> str | None:
    """A new passphrase; "" for "no passphrase" (``optional`` only); None if cancelled."""
    box = NewPassphraseDialog(
        parent, title, intro, optional=optional, ok_text=ok_text or "&Encrypt"
    )
    if box.exec() != QDialog.DialogCode.Accepted:
        return None
    return box.passphrase()
