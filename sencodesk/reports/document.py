"""A paper's content, built once and drawn twice: as a PDF (reportlab) and as a Word file
(python-docx) a SENCO can edit before circulating it.

A report module builds a :class:`Document` (headings, paragraphs, "label: value" blocks,
tables, notes, boxes to write in, tick-box choices, a chart) from data already loaded; the
renderers in ``document_pdf`` and ``document_word`` lay it out (``render.render``). Nothing here knows either
library, so what a reader gets (the sections, the figures, what the invitee copy leaves out)
is decided once and is the same in both files.

Text is plain (no markup). A cell or value that must stand out is a :class:`Strong`.
Figures that must never break across lines (hours, money, dates) go in a table's ``figures``
columns: both renderers keep those cells on one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

NBSP = "\u00a0"
BOX = "\u2610"  # ballot box: a tick box on paper


@dataclass(frozen=True)
class Strong:
    """Bold text in a table cell or a value (a flag, a status, a name)."""

    text: str

    def __str__(self) -> str:
        return self.text


Cell = str | Strong


def text_of(c: Cell | None) -> str:
    return "" if c is None else str(c)


@dataclass(frozen=True)
class Heading:
    """``level`` 0 the title, 1 a section, 2 a sub-section, 3 a small label above a table.
    ``room_mm``: start a new page unless this much is left below it (paper only)."""

    text: str
    level: int = 1
    room_mm: float = 0.0


ParaKind = Literal["body", "note", "subtitle"]


@dataclass(frozen=True)
class Para:
    """A paragraph: ``body`` text, a ``note`` (a key, a caveat: smaller, never under 9 pt)
    or the ``subtitle`` under the title."""

    text: str
    kind: ParaKind = "body"


@dataclass(frozen=True)
class KeyValues:
    """A two-column "label: value" block."""

    pairs: Sequence[tuple[str, Cell]]


@dataclass(frozen=True)
class Table:
    """Rows under a heading row. ``widths``: fractions of the text width, one a column.
    ``figures``: columns of hours, amounts and counts (aligned right, kept on one line).
    ``row_height_mm``: rows of at least that height (a table filled in by hand)."""

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[float]
    figures: tuple[int, ...] = ()
    row_height_mm: float | None = None
    zebra: bool = True


@dataclass(frozen=True)
class WriteIn:
    """A box to write in at the meeting, with a prompt at its top."""

    prompt: str
    height_mm: float


@dataclass(frozen=True)
class Choices:
    """Tick boxes, one choice a line."""

    options: Sequence[str]


@dataclass(frozen=True)
class BarChart:
    """A count per month (a bar chart on paper; a table of months in Word)."""

    months: Sequence[dt.date]
    counts: Sequence[int]
    caption: str
    count_label: str = "Number"


@dataclass(frozen=True)
class Together:
    """Blocks kept on one page where they fit (a heading with its table)."""

    blocks: Sequence[Block]


@dataclass(frozen=True)
class NewPage:
    pass


@dataclass(frozen=True)
class RoomFor:
    """Start a new page unless ``mm`` is left (paper only; Word flows)."""

    mm: float


@dataclass(frozen=True)
class Gap:
    mm: float = 3.0


Block = (
    Heading
    | Para
    | KeyValues
    | Table
    | WriteIn
    | Choices
    | BarChart
    | Together
    | NewPage
    | RoomFor
    | Gap
)


@dataclass
class Document:
    """``title`` is the file's metadata (keep names out: viewers show it in title bars and
    recent-files lists); ``page_title`` is printed at the top of every page (may name the
    pupil); ``bookmark`` names the document in a merged file."""

    title: str
    page_title: str
    school: str
    printed: dt.date
    blocks: list[Block] = field(default_factory=list)
    bookmark: str = ""

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self
