"""The review report: what the school sends after a review meeting (#13).

For an EHC plan, the report the school sends to the local authority and every invitee within
two weeks of the meeting (the deadline chain's "Send review report" step): the
recommendation (maintain, amend or cease the plan), the amendments proposed section by
section, everyone's views, the advice received and the facts the LA's form asks for. For a
SEN-support plan, the record of the review: what happens next, and the same sections.

It is written for two readers at once, an LA officer and a parent: plain words, each
section saying what it is, nothing the invitee pack leaves out (staff contract terms, the
school's own money, compliance flags; advice marked as not shared).

Built once as a :class:`~.document.Document`, drawn as a PDF or as a Word file the SENCO
edits before sending (``fmt="docx"``). ``review_written.written_blocks`` gives what was
written for the meeting; the review pack uses it too, so the pack and the report show the
same words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..model import ReviewMeeting
from ..queries.review_record import MeetingRecord
from ..rules.dates import format_date
from ..rules.reviews import Step, next_review_due
from ..vocab import (
    AREA_LABELS,
    OUTCOME_SOURCE_LABELS,
    OUTCOME_STATUS_LABELS,
    REVIEW_OUTCOME_LABELS,
    SUPPORT_NEXT_STEP_LABELS,
    PackAudience,
)
from .data_review import ReviewPackData, choose_meeting, load_review_pack
from .document import (
    Block,
    Cell,
    Document,
    Gap,
    Heading,
    KeyValues,
    Para,
    RoomFor,
    Strong,
    Table,
    Together,
)
from .render import render
from .review_pack_sections import plan_lines
from .review_written import label_of, written_blocks

AUDIENCE_NOTES: dict[str, str] = {
    PackAudience.INVITEES: "for the local authority and everyone invited",
    PackAudience.INTERNAL: "SENCO's internal copy, not for circulation",
}
# A SEN-support plan is the school's own: its record goes to the family and those invited.
SUPPORT_AUDIENCE_NOTES: dict[str, str] = {
    **AUDIENCE_NOTES,
    PackAudience.INVITEES: "for the family and everyone invited",
}


def _report_due(d: ReviewPackData) -> dt.date | None:
    if d.meeting is None:
        return None
    return next((s.due for s in d.meeting.steps if s.step == Step.REPORT_TO_LA), None)


def _decision(d: ReviewPackData, rec: MeetingRecord) -> tuple[str, str]:
    """(heading, the decision in words)."""
    if d.form.statutory:
        said = label_of(REVIEW_OUTCOME_LABELS, rec.recommendation)
        return (
            "The school's recommendation to the local authority",
            said or "Not yet recorded.",
        )
    said = label_of(SUPPORT_NEXT_STEP_LABELS, rec.next_step)
    return ("What happens next", said or "Not yet recorded.")


RECOMMENDATION_MEANING = (
    "Maintain: the plan stays as it is. Amend: the plan should be changed, as set out below. "
    "Cease: the child no longer needs an EHC plan. The local authority decides, and must tell "
    "the parents its decision within 4 weeks of the meeting."
)


def review_report_document(
    d: ReviewPackData, rec: MeetingRecord, audience: PackAudience = PackAudience.INVITEES
) -> Document:
    """The report's content, for the PDF and the Word renderers alike."""
    p = d.pupil
    statutory = d.form.statutory
    meeting_day = rec.meeting_at.date()
    title = (
        "Review report: " + d.form.title[0].lower() + d.form.title[1:]
        if statutory
        else "Record of the review of the SEN-support plan"
    )
    doc = Document(
        title="Review report",  # no name: viewers show it in their title bar
        page_title=f"{p.row.name} – review report {format_date(meeting_day)}",
        school=d.school.name,
        printed=d.today,
    )
    notes = AUDIENCE_NOTES if statutory else SUPPORT_AUDIENCE_NOTES
    intro = (
        "This report says what was discussed and agreed at the review meeting, and what the "
        "school recommends to the local authority. "
        if statutory
        else "This record says what was discussed and agreed at the review meeting, and what "
        "happens next. "
    ) + "If anything in it is wrong or missing, please tell the school's SENCO."
    doc.add(
        Heading(title, 0),
        Para("After the meeting, " + notes[audience], "subtitle"),
        Para(intro),
    )
    name = f"{p.row.legal_first_name} {p.row.legal_last_name}"
    if p.row.preferred_name and p.row.preferred_name != p.row.legal_first_name:
        name += f" (known as {p.row.preferred_name})"
    pairs: list[tuple[str, Cell]] = [
        ("Pupil", Strong(name)),
        ("Date of birth", format_date(p.row.date_of_birth)),
        ("UPN", p.row.upn or "Not recorded"),
        ("Year group", d.year_label + (f", class {d.class_name}" if d.class_name else "")),
        ("School", d.school.name),
    ]
    if statutory:
        pairs.append(("Local authority", p.ehcp_la_name or d.school.la_name or "Not recorded"))
    pairs += [
        ("Meeting", f"{format_date(meeting_day)} at {rec.meeting_at:%H:%M}"),
        ("Place", rec.place or "Not recorded"),
        (
            "Held",
            format_date(rec.held_on) if rec.held_on else "Not yet recorded as held",
        ),
    ]
    due = _report_due(d)
    if statutory and due is not None:
        pairs.append(("Report due to the LA by", format_date(due)))
    if rec.report_sent_on:
        pairs.append(("Report sent on", format_date(rec.report_sent_on)))
    pairs.append(("Sent to", rec.sent_to.strip().replace("\n", "; ") or "Not yet recorded"))
    doc.add(KeyValues(pairs), Gap(3))

    heading_text, said = _decision(d, rec)
    decision: list[Block] = [Heading(heading_text, 1), Heading(said, 2)]
    if statutory:
        decision.append(Para(RECOMMENDATION_MEANING, "note"))
        if rec.outcome:
            decided = next(
                (
                    s.done_on
                    for s in (d.meeting.steps if d.meeting else ())
                    if s.step == Step.LA_DECISION
                ),
                None,
            )
            decision.append(
                Para(
                    "The local authority's decision: "
                    + label_of(REVIEW_OUTCOME_LABELS, rec.outcome)
                    + (f" (told on {format_date(decided)})" if decided else "")
                    + "."
                )
            )
    elif d.form.cycle_months:
        next_due = next_review_due(rec.held_on or meeting_day, d.form.cycle_months)
        decision.append(
            Para(
                f"The next review is due by {format_date(next_due)}: SEN support is reviewed "
                f"about every {d.form.cycle_months} months (each term), with the child and "
                "parents.",
            )
        )
    doc.add(Together(decision))

    doc.add(Heading("Who came to the meeting", 1))
    came = [line.strip() for line in rec.attendees.splitlines() if line.strip()]
    if came:
        doc.add(Table(["Attended"], [[c] for c in came], [1.0]))
    else:
        doc.add(Para("Who attended was not recorded.", "note"))
    invited = [f"{n} ({r})" if r else n for n, r in rec.invitees]
    if invited:
        doc.add(Gap(1), Para("Invited: " + "; ".join(invited) + ".", "note"))

    sentence, lines = plan_lines(d)
    doc.add(RoomFor(50), Heading("Progress and support", 1), Para(sentence))
    # The period the figures are for (the pack's "Evidence covers"): "planned in the
    # period" means nothing to an LA officer without it.
    period = (
        f"{format_date(d.period_start)} to {format_date(d.period_end)} (since {d.period_basis})"
    )
    doc.add(KeyValues([("Period covered", period), *lines]), Gap(2))
    if d.outcomes:
        rows: list[list[Cell]] = [
            [
                f"{OUTCOME_SOURCE_LABELS.get(o.outcome.source, '')}: {o.outcome.text}",
                label_of(AREA_LABELS, o.outcome.area),
                label_of(OUTCOME_STATUS_LABELS, o.outcome.status),
            ]
            for o in d.outcomes
        ]
        # The sentence stays with its table: never alone at the foot of a page.
        doc.add(
            Together(
                [
                    Para(
                        "The outcomes the child is working towards, and how far each had got "
                        f"by the meeting on {format_date(meeting_day)}:",
                    ),
                    Table(["Outcome", "Area", "Status"], rows, [0.6, 0.2, 0.2]),
                ]
            )
        )
    else:
        doc.add(Para("No outcomes are recorded for this child.", "note"))

    doc.add(RoomFor(50), Heading("What the review found", 1))
    return doc.add(*written_blocks(rec, audience, statutory=statutory))


