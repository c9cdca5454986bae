"""Operations that run in the database worker: each takes the Store first and opens its own
session. Nothing here touches a widget."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sencodesk.store import Session, Store


def school_name(s: Session) -> str:
    from sencodesk.queries.school import get_school

    return get_school(s).name


def set_up_school(
    s: Session, name: str, la_name: str, year: int, half_terms: list[tuple[dt.date, dt.date]]
) -> None:
    """ "Start empty": the school's name, its LA and this year's term dates, in one go."""
    from sencodesk import commands
    from sencodesk.errors import ValidationError

    errors: dict[str, str] = {}
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
