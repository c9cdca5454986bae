"""The review pack's last pages: blank boxes and tables filled in by hand at the meeting."""

from __future__ import annotations

from .data_review import ReviewPackData
from .document import (
    BOX,
    Block,
    Cell,
    Choices,
    Heading,
    NewPage,
    Para,
    RoomFor,
    Table,
    Together,
    WriteIn,
)

__all__ = ["BOX", "for_the_meeting"]


def for_the_meeting(d: ReviewPackData) -> list[Block]:
    out: list[Block] = [NewPage(), Heading("For the meeting", 1)]
    for heading_text, prompt in d.form.sections:
        out.append(Together([Heading(heading_text, 2), WriteIn(prompt, 46)]))
    blank: list[list[Cell]] = [["", "", ""] for _ in range(6)]
    out += [
        RoomFor(80),
        Heading("Proposed outcomes and actions", 2),
        Table(
            ["Proposed outcome or action", "Who", "By when"],
            blank,
            [0.62, 0.22, 0.16],
            row_height_mm=10,
            zebra=False,
        ),
    ]
    # One choice a line: long choices (the SEN-support review's) never wrap mid-phrase.
    decision: list[Block] = [Heading(d.form.decision_heading, 2), Choices(d.form.decisions)]
    if not d.form.statutory:
        decision.append(
            Para(f"Next review (usually in {d.form.cycle_months} months): ____ / ____ / ______")
        )
    out.append(Together(decision))
    people = [(i.name, i.role) for i in d.meeting.invitees] if d.meeting else []
    sig_rows: list[list[Cell]] = [[n, r, "", ""] for n, r in people]
    sig_rows += [["", "", "", ""] for _ in range(2)]
    # Together when it fits on what is left of the page; a long list of invitees splits
    # (its headings repeat) rather than leaving a blank page.
    out.append(
        Together(
            [
                Heading("Signatures", 2),
                Table(
                    ["Name", "Role", "Signature", "Date"],
                    sig_rows,
                    [0.3, 0.25, 0.3, 0.15],
                    row_height_mm=9,
                    zebra=False,
                ),
            ]
        )
    )
    return out
