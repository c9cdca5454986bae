"""Subject access request: everything held about one pupil, as JSON and as a PDF for people.

``write_subject_access(store, upn_or_id, out_dir)`` writes ``<UPN or id>-subject-access.json``
(through ``exchange.json_io.export_json``) and ``<UPN or id>-subject-access.pdf`` straight into
``out_dir`` (each through a temporary name beside it, renamed when complete: nothing is left
in a temp folder). The PDF uses the shared report look (``reports.styles``): DejaVu Sans
embedded, "OFFICIAL-SENSITIVE" and "Page x of y" on every page, dates as dd/mm/yyyy.
Every column of the pupil's rows is printed, so a new column cannot be left out silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from ..errors import KnownError
from ..exchange.filenames import file_in, safe_name
from ..exchange.tabular import yes_no
from ..files import atomic_path, make_folder
from ..model import (
    Assignment,
    AuditEntry,
    LocalAuthority,
    Outcome,
    Pupil,
    Record,
    ReviewMeeting,
    School,
)
from ..queries.common import display_name, school_id
from ..reports.styles import (
    FONT,
    PageHeader,
    build_pdf,
    esc,
    frame_width,
    gap,
    key_value_table,
    long_table,
    para,
    styles,
)
from ..rules.dates import format_date, format_datetime
from ..rules.pay import format_hours, format_money
from ..vocab import (
    ADVICE_SOURCE_LABELS,
    AREA_LABELS,
    ASSIGNMENT_ROLE_LABELS,
    FUNDING_SOURCE_LABELS,
    FUNDING_STATUS_LABELS,
    NEED_LABELS,
    OUTCOME_SOURCE_LABELS,
    OUTCOME_STATUS_LABELS,
    PLAN_SECTION_LABELS,
    RECORD_KIND_LABELS,
    REVIEW_KIND_LABELS,
    SEN_CODE_LABELS,
    format_sessions,
)
from .history import change_words
from .retention import pupil_lives

PUPIL_LABELS = {
    "upn": "UPN",
    "year_group_override": "Year group (set by hand)",
    "class_name": "Class",
    "sen_code": "SEN code",
    "ehcp_la_id": "EHC plan local authority",
    "ehcp_issued": "EHC plan issued",
    "ehcp_last_review": "EHC plan last reviewed",
    "ehcp_weekly_minutes": "EHC plan support a week",
    "review_interval_months": "Review every (months)",
    "archived": "Left the school (archived)",
    "retention_hold": "Records on hold",
    "retention_hold_reason": "Reason for the hold",
}
# What the LA's review form asks for (#13), in the words the review report uses.
MEETING_LABELS = {
    "attendance_percent": "Attendance (%)",
    "exclusions": "Suspensions and exclusions",
    "attainment": "Attainment and progress",
    "needs_changes": "Changes to needs (section B)",
    "health_care": "Health (sections C and G)",
    "social_care": "Social care (sections D and H)",
    "pupil_views": "The child's views",
    "parent_views": "The parents' views",
    "aspirations": "Aspirations",
    "school_view": "The school's view",
    "attendees": "Who came",
    "recommendation": "Recommendation to the LA",
    "next_step": "What happens next (SEN support)",
    "sent_to": "Report sent to",
}
TABLE_LABELS = {
    "pupil": "Pupil details",
    "outcome": "Outcome",
    "outcome_status_change": "Outcome status",
    "record": "Record",
    "funding": "Funding",
    "assignment": "Support",
    "review_meeting": "Review meeting",
    "review_invitee": "Review invitee",
    "review_advice": "Advice for a review",
    "review_amendment": "Amendment proposed at a review",
}
ACTION_WORDS = {"update": "changed", "delete": "deleted", "erase": "erased"}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class SarFiles:
    json: Path
    pdf: Path
    pages: int


def _label(mapping: dict[Any, str], value: str | None) -> str:
    if not value:
        return ""
    return next((v for k, v in mapping.items() if str(k) == value), value)


def _text(value: Any) -> str:
    """Any stored value as people read it: dd/mm/yyyy dates, Yes/No, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return f"{value:,}"
    s = str(value)
    if _ISO_DATETIME.match(s):
        return format_datetime(dt.datetime.fromisoformat(s))
    if _ISO_DATE.match(s):
        return format_date(dt.date.fromisoformat(s))
    return s


