"""The Reports menu: review packs, the table reports and the calendar, each made in the
database worker and shown in the in-app preview (print, save as PDF/CSV/XLSX, open)."""

from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dialogs import ask as dlg
from .dialogs import files

if TYPE_CHECKING:
    from sencodesk.store import Session, Store

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from .context import Context
    from .shell import Shell

PACK_TITLE = "Review pack"  # window titles never name the pupil
PACK_TITLE_INTERNAL = "Review pack (SENCO's internal copy)"
PROFILE_TITLE = "One-page profile"


# The table reports of ``sencodesk.reports.catalogue.REPORTS``, by name, as the menu words
# them. Named here, not read from the catalogue: importing it (the report builders, PDF
# writing, the ORM) would cost the start-up half a second; a test keeps the two in step.
MENU_REPORTS = {
    "expiries": "&Funding and contract expiry",
    "costs": "&Staff deployment and cost",
    "provision-map": "Pro&vision map",
    "training": "&Training and DBS",
    "census": "&Census check",
}


def add_report_actions(win: Shell, menu: QMenu) -> None:
    win.add_action(
        menu, "Review &pack for this pupil…", lambda: review_pack(win), name="review_pack"
    )
    win.add_action(
        menu,
        "Review pack, SENCO's &internal copy…",
        lambda: review_pack(win, internal=True),
        name="review_pack_internal",
    )
    win.add_action(
        menu, "Review packs for a &date range…", lambda: review_packs(win), name="review_packs"
    )
    menu.addSeparator()
    for name, text in MENU_REPORTS.items():
        win.add_action(
            menu,
            text + "…",
            lambda _=False, n=name: table_report(win, n),
            name=f"report_{name}",
        )
    menu.addSeparator()
    win.add_action(menu, "Ca&lendar (.ics) for Outlook…", lambda: calendar(win), name="calendar")


# --------------------------------------------------------------------------- which pupil


def selected_pupil(win: Shell) -> tuple[int, int | None] | None:
    """(pupil id, meeting id or None) from the page in front: a pupil's page or the selected
    pupil on the list; on the Reviews page, the selected meeting (else the selected due
    review's pupil)."""
    key = win.current_key
    if key not in win.pages:
        return None
    page: Any = win.pages[key]
    if key == "pupils":
        if page.inner.currentWidget() is page.view and page.view.pupil_id is not None:
            return page.view.pupil_id, None
        row = page.table.current_row()
        return (row.id, None) if row is not None else None
    if key == "reviews":
        row = page.meetings.current_row()
        if row is not None and not page.due.hasFocus():
            return row.pupil_id, row.id
        due = page.due.current_row()
        if due is not None:
            return due.pupil_id, getattr(due, "scheduled_meeting_id", None)
        return (row.pupil_id, row.id) if row is not None else None
    return None


# --------------------------------------------------------------------------- work in the worker


def make_pack(
    s: Session,
    pupil_id: int,
    meeting_id: int | None,
    today: dt.date,
    audience: str = "invitees",
) -> tuple[str, bytes]:
    """(file stem, PDF) of one pupil's pack: for the meeting given, else their next one.
    ``audience``: the invitee pack (the default) or "internal", the SENCO's own copy (its
    file name says so)."""
    from sencodesk.reports.batch import pack_stem
    from sencodesk.reports.data_review import choose_meeting, load_review_pack
    from sencodesk.reports.review_pack import render_review_pack
    from sencodesk.vocab import PackAudience

    if meeting_id is None:
        meeting_id = choose_meeting(s, pupil_id, today=today)
    data = load_review_pack(s, pupil_id, meeting_id, today=today)
    buf = io.BytesIO()
    render_review_pack(data, buf, audience=PackAudience(audience))
    when = data.meeting.meeting_at.date() if data.meeting else today
    stem = pack_stem(data.pupil.row.upn, pupil_id, when)
    if audience == PackAudience.INTERNAL:
        stem = stem.replace("_review-pack_", "_review-pack-internal_")
    return stem, buf.getvalue()


