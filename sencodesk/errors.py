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
    ) -> None:
        self.what = what
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
