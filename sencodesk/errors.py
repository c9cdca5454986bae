"""The two kinds of error (qutebrowser's KnownError/BugError habit).

A ``KnownError`` is told to the user in words: bad input, a missing file, a newer database.
Anything else that escapes is a bug: logged with its traceback and shown as a bug.
"""

from __future__ import annotations


class KnownError(Exception):
    """A problem the user can understand and act on; ``str()`` is the message."""


class ValidationError(KnownError):
    """Bad input. ``errors`` maps each bad field (or "row 3: field") to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class NotFound(KnownError):
    pass


class DatabaseError(KnownError):
    """The database cannot be used: newer version, not a database, damaged, locked."""


class BadData(KnownError):
    """A row already in the database breaks the rules (written by an older version or an
    unchecked import): named by table, row and field, with the way to find the others."""

    def __init__(self, table: str, row_id: object, problem: str) -> None:
        self.table, self.row_id, self.problem = table, row_id, problem
        super().__init__(
            f"The {table.replace('_', ' ')} with id {row_id} holds data that breaks the rules: "
            f"{problem}. Correct it in the app (`python main.py check` lists every such row)."
        )


# How ``checks.database_problems`` ends a value no column type reads (a file made or damaged
# outside the app): such a row cannot be opened in the app to be corrected.
UNREADABLE = "the app cannot read it"


class BadRows(KnownError):
    """Something could not be worked out because rows break the rules (``problems`` name
    them, as ``check`` does)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        unreadable = any(UNREADABLE in p for p in self.problems)
        super().__init__(
            "This cannot be worked out: the database holds data that breaks the rules. "
            + " ".join(self.problems)
            + (
                " A value the app cannot read cannot be corrected in it: restore a backup "
                "from before the file was damaged (File > Restore…), or ask whoever supports "
                "the app to repair it."
                if unreadable
                else " Correct these rows in the app (`python main.py check` lists every such row)."
            )
        )


# --------------------------------------------------------------------------- the environment

_DISK_FULL_TEXT = ("database or disk is full", "no space left on device", "disk quota exceeded")


def environment_problem(exc: BaseException) -> str | None:
    """A failure of the computer, its disk or the database server (not a bug in the app), as
    one sentence for people; None for anything else.

    Disk full (``OSError`` ENOSPC/EDQUOT, SQLite's "database or disk is full"), the database
    server gone (a lost or refused PostgreSQL connection), and a closed output pipe. A
    database change that fails this way is rolled back whole: nothing is half-saved.
    """
    import errno

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # the error and what caused it
        seen.add(id(current))
        orig = getattr(current, "orig", None)
        for e in (current, orig):
            if e is None:
                continue
            if isinstance(e, BrokenPipeError):
                return "The output was closed before everything was written (broken pipe)."
            if isinstance(e, OSError) and e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
                where = f" ({e.filename})" if getattr(e, "filename", None) else ""
                return f"The disk is full{where}: free some space and try again."
            text = str(e).lower()
            if any(t in text for t in _DISK_FULL_TEXT):
                return (
                    "The disk is full: the change was not saved (nothing was half-saved). "
                    "Free some space and try again."
                )
            server = _server_lost(e)
            if server:
                return server
        current = current.__cause__ or current.__context__
    return None


def _server_lost(e: BaseException) -> str | None:
    """A lost or refused connection to a PostgreSQL server (psycopg's connection errors)."""
    import sys

    psycopg = sys.modules.get("psycopg")
    if psycopg is None or not isinstance(e, psycopg.OperationalError | psycopg.InterfaceError):
        return None
    state = getattr(e, "sqlstate", None)  # None: the client's side (refused, cut off)
    if state is not None and not state.startswith(("08", "57P")):  # connection, shutdown
        return None
    lines = [ln.strip() for ln in str(e).strip().splitlines() if ln.strip()]
    detail = lines[0] if lines else type(e).__name__
    if len(detail) > 160:
        detail = detail[:157] + "…"
    return (
        f"The connection to the database server was lost or refused ({detail}). A change "
        "being saved at that moment was not saved; check the server is running and try again."
    )


class Conflict(KnownError):
    """A save from a form loaded before someone else saved the same row: nothing was saved.

    ``fields`` maps each field the save would change to ``(theirs, yours)``: the value saved
    now and the value this save would write. ``version`` is the row's version now: saving
    again with it overwrites theirs with yours (only in those fields). ``by`` and ``at`` say
    who saved last and when (UTC), from the audit trail, when it knows.
    """

    def __init__(
        self,
        what: str,
        row_id: int,
        fields: dict[str, tuple[object, object]],
        version: int,
        *,
        by: str = "",
        at: object = None,
        table: str = "",
    ) -> None:
        self.what = what
        self.table = table  # the row's table (its kind of change: ``changes.TABLE_KINDS``)
        self.row_id = row_id
        self.fields = dict(fields)
        self.version = version
        self.by = by
        self.at = at
        who = f" ({by})" if by else ""
        lines = [
            f"Someone else{who} saved this {what} after you opened it, so your changes were "
            "not saved. Theirs, then yours:"
        ]
        lines += [f"{name}: {theirs!s} / {yours!s}" for name, (theirs, yours) in fields.items()]
        super().__init__("\n".join(lines))
