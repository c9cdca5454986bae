"""``demo``: write a made-up demo school into a new database.

    python main.py demo --db demo.db                    # 420-pupil primary, as at today
    python main.py demo --db big.db --pupils 20000      # a trust-sized benchmark database

The same ``--seed`` and ``--today`` give the same data. A database that already holds pupils
is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from typing import Any

from . import add_db_argument, parse_date_arg


def _pupils(text: str) -> int:
    from ..demo import MAX_PUPILS, MIN_PUPILS

    try:
        n = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not MIN_PUPILS <= n <= MAX_PUPILS:
        raise argparse.ArgumentTypeError(f"must be between {MIN_PUPILS} and {MAX_PUPILS:,}")
    return n


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _run(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from ..demo import LARGE_FROM, check_demo_date, make_demo
    from ..progress import TextProgress
    from ..rules.dates import format_date
    from .opening import open_cli_store

    today = args.today or dt.date.today()
    check_demo_date(today)  # before the database file is created
    store = open_cli_store(args)
    bar: TextProgress | None = None
    if args.pupils > LARGE_FROM or sys.stderr.isatty():
        bar = TextProgress("Demo school")
    began = time.monotonic()
    try:
        summary = make_demo(store, pupils=args.pupils, seed=args.seed, today=today, progress=bar)
        where = (
            str(store.path)
            if store.path is not None
            else make_url(store.url).render_as_string(hide_password=True)
        )
    finally:
        if bar is not None:
            bar.finish()
        store.close()
    took = time.monotonic() - began
    print(
        f"Wrote the demo school {summary.school_name} to {where} "
        f"(seed {args.seed}, as at {format_date(today)}) in {took:.1f} s:"
    )
    for line in summary.lines():
        print(f"  {line}")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="write a made-up demo school into a new database",
        description="Write a made-up but realistic school (pupils, SEN register, staff, "
        "contracts, funding, outcomes, records, reviews) into a new, empty database. "
        "Everything is dated relative to --today, so the alerts always have something to "
        "say; the same --seed and --today give the same data.",
    )
    add_db_argument(p)  # a --db before the command name is kept (see add_db_argument)
    p.add_argument(
        "--pupils",
        type=_pupils,
        default=420,
        metavar="N",
        help="pupils on roll (default 420; over 1,000 makes a trust, Reception to "
        "Year 11, written in bulk)",
    )
    p.add_argument("--seed", type=_seed, default=1, metavar="S", help="random seed (default 1)")
    p.add_argument(
        "--today",
        type=parse_date_arg,
        metavar="DATE",
        help="the date the demo is set on (default: today)",
    )
    p.set_defaults(func=_run)
