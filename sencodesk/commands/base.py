"""What every save shares: loading the row to change (``FOR UPDATE``), refusing a stale form
(``check_version``), and writing the checked values onto the row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import Conflict, NotFound, ValidationError
from ..model import AuditEntry, Base

M = TypeVar("M", bound=Base)
Values = Mapping[str, Any]


def _load(
    session: Session, model: type[M], row_id: int | None, what: str, values: Values | None = None
) -> M | None:
    """The row to update, or None to create one.

    ``values["version"]`` (if given) is the version the caller's form was loaded at: a save
    from an older form raises ``Conflict`` and changes nothing. The row is read ``FOR UPDATE``
    then (PostgreSQL: another save waits until this one commits; SQLite has one writer), and
    the ORM's UPDATE also says ``WHERE version = …`` (``model.Versioned``).
    """
    if row_id is None:
        return None
    values = values or {}
    expected = values.get("version")
    obj = session.get(model, row_id, with_for_update=expected is not None)
    if obj is None:
        raise NotFound(f"There is no {what} with id {row_id}.")
    if expected is not None:
        check_version(session, obj, values, what)
    return obj


def _row(obj: Base | None) -> dict[str, Any] | None:
    """A stored row's column values (the ``current`` of a rule), or None for a new row."""
    if obj is None:
        return None
    return {c.key: getattr(obj, c.key) for c in sa_inspect(type(obj)).column_attrs}


def check_version(session: Session, obj: Base, values: Values, what: str) -> None:
    """Raise ``Conflict`` (theirs and yours for every field given) if ``obj`` has been saved
    since the version in ``values``."""
    expected = values.get("version")
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise ValidationError({"version": f"must be a whole number, not {expected!r}"})
    current = getattr(obj, "version", None)
    if current is None or current == expected:
        return
    columns = {c.key for c in sa_inspect(type(obj)).column_attrs}
    fields = {
        name: (getattr(obj, name) if name in columns else None, yours)
        for name, yours in values.items()
        if name != "version"
    }
    if not fields:  # a save that changes nothing cannot undo anyone's change
        return
    row_id: int = getattr(obj, "id", 0)
    last = _last_saved(session, obj.__tablename__, row_id)
    raise Conflict(
        what,
        row_id,
        fields,
        current,
        by=(last.user or "") if last else "",
        at=last.at if last else None,
        table=obj.__tablename__,
    )


def _last_saved(session: Session, table: str, row_id: int) -> Any:
    """(user, at) of a row's last save from the audit trail, or None. On a server, a role that
    may change a table but not read the history asks the database's own function (which
    answers only for its school and the tables it may update)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql" and not session.scalar(
        text("SELECT has_table_privilege('audit_entry', 'SELECT')")
    ):
        if not session.scalar(
            text("SELECT to_regprocedure('sencodesk_last_saved(text,integer)') IS NOT NULL")
        ):
            return None
        return session.execute(
            text('SELECT "user", at FROM sencodesk_last_saved(:t, :r)'), {"t": table, "r": row_id}
        ).first()
    return session.execute(
        select(AuditEntry.user, AuditEntry.at)
        .where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()


def _apply(session: Session, model: type[M], obj: M | None, values: dict[str, Any]) -> M:
    if obj is None:
        obj = model(**values)
        session.add(obj)
    else:
        for k, v in values.items():
            setattr(obj, k, v)
    try:
        session.flush()
    except StaleDataError:
        # Saved by someone else between this save's read and its write (a save without a
        # version, e.g. from the command line): nothing of this one is written.
        raise Conflict(
            model.__tablename__.replace("_", " "),
            getattr(obj, "id", 0),
            {},
            0,
            table=model.__tablename__,
        ) from None
    return obj


def _exists(session: Session, model: type[Base], row_id: Any) -> bool:
    return row_id is not None and session.get(model, row_id) is not None
