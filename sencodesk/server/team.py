"""A SENCO manages their own school's users, signed in as themselves (not as the owner).

Each function takes the signed-in SENCO's Session and calls one of the database's
``sencodesk_team*`` functions (``ddl.FUNCTIONS``). Those run with the owner's right to create
logins but check, in the database, that the caller is a SENCO, that the user is in the
caller's school, that the role is one a SENCO may give (not the trust-wide one) and that an
LSA has their staff row. The checks here only word the same rules as field messages before
anything is sent; the database refuses whatever gets past them. The password is turned into
a SCRAM verifier on this computer (``admin.scram_verifier``): it never reaches the server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..errors import KnownError, ValidationError
from .admin import LOGIN_RE, MIN_PASSWORD, scram_verifier
from .ddl import ROLE_LABELS

# The roles a SENCO may give (the trust SEND lead is set up by whoever runs the server).
GIVABLE_ROLES = ("senco", "lsa", "business_manager", "head")


@dataclass(frozen=True)
class TeamUser:
    login: str
    role: str
    staff_id: int | None
    staff_name: str
    active: bool
    added_at: dt.datetime | None
    removed_at: dt.datetime | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def _call(session: Session, sql: str, params: dict[str, object]) -> None:
    """Run one team function; the database's refusal comes back as a message in words."""
    try:
        with session.begin_nested():
            session.execute(text(sql), params)
    except DBAPIError as exc:
        diag = getattr(exc.orig, "diag", None)
        message = getattr(diag, "message_primary", None) or str(exc.orig)
        raise KnownError(message) from exc


def school_users(session: Session) -> list[TeamUser]:
    """Everyone with a login in the signed-in SENCO's school, current ones first."""
    from ..model import Staff

    try:
        rows = session.execute(text("SELECT * FROM sencodesk_team()")).all()
    except DBAPIError as exc:
        diag = getattr(exc.orig, "diag", None)
        raise KnownError(getattr(diag, "message_primary", None) or str(exc.orig)) from exc
    ids = {r.staff_id for r in rows if r.staff_id is not None}
    names: dict[int, str] = {}
    if ids:
        for s in session.query(Staff).filter(Staff.id.in_(ids)):
            names[s.id] = f"{s.first_name} {s.last_name}"
    return [
        TeamUser(
            r.login,
            r.role,
            r.staff_id,
            names.get(r.staff_id, "") if r.staff_id is not None else "",
            r.active,
            r.added_at,
            r.removed_at,
        )
        for r in rows
    ]


def check_user(
    login: str | None, role: str, password: str | None, staff_id: int | None
) -> dict[str, str]:
    """Field messages for a new user or a change of role (``login``/``password`` None: not
    asked)."""
    errors: dict[str, str] = {}
    if login is not None and not LOGIN_RE.match(login):
        errors["login"] = (
            "2 to 63 characters: lower-case letters, digits, '.', '-' or '_', "
            "starting with a letter"
        )
    elif login is not None and login.startswith("pg_"):
        errors["login"] = f"{login} is a reserved name"
    if role not in GIVABLE_ROLES:
        errors["role"] = "must be " + ", ".join(ROLE_LABELS[r] for r in GIVABLE_ROLES)
    if password is not None and len(password) < MIN_PASSWORD:
        errors["password"] = f"must be at least {MIN_PASSWORD} characters"
    if role == "lsa" and staff_id is None:
        errors["staff"] = "an LSA's login needs their staff row (who they are in Staff)"
    return errors


def add_school_user(
    session: Session, login: str, role: str, password: str, staff_id: int | None = None
) -> None:
    login = login.strip()
    errors = check_user(login, role, password, staff_id)
    if errors:
        raise ValidationError(errors)
    verifier = scram_verifier(session.connection(), login, password)
    _call(
        session,
        "SELECT sencodesk_team_add(:l, :r, :v, :s)",
        {"l": login, "r": role, "v": verifier, "s": staff_id},
    )


def set_school_user_role(
    session: Session, login: str, role: str, staff_id: int | None = None
) -> None:
    errors = check_user(None, role, None, 0)  # an LSA's staff row: the one they have, or this
    if errors:
        raise ValidationError(errors)
    _call(
        session,
        "SELECT sencodesk_team_set_role(:l, :r, :s)",
        {"l": login, "r": role, "s": staff_id},
    )


def remove_school_user(session: Session, login: str) -> None:
    _call(session, "SELECT sencodesk_team_remove(:l)", {"l": login})
