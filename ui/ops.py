"""Operations that run in the database worker: each takes the Store first and opens its own
session. Nothing here touches a widget."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sencodesk.store import Store


def open_store_for_gui(db: str | Path | None, passphrase: str | None = None) -> Any:
    """Open for writing; if another SENCO Desk has the file, read-only (``store.read_only``)."""
    from sencodesk.store import open_for_reading

    return open_for_reading(db, passphrase=passphrase)


def restore_and_reopen(path: Path, backup: Path, passphrase: str | None = None) -> Any:
    """Runs with the old store closed: restore the backup over the file, then open it
    (``passphrase``: of an encrypted database and its backups)."""
    from sencodesk.safety.backup import restore

    restore(path, backup, passphrase=passphrase)
    return open_store_for_gui(path, passphrase)


def school_name(store: Store) -> str:
    from sencodesk.queries.school import get_school

    with store.read() as s:
        return get_school(s).name


def set_up_school(
    store: Store, name: str, la_name: str, year: int, half_terms: list[tuple[dt.date, dt.date]]
) -> None:
    """ "Start empty": the school's name, its LA and this year's term dates, in one go."""
    from sencodesk import commands
    from sencodesk.errors import ValidationError

    errors: dict[str, str] = {}
    with store.session() as s:
        la_id = None
        if la_name.strip():
            try:
                la_id = commands.save_local_authority(s, {"name": la_name})
            except ValidationError as exc:
                errors["la_name"] = next(iter(exc.errors.values()))
        try:
            commands.save_school(s, {"name": name, "la_id": la_id})
        except ValidationError as exc:
            errors.update(exc.errors)
        try:
            commands.set_term_dates(s, year, half_terms)
        except ValidationError as exc:
            errors.update(exc.errors)
        if errors:
            raise ValidationError(errors)


def build_demo(
    store: Store, state: Any, pupils: int = 420, seed: int = 1, today: dt.date | None = None
) -> None:
    from sencodesk.demo import make_demo

    make_demo(store, pupils=pupils, seed=seed, today=today or dt.date.today(), progress=state)


def signed_in(store: Store) -> Any:
    """Who is signed in to a server database (``SignedIn``), or None."""
    from sencodesk.server.session import whoami

    return whoami(store)
