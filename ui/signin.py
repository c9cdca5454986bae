"""Signing in to a school's server, and a window fitted to the role signed in.

File > Sign in to a server… asks for the server, the database, the login and the password.
The server, database and login are remembered (QSettings) and asked again, filled in, when the
app next starts; the password never is, unless the user ticks "Remember my password", when it
goes to the computer's own password store (Windows Credential Manager, macOS Keychain, the
Secret Service on Linux) through the ``keyring`` package, never to a file.

Once a server database is open, the status bar says who is signed in, and the window offers
only the pages and menu items of their role (``sencodesk.server.session``): the database
would refuse the rest anyway.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

KEYRING_SERVICE = "SENCO Desk"


def _key(host: str, port: int, database: str, login: str) -> str:
    return f"{login}@{host}:{port}/{database}"


def remembered_password(host: str, port: int, database: str, login: str) -> str:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, _key(host, port, database, login)) or ""
    except Exception as exc:  # noqa: BLE001 - no password store on this computer
        log.info("No remembered password: %s", exc)
        return ""


def remember_password(host: str, port: int, database: str, login: str, password: str) -> str:
    """Store the password in the OS password store; returns a problem in words, or ""."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _key(host, port, database, login), password)
    except Exception as exc:  # noqa: BLE001 - no password store on this computer
        return f"The password could not be remembered on this computer ({exc})."
    return ""


class SignInDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to a server")
        self.setAccessibleName("Sign in to a server")
        lay = QVBoxLayout(self)
        self.message = QLabel(
            message
            or "Your school's SENCO Desk server: ask whoever set it up for its name and your login."
        )
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        form = QFormLayout()
        st = QSettings()
        self.host = QLineEdit(str(st.value("server/host", "") or ""))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(int(str(st.value("server/port", 5432) or 5432)))
        self.database = QLineEdit(str(st.value("server/database", "sencodesk") or "sencodesk"))
        self.login = QLineEdit(str(st.value("server/login", "") or ""))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember my password on this computer")
        self.remember.setToolTip("Kept in this computer's own password store, never in a file")
        for label, w in (
            ("&Server", self.host),
            ("P&ort", self.port),
            ("&Database", self.database),
            ("&Login", self.login),
            ("&Password", self.password),
        ):
            form.addRow(label, w)
            w.setAccessibleName(label.replace("&", ""))
        form.addRow("", self.remember)
        lay.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        lay.addWidget(self.error)
        for w in (self.host, self.database, self.login, self.password):
            if not w.text():
                w.setFocus()
                break

    def values(self) -> tuple[str, int, str, str, str]:
        return (
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.login.text().strip(),
            self.password.text(),
        )

    def _accept(self) -> None:
        host, _port, database, login, password = self.values()
        missing = [
            name
            for name, v in (
                ("server", host),
                ("database", database),
                ("login", login),
                ("password", password),
            )
            if not v
        ]
        if missing:
            self.error.setText("Enter the " + ", ".join(missing) + ".")
            self.error.show()
            return
        self.accept()


def connect(win: Any, host: str, port: int, database: str, login: str, password: str) -> None:
    """Remember the server (not the password) and open it as that login."""
    from sencodesk.server.session import server_url

    st = QSettings()
    for key, value in (("host", host), ("port", port), ("database", database), ("login", login)):
        st.setValue(f"server/{key}", value)
    st.setValue("last_kind", "server")
    win.open_database(server_url(host, database, login, password, port))


def sign_in(win: Any, message: str = "") -> bool:
    """Ask for the server and login, then open it. False if the user cancelled."""
    from .dialogs import ask as dlg

    box = SignInDialog(win, message)
    if box.exec() != QDialog.DialogCode.Accepted:
        return False
    host, port, database, login, password = box.values()
    if box.remember.isChecked():
        problem = remember_password(host, port, database, login, password)
        if problem:
            dlg.tell(win, "Sign in", problem, warning=True)
    connect(win, host, port, database, login, password)
    return True