def last_meeting(
    session: Session, pupil_id: int, *, on: dt.date | None = None, today: dt.date
) -> int:
    """The meeting a report is for: the pupil's on ``on`` if given, else their last meeting
    on or before today (a report comes after its meeting)."""
    if on is not None:
        found = choose_meeting(session, pupil_id, on=on, today=today)
        assert found is not None  # choose_meeting raises NotFound for a date with none
        return found
    mid = session.scalar(
        select(ReviewMeeting.id)
        .where(
            ReviewMeeting.pupil_id == pupil_id,
            ReviewMeeting.meeting_at < dt.datetime.combine(today + dt.timedelta(days=1), dt.time()),
        )
        .order_by(ReviewMeeting.meeting_at.desc(), ReviewMeeting.id.desc())
        .limit(1)
    )
    if mid is None:
        raise NotFound(
            f"This pupil has had no review meeting by {format_date(today)}: a review report "
            "comes after the meeting (give --on DATE for a meeting on another day)."
        )
    return int(mid)


def load_review_report(
    session: Session, meeting_id: int, *, today: dt.date
) -> tuple[ReviewPackData, MeetingRecord]:
    pupil_id = session.scalar(select(ReviewMeeting.pupil_id).where(ReviewMeeting.id == meeting_id))
    if pupil_id is None:
        raise NotFound(f"There is no review meeting with id {meeting_id}.")
    d = load_review_pack(session, pupil_id, meeting_id, today=today)
    assert d.record is not None  # loaded with its meeting
    return d, d.record


def render_review_report(
    d: ReviewPackData,
    rec: MeetingRecord,
    out: Path | str | IO[bytes],
    *,
    audience: PackAudience = PackAudience.INVITEES,
    fmt: str = "pdf",
) -> int:
    """Draw the report as a PDF (the default) or a Word file (``fmt="docx"``) to a path
    (written whole or not at all) or a binary file; returns the PDF's pages (0 for Word)."""
    return render(review_report_document(d, rec, audience), out, fmt)


def build_review_report(
    session: Session,
    meeting_id: int,
    out: Path | str | IO[bytes],
    *,
    today: dt.date,
    audience: PackAudience = PackAudience.INVITEES,
    fmt: str = "pdf",
) -> int:
    """Load and draw the report of one review meeting; returns the number of pages."""
    d, rec = load_review_report(session, meeting_id, today=today)
    return render_review_report(d, rec, out, audience=audience, fmt=fmt)
