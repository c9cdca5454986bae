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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from ..errors import KnownError
from ..exchange.filenames import file_in, safe_name
from ..exchange.tabular import yes_no
from ..files import atomic_path, make_folder
from ..model import (
    Pupil,
    ReviewMeeting,
    School,
)
from ..queries.common import display_name, school_id
from ..reports.pdf_tables import key_value_table, long_table
from ..reports.styles import FONT, PageHeader, build_pdf, esc, frame_width, gap, para, styles
from ..rules.dates import format_date
from ..rules.pay import format_hours, format_money
from ..vocab import (
    ADVICE_SOURCE_LABELS,
    AREA_LABELS,
    ASSIGNMENT_ROLE_LABELS,
    FUNDING_SOURCE_LABELS,
    FUNDING_STATUS_LABELS,
    OUTCOME_SOURCE_LABELS,
    OUTCOME_STATUS_LABELS,
    PLAN_SECTION_LABELS,
    RECORD_KIND_LABELS,
    REVIEW_KIND_LABELS,
    format_sessions,
)
from .sar_text import MEETING_LABELS, as_text, change_lines, label_of, load_pupil, pupil_pairs


@dataclass(frozen=True)
class SarFiles:
    json: Path
    pdf: Path
    pages: int


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
        key_value_table(pupil_pairs(session, p), frame_width(), label_width=55 * mm),
    ]

    outcomes = sorted(p.outcomes, key=lambda o: (o.set_date, o.id))
    numbers = {o.id: i for i, o in enumerate(outcomes, start=1)}
    story.append(Paragraph("Outcomes and targets", st.h1))
    story += _table(
        ["No.", "Area", "Outcome and success criteria", "From", "Set", "Target", "Status"],
        [
            [
                str(numbers[o.id]),
                label_of(AREA_LABELS, o.area),
                _details([("", o.text), ("Success criteria", o.success_criteria)]),
                OUTCOME_SOURCE_LABELS[o.source],
                as_text(o.set_date),
                as_text(o.target_date),
                label_of(OUTCOME_STATUS_LABELS, o.status),
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
                as_text(h.changed_on),
                label_of(OUTCOME_STATUS_LABELS, h.status),
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
                as_text(r.occurred_at),
                label_of(RECORD_KIND_LABELS, r.kind),
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
                        ("Minutes", as_text(r.minutes)),
                        ("Progress (1–5)", as_text(r.progress)),
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
                label_of(FUNDING_SOURCE_LABELS, f.source),
                f.funder,
                f.reference,
                format_money(f.amount_per_year) if f.amount_per_year is not None else "",
                format_hours(f.weekly_minutes),
                as_text(f.start_date),
                as_text(f.end_date),
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
                label_of(ASSIGNMENT_ROLE_LABELS, a.role),
                format_hours(a.weekly_minutes),
                format_sessions(a.sessions),
                as_text(a.start_date),
                as_text(a.end_date),
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
            Paragraph(esc(f"{REVIEW_KIND_LABELS[m.kind]} review, {as_text(m.meeting_at)}"), st.h2)
        )
        pairs = [
            (
                MEETING_LABELS.get(c.key)
                or c.key.replace("_", " ").capitalize().replace("La ", "LA "),
                as_text(getattr(m, c.key)),
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
                        label_of(ADVICE_SOURCE_LABELS, a.source),
                        a.given_by,
                        as_text(a.received_on),
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
                [[label_of(PLAN_SECTION_LABELS, a.section), a.text] for a in m.amendments],
                [50, 130],
            )

    story.append(Paragraph("Change history", st.h1))
    story.append(
        para("Every change made to the records above, oldest first (times are local).", st.small)
    )
    story += _table(
        ["When", "By", "Change", "What", "Field", "Was", "Became", "Reason"],
        change_lines(session, p),
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
    from ..queries.pupil_detail import find_pupil

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
