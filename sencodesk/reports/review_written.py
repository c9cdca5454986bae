"""What was written for a review meeting (#13), as document blocks for the pack and the
report alike (PDF and Word both, from :mod:`.document`).

An LA's review form asks for attendance and exclusions, attainment, a summary of each piece
of advice received, changes to the needs (section B), health and social care, the child's
and parents' views and aspirations, the school's view and the amendments proposed. The
review pack (before the meeting) shows what has been written so far; the review report
(after it) shows every heading. Advice not marked as shared appears only in the SENCO's
internal copy.
"""

from __future__ import annotations

from ..queries.review_record import AdviceRow, MeetingRecord
from ..rules.dates import format_date
from ..vocab import ADVICE_SOURCE_LABELS, PLAN_SECTION_LABELS, PackAudience
from .data_review import ReviewPackData
from .document import Block, Gap, Heading, KeyValues, Para, RoomFor, Table, Together

NOT_WRITTEN = "Nothing written."


def label_of(mapping: dict[str, str], value: str | None) -> str:
    if not value:
        return ""
    return next((v for k, v in mapping.items() if str(k) == value), value)


def _box(title: str, text: str, hint: str = "") -> Together:
    """A heading, what it asks for, and the text as typed (its line breaks kept)."""
    body: list[Block] = [Heading(title, 2)]
    if hint:
        body.append(Para(hint, "note"))
    # The answer in body text, "Nothing written." too: never mistaken for the small hint.
    body.append(Para(text.strip() or NOT_WRITTEN))
    return Together(body)


def section_words(section: str, statutory: bool) -> str:
    """An amendment's section: "F: special educational provision" in an EHC plan; in a
    SEN-support plan, which has no lettered sections, the words alone ("Outcomes")."""
    words = label_of(PLAN_SECTION_LABELS, section)
    if statutory or ": " not in words:
        return words
    rest = words.split(": ", 1)[1]
    return rest[:1].upper() + rest[1:]


def shown_advice(rec: MeetingRecord, audience: PackAudience) -> list[AdviceRow]:
    """The advice a reader of this audience may see: all of it in the internal copy, only
    that marked as shared in the invitees' (and the LA's) copies."""
    return [a for a in rec.advice if a.shared or audience == PackAudience.INTERNAL]


def attendance_words(rec: MeetingRecord) -> str:
    if rec.attendance_percent is None:
        return "Not recorded"
    pct = f"{rec.attendance_percent:.1f}".removesuffix(".0")
    return f"{pct}% of sessions attended"


def written_blocks(
    rec: MeetingRecord,
    audience: PackAudience,
    *,
    statutory: bool,
    written_only: bool = False,
) -> list[Block]:
    """What was written for the meeting, as an LA's review form asks for it: attendance and
    exclusions, attainment, advice received, needs (section B), health and social care,
    the child's and parents' views and aspirations, the school's view, and the amendments
    proposed. ``written_only`` (the pack, before the meeting) leaves out empty headings."""
    out: list[Block] = []

    def box(title: str, text: str, hint: str = "") -> None:
        if text.strip() or not written_only:
            out.append(_box(title, text, hint))

    facts = [
        ("Attendance", attendance_words(rec)),
        ("Suspensions and exclusions", rec.exclusions.strip() or "None recorded"),
    ]
    if rec.attendance_percent is not None or rec.exclusions.strip() or not written_only:
        out.append(Together([Heading("Attendance and exclusions", 2), KeyValues(facts)]))
    box("Attainment and progress", rec.attainment)

    advice = shown_advice(rec, audience)
    if advice or not written_only:
        out += [
            RoomFor(40),
            Heading("Advice received", 2),
            Para(
                "A short summary of each report or piece of advice from professionals who "
                "work with the child. The full reports are sent with this paper.",
                "note",
            ),
        ]
        if advice:
            out += (
                Table(
                    ["From", "Given by", "Received", "Summary"],
                    [
                        [
                            label_of(ADVICE_SOURCE_LABELS, a.source),
                            a.given_by or "–",
                            format_date(a.received_on) or "–",
                            a.summary if a.shared else f"Not for invitees: {a.summary}",
                        ]
                        for a in advice
                    ],
                    [0.19, 0.17, 0.11, 0.53],
                ),
                Gap(2),  # the next heading clear of the table
            )
        else:
            out.append(Para("No advice was recorded for this review.", "note"))

    plan = "the EHC plan" if statutory else "the plan"
    box(
        "Changes to the child's needs" + (" (section B of the plan)" if statutory else ""),
        rec.needs_changes,
        f"What has changed in the child's special educational needs since {plan} was written.",
    )
    box(
        "Health" + (" (sections C and G)" if statutory else ""),
        rec.health_care,
        "Health needs, and the health care the child receives.",
    )
    box(
        "Social care" + (" (sections D and H)" if statutory else ""),
        rec.social_care,
        "Social care needs, and any help from social care.",
    )
    box("The child's views", rec.pupil_views)
    box("The parents' or carers' views", rec.parent_views)
    box("The child's hopes for the future (aspirations)", rec.aspirations)
    box("The school's view", rec.school_view)

    if rec.amendments or not written_only:
        out += [
            RoomFor(40),
            Heading(
                "Changes proposed to the plan, section by section"
                if statutory
                else "Changes proposed to the plan",
                2,
            ),
        ]
        if rec.amendments:
            out.append(
                Table(
                    ["Section", "Change proposed"],
                    [[section_words(a.section, statutory), a.text] for a in rec.amendments],
                    [0.3, 0.7],
                )
            )
        else:
            out.append(Para("No changes to the plan were proposed.", "note"))
    return out


def written_for_the_meeting(d: ReviewPackData, audience: PackAudience) -> list[Block]:
    """The pack's pages of what has been written for the meeting so far (nothing when
    nothing is written): the same words the review report shows."""
    rec = d.record
    if rec is None:
        return []
    body = written_blocks(rec, audience, statutory=d.form.statutory, written_only=True)
    if not body:
        return []
    return [
        RoomFor(60),
        Heading("For the review form", 1),
        Para(
            "Written before the meeting for the review form: attendance, advice received, "
            "views and the changes proposed so far.",
            "note",
        ),
        *body,
    ]