def start(win: Any) -> None:
    """At start-up, after a server was used last: sign in again (at once if the password was
    remembered)."""
    st = QSettings()
    host = str(st.value("server/host", "") or "")
    port = int(str(st.value("server/port", 5432) or 5432))
    database = str(st.value("server/database", "") or "")
    login = str(st.value("server/login", "") or "")
    password = remembered_password(host, port, database, login) if host and login else ""
    if password:
        connect(win, host, port, database, login, password)
    else:
        sign_in(win)


def apply_role(win: Any, me: Any) -> None:
    """Fit the window to who is signed in (``SignedIn``, or None: everything, as in a file)."""
    from .pages import PAGES

    allowed = set(me.pages) if me is not None else {key for key, *_ in PAGES}
    hidden = me.hidden_actions if me is not None else frozenset()
    for row, (key, *_rest) in enumerate(PAGES):
        win.sidebar.setRowHidden(row, key not in allowed)
        act = win.findChild(QAction, f"page_{key}")
        if act is not None:
            act.setVisible(key in allowed)
    for act in win.findChildren(QAction):
        name = act.objectName()
        if name and not name.startswith("page_"):
            act.setVisible(name not in hidden)
    team = win.findChild(QAction, "team")  # a SENCO's own school's users: on a server only
    if team is not None:
        team.setVisible(me is not None and me.manages_users)
    reports = getattr(win, "reports_menu", None)
    if reports is not None:
        reports.menuAction().setVisible(me is None or me.reports)
    win.signed_in = me
    fit_school_picker(win, me)
    from .roles import fit

    for page in win.pages.values():
        fit(page, me)
    if me is not None:
        win.db_label.setText(f"Signed in as {me.login} ({me.role_label})")
        if me.outdated:
            from .dialogs import ask as dlg

            dlg.tell(win, "This server needs updating", me.outdated, warning=True)
        if win.current_key not in allowed:
            first = next(key for key, *_ in PAGES if key in allowed)
            win.show_page(first)


class SchoolPicker(QWidget):
    """A trust lead's choice of school (or all the trust's schools), in the status bar. The
    database does the narrowing (``sencodesk.server.session.choose_school``); every page then
    loads again."""

    ALL = "All schools"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.win = win
        self.setObjectName("school_picker")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        label = QLabel("School:")
        self.combo = QComboBox()
        self.combo.setAccessibleName("School")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMaximumWidth(300)  # a long school name does not widen the window
        self.combo.setToolTip("The school whose pupils, staff and records you see")
        label.setBuddy(self.combo)
        lay.addWidget(label)
        lay.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(self._chosen)

    def load(self) -> None:
        from sencodesk.server.session import schools

        self.win.ctx.query(schools, on_done=self._fill)

    def _fill(self, rows: list[tuple[int, str]]) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.ALL, None)
        for school_id, name in rows:
            self.combo.addItem(name, school_id)
        self.combo.setCurrentIndex(0)  # a new sign-in looks at every school
        self.combo.blockSignals(False)

    def _chosen(self, _index: int) -> None:
        from sencodesk.server.session import choose_school

        from .context import ALL

        school_id = self.combo.currentData()
        name = self.combo.currentText()
        self.win.ctx.query(
            choose_school,
            school_id,
            on_done=lambda _none: (
                self.win.statusBar().showMessage(f"Showing {name}", 8000),
                self.win.worker.changed.emit(frozenset({ALL})),
            ),
        )


def fit_school_picker(win: Any, me: Any) -> None:
    """The picker is shown to a trust lead only."""
    picker = win.findChild(SchoolPicker, "school_picker")
    trust = me is not None and me.role == "trust_lead"
    if picker is None:
        if not trust:
            return
        picker = SchoolPicker(win)
        win.statusBar().addPermanentWidget(picker)
    picker.setVisible(trust)
    if trust:
        picker.load()
