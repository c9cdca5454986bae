"""The one-page quick start for printing: docs/guide/quick-start.pdf.

    python docs/quick_start_pdf.py [--out FILE]

The PDF is committed (the installer puts it in the Start menu, and the bundle ships it with
the guide) and is byte-for-byte reproducible: ``tests/core/test_packaging.py`` rebuilds it and
fails when the committed copy is out of date. Change the text here, run this, commit both.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "guide" / "quick-start.pdf"
FONTS = ROOT / "resources" / "fonts"

PAGES = [
    ("Ctrl+1", "Dashboard", "what needs action, and by when; a year's timeline per pupil"),
    ("Ctrl+2", "Pupils", "type to filter; Enter opens a pupil and their EHCP"),
    ("Ctrl+3", "Staff", "contracts, pay and cost; assignments; training and DBS"),
    ("Ctrl+4", "Funding & contracts", "every funding line and contract, and the gaps"),
    ("Ctrl+5", "Reviews", "reviews due, meetings booked, each step's act-by date"),
    ("Ctrl+6", "Records", "write a note, observation or incident"),
    ("Ctrl+7", "Cover", "who loses support when an LSA is away; who can cover"),
]

TASKS = [
    ("Set up your school", "first start: <b>Start empty with my school</b>; then "
     "<b>Edit &gt; School settings…</b> (hours, paid weeks, on-costs, warnings)."),
    ("Bring in your pupils", "<b>File &gt; Import from MIS…</b>: a CTF or a list from SIMS, "
     "Arbor, Bromcom or ScholarPack. See the preview, then <b>Import</b>."),
    ("Add a pupil", "<b>Edit &gt; New pupil…</b> (Ctrl+Shift+P). SEN code E, the EHCP's "
     "date and weekly hours: the review dates follow."),
    ("Add an LSA and a contract", "<b>Edit &gt; New member of staff…</b>, then their "
     "<b>Contracts</b> tab, <b>Add contract…</b>. Pay is worked out as you type."),
    ("Record the funding", "the pupil's <b>Funding</b> tab, <b>Add funding…</b>; link the "
     "contract to it. Red on the timeline: a contract outlives its funding."),
    ("Give a pupil their LSA", "the pupil's <b>Support</b> tab, <b>Assign an LSA…</b>."),
    ("Work on a school server", "<b>File &gt; Sign in to a server…</b> with the login IT gave "
     "you. Each role sees only what it may."),
    ("Book a review", "the pupil's <b>Reviews</b> tab, <b>Schedule a review…</b>. Tick "
     "the steps as you do them."),
    ("Print review packs", "<b>Reports &gt; Review pack for this pupil…</b>, or <b>Review "
     "packs for a date range…</b> for a month's meetings in one merged PDF."),
]

SAFE = [
    "SENCO Desk backs up by itself every day. <b>File &gt; Back up now</b> (Ctrl+B) any time.",
    "<b>Once a week, copy the newest backup</b> to an encrypted USB drive or the school's "
    "secure storage: the backups folder is on this computer's disk.",
    "<b>File &gt; Encrypt database…</b> protects it with a passphrase. Keep the passphrase in "
    "the school's password manager: if it is lost, the data is lost.",
    "Your data: <b>%LOCALAPPDATA%\\SENCO Desk</b>. Never on a network drive.",
    "Printouts and exports are OFFICIAL-SENSITIVE: file, send and shred them accordingly.",
]


def build(out: Path) -> Path:
    from reportlab import rl_config

    rl_config.invariant = 1  # no creation date or random id: the same bytes every time
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold")
    body = ParagraphStyle("body", fontName="DejaVu", fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    h1 = ParagraphStyle("h1", parent=body, fontName="DejaVu-Bold", fontSize=18, leading=22,
                        spaceAfter=2 * mm)
    h2 = ParagraphStyle("h2", parent=body, fontName="DejaVu-Bold", fontSize=11.5, leading=15,
                        spaceBefore=3.5 * mm, spaceAfter=1.5 * mm,
                        textColor=colors.HexColor("#1f4e79"))

    story: list = [
        Paragraph("SENCO Desk: quick start", h1),
        Paragraph("Start <b>SENCO Desk</b> from the Start menu. Everything is saved when you "
                  "press <b>Save</b>. Press <b>F1</b> for the full user guide.", body),
        Paragraph("The pages", h2),
    ]
    grid = TableStyle([
        ("FONT", (0, 0), (-1, -1), "DejaVu", 9),
        ("FONT", (0, 0), (1, -1), "DejaVu-Bold", 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])
    story.append(Table([list(p) for p in PAGES], colWidths=[18 * mm, 40 * mm, 112 * mm],
                       style=grid, hAlign="LEFT"))
    story.append(Spacer(1, 1.5 * mm))
    story.append(Paragraph("<b>Keys:</b> Tab moves between boxes · arrows move in lists · "
                           "Enter opens · Ctrl+F finds · F5 refreshes · Esc closes. Dates: "
                           "dd/mm/yyyy, F4 for a calendar.", small))
    story.append(Paragraph("Doing things", h2))
    rows = [[Paragraph(f"<b>{t}</b>", body), Paragraph(text, body)] for t, text in TASKS]
    story.append(Table(rows, colWidths=[42 * mm, 128 * mm], hAlign="LEFT", style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])))
    story.append(Paragraph("Keeping children's data safe", h2))
    for line in SAFE:
        story.append(Paragraph(f"• {line}", body))
    story.append(Paragraph("If something goes wrong", h2))
    story.append(Paragraph(
        "A message that SENCO Desk “hit a problem it did not expect” is a bug, not your "
        "mistake: your saved work is safe. Send the details, with <b>Help &gt; About SENCO "
        "Desk</b> (press <b>Copy</b>), to whoever supports the app. Read-only banner: "
        "someone else has the database open; close it there, then <b>Try again</b>. More in "
        "the user guide (F1), Troubleshooting.", body))

    out.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=16 * mm, bottomMargin=14 * mm,
                            title="SENCO Desk: quick start", author="SENCO Desk")
    doc.build(story)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    print(build(parser.parse_args().out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
