"""How backups are named and found: ``backups/`` beside the database, each file
``<db stem>-[<kind>-]YYYYMMDD-HHMMSS[-n].db``. Kept apart from ``backup`` so that the
integrity checks can look at backups without importing the code that makes them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

KINDS = ("manual", "before-upgrade", "before-restore", "damaged")
BACKUP_NAME = re.compile(
    r"^(?P<db>.+?)-(?:(?P<kind>" + "|".join(KINDS) + r")-)?"
    r"(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.db$"
)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    kind: str  # "" for a regular backup, else one of KINDS
    database: str  # the stem of the database file it was made from
    size: int
    number: int = 1  # 2, 3, ... for a second backup within the same second


def backup_folder(db: Path) -> Path:
    return Path(db).parent / "backups"


def backup_name(db: Path, now: dt.datetime, kind: str = "", n: int = 1) -> str:
    middle = f"{kind}-" if kind else ""
    extra = f"-{n}" if n > 1 else ""
    return f"{Path(db).stem}-{middle}{now.strftime('%Y%m%d-%H%M%S')}{extra}.db"


def parse_backup_name(path: Path) -> BackupInfo | None:
    m = BACKUP_NAME.match(path.name)
    if m is None:
        return None
    try:
        taken = dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S")
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(
        path, taken, m.group("kind") or "", m.group("db"), size, int(m.group("n") or 1)
    )


def list_backups(folder: Path, *, database: str | Path | None = None) -> list[BackupInfo]:
    """The backups in a folder, newest first (only those of ``database`` if given)."""
    stem = Path(database).stem if database is not None else None
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    found = [i for i in (parse_backup_name(p) for p in entries if p.is_file()) if i is not None]
    if stem is not None:
        found = [i for i in found if i.database == stem]
    return sorted(found, key=lambda i: (i.taken_at, i.number, i.path.name), reverse=True)
