"""The annual review pack: what the SENCO circulates two weeks before an EHCP review meeting.

``build_review_pack(session, pupil_id, meeting_id, out, today=...)`` loads and draws in one go;
``load_review_pack`` (in ``data_review``) and ``render_review_pack`` do the two halves apart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from ..rules.dates import format_date
from ..rules.pay import format_hours, format_money
from ..vocab import (
    FUNDING_SOURCE_LABELS,
    FUNDING_STATUS_LABELS,
    FundingSource,
    PackAudience,
)
from .data_review import ReviewPackData, load_review_pack
from .document import (
    BOX,
    Block,
    Cell,
    Document,
    Gap,
    Heading,
    KeyValues,
    NewPage,
    Para,
    RoomFor,
    Strong,
)
from .render import render
from .review_forms import for_the_meeting
from .review_pack_sections import _incidents, _label, _outcomes, _profile, _support, _table
from .review_written import written_for_the_meeting

# Funding the local authority pays, whose amounts it already knows: the only amounts an
# invitee pack shows. The school's own budget and outside grants stay in the internal copy.
LA_FUNDING = frozenset({FundingSource.TOP_UP, FundingSource.HIGH_NEEDS})

AUDIENCE_SUBTITLES: dict[str, str] = {
    PackAudience.INVITEES: "for circulation to all invitees",
    PackAudience.INTERNAL: "SENCO's internal copy, not for circulation",
}


def _cover(d: ReviewPackData, audience: PackAudience) -> list[Block]:
    p, m, form = d.pupil, d.meeting, d.form
    internal = audience == PackAudience.INTERNAL
    out: list[Block] = [
        Heading(form.title, 0),
        Para(f"{form.subtitle}, {AUDIENCE_SUBTITLES[audience]}", "subtitle"),
    ]
    name = f"{p.row.legal_first_name} {p.row.legal_last_name}"
    if p.row.preferred_name and p.row.preferred_name != p.row.legal_first_name:
        name += f" (known as {p.row.preferred_name})"
    pairs: list[tuple[str, Cell]] = [
        ("Pupil", Strong(name)),
        ("Date of birth", format_date(p.row.date_of_birth)),
        ("UPN", p.row.upn or "Not recorded"),
        (
            "Year group",
            d.year_label + (f", class {d.class_name}" if d.class_name else ""),
        ),
        ("School", d.school.name),
        ("Local authority", p.ehcp_la_name or d.school.la_name or "Not recorded"),
    ]
    if m is not None:
        pairs += [
            ("Meeting date", format_date(m.meeting_at.date())),
            ("Time", m.meeting_at.strftime("%H:%M")),
            ("Place", m.place or "To be confirmed"),
        ]
    else:
        pairs += [
            ("Meeting", "Not yet arranged"),
            ("Review due by", format_date(d.next_review_due) or "Not known"),
        ]
    if not form.statutory:
        pairs.append(("Reviewed", f"every {form.cycle_months} months (each term) by default"))
    if d.phase_transfer_due is not None:
        pairs.append(
            (
                "Phase transfer",
                Strong(
                    f"Moves phase next year: the amended plan must be issued by "
                    f"{format_date(d.phase_transfer_due)}"
                    + (
                        " (that date has passed: OVERDUE unless it was issued)"
                        if internal and d.phase_transfer_due < d.today
                        else ""
                    )
                ),
            )
        )
    pairs.append(
        (
            "Evidence covers",
            f"{format_date(d.period_start)} to "
            f"{format_date(d.period_end)} (since {d.period_basis})",
        )
    )
    out += [KeyValues(pairs), Gap(4)]
    if m is not None:
        out.append(Heading("Invited", 2, 25))
        rows: list[list[Cell]] = [[i.name, i.role, BOX] for i in m.invitees] or [
            ["No one invited yet", "", ""]
        ]
        out.append(_table(["Name", "Role", "Attended"], rows, [0.42, 0.43, 0.15]))
    if m is not None and form.statutory and internal:
        out.append(Heading("Deadlines", 2, 45))
        steps: list[list[Cell]] = []
        for s in m.steps:
            if s.done_on:
                done: Cell = format_date(s.done_on)
            elif s.act_by < d.today:
                done = Strong("OVERDUE – not done")
            else:
                done = "Not yet"
            steps.append([s.label, format_date(s.due), format_date(s.act_by), done])
        out += [
            _table(["Step", "Due", "Act by", "Done"], steps, [0.46, 0.16, 0.16, 0.22]),
            Gap(1),
            Para(
                "Act by is the last school day on or before the due date (not a weekend, "
                "bank holiday or school holiday).",
                "note",
            ),
        ]
    elif m is not None and form.statutory:
        # For invitees: the statutory timetable, with no compliance flags.
        out.append(Heading("The review's timetable", 2, 45))
        steps = [
            [s.label, format_date(s.due), format_date(s.done_on) if s.done_on else "–"]
            for s in m.steps
        ]
        out.append(_table(["Step", "By law, by", "Done on"], steps, [0.6, 0.2, 0.2]))
    out.append(NewPage())
    return out


def _funding(d: ReviewPackData, audience: PackAudience) -> list[Block]:
    internal = audience == PackAudience.INTERNAL
    out: list[Block] = [RoomFor(40), Heading("Funding", 1)]
    if not d.funding:
        return [*out, Para("No funding is recorded for this pupil.")]
    if not internal:
        out.append(
            Para(
                "Amounts are shown for funding from the local authority only; the school's "
                "own budget is not shown in this pack.",
                "note",
            )
        )
    rows: list[list[Cell]] = []
    for f in d.funding:
        if f.end_date is None:
            ends = "No end date"
        else:
            days = (f.end_date - d.today).days
            ends = format_date(f.end_date) + (" (ended)" if days < 0 else f" (in {days} days)")
        amount = f.amount_per_year if internal or f.source in LA_FUNDING else None
        rows.append(
            [
                _label(FUNDING_SOURCE_LABELS, f.source),
                " ".join(x for x in (f.funder, f.reference) if x) or "–",
                format_money(amount) if amount is not None else "–",
                format_hours(f.weekly_minutes) if f.weekly_minutes else "–",
                format_date(f.start_date),
                Strong(ends),
                FUNDING_STATUS_LABELS[f.status],
            ]
        )
    out.append(
        _table(
            ["Source", "Funder and reference", "A year", "Hours a week", "From", "Ends", "Status"],
            rows,
            [0.17, 0.2, 0.13, 0.11, 0.11, 0.17, 0.11],
            right=(2, 3),
        )
    )
    if d.contracts and internal:
        out.append(Heading("Staff contracts paid from this funding", 3, 25))
        crow: list[list[Cell]] = [
            [c.staff_name, format_date(c.end_date) or "Permanent", format_date(c.notice_by) or "–"]
            for c in d.contracts
        ]
        out.append(_table(["Staff", "Contract ends", "Give notice by"], crow, [0.5, 0.25, 0.25]))
    return out


# --------------------------------------------------------------------------- entry points


GLOSSARY: tuple[tuple[str, str], ...] = (
    ("APDR", "Assess, plan, do, review: the cycle of SEN support, usually each term."),
    ("EHC plan", "Education, health and care plan: the legal plan from the local authority."),
    ("SEN support", "Extra help the school gives without an EHC plan (code K)."),
    ("Outcome", "What the child is working towards, and how we will know it is met."),
    ("LSA", "Learning support assistant: an adult who supports the child."),
    ("Top-up (element 3)", "Money the local authority pays the school for the plan's support."),
    ("Antecedent", "What happened just before an incident."),
    ("No record", "Support planned with nothing written down: not the same as not given."),
)


def _glossary(d: ReviewPackData) -> list[Block]:
    words: list[tuple[str, Cell]] = [
        (w, m)
        for w, m in GLOSSARY
        if d.form.statutory or w not in ("EHC plan", "Top-up (element 3)")
    ]
    return [RoomFor(60), Heading("Words used in this pack", 1), KeyValues(words)]


def review_pack_document(
    d: ReviewPackData, audience: PackAudience = PackAudience.INVITEES
) -> Document:
    """The pack's content, from data already loaded (no database access), for the PDF and
    the Word renderers alike. The invitee pack (the default) leaves out staff contract
    terms, funding amounts the LA does not already know and the internal compliance flags;
    the internal copy has everything."""
    day = format_date(d.meeting.meeting_at.date()) if d.meeting else "not yet arranged"
    doc = Document(
        title=d.form.title,  # no name: viewers show this in their title bar
        page_title=f"{d.pupil.row.name} – review {day}",
        school=d.school.name,
        printed=d.today,
    )
    return doc.add(
        *_cover(d, audience),
        *_profile(d),
        *_outcomes(d),
        *_support(d),
        *_incidents(d),
        *_funding(d, audience),
        *written_for_the_meeting(d, audience),
        *for_the_meeting(d),
        *_glossary(d),
    )


def render_review_pack(
    d: ReviewPackData,
    out: Path | str | IO[bytes],
    *,
    audience: PackAudience = PackAudience.INVITEES,
    fmt: str = "pdf",
) -> int:
    """Draw a loaded pack as a PDF (the default) or a Word file (``fmt="docx"``) to a path
    (written atomically) or a binary file; returns the PDF's pages (0 for Word)."""
    return render(review_pack_document(d, audience), out, fmt)


def build_review_pack(
    session: Session,
    pupil_id: int,
    meeting_id: int | None,
    out: Path | str | IO[bytes],
    *,
    today: dt.date,
    audience: PackAudience = PackAudience.INVITEES,
    fmt: str = "pdf",
) -> int:
    """Load and draw one pupil's pack (for one meeting, or none arranged yet); returns pages."""
    data = load_review_pack(session, pupil_id, meeting_id, today=today)
    return render_review_pack(data, out, audience=audience, fmt=fmt)