def _local(at: dt.datetime) -> dt.datetime:
    """Audit times are stored in UTC; people read local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _pupil_pairs(session: Session, p: Pupil) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = []
    for attr in inspect(Pupil).column_attrs:
        key = attr.key
        if key == "id":
            continue
        value = getattr(p, key)
        label = PUPIL_LABELS.get(key) or key.replace("_", " ").capitalize()
        if key == "sen_code":
            shown = _label(SEN_CODE_LABELS, value)
        elif key in ("primary_need", "secondary_need"):
            shown = f"{value} – {NEED_LABELS.get(value, '')}" if value else ""
        elif key == "ehcp_la_id":
            la = session.get(LocalAuthority, value) if value else None
            shown = la.name if la else _text(value)
        elif key == "ehcp_weekly_minutes":
            shown = format_hours(value)
        else:
            shown = _text(value)
        pairs.append((label, shown))
    return pairs


def _cells(row: list[Any], widths: list[float]) -> list[Any]:
    """Plain text where it fits on one line (fast to lay out), a wrapping Paragraph if not."""
    st = styles()
    out: list[Any] = []
    for cell, width in zip(row, widths, strict=True):
        text = "" if cell is None else cell
        fits = (
            isinstance(text, str) and "\n" not in text and stringWidth(text, FONT, 8.5) <= width - 7
        )
        if isinstance(text, Flowable) or fits:
            out.append(text)
        else:
            out.append(Paragraph(esc(text), st.cell))
    return out


def _heads(names: list[str]) -> list[Paragraph]:
    st = styles()
    return [Paragraph(esc(n), st.head_cell) for n in names]


def _table(names: list[str], rows: list[list[Any]], widths_mm: list[float]) -> list[Flowable]:
    total = sum(widths_mm)
    width = frame_width()
    widths = [w * width / total for w in widths_mm]
    if not rows:
        return [para("None recorded.", styles().small)]
    return long_table(_heads(names), [_cells(r, widths) for r in rows], widths)


def _details(pairs: list[tuple[str, Any]]) -> Paragraph:
    parts = [f"<b>{esc(k)}:</b> {esc(v)}" if k else esc(v) for k, v in pairs if v not in ("", None)]
    return Paragraph("<br/>".join(parts) or "", styles().cell)


def load_pupil(session: Session, pupil_id: int) -> Pupil:
    p = session.scalars(
        select(Pupil)
        .where(Pupil.id == pupil_id)
        .options(
            selectinload(Pupil.outcomes).selectinload(Outcome.history),
            selectinload(Pupil.records).selectinload(Record.author),
            selectinload(Pupil.records).selectinload(Record.outcome),
            selectinload(Pupil.funding),
            selectinload(Pupil.assignments).selectinload(Assignment.staff),
            selectinload(Pupil.reviews).selectinload(ReviewMeeting.invitees),
            selectinload(Pupil.reviews).selectinload(ReviewMeeting.advice),
            selectinload(Pupil.reviews).selectinload(ReviewMeeting.amendments),
        )
    ).one_or_none()
    if p is None:
        from ..errors import NotFound

        raise NotFound(f"There is no pupil with id {pupil_id}.")
    return p


def _changes(session: Session, p: Pupil) -> list[list[Any]]:
    """The change history of every row that is or was the pupil's, oldest first.

    A row that still exists shows its creation as one line (its values are printed above);
    a row since deleted shows the values it was created with, since they are held nowhere else.
    """
    existing = {("pupil", p.id)}
    existing |= {("outcome", o.id) for o in p.outcomes}
    existing |= {("outcome_status_change", h.id) for o in p.outcomes for h in o.history}
    existing |= {("record", r.id) for r in p.records} | {("funding", f.id) for f in p.funding}
    existing |= {("assignment", a.id) for a in p.assignments}
    existing |= {("review_meeting", m.id) for m in p.reviews}
    existing |= {("review_invitee", i.id) for m in p.reviews for i in m.invitees}
    existing |= {("review_advice", a.id) for m in p.reviews for a in m.advice}
    existing |= {("review_amendment", a.id) for m in p.reviews for a in m.amendments}
    lives = [life for ls in pupil_lives(session, p.id).values() for life in ls]
    life_of = {i: life for life in lives for i in life.entry_ids}
    ids = sorted(life_of)
    entries = [
        e
        for start in range(0, len(ids), 500)
        for e in session.scalars(
            select(AuditEntry).where(AuditEntry.id.in_(ids[start : start + 500]))
        )
    ]
    entries.sort(key=lambda e: (e.at, e.id))
    out: list[list[Any]] = []
    created: dict[tuple[str, int, dt.datetime], list[Any]] = {}
    for e in entries:
        what = f"{TABLE_LABELS.get(e.table_name, e.table_name)} {e.row_id}"
        when, key = format_datetime(_local(e.at)), (e.table_name, e.row_id, e.at)
        if e.action == "insert":
            line = created.get(key)
            if line is None:
                line = [
                    when,
                    e.user,
                    change_words("insert", e.imported, {"insert": "created"}),
                    what,
                    "",
                    "",
                    "",
                    e.reason,
                ]
                created[key] = line
                out.append(line)
            life = life_of[e.id]
            gone = life.ended is not None or (life.table, life.row_id) not in existing
            if e.field and gone:
                line[6] = (
                    line[6] + "; " if line[6] else ""
                ) + f"{e.field.replace('_', ' ')}: {_text(e.new_value)}"
            continue
        out.append(
            [
                when,
                e.user,
                change_words(e.action, e.imported, ACTION_WORDS),
                what,
                e.field,
                _text(e.old_value),
                _text(e.new_value),
                e.reason,
            ]
        )
    return out


def build_story(session: Session, p: Pupil, today: dt.date) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        Paragraph("Subject access request", st.title),
        Paragraph(
            esc(
                f"Everything SENCO Desk holds about {p.legal_first_name} "
                f"{p.legal_last_name}, produced on {format_date(today)}."
            ),
            st.subtitle,
        ),
        para(
            "This document holds special-category personal data about a child. Before you "
            "send it, check it for information about other people (staff, other pupils, "
            "professionals) that may need to be withheld. Send it securely and answer the "
            "request within one month of receiving it.",
            st.small,
        ),
        gap(2),
        Paragraph("Pupil details", st.h1),
        key_value_table(_pupil_pairs(session, p), frame_width(), label_width=55 * mm),
    ]

    outcomes = sorted(p.outcomes, key=lambda o: (o.set_date, o.id))
    numbers = {o.id: i for i, o in enumerate(outcomes, start=1)}
    story.append(Paragraph("Outcomes and targets", st.h1))
    story += _table(
        ["No.", "Area", "Outcome and success criteria", "From", "Set", "Target", "Status"],
        [
            [
                str(numbers[o.id]),
                _label(AREA_LABELS, o.area),
                _details([("", o.text), ("Success criteria", o.success_criteria)]),
                OUTCOME_SOURCE_LABELS[o.source],
                _text(o.set_date),
                _text(o.target_date),
                _label(OUTCOME_STATUS_LABELS, o.status),
            ]
            for o in outcomes
        ],
        [9, 27, 62, 13, 22, 22, 23],
    )
    story.append(Paragraph("Progress against the outcomes", st.h2))
    story += _table(
        ["Outcome", "Date", "Status", "Note"],
        [
            [
                str(numbers[o.id]),
                _text(h.changed_on),
                _label(OUTCOME_STATUS_LABELS, h.status),
                h.note,
            ]
            for o in outcomes
            for h in sorted(o.history, key=lambda h: (h.changed_on, h.id))
        ],
        [20, 22, 26, 112],
    )

    story.append(Paragraph("Records", st.h1))
    records = sorted(p.records, key=lambda r: (r.occurred_at, r.id))
    story += _table(
        ["When", "Kind", "Written by", "What was recorded"],
        [
            [
                _text(r.occurred_at),
                _label(RECORD_KIND_LABELS, r.kind),
                display_name(r.author.first_name, r.author.last_name) if r.author else "",
                _details(
                    [
                        ("", r.text),
                        (
                            "Outcome",
                            f"No. {numbers[r.outcome_id]}"
                            if r.outcome_id in numbers
                            else (r.outcome.text if r.outcome else ""),
                        ),
                        ("Minutes", _text(r.minutes)),
                        ("Progress (1–5)", _text(r.progress)),
                        ("Before (antecedent)", r.antecedent),
                        ("Behaviour", r.behaviour),
                        ("After (consequence)", r.consequence),
                        ("De-escalation", r.deescalation),
                        (
                            "Physical intervention",
                            yes_no(r.physical_intervention) if r.physical_intervention else "",
                        ),
                        ("Injury", r.injury),
                        (
                            "Parents informed",
                            yes_no(r.parents_informed) if r.parents_informed else "",
                        ),
                    ]
                ),
            ]
            for r in records
        ],
        [26, 24, 28, 102],
    )

    story.append(Paragraph("Funding", st.h1))
    story += _table(
        ["Source", "Funder", "Reference", "A year", "Hours a week", "Start", "End", "Status"],
        [
            [
                _label(FUNDING_SOURCE_LABELS, f.source),
                f.funder,
                f.reference,
                format_money(f.amount_per_year) if f.amount_per_year is not None else "",
                format_hours(f.weekly_minutes),
                _text(f.start_date),
                _text(f.end_date),
                FUNDING_STATUS_LABELS[f.status],
            ]
            for f in sorted(p.funding, key=lambda f: (f.start_date, f.id))
        ],
        [24, 26, 22, 22, 20, 22, 22, 20],
    )

    story.append(Paragraph("Support from staff", st.h1))
    story += _table(
        ["Member of staff", "Role", "Hours a week", "Sessions", "Start", "End"],
        [
            [
                display_name(a.staff.first_name, a.staff.last_name),
                _label(ASSIGNMENT_ROLE_LABELS, a.role),
                format_hours(a.weekly_minutes),
                format_sessions(a.sessions),
                _text(a.start_date),
                _text(a.end_date),
            ]
            for a in sorted(p.assignments, key=lambda a: (a.start_date, a.id))
        ],
        [34, 22, 22, 48, 22, 22],
    )

    story.append(Paragraph("Review meetings", st.h1))
    meetings = sorted(p.reviews, key=lambda m: (m.meeting_at, m.id))
    if not meetings:
        story.append(para("None recorded.", st.small))
    for m in meetings:
        story.append(
            Paragraph(esc(f"{REVIEW_KIND_LABELS[m.kind]} review, {_text(m.meeting_at)}"), st.h2)
        )
        pairs = [
            (
                MEETING_LABELS.get(c.key)
                or c.key.replace("_", " ").capitalize().replace("La ", "LA "),
                _text(getattr(m, c.key)),
            )
            for c in inspect(ReviewMeeting).column_attrs
            if c.key not in ("id", "pupil_id", "kind")
        ]
        story.append(key_value_table(pairs, frame_width(), label_width=55 * mm))
        story.append(gap(1.5))
        story += _table(
            ["Invited", "Role", "Email"],
            [[i.name, i.role, i.email] for i in m.invitees],
            [50, 60, 70],
        )
        if m.advice:
            story.append(gap(1.5))
            story += _table(
                ["Advice from", "Given by", "Received", "Summary", "Shared"],
                [
                    [
                        _label(ADVICE_SOURCE_LABELS, a.source),
                        a.given_by,
                        _text(a.received_on),
                        a.summary,
                        "Yes" if a.shared else "No",
                    ]
                    for a in m.advice
                ],
                [34, 30, 20, 78, 18],
            )
        if m.amendments:
            story.append(gap(1.5))
            story += _table(
                ["Section of the plan", "Amendment proposed"],
                [[_label(PLAN_SECTION_LABELS, a.section), a.text] for a in m.amendments],
                [50, 130],
            )

    story.append(Paragraph("Change history", st.h1))
    story.append(
        para("Every change made to the records above, oldest first (times are local).", st.small)
    )
    story += _table(
        ["When", "By", "Change", "What", "Field", "Was", "Became", "Reason"],
        _changes(session, p),
        [26, 16, 17, 22, 24, 28, 30, 20],
    )
    return story


def write_sar_pdf(
    session: Session, pupil_id: int, out: Path, *, today: dt.date | None = None
) -> int:
    """Write the PDF for one pupil to ``out`` (as given); returns the number of pages."""
    today = today or dt.date.today()
    p = load_pupil(session, pupil_id)
    school = session.get(School, school_id(session))
    story = build_story(session, p, today)
    header = PageHeader(
        school=school.name if school else "",
        title=f"Subject access request: {p.legal_first_name} {p.legal_last_name}",
        printed=today,
    )
    # The document title (shown in viewers' window titles) never names the child.
    return build_pdf(out, story, header=header, doc_title="Subject access request")


def sar_basename(session: Session, pupil_id: int) -> str:
    """``<UPN>-subject-access`` (the pupil's id for a missing UPN), made safe as a file name."""
    p = session.get(Pupil, pupil_id)
    who = safe_name(p.upn, fallback=str(pupil_id)) if p is not None and p.upn else str(pupil_id)
    return f"{who}-subject-access"


def write_subject_access(
    store: Any, upn_or_id: str, out_dir: Path, *, today: dt.date | None = None
) -> SarFiles:
    """Write the JSON and the PDF of a subject access request into ``out_dir``."""
    from ..queries.pupils import find_pupil

    with store.read() as s:
        pupil_id = find_pupil(s, upn_or_id)
        base = sar_basename(s, pupil_id)
    try:
        from ..exchange.json_io import export_json
    except ImportError as exc:  # pragma: no cover - until the JSON exchange is installed
        raise KnownError("The JSON export is not available in this version.") from exc
    out_dir = make_folder(out_dir)
    json_path = file_in(out_dir, f"{base}.json")
    pdf_path = file_in(out_dir, f"{base}.pdf")
    with atomic_path(json_path) as tmp:
        export_json(store, tmp, pupil_id=pupil_id)
    with atomic_path(pdf_path) as tmp, store.read() as s:
        pages = write_sar_pdf(s, pupil_id, tmp, today=today)
    return SarFiles(json_path, pdf_path, pages)


__all__ = ["SarFiles", "build_story", "write_sar_pdf", "write_subject_access"]
