"""The review pack's last pages: blank boxes and tables filled in by hand at the meeting."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Table,
    TableStyle,
)

from .data_review import ReviewPackData
from .styles import FONT, esc, para, styles, table_style

BOX = "\u2610"  # ballot box, drawn from the embedded font


def _blank_box(height: float, width: float, prompt: str) -> Table:
    st = styles()
    t = Table([[para(prompt, st.small)]], colWidths=[width], rowHeights=[height])
    t.setStyle(table_style(header_rows=0, zebra=False))
    return t


def for_the_meeting(d: ReviewPackData, width: float) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [PageBreak(), Paragraph("For the meeting", st.h1)]
    for heading_text, prompt in d.form.sections:
        out.append(
            KeepTogether([Paragraph(heading_text, st.h2), _blank_box(46 * mm, width, prompt)])
        )
    head = [Paragraph(h, st.head_cell) for h in ("Proposed outcome or action", "Who", "By when")]
    rows: list[list[Any]] = [head, *[["", "", ""] for _ in range(6)]]
    t = Table(
        rows,
        colWidths=[width * 0.62, width * 0.22, width * 0.16],
        rowHeights=[None] + [10 * mm] * 6,
        repeatRows=1,
    )
    t.setStyle(table_style(zebra=False))
    out += [CondPageBreak(80 * mm), Paragraph("Proposed outcomes and actions", st.h2), t]
    # One choice a line: long choices (the SEN-support review's) never wrap mid-phrase.
    choices = Table(
        [[para(f"{BOX}  {choice}", st.body)] for choice in d.form.decisions],
        colWidths=[width],
    )
    choices.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    decision: list[Flowable] = [Paragraph(esc(d.form.decision_heading), st.h2), choices]
    if not d.form.statutory:
        decision.append(
            para(f"Next review (usually in {d.form.cycle_months} months): ____ / ____ / ______")
        )
    out.append(KeepTogether(decision))
    people = [(i.name, i.role) for i in d.meeting.invitees] if d.meeting else []
    sig_rows: list[list[Any]] = [
        [Paragraph(h, st.head_cell) for h in ("Name", "Role", "Signature", "Date")]
    ]
    sig_rows += [[para(n, st.cell), para(r, st.cell), "", ""] for n, r in people]
    sig_rows += [["", "", "", ""] for _ in range(2)]
    sig = Table(
        sig_rows,
        colWidths=[width * 0.3, width * 0.25, width * 0.3, width * 0.15],
        rowHeights=[None] + [9 * mm] * (len(sig_rows) - 1),
        repeatRows=1,
    )
    sig.setStyle(table_style(zebra=False))
    # Together when it fits on what is left of the page; a long list of invitees splits
    # (its headings repeat) rather than leaving a blank page.
    out.append(KeepTogether([Paragraph("Signatures", st.h2), sig]))
    return out
