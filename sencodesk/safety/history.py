"""The audit history of one row, newest first, for the GUI's History view.

Nothing here (or anywhere else) edits or deletes audit entries; the one exception is the
erasure of a pupil (``retention.erase_pupil``), whose entries hold the child's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..model import AuditEntry


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime  # UTC, as written by ``audit``
    user: str
    action: str  # insert, update, delete, erase
    field: str  # "" for the row as a whole
    old: str | None
    new: str | None
    reason: str
    imported: bool = False  # brought in by an import: made elsewhere, not in this database

    @property
    def change(self) -> str:
        return change_words(self.action, self.imported)


ACTION_WORDS = {"insert": "added", "update": "changed", "delete": "deleted", "erase": "erased"}


def change_words(action: str, imported: bool, words: dict[str, str] | None = None) -> str:
    """How a history entry's action reads: "changed", or "imported: changed" for an entry
    that came in with an import (never presented as a change made here)."""
    word = (words or ACTION_WORDS).get(action, action)
    return f"imported: {word}" if imported else word


def history(session: Session, table: str, row_id: int) -> list[HistoryRow]:
    """The audit entries of one row, newest first.

    Only the row's latest life: SQLite may give a deleted row's id to a new row, and the
    entries before that delete were about another row (often another child).
    """
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
        .order_by(AuditEntry.id)
    )
    entries = list(session.scalars(stmt))
    ends = [i for i, e in enumerate(entries[:-1]) if e.action in ("delete", "erase")]
    if ends:
        entries = entries[ends[-1] + 1 :]
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    return [
        HistoryRow(e.at, e.user, e.action, e.field, e.old_value, e.new_value, e.reason, e.imported)
        for e in entries
    ]
