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
