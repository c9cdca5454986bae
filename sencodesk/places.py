"""Where SENCO Desk keeps a database: the app's name for the user's folders, the default file,
and a path or URL as given (on the command line, in the app) turned into an SQLAlchemy URL."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

from .errors import DatabaseError

APP_NAME = "SENCO Desk"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "sencodesk.db"


def resolve_url(db: str | Path | None) -> str:
    """A path or URL as given on the command line -> an SQLAlchemy URL."""
    if db is None:
        db = default_db_path()
    s = str(db)
    if "://" in s:
        _check_url(s)
        return s
    return "sqlite:///" + str(Path(s).expanduser().resolve())


def _check_url(url: str) -> None:
    """A URL SQLAlchemy can use (its dialect known, its port a number), else DatabaseError."""
    from sqlalchemy.exc import ArgumentError

    try:
        u = make_url(url)
        u.get_dialect()
    except (ArgumentError, ValueError) as exc:
        scheme = url.split("://", 1)[0]
        raise DatabaseError(
            f"{scheme}://… is not a database address SENCO Desk can use ({_first_line(exc)}); "
            "give a database file or a URL such as postgresql+psycopg://user@server/sencodesk."
        ) from None


def _first_line(exc: BaseException) -> str:
    """The driver's own message, first line only (no SQL, no "Background on this error")."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__
