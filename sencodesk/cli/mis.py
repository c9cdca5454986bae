"""``import-mis``: bring pupils (or staff) in from the school's MIS, with a preview first.

    python main.py import-mis roll.xml --dry-run          # a CTF: show what would change
    python main.py import-mis roll.csv --yes              # a list report, applied
    python main.py import-mis staff.xlsx --staff --mapping "Arbor staff" --yes

See docs/mis-import.md. Nothing is written until the preview has been shown and accepted
(``--yes``, or "y" at the question); ambiguous rows wait for the SENCO to choose in the app.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import KnownError

MAX_SHOWN = 200


def _column(text: str) -> tuple[str, str]:
    field, sep, heading = text.partition("=")
    if not sep or not field.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write FIELD=HEADING, e.g. upn=UPN")
    return field.strip(), heading.strip()


def _print_plan(plan: Any, out: Any) -> None:
    from ..mis.preview import CHOOSE, LEAVER, NEW, UPDATE, named, shown

    p = plan
    print(
        f"{p.source.file_name}: {p.source.description}, dated {shown('date', p.source.file_date)}",
        file=out,
    )
    print(p.summary() + ".", file=out)

    def section(title: str, lines: list[str], count: int | None = None) -> None:
        if not lines:
            return
        print(f"\n{title} ({len(lines) if count is None else count:,}):", file=out)
        for line in lines[:MAX_SHOWN]:
            print(f"  {line}", file=out)
        if len(lines) > MAX_SHOWN:
            print(f"  …and {len(lines) - MAX_SHOWN:,} more", file=out)

    section("New", [named(i.where, i.name) for i in p.of(NEW)])
    changed = []
    for i in p.of(UPDATE):
        changed.append(named(i.where, i.name))
        for c in i.changes:
            mark = "[x]" if c.default else "[ ] (the app's value is kept)"
            changed.append(f"    {mark} {c}")
    section("Changed", changed, len(p.of(UPDATE)))
    section(
        "Not in the file: possible leavers, leaving date "
        + (shown("date", p.source.file_date) + " (not marked unless --leavers)"),
        [i.name for i in p.of(LEAVER)],
    )
    waiting = []
    for i in p.of(CHOOSE):
        waiting.append(f"{named(i.where, i.name)} could be:")
        waiting += [f"    {c.description}" for c in i.candidates]
    section("Waiting for you to choose in the app (File > Import from MIS…)", waiting)
    section("Refused", [str(r) for r in p.refused])


def _run(args: argparse.Namespace) -> int:
    from ..mis import preview
    from ..mis.apply import apply_plan
    from ..mis.sheet import fields_of, save_mapping
    from ..progress import TextProgress
    from .opening import open_cli_store

    path = Path(args.file)
    if not path.is_file():
        raise KnownError(f"There is no file {path}.")
    kind = "staff" if args.staff else None
    store = open_cli_store(args, read=args.dry_run)
    try:
        mapping = None
        cols = None
        if not preview.is_ctf(path):
            with store.read() as s:
                cols = preview.sheet_columns(
                    s, path, kind=kind, name=args.mapping, overrides=dict(args.column or [])
                )
            kind, mapping = cols.kind, cols.mapping
            used = f" (saved mapping {cols.saved_name!r})" if cols.saved_name else ""
            print(f"Columns{used}:")
            for f, (label, _known) in fields_of(kind).items():
                print(f"  {label}: {mapping[f]!r}" if f in mapping else f"  {label}: (no column)")
        elif args.mapping or args.column:
            raise KnownError("A Common Transfer File needs no column mapping.")
        bar = TextProgress("Reading") if sys.stderr.isatty() else None
        with store.read() as s:
            plan = preview.make_plan(s, path, kind=kind, mapping=mapping, progress=bar)
        _print_plan(plan, sys.stdout)
        choices = preview.Choices.defaults(plan, leavers=args.leavers)
        if args.dry_run:
            result = apply_plan(store, plan, choices, dry_run=True)
            print("\n" + result.summary(plan.kind) + ".")
            return 0
        if not choices.count() and not plan.mis_updates:
            print("\nNothing to import: the app already matches the file.")
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise KnownError(
                    "Add --yes to apply the changes above (or --dry-run to only look)."
                )
            answer = input("\nApply the ticked [x] changes above? [y/N] ").strip().lower()
            if answer not in ("y", "yes"):
                print("Nothing was written.")
                return 1
        if args.save_mapping and cols is not None:
            with store.session() as s:
                save_mapping(s, args.save_mapping, cols.kind, cols.mapping)
            print(f"Saved the column mapping as {args.save_mapping!r}.")
        bar = TextProgress("Importing") if sys.stderr.isatty() else None
        result = apply_plan(store, plan, choices, progress=bar)
        print("\n" + result.summary(plan.kind) + f", from {plan.source.file_name}.")
        return 0
    finally:
        store.close()


def register(sub: Any) -> None:
    from . import add_db_argument

    p = sub.add_parser(
        "import-mis",
        help="import pupils (or staff) from the school's MIS: a CTF (.xml) or a list (.csv, "
        ".xlsx), with a preview",
        description="Reads a Common Transfer File or a list report from SIMS, Arbor, Bromcom "
        "or ScholarPack, shows what would change (new pupils, changed fields, pupils not in "
        "the file, rows refused and why) and applies it in one transaction. Identity fields "
        "follow the MIS; the SEN code and needs in the app are kept unless you change them in "
        "the app's import window. See docs/mis-import.md.",
    )
    add_db_argument(p)
    p.add_argument("file", metavar="FILE", help="the .xml CTF, or the .csv / .xlsx list")
    p.add_argument("--dry-run", action="store_true", help="show the preview; write nothing")
    p.add_argument("--yes", action="store_true", help="apply without asking")
    p.add_argument("--mapping", metavar="NAME", help="use this saved column mapping")
    p.add_argument(
        "--save-mapping", metavar="NAME", help="save the column mapping used under this name"
    )
    p.add_argument(
        "--column",
        metavar="FIELD=HEADING",
        type=_column,
        action="append",
        help="map a field to a column heading (repeat; e.g. class_name='Reg Group')",
    )
    p.add_argument("--staff", action="store_true", help="the file lists staff, not pupils")
    p.add_argument(
        "--leavers",
        action="store_true",
        help="also give pupils not in the file the file's date as their leaving date",
    )
    p.set_defaults(func=_run)
