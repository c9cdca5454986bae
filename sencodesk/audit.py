"""The audit trail: every insert, update and delete of a model row, field by field.

A ``before_flush``/``after_flush`` pair on our session class collects the changes and writes
them with a Core insert on the flushing connection, so the audit rows commit or roll back with
the change itself. No code path can write a model row without leaving an entry.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .changes import note_tables
from .model import AuditEntry, Base

_SKIP = frozenset({"id", "version", "school_id"})


def who(connection: Any = None) -> str:
    """The person signed in, for the audit's "who" and the writer's lock.

    On a server database (``connection``: an SQLAlchemy Connection or Engine) that is the
    database login (``session_user``: the name the server authenticated, which ``SET ROLE``
    does not change). Otherwise it is this computer's account as the operating system knows
    it: never an environment variable (``USER``, ``LOGNAME``, ``USERNAME``), which anyone can
    set to another person's name.
    """
    if connection is not None and connection.dialect.name != "sqlite":
        from sqlalchemy import Engine, text

        if isinstance(connection, Engine):
            with connection.connect() as conn:
                return str(conn.execute(text("SELECT session_user")).scalar())
        return str(connection.execute(text("SELECT session_user")).scalar())
    return os_account()


def os_account() -> str:
    """The account this process runs as, from the OS: the user database entry of the
    effective uid on POSIX, ``GetUserNameW`` (the process token's user) on Windows."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes
        from ctypes import wintypes

        size = wintypes.DWORD(257)
        buf = ctypes.create_unicode_buffer(size.value)
        if ctypes.WinDLL("advapi32", use_last_error=True).GetUserNameW(buf, ctypes.byref(size)):
            return buf.value
        return "unknown"
    import pwd

    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # an account with no entry (some containers): its number, not a guess
        return f"uid {uid}"


default_user = os_account  # the name older callers use


def to_text(value: Any) -> str | None:
    """The stable text form of a column value in the audit trail and in exports."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _columns(obj: Base) -> list[str]:
    return [c.key for c in inspect(type(obj)).column_attrs if c.key not in _SKIP]


def _collect(session: Session) -> list[tuple[str, Base, list[tuple[str, Any, Any]]]]:
    changes: list[tuple[str, Base, list[tuple[str, Any, Any]]]] = []
    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            changes.append(("insert", obj, []))
    for obj in session.dirty:
        if not isinstance(obj, Base) or isinstance(obj, AuditEntry):
            continue
        state = inspect(obj)
        fields = []
        for key in _columns(obj):
            hist = state.attrs[key].history
            if hist.has_changes():
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if to_text(old) != to_text(new):
                    fields.append((key, old, new))
        if fields:
            changes.append(("update", obj, fields))
    for obj in session.deleted:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            state = inspect(obj)
            fields = [(k, state.attrs[k].loaded_value, None) for k in _columns(obj)]
            changes.append(("delete", obj, fields))
    return changes


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    session.info.setdefault("_audit_pending", []).extend(_collect(session))


def _after_flush(session: Session, flush_context: Any) -> None:
    pending = session.info.pop("_audit_pending", [])
    if not pending:
        return
    note_tables(session.info, {obj.__tablename__ for _, obj, _ in pending})
    user = session.info.get("user") or default_user()
    reason = session.info.get("audit_reason", "")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    rows: list[dict[str, Any]] = []
    for action, obj, fields in pending:
        table = obj.__tablename__
        row_id = inspect(obj).identity[0] if inspect(obj).identity else getattr(obj, "id", 0)
        base = {
            "at": now,
            "user": user,
            "action": action,
            "table_name": table,
            "row_id": row_id,
            "reason": reason,
        }
        if action == "insert":
            before = len(rows)
            for key in _columns(obj):
                value = getattr(obj, key)
                if value is not None and value != "":
                    rows.append(
                        {**base, "field": key, "old_value": None, "new_value": to_text(value)}
                    )
            if len(rows) == before:  # (not a scan of every row: a batch flush is linear)
                rows.append({**base, "field": "", "old_value": None, "new_value": None})
        elif action == "delete":
            rows.append({**base, "field": "", "old_value": None, "new_value": None})
            for key, old, _ in fields:
                if table in SENSITIVE_ON_DELETE:
                    continue
                rows.append({**base, "field": key, "old_value": to_text(old), "new_value": None})
        else:
            for key, old, new in fields:
                rows.append(
                    {**base, "field": key, "old_value": to_text(old), "new_value": to_text(new)}
                )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


# An erased pupil's data must not survive in the audit trail: a delete of these rows records
# that the row went, and why, but not what it held.
# (The pupil's own rows and the tables hanging from them: what an erasure removes.)
PUPIL_OWNED_TABLES = (
    "pupil",
    "outcome",
    "outcome_status_change",
    "record",
    "funding",
    "assignment",
    "review_meeting",
    "review_invitee",
    "review_advice",
    "review_amendment",
    "mis_pupil",
)
SENSITIVE_ON_DELETE = frozenset(PUPIL_OWNED_TABLES)


def install(session_class: type[Session]) -> None:
    """Attach the audit listeners to a session class (idempotent)."""
    if not event.contains(session_class, "before_flush", _before_flush):
        event.listen(session_class, "before_flush", _before_flush)
        event.listen(session_class, "after_flush", _after_flush)
