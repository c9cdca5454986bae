"""The app's version, and the versions of what it runs on, for ``--version`` and About.

One source: ``version`` in ``pyproject.toml``'s ``[project]`` table. The code reads that file
beside the package (a source checkout, and the bundle, where ``pyinstaller.spec`` copies it),
so a version bump needs no reinstall; an install without the file falls back to the
package's metadata (``importlib.metadata``). Never imports Qt: the Qt lines are added by the
caller (``main.py``, ``ui/dialogs/help.py``).
"""

from __future__ import annotations

import contextlib
import platform
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "sencodesk"


def app_version(root: Path = ROOT) -> str:
    """``[project] version`` from ``root/pyproject.toml``; else the installed metadata."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        import tomllib

        project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
        if project["name"] == PROJECT:
            return str(project["version"])
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        return version(PROJECT)
    return "unknown"


def sqlcipher_version() -> str | None:
    """SQLCipher's version when the ``sqlcipher3`` driver is installed, else None."""
    try:
        import sqlcipher3  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    with contextlib.closing(sqlcipher3.connect(":memory:")) as conn:
        row = conn.execute("PRAGMA cipher_version").fetchone()
    return f"{row[0]} (SQLite {sqlcipher3.sqlite_version})" if row else "unknown"


def code_schema_revision() -> str:
    """The newest database revision this code knows (the migrations' head)."""
    from .store import head_revision

    return head_revision()


def version_lines(
    *, qt: tuple[str, str] | None = None, db_revision: str | None = None
) -> list[str]:
    """``["SENCO Desk 0.1.0", "Python 3.11.7", ...]``. ``qt``: (Qt, PySide6) versions;
    ``db_revision``: the open database's schema revision, if there is one."""
    lines = [
        f"SENCO Desk {app_version()}",
        f"Python {platform.python_version()} ({sys.platform}, {platform.machine() or '?'})",
    ]
    if qt is not None:
        lines.append(f"Qt {qt[0]}, PySide6 {qt[1]}")
    lines.append(f"SQLite {sqlite3.sqlite_version}")
    cipher = sqlcipher_version()
    lines.append(f"SQLCipher {cipher}" if cipher else "SQLCipher: not installed (no encryption)")
    lines.append(f"Database schema (this version of the app): {code_schema_revision()}")
    if db_revision is not None:
        lines.append(f"Database schema (the open database): {db_revision}")
    return lines


def database_revision(store: object) -> str:
    """The schema revision of an open ``Store``'s database ("none" for an empty one)."""
    from .store import current_revision

    return current_revision(store.engine) or "none"  # type: ignore[attr-defined]
