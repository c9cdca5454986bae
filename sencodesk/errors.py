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


class BadRows(KnownError):
    """Something could not be worked out because rows break the rules (``problems`` name
    them, as ``check`` does)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "This cannot be worked out: the database holds data that breaks the rules. "
            + " ".join(self.problems)
            + " Correct these rows in the app (`python main.py check` lists every such row)."
        )
