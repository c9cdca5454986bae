"""File > Users of this school…: a SENCO signed in to a server manages who else signs in.

The list shows every login of the school (current ones first, removed ones kept so the
history still says who), with its role and, for an LSA, who they are in Staff. Add a user
(login, role, their staff row, a first password they change with whoever runs the server),
change a role, or remove a login (it stops working at once; its history stays). The
database decides (``sencodesk.server.team``): a SENCO can only act in their own school,
cannot give the trust-wide role and cannot change their own login.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sencodesk.errors import ValidationError

from .. import format as fmt
from ..context import Context
from ..models.base import Column, RowTableModel
from ..widgets.fields import ChoiceField, TextField
from ..widgets.form import Form
from ..widgets.table import Table
from . import ask as dlg

if TYPE_CHECKING:
    from sencodesk.store import Session

TITLE = "Users of this school"


def load_team(s: Session, today: Any) -> tuple[list[Any], list[tuple[int, str]]]:
    """The school's logins and the staff an LSA's login may be tied to."""
    from sencodesk.queries.staff import list_staff
    from sencodesk.server.team import school_users

    users = school_users(s)
    staff = [(r.id, f"{r.name} ({r.role_label})") for r in list_staff(s, today=today)]
    return users, staff


def add_user(s: Session, login: str, role: str, password: str, staff_id: int | None) -> None:
    from sencodesk.server.team import add_school_user

    add_school_user(s, login, role, password, staff_id)


def change_role(s: Session, login: str, role: str, staff_id: int | None) -> None:
    from sencodesk.server.team import set_school_user_role

    set_school_user_role(s, login, role, staff_id)


def remove_user(s: Session, login: str) -> None:
    from sencodesk.server.team import remove_school_user

    remove_school_user(s, login)


def _role_choices() -> list[tuple[str, str]]:
    from sencodesk.server.ddl import ROLE_LABELS
    from sencodesk.server.team import GIVABLE_ROLES

    return [(r, ROLE_LABELS[r]) for r in GIVABLE_ROLES]


class TeamModel(RowTableModel):
    COL_LOGIN, COL_ROLE, COL_STAFF, COL_STATUS = range(4)
    COLUMNS = (
        Column("Login", lambda r: r.login),
        Column("Role", lambda r: r.role_label),
        Column("Staff", lambda r: r.staff_name),
        Column(
            "Status",
            lambda r: (
                "Can sign in"
                if r.active
                else "Removed" + (f" {fmt.date(r.removed_at.date())}" if r.removed_at else "")
            ),
        ),
    )


class _FormDialog(QDialog):
    """A small form whose OK runs one op in the worker; the core and the database check."""

    def __init__(self, ctx: Context, parent: QWidget, title: str, intro: str, ok: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.setMinimumWidth(520)
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
        self.ok_button.setText(ok)
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        self.body = lay

    def finish(self) -> None:
        self.body.addWidget(self.buttons)

    def go(self) -> None:
        raise NotImplementedError

    def run(self, fn: Callable[..., Any], *args: Any) -> None:
        self.form.clear_errors()
        self.ok_button.setEnabled(False)
        self.ctx.change(
            fn, *args, on_done=self._ok, on_error=self._failed, reason=self.windowTitle()
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        self.form.show_errors(errors)
        self.adjustSize()

    def _ok(self, _result: Any) -> None:
        self.ok_button.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException, tb: str) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        else:
            self.ctx.error(exc, tb)


class AddUserDialog(_FormDialog):
    def __init__(self, ctx: Context, parent: QWidget, staff: list[tuple[int, str]]) -> None:
        super().__init__(
            ctx,
            parent,
            "Add a user",
            "A new login for one person of your school. Give them the first password in "
            "person; it is sent to the server only as a SCRAM verifier, never in clear. "
            "An LSA's login needs who they are in Staff: they then see only the pupils they "
            "are assigned to.",
            "&Add user",
        )
        self.login = TextField()
        self.role = ChoiceField(_role_choices())
        self.staff = ChoiceField(staff, blank="(not a member of staff here)")
        self.password = TextField()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = TextField()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add("login", "&Login", self.login, tip="e.g. a.smith: lower-case, no spaces")
        self.form.add("role", "&Role", self.role)
        self.form.add("staff", "&Staff", self.staff)
        self.form.add("password", "&Password", self.password)
        self.form.add("confirm", "&Confirm password", self.confirm)
        self.role.set_value("lsa")
        self.finish()

    def go(self) -> None:
        if self.password.text() != self.confirm.text():
            self.show_errors({"confirm": "is not the same as the password"})
            return
        self.run(
            add_user,
            self.login.value(),
            self.role.value(),
            self.password.text(),
            self.staff.value(),
        )


class RoleDialog(_FormDialog):
    def __init__(
        self, ctx: Context, parent: QWidget, user: Any, staff: list[tuple[int, str]]
    ) -> None:
        super().__init__(
            ctx,
            parent,
            "Change role",
            f"{user.login} gets the new role the next time the app asks the database "
            "anything. An LSA's login needs who they are in Staff.",
            "&Change role",
        )
        self.user = user
        self.role = ChoiceField(_role_choices())
        self.staff = ChoiceField(staff, blank="(not a member of staff here)")
        self.form.add("role", "&Role", self.role)
        self.form.add("staff", "&Staff", self.staff)
        self.role.set_value(user.role)
        self.staff.set_value(user.staff_id)
        self.finish()

    def go(self) -> None:
        self.run(change_role, self.user.login, self.role.value(), self.staff.value())


class TeamDialog(QDialog):
    loaded = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent or ctx.window)
        self.ctx = ctx
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self.resize(760, 460)
        self.users: list[Any] = []
        self.staff: list[tuple[int, str]] = []
        lay = QVBoxLayout(self)
        intro = QLabel(
            "Who signs in to your school's SENCO Desk, and as what. What each role sees is "
            "decided by the database (see docs/server.md). A removed login stops working at "
            "once; it stays on this list so the history still says who did what."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.model = TeamModel()
        self.view = Table(
            self.model,
            TITLE,
            widths=(200, 200, 180, 140),
            sortable=True,
            empty="No logins for this school yet: Add user… gives someone one.",
        )
        lay.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add user…")
        self.role_button = QPushButton("Change &role…")
        self.remove_button = QPushButton("Re&move…")
        for b, slot in (
            (self.add_button, self.add),
            (self.role_button, self.change_role),
            (self.remove_button, self.remove),
        ):
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.note = QLabel("Loading…")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._enable()

    def load(self) -> None:
        self.ctx.query(load_team, self.ctx.today, on_done=self._loaded)

    def _loaded(self, result: tuple[list[Any], list[tuple[int, str]]]) -> None:
        self.users, self.staff = result
        self.model.set_rows(self.users)
        current = sum(1 for u in self.users if u.active)
        self.note.setText(f"{current} can sign in; {len(self.users) - current} removed.")
        self._enable()
        self.loaded.emit()

    def selected(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        user = self.selected()
        me = getattr(self.ctx.window, "signed_in", None)
        may = user is not None and user.active and user.role != "trust_lead"
        may = may and (me is None or user.login != me.login)
        self.role_button.setEnabled(may)
        self.remove_button.setEnabled(may)

    def _after(self, box: QDialog) -> None:
        box.accepted.connect(self.load)
        box.open()

    def add(self) -> AddUserDialog:
        box = AddUserDialog(self.ctx, self, self.staff)
        self._after(box)
        return box

    def change_role(self) -> RoleDialog | None:
        user = self.selected()
        if user is None:
            return None
        box = RoleDialog(self.ctx, self, user, self.staff)
        self._after(box)
        return box

    def remove(self) -> None:
        user = self.selected()
        if user is None:
            return
        if not dlg.ask(
            self,
            "Remove a user",
            f"Remove {user.login}? They cannot sign in from now on, and any window they "
            "have open loses its connection. Everything they did stays in the history.",
        ):
            return
        self.ctx.change(
            remove_user, user.login, reason="login removed", on_done=lambda _r: self.load()
        )


def show_team(ctx: Context, parent: QWidget | None = None) -> TeamDialog:
    box = TeamDialog(ctx, parent)
    box.show()
    box.load()
    return box
