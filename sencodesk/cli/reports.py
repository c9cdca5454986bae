"""Report commands: ``report review-pack|review-report|profile|review-packs|expiries|costs|
provision-map|training|census|cover-sheet`` and ``calendar``."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import KnownError
from ..progress import TextProgress
from . import add_db_argument, parse_date_arg

TABLE_REPORTS = ("expiries", "costs", "provision-map", "training", "census")


def _progress(label: str) -> TextProgress:
    return TextProgress(label)


def _store(args: argparse.Namespace) -> Any:
    from .opening import open_cli_store

    return open_cli_store(args, read=True, create=False)


def _today(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def _need_suffix(path: Path, suffixes: tuple[str, ...]) -> None:
    """Refuse a wrong file name or a place that cannot be written, before any work is done."""
    from ..files import check_writable

    if path.is_dir():
        raise KnownError(f"Cannot write {path}: it is a folder; give a file name.")
    if path.suffix.lower() not in suffixes:
        raise KnownError(
            f"Cannot write {path.name}: use a file name ending {' or '.join(suffixes)}."
        )
    check_writable(path)


def cmd_review_pack(args: argparse.Namespace) -> int:
    from ..queries.pupil_detail import find_pupil
    from ..reports.data_review import choose_meeting
    from ..reports.review_pack import build_review_pack

    out = Path(args.out)
    fmt = _format(args, out)
    today = _today(args)
    store = _store(args)
    try:
        with store.read() as s:
            pid = find_pupil(s, args.pupil)
            mid = choose_meeting(s, pid, on=args.meeting, today=today)
            pages = build_review_pack(
                s, pid, mid, out, today=today, audience=args.audience, fmt=fmt
            )
    finally:
        store.close()
    print(f"Wrote {out}" + (f" ({pages} pages)." if fmt == "pdf" else "."))
    return 0


def _format(args: argparse.Namespace, out: Path) -> str:
    """PDF or Word: ``--format``, else the file's suffix; the suffix must match it."""
    if args.format:
        _need_suffix(out, (f".{args.format}",))
        return str(args.format)
    _need_suffix(out, (".pdf", ".docx"))  # a .txt is told both
    return "docx" if out.suffix.lower() == ".docx" else "pdf"


def _format_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("pdf", "docx"),
        help="pdf, or docx: a Word file to edit before circulating (default: from --out)",
    )


def cmd_profile(args: argparse.Namespace) -> int:
    from ..queries.pupil_detail import find_pupil
    from ..reports.profile import build_profile

    out = Path(args.out)
    fmt = _format(args, out)
    today = _today(args)
    store = _store(args)
    try:
        with store.read() as s:
            build_profile(s, find_pupil(s, args.pupil), out, today=today, fmt=fmt)
    finally:
        store.close()
    print(f"Wrote {out}.")
    return 0


def cmd_review_report(args: argparse.Namespace) -> int:
    from ..errors import KnownError
    from ..reports.review_report import build_review_report, last_meeting

    if (args.meeting is None) == (args.pupil is None):
        raise KnownError("Name the meeting: --meeting ID, or --pupil UPN_OR_ID [--on DATE].")
    out = Path(args.out)
    fmt = _format(args, out)
    today = _today(args)
    store = _store(args)
    try:
        with store.read() as s:
            mid = args.meeting
            if mid is None:
                from ..queries.pupil_detail import find_pupil

                mid = last_meeting(s, find_pupil(s, args.pupil), on=args.on, today=today)
            pages = build_review_report(s, mid, out, today=today, audience=args.audience, fmt=fmt)
    finally:
        store.close()
    print(f"Wrote {out}" + (f" ({pages} pages)." if fmt == "pdf" else "."))
    return 0


def cmd_review_packs(args: argparse.Namespace) -> int:
    from ..reports.batch import build_review_packs

    if args.end < args.start:
        raise KnownError("The end date is before the start date.")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise KnownError(f"Cannot write into {out}: it is a file, not a folder.")
    store = _store(args)
    try:
        files = build_review_packs(
            store,
            args.start,
            args.end,
            Path(args.out),
            merged=args.merged,
            progress=_progress("Review packs"),
            today=_today(args),
            audience=args.audience,
        )
    finally:
        store.close()
    if not files:
        print(f"No review meetings between {args.start:%d/%m/%Y} and {args.end:%d/%m/%Y}.")
    else:
        print(f"Wrote {len(files)} file{'s' if len(files) != 1 else ''} to {args.out}.")
    return 0


def cmd_table_report(args: argparse.Namespace) -> int:
    from ..exchange.tabular import report_format
    from ..files import check_writable
    from ..reports.catalogue import write_named_report

    report_format(args.out)  # a wrong extension is refused before the database is opened
    check_writable(args.out)
    store = _store(args)
    try:
        with store.read() as s:
            path = write_named_report(s, args.report, Path(args.out), today=_today(args))
    finally:
        store.close()
    print(f"Wrote {path}.")
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from ..exchange.calendar import write_calendar

    out = Path(args.out)
    _need_suffix(out, (".ics",))
    store = _store(args)
    try:
        with store.read() as s:
            write_calendar(s, out, today=_today(args), since=args.since)
    finally:
        store.close()
    print(f"Wrote {out}.")
    return 0


