"""The known errors of data safety: each says in words what is wrong and what to do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import DatabaseError, KnownError


@dataclass(frozen=True)
class LockInfo:
    """Who holds the writer's lock on a database file (from its ``.lock`` file)."""

    pid: int
    host: str
    user: str
    since: dt.datetime


class DatabaseLocked(DatabaseError):
    """Another SENCO Desk (another window or another computer) has the file open for writing."""

    def __init__(self, path: Path, info: LockInfo | None) -> None:
        self.path = path
        self.info = info
        if info is None:
            text = (
                "SENCO Desk is already open on this file in another window or on another computer"
            )
        else:
            since = info.since.strftime("%H:%M")
            if info.since.date() != dt.date.today():
                since += info.since.strftime(" on %d/%m/%Y")
            text = f"SENCO Desk is already open on this file by {info.user} on {info.host} since {since}"
        super().__init__(f"{text}. Close it there first, or open the file read-only.")


class ReadOnlyStore(DatabaseError):
    def __init__(self) -> None:
        super().__init__(
            "This database is open read-only (someone else is using it), so nothing "
            "can be changed. Close it elsewhere and open it again to make changes."
        )


class DatabaseDamaged(DatabaseError):
    """The file failed SQLite's check. ``backup`` is the newest backup that passes, if any."""

    def __init__(self, path: Path, problems: list[str], backup: Path | None) -> None:
        self.path = path
        self.problems = list(problems)
        self.backup = backup
        first = problems[0] if problems else "unknown problem"
        text = f"The database {path} is damaged ({first})."
        if backup is not None:
            text += (
                f" The newest backup that checks out is {backup}: restore it with "
                f"'python main.py restore \"{backup}\"' (the app offers to when it opens "
                "the file)."
            )
        else:
            text += " No good backup was found beside it; do not write to it, and ask for help."
        super().__init__(text)


class NotADatabase(DatabaseError):
    pass


class NetworkShareRefused(DatabaseError):
    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"The database {path} is {reason}. An SQLite file on a network share gets damaged "
            "when two computers use it or the network drops, and records can be lost. Keep the "
            "file on this computer's own disk; for a database several people share, use a "
            "PostgreSQL server instead (give --db postgresql+psycopg://USER@SERVER/DATABASE; "
            "see 'Shared use' in the manual)."
        )


class PassphraseRequired(DatabaseError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"The database {path} is encrypted: give its passphrase (--passphrase-file FILE, "
            "the SENCODESK_PASSPHRASE environment variable, or type it when asked)."
        )


class WrongPassphrase(DatabaseError):
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        super().__init__("The passphrase is wrong, or this is not a SENCO Desk database.")


class EncryptionUnavailable(DatabaseError):
    def __init__(self) -> None:
        super().__init__(
            "Encryption needs the sqlcipher3 package, which is not installed on this computer."
        )


class BackupFailed(KnownError):
    pass


class BadBackup(KnownError):
    """A file offered for restore is not a good SENCO Desk backup."""
