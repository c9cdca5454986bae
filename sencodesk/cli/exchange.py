"""Exchange commands: ``export`` (the whole database as JSON, or one pupil's subject access
files) and ``import`` (a JSON export into a new, empty database). See docs/json-format.md."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import KnownError

FULL_EXPORT_WARNING = (
    "This file holds everything in the database, including special-category data about "
    "children (OFFICIAL-SENSITIVE): keep it as safe as the database itself, never email it, "
    "and delete it when it has done its job."
)


def _export(args: argparse.Namespace) -> int:
    from .opening import open_cli_store
    from .safety import _sar

    if args.pupil is not None:  # the subject access export: JSON and PDF into a folder
        return _sar(args)
    out = Path(args.out)
    if out.is_dir():
        raise KnownError(
            f"{out} is a folder: give the name of the file to write, e.g. "
            f"{out / 'sencodesk-export.json'}."
        )
    if out.suffix.lower() != ".json":
        raise KnownError(f"Cannot write {out.name}: use a file name ending .json.")
    from ..exchange.json_io import export_json
    from ..files import check_writable

    check_writable(out)  # before the database is opened

    store = open_cli_store(args, read=True)
    try:
        counts = export_json(store, out)
    finally:
        store.close()
    print(f"Wrote {out} ({sum(counts.values())} rows from {len(counts)} tables)")
    print(FULL_EXPORT_WARNING)
    return 0


def _import(args: argparse.Namespace) -> int:
    from ..exchange.json_io import database_name, insert_export, read_json
    from .opening import open_cli_store

    data = read_json(Path(args.file))  # checked before any database is opened or created
    store = open_cli_store(args)
    try:
        counts = insert_export(store, data)
        where = database_name(store)
    finally:
        store.close()
    print(
        f"Imported {sum(counts.values())} rows into {len(counts)} tables of {where} "
        f"from {args.file}"
    )
    return 0


def register(sub: Any) -> None:
    from . import add_db_argument

    p = sub.add_parser(
        "export",
        help="export the whole database as JSON (or, with --pupil, one pupil's subject access "
        "files)",
        description="Writes every table, the audit log included, to one JSON file "
        "(docs/json-format.md). With --pupil, writes the subject access request files "
        "(JSON and PDF) of that pupil into the folder --out, like the sar command.",
    )
    add_db_argument(p)
    p.add_argument("--format", choices=["json"], default="json", help="file format (json)")
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE_OR_DIR",
        help="the file to write (with --pupil: the folder to write into)",
    )
    p.add_argument(
        "--pupil",
        metavar="UPN_OR_ID",
        help="export only this pupil, as a subject access request (JSON and PDF)",
    )
    p.set_defaults(func=_export)

    p = sub.add_parser(
        "import",
        help="import a JSON export into a new, empty database",
        description="Reads a file written by 'export' into the database given by --db, "
        "which must be empty (a new file is created). All or nothing: any problem in the "
        "file is reported and nothing is written.",
    )
    add_db_argument(p)
    p.add_argument("file", metavar="FILE", help="the JSON file written by 'export'")
    p.set_defaults(func=_import)