def write_pack_word(
    s: Session,
    path: Path,
    *,
    pupil_id: int,
    meeting_id: int | None,
    today: dt.date,
    audience: str = "invitees",
) -> Path:
    """The same pack as a Word file (in the worker), for the SENCO to edit before the
    meeting: the words and figures of the PDF, from the same content."""
    from sencodesk.reports.data_review import choose_meeting, load_review_pack
    from sencodesk.reports.review_pack import render_review_pack
    from sencodesk.vocab import PackAudience

    if meeting_id is None:
        meeting_id = choose_meeting(s, pupil_id, today=today)
    data = load_review_pack(s, pupil_id, meeting_id, today=today)
    render_review_pack(data, path, audience=PackAudience(audience), fmt="docx")
    return path


def make_profile(s: Session, pupil_id: int, today: dt.date) -> tuple[str, bytes]:
    """(file stem, PDF) of one pupil's one-page profile; the stem has the UPN, no name."""
    from sencodesk.exchange.filenames import safe_name
    from sencodesk.model import Pupil
    from sencodesk.reports.profile import build_profile

    buf = io.BytesIO()
    build_profile(s, pupil_id, buf, today=today)  # refuses a pupil it cannot read
    pupil = s.get(Pupil, pupil_id)
    upn = pupil.upn if pupil is not None else None
    who = safe_name(upn, fallback=f"pupil-{pupil_id}") if upn else f"pupil-{pupil_id}"
    return f"{today.isoformat()}_profile_{who}", buf.getvalue()


def write_profile_word(s: Session, path: Path, *, pupil_id: int, today: dt.date) -> Path:
    from sencodesk.reports.profile import build_profile

    build_profile(s, pupil_id, path, today=today, fmt="docx")
    return path


def profile(ctx: Context, pupil_id: int) -> None:
    """The pupil's one-page profile, to print for the class teacher, cover staff or an LSA."""
    from .dialogs.report_preview import ReportPreview

    ctx.status.emit("Making the one-page profile…")
    today = ctx.today

    def show(result: tuple[str, bytes]) -> None:
        ctx.status.emit("")
        word = functools.partial(write_profile_word, pupil_id=pupil_id, today=today)
        ReportPreview(ctx, PROFILE_TITLE, result[1], stem=result[0], write_word=word).show()

    ctx.query(make_profile, pupil_id, today, on_done=show)


def make_table_report(s: Session, name: str, today: dt.date) -> tuple[Any, bytes]:
    from sencodesk.reports.catalogue import build_report
    from sencodesk.reports.tables import write_pdf_report

    report = build_report(s, name, today=today)
    buf = io.BytesIO()
    write_pdf_report(report, buf)
    return report, buf.getvalue()


def make_list_pdf(_store: Store, report: Any) -> bytes:
    from sencodesk.reports.tables import write_pdf_report

    buf = io.BytesIO()
    write_pdf_report(report, buf)
    return buf.getvalue()


def write_calendar_file(s: Session, path: Path, today: dt.date) -> tuple[Path, int]:
    from sencodesk.exchange.calendar import build_calendar
    from sencodesk.files import atomic_path

    cal = build_calendar(s, today=today)
    with atomic_path(path) as tmp:
        tmp.write_bytes(cal.to_ical())
    return path, len(list(cal.walk("VEVENT")))


# --------------------------------------------------------------------------- the menu's actions


def _busy(win: Shell, text: str) -> None:
    win.ctx.status.emit(text)


def review_pack(win: Shell, *, internal: bool = False) -> None:
    """The pack for the pupil in front: for all invitees, or the SENCO's internal copy."""
    chosen = selected_pupil(win)
    if chosen is None:
        dlg.tell(
            win,
            PACK_TITLE,
            "Open a pupil (or select one on the Pupils page), or select a review meeting "
            "on the Reviews page, then choose Review pack again.",
        )
        return
    pupil_id, meeting_id = chosen
    _busy(win, "Making the review pack…")
    win.ctx.query(
        make_pack,
        pupil_id,
        meeting_id,
        win.ctx.today,
        "internal" if internal else "invitees",
        on_done=lambda result: show_pdf(
            win,
            PACK_TITLE_INTERNAL if internal else PACK_TITLE,
            result[1],
            stem=result[0],
            write_word=functools.partial(
                write_pack_word,
                pupil_id=pupil_id,
                meeting_id=meeting_id,
                today=win.ctx.today,
                audience="internal" if internal else "invitees",
            ),
        ),
    )


