"""``alerts``: what must I act on, and by when? As a table, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import shutil
import sys
import textwrap
from typing import Any

from ..rules.dates import format_date
from ..rules.pay import format_money


def _days(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if n < 0 or n > 3660:
        raise argparse.ArgumentTypeError("must be between 0 and 3660 days")
    return n


def _run(args: argparse.Namespace) -> int:
    from ..alerts import URGENCY_LABELS, compute_alerts, current_half_term_end, urgency
    from .opening import open_cli_store

    today = args.today or dt.date.today()
    store = open_cli_store(args, read=True)
    try:
        with store.read() as s:
            alerts = compute_alerts(s, today=today, within_days=args.within)
            ht_end = current_half_term_end(s, today)
    finally:
        store.close()
    rows = [(a, URGENCY_LABELS[urgency(a, today, ht_end)]) for a in alerts]
    out = sys.stdout
    if args.format == "json":
        json.dump(
            {
                "today": today.isoformat(),
                "within_days": args.within,
                "alerts": [
                    {
                        "kind": a.kind.value,
                        "urgency": urgency(a, today, ht_end).value,
                        "act_by": a.act_by.isoformat(),
                        "due": a.due.isoformat(),
                        "subject_kind": a.subject_kind,
                        "subject_id": a.subject_id,
                        "subject_name": a.subject_name,
                        "title": a.title,
                        "detail": a.detail,
                        "amount": None if a.amount is None else str(a.amount),
                        "days": a.days,
                        "row_id": a.row_id,
                        "related": [list(r) for r in a.related],
                    }
                    for a, _u in rows
                ],
            },
            out,
            ensure_ascii=False,
            indent=1,
        )
        out.write("\n")
        return 0
    header = ["Act by", "Due", "Urgency", "Kind", "Who", "What", "Detail", "Amount"]
    table = [
        [
            format_date(a.act_by),
            format_date(a.due),
            u,
            a.kind_label,
            a.subject_name,
            a.title,
            a.detail,
            "" if a.amount is None else format_money(a.amount),
        ]
        for a, u in rows
    ]
    if args.format == "csv":
        from ..exchange.tabular import csv_rows

        w = csv.writer(out, lineterminator="\n")
        w.writerows(csv_rows([header, *table]))
        return 0
    if not rows:
        days = f"{args.within} day{'s' if args.within != 1 else ''}"
        print(f"Nothing to act on in the next {days} from {format_date(today)}.")
        return 0
    width = max(80, shutil.get_terminal_size((120, 20)).columns)
    print(
        f"{len(rows)} alert{'s' if len(rows) != 1 else ''} from {format_date(today)}, "
        f"looking {args.within} day{'s' if args.within != 1 else ''} ahead "
        "(sorted by act-by date):"
    )
    print()
    for a, u in rows:
        print(f"{format_date(a.act_by)}  {u:<15} {a.title} – {a.subject_name}")
        detail = a.detail + (
            f" [{format_money(a.amount)}]" if a.amount is not None and "£" not in a.detail else ""
        )
        for line in textwrap.wrap(
            detail if format_date(a.due) in detail else f"Due {format_date(a.due)}. {detail}",
            width - 30,
        ):
            print(" " * 28 + line)
    return 0


def register(sub: Any) -> None:
    from . import add_db_argument, parse_date_arg

    p = sub.add_parser(
        "alerts",
        help="what must I act on, and by when?",
        description="Funding and contracts ending, contracts outliving their funding, EHCP "
        "hours not covered, reviews and their deadlines, training and DBS: sorted by the "
        "date by which you must act.",
    )
    add_db_argument(p)
    p.add_argument(
        "--within",
        type=_days,
        default=120,
        metavar="DAYS",
        help="look this many days ahead (default 120); overdue items always show",
    )
    p.add_argument(
        "--today",
        type=parse_date_arg,
        metavar="DATE",
        help="pretend today is DATE (YYYY-MM-DD or dd/mm/yyyy)",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(func=_run)
