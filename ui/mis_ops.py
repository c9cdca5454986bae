"""MIS import operations for the database worker (``ui/dialogs/mis_import.py``): read a
file's columns, make the preview, apply the SENCO's choices. Each opens its own session
through the core; nothing here touches a widget or runs SQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_columns(store: Any, path: Path, kind: str | None, name: str | None) -> Any:
    """A spreadsheet's headings and the mapping to start from (None for a CTF)."""
    from sencodesk.mis import preview

    if preview.is_ctf(path):
        return None
    with store.read() as s:
        return preview.sheet_columns(s, path, kind=kind, name=name)


def make_preview(
    store: Any, state: Any, path: Path, kind: str | None, mapping: dict[str, str] | None
) -> Any:
    from sencodesk.mis import preview

    def progress(done: int, total: int) -> None:
        state.set_progress(done, total, f"Reading {path.name}…")
        state.check()

    with store.read() as s:
        return preview.make_plan(s, path, kind=kind, mapping=mapping, progress=progress)


def apply_choices(
    store: Any,
    state: Any,
    plan: Any,
    choices: Any,
    save_as: str = "",
    mapping: dict[str, str] | None = None,
) -> Any:
    """Apply (one transaction); then save the column mapping under ``save_as``, if given."""
    from sencodesk.mis.apply import apply_plan
    from sencodesk.mis.sheet import save_mapping

    def progress(done: int, total: int) -> None:
        state.set_progress(done, total, f"Importing: {done:,} of {total:,}…")

    result = apply_plan(store, plan, choices, progress=progress, cancel=state.is_cancelled)
    if save_as and mapping:
        with store.session() as s:
            save_mapping(s, save_as, plan.kind, mapping)
    return result