def make_review_report(s: Session, meeting_id: int, today: dt.date) -> tuple[str, bytes]:
    """(file stem, PDF) of the report after a review meeting (#13), for the LA and invitees."""
    from sencodesk.reports.batch import pack_stem
    from sencodesk.reports.review_report import load_review_report, render_review_report

    data, rec = load_review_report(s, meeting_id, today=today)
    buf = io.BytesIO()
    render_review_report(data, rec, buf)
    stem = pack_stem(data.pupil.row.upn, rec.pupil_id, rec.meeting_at.date())
    return stem.replace("_review-pack_", "_review-report_"), buf.getvalue()


def write_review_report_word(s: Session, path: Path, *, meeting_id: int, today: dt.date) -> Path:
    """The same report as a Word file (in the worker), for the SENCO to edit before sending
    it to the LA: the words of the PDF, from the same content."""
    from sencodesk.reports.review_report import build_review_report

    build_review_report(s, meeting_id, path, today=today, fmt="docx")
    return path


def review_report(win: Shell, meeting_id: int) -> None:
    _busy(win, "Making the review report…")
    win.ctx.query(
        make_review_report,
        meeting_id,
        win.ctx.today,
        on_done=lambda result: show_pdf(
            win,
            "Review report",
            result[1],
            stem=result[0],
            write_word=functools.partial(
                write_review_report_word, meeting_id=meeting_id, today=win.ctx.today
            ),
        ),
    )


def review_packs(win: Shell) -> Any:
    from .dialogs.review_packs import ReviewPacksDialog

    dialog = ReviewPacksDialog(win.ctx, win)
    dialog.open()
    return dialog


def table_report(win: Shell, name: str) -> None:
    from sencodesk.reports.catalogue import REPORTS

    title = REPORTS[name].title
    _busy(win, f"Making the {title.lower()} report…")
    win.ctx.query(
        make_table_report,
        name,
        win.ctx.today,
        on_done=lambda result: show_pdf(
            win, title, result[1], stem=f"{name}_{win.ctx.today.isoformat()}", report=result[0]
        ),
    )


def show_pdf(win: Shell, title: str, pdf: bytes, *, stem: str, **kw: Any) -> Any:
    from .dialogs.report_preview import ReportPreview

    win.ctx.status.emit("")
    preview = ReportPreview(win.ctx, title, pdf, stem=stem, parent=win, **kw)
    preview.show()
    return preview


def print_list(win: Shell, title: str, model: Any) -> None:
    """A page's list as a PDF (headings on every page, OFFICIAL-SENSITIVE, Page x of y) in
    the preview, to print or save."""
    from .export import list_report, list_table, write_list

    table = list_table(title, model)
    report = list_report(table, win.ctx.school_name, win.ctx.today)
    stem = f"{title.lower().replace(' & ', '-').replace(' ', '-')}_{win.ctx.today.isoformat()}"
    win.ctx.run(
        make_list_pdf,
        report,
        on_done=lambda pdf: show_pdf(
            win,
            title,
            pdf,
            stem=stem,
            write_table=lambda path: write_list(table, path, win.ctx.school_name),
        ),
    )


def calendar(win: Shell) -> None:
    path = files.choose_save_file(
        win,
        "Calendar for Outlook",
        "iCalendar file (*.ics)",
        f"senco-desk-calendar_{win.ctx.today.isoformat()}.ics",
    )
    if not path:
        return
    target = Path(path)
    if target.suffix.lower() != ".ics":
        target = target.with_name(target.name + ".ics")

    def done(result: tuple[Path, int]) -> None:
        where, n = result
        dlg.tell(
            win,
            "Calendar",
            f"Wrote {_events(n)} to {where}.\n\nIn Outlook: File > Open & Export > Import/Export "
            "> Import an iCalendar (.ics) file. Events show initials and year groups, not "
            "names; importing a newer file updates them.",
        )

    win.ctx.query(write_calendar_file, target, win.ctx.today, on_done=done)


def _events(n: int) -> str:
    from . import format as fmt  # not at import: the menus import this module at start-up

    return fmt.count(n, "event")
