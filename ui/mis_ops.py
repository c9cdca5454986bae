"""MIS import operations for the database worker (``ui/dialogs/mis_import.py``): read a
file's columns (a query op), make the preview (a long read job), apply the SENCO's choices (a
whole-store job), then save the column mapping (a change op). Nothing here opens a session,
touches a widget or runs SQL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sencodesk.store import Session, Store


def read_columns(s: Session, path: Path, kind: str | None, name: str | None) -> Any:
    """A spreadsheet's headings and the mapping to start from (None for a CTF)."""
    from sencodesk.mis import preview

    if preview.is_ctf(path):
        return None
    return preview.sheet_columns(s, path, kind=kind, name=name)


def make_preview(
    s: Session, state: Any, path: Path, kind: str | None, mapping: dict[str, str] | None
) -> Any:
    from sencodesk.mis import preview

    def progress(done: int, total: int) -> None:
        state.set_progress(done, total, f"Reading {path.name}…")
        state.check()

    return preview.make_plan(s, path, kind=kind, mapping=mapping, progress=progress)


def apply_choices(store: Store, state: Any, plan: Any, choices: Any) -> Any:
    """Apply (one transaction)."""
    from sencodesk.mis.apply import apply_plan

    def progress(done: int, total: int) -> None:
        state.set_progress(done, total, f"Importing: {done:,} of {total:,}…")

    return apply_plan(store, plan, choices, progress=progress, cancel=state.is_cancelled)


def save_mapping(s: Session, name: str, kind: str, mapping: dict[str, str]) -> None:
    """Save the column mapping under ``name`` (after a successful import)."""
    from sencodesk.mis.sheet import save_mapping as save

    save(s, name, kind, mapping)
