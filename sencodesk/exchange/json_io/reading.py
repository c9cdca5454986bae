"""Reading and checking a whole file without touching any database: ``read_json`` ->
``JsonExport``."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import KnownError
from .fileformat import FORMAT, FORMAT_VERSION, model_tables
from .problems import ImportRejected, _newer_hint, _Tally
from .stream import _loaded, _parse, _streamed, _Unstreamable
from .values import _shown


@dataclass(frozen=True)
class JsonExport:
    """A checked export file, ready to insert. Its rows are not held here: ``insert_export``
    reads them from the file again, a chunk at a time (#17: a 100,000-pupil file is never
    in memory as a whole)."""

    path: Path
    format_version: int
    schema_revision: str | None
    sizes: dict[str, int]  # rows per table
    parts: Callable[[], Generator[Any, None, None]]  # the file again: see ``_streamed``
    days: list[dict[str, Any]]  # the contract_day rows: the contract rule's context
    contracts: list[dict[str, Any]]  # the contract rows, cleaned (checked with their days)

    def counts(self) -> dict[str, int]:
        return dict(self.sizes)


def read_json(path: Path | str) -> JsonExport:
    """Read and check a whole-database export file without touching any database.

    The file is read as it goes (ijson), and its rows checked a chunk at a time; a file that
    is not in an export's shape (a syntax error, tables out of order) is read whole with
    ``json`` instead, which places a syntax error by line and column. Either way the same
    checks, in the same order, with the same messages."""
    path = Path(path)
    try:
        return _read(path, lambda: _streamed(path), streamed=True)
    except _Unstreamable:
        pass
    doc = _parse(path)
    return _read(path, lambda: _loaded(doc), streamed=False)


def _header_failure(path: Path, doc: Any, has_tables: bool) -> KnownError | None:
    def fail(message: str) -> KnownError:
        return KnownError(f"Cannot import {path}: {message}. Nothing was imported.")

    if not isinstance(doc, dict):
        return fail("it is not a SENCO Desk export (it holds a JSON list or value, not an object)")
    fmt = doc.get("format")
    if fmt != FORMAT:
        shown = 'has no "format"' if fmt is None else f'its "format" is {_shown(fmt)}'
        return fail(f'it is not a SENCO Desk export ({shown}, not "{FORMAT}")')
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return fail(f'its "format_version" is {_shown(version)}, not a version number')
    if version > FORMAT_VERSION:
        return KnownError(
            f"Cannot import {path}: it was made by a newer version of SENCO Desk (format "
            f"version {version}; this version reads format version {FORMAT_VERSION} and "
            "older). Install the newer version of SENCO Desk to import it. Nothing was imported."
        )
    if doc.get("subset") is not None:
        return fail(
            "it is the export of one pupil (a subject access request), not of a "
            "whole database, so it cannot be imported"
        )
    if not has_tables:
        return fail('it has no "tables" object')
    return None


def _read(
    path: Path, parts: Callable[[], Generator[Any, None, None]], *, streamed: bool
) -> JsonExport:
    tables = parts()
    try:
        doc, has_tables = next(tables)
        failure = _header_failure(path, doc, has_tables)
        revision = doc.get("schema_revision") if failure is None else None
        known = {t.name: (i, t) for i, t in enumerate(model_tables())}
        tally = _Tally(revision)
        last = -1
        # A failure is raised once the whole file is read: a syntax error further on comes
        # first (as when the file was read whole).
        for name, rows in tables:
            if failure is not None:
                continue
            if name not in known:
                failure = KnownError(
                    f"Cannot import {path}: unknown table {name!r}{_newer_hint(revision)}. "
                    "Nothing was imported."
                )
                continue
            if rows is None:
                failure = KnownError(
                    f"Cannot import {path}: table {name!r} is not a list of rows. "
                    "Nothing was imported."
                )
                continue
            index, table = known[name]
            if streamed and index <= last:
                raise _Unstreamable  # tables out of the export's order (or twice)
            last = index
            tally.take(table, rows)
    finally:
        tables.close()
    if failure is not None:
        raise failure
    tally.finish()
    for found in (tally.types, tally.ruled(), tally.keyed()):
        if found:
            raise ImportRejected(path, found)
    return JsonExport(
        path,
        doc["format_version"],
        revision if isinstance(revision, str) else None,
        tally.sizes,
        parts,
        tally.days,
        tally.contracts,
    )