def cmd_cover_sheet(args: argparse.Namespace) -> int:
    from ..reports.cover_sheet import write_cover_sheet

    out = Path(args.out)
    _need_suffix(out, (".pdf", ".csv", ".xlsx"))
    store = _store(args)
    try:
        with store.read() as s:
            write_cover_sheet(s, args.date, out, today=_today(args))
    finally:
        store.close()
    print(f"Wrote {out}.")
    return 0


def _audience(p: argparse.ArgumentParser) -> None:
    from ..vocab import PackAudience

    p.add_argument(
        "--audience",
        type=PackAudience,
        default=PackAudience.INVITEES,
        choices=list(PackAudience),
        help="invitees (the default: no staff contract terms, no funding amounts beyond the "
        "LA's, no compliance flags) or internal (the SENCO's copy, with everything)",
    )


def _common(p: argparse.ArgumentParser) -> None:
    add_db_argument(p)  # a --db before the command name is kept (see add_db_argument)
    p.add_argument(
        "--today",
        type=parse_date_arg,
        metavar="DATE",
        help="the date to report as at (default: today)",
    )


def register(sub: Any) -> None:
    report = sub.add_parser(
        "report", help="print review packs, profiles and reports (PDF, Word, CSV, XLSX)"
    )
    rsub = report.add_subparsers(dest="report", metavar="REPORT", required=True)

    p = rsub.add_parser(
        "review-pack", help="one pupil's review pack (PDF or Word): EHC plan or SEN-support review"
    )
    p.add_argument("--pupil", required=True, metavar="UPN_OR_ID")
    p.add_argument(
        "--meeting",
        type=parse_date_arg,
        metavar="DATE",
        help="the meeting's date (default: the pupil's next meeting)",
    )
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx")
    _format_arg(p)
    _audience(p)
    _common(p)
    p.set_defaults(func=cmd_review_pack)

    p = rsub.add_parser(
        "review-report",
        help="the report after a review meeting (PDF or Word): the recommendation to the LA "
        "or the next steps, the views, advice and amendments",
    )
    p.add_argument("--meeting", type=int, metavar="ID", help="the review meeting's id")
    p.add_argument("--pupil", metavar="UPN_OR_ID", help="or the pupil (instead of --meeting)")
    p.add_argument(
        "--on",
        type=parse_date_arg,
        metavar="DATE",
        help="with --pupil: the meeting's date (default: their last meeting up to today)",
    )
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx")
    _format_arg(p)
    _audience(p)
    _common(p)
    p.set_defaults(func=cmd_review_report)

    p = rsub.add_parser(
        "profile",
        help="one pupil's one-page profile (PDF or Word), for any adult working with them",
    )
    p.add_argument("--pupil", required=True, metavar="UPN_OR_ID")
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx")
    _format_arg(p)
    _common(p)
    p.set_defaults(func=cmd_profile)

    p = rsub.add_parser("review-packs", help="the packs for every review meeting in a range")
    p.add_argument("--from", dest="start", required=True, type=parse_date_arg, metavar="DATE")
    p.add_argument("--to", dest="end", required=True, type=parse_date_arg, metavar="DATE")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the PDFs")
    p.add_argument("--merged", action="store_true", help="also write one merged PDF")
    _audience(p)
    _common(p)
    p.set_defaults(func=cmd_review_packs)

    helps = {
        "expiries": "funding and contract ends, with act-by dates",
        "costs": "staff deployment and cost, per LSA and per pupil",
        "provision-map": "pupils by provision, hours and cost",
        "training": "training and DBS matrix",
        "census": "census check of SEN codes",
    }
    for name in TABLE_REPORTS:
        p = rsub.add_parser(name, help=helps[name])
        p.add_argument("--out", required=True, metavar="FILE.pdf|.csv|.xlsx")
        _common(p)
        p.set_defaults(func=cmd_table_report)

    p = rsub.add_parser("cover-sheet", help="the day's cover: who covers whom, AM/PM, class")
    p.add_argument("--date", required=True, type=parse_date_arg, metavar="DATE")
    p.add_argument("--out", required=True, metavar="FILE.pdf|.csv|.xlsx")
    _common(p)
    p.set_defaults(func=cmd_cover_sheet)

    p = sub.add_parser("calendar", help="an .ics calendar of reviews, deadlines and end dates")
    p.add_argument("--out", required=True, metavar="FILE.ics")
    p.add_argument(
        "--since",
        type=parse_date_arg,
        metavar="DATE",
        help="first date to include (default: 90 days ago)",
    )
    _common(p)
    p.set_defaults(func=cmd_calendar)
