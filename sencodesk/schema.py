"""The schema's versions: the Alembic migrations under ``db/`` and which revision is head.

Read without importing Alembic where the migration files say it plainly (an open asks only
whether a file is at head, and importing Alembic takes about 0.15 s).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "db"

# What opening a database made by a newer version says (``migrate``, ``safety.opening``).
NEWER = (
    "This database was made by a newer version of SENCO Desk (schema {current}). "
    "Install the newer version to open it; nothing was changed."
)

_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]+)?=\s*(.+?)\s*$", re.M)


def _revision_graph() -> dict[str, tuple[str, ...]] | None:
    """Revision -> the revisions it follows, read from the migration files' ``revision`` and
    ``down_revision`` lines. Importing Alembic takes about 0.15 s, and every open (the GUI's
    first paint waits for it) asks only whether the file is at head; None if a file does not
    say plainly (then Alembic itself is asked)."""
    import ast

    graph: dict[str, tuple[str, ...]] = {}
    for f in sorted((MIGRATIONS / "versions").glob("*.py")):
        found: dict[str, str] = {
            m[1]: m[2] for m in _REVISION_LINE.finditer(f.read_text(encoding="utf-8"))
        }
        try:
            rev = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(rev, str):
            return None
        graph[rev] = tuple(down) if isinstance(down, tuple | list) else (down,) if down else ()
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    if graph is not None:
        heads = set(graph) - {d for downs in graph.values() for d in downs}
        if len(heads) == 1:
            return heads.pop()
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def known_revisions() -> set[str]:
    graph = _revision_graph()
    if graph is not None:
        return set(graph)
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text  # (``glance`` asks for the head without SQLAlchemy)

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None
