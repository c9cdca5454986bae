"""Reviews: annual reviews due, and the meetings booked with their next deadline step."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sencodesk import vocab

from .. import format as fmt
from .base import AMBER_BG, FIRST, RED_BG, WHOLE, Column, RowTableModel
from .common import date_col, fold, label

if TYPE_CHECKING:
    from PySide6.QtGui import QColor

    from sencodesk.queries.reviews import StepRow


def _step_colour(step: StepRow | None, today: dt.date) -> QColor | None:
    if step is None:
        return None
    if step.act_by < today:
        return RED_BG
    if (step.act_by - today).days <= 7:
        return AMBER_BG
    return None


class ReviewDueModel(RowTableModel):
    COL_PUPIL, COL_LAST, COL_DUE, COL_MEETING = range(4)
    COLUMNS = (
        Column("Pupil", lambda r: r.pupil_name),
        date_col("Last review", lambda r: r.last_review),
        date_col("Due by", lambda r: r.due, background=lambda r, t: RED_BG if r.due < t else None),
        Column(
            "Meeting",
            lambda r: fmt.date_time(r.scheduled_for) if r.scheduled_for else "not booked",
            key=lambda r: r.scheduled_for,
            squeeze=WHOLE,
        ),
    )


class ReviewModel(RowTableModel):
    # Whose, when, the next step and its act-by first: at 1024 px, beside the steps panel,
    # the colour that says "act now" stays in view; the kind (mostly "Annual") comes last.
    COL_PUPIL, COL_MEETING, COL_NEXT, COL_ACT_BY, COL_DUE, COL_KIND = range(6)
    KEY_COLUMNS = (COL_PUPIL, COL_ACT_BY)
    COLUMNS = (
        Column("Pupil", lambda r: r.pupil_name),
        Column(
            "Meeting",
            lambda r: fmt.date_time(r.meeting_at),
            key=lambda r: r.meeting_at,
            squeeze=WHOLE,
        ),
        Column(
            "Next step",
            lambda r: r.next_step().label if r.next_step() else "All done",
            squeeze=FIRST,
        ),
        date_col(
            "Act by",
            lambda r: r.next_step().act_by if r.next_step() else None,
            background=lambda r, t: _step_colour(r.next_step(), t),
        ),
        date_col("Step due", lambda r: r.next_step().due if r.next_step() else None),
        Column("Kind", lambda r: label({}, r.kind)),
    )


class RecordModel(RowTableModel):
    COL_WHEN, COL_PUPIL, COL_KIND, COL_AUTHOR, COL_TEXT = range(5)
    COLUMNS = (
        Column(
            "When",
            lambda r: fmt.date_time(r.occurred_at),
            key=lambda r: r.occurred_at,
            squeeze=WHOLE,
        ),
        Column("Pupil", lambda r: r.pupil_name, key=lambda r: fold(r.pupil_name)),
        Column(
            "Kind",
            lambda r: label(vocab.RECORD_KIND_LABELS, r.kind),
            background=lambda r, _t: AMBER_BG if r.kind == vocab.RecordKind.INCIDENT else None,
        ),
        Column("By", lambda r: r.author_name),
        Column(  # last: it takes whatever room there is
            "Notes",
            lambda r: (r.text or r.behaviour).replace("\n", " ")[:200],
            tooltip=lambda r: r.text or r.behaviour,
            header_tip="What happened (point at a note to read it whole)",
            squeeze=FIRST,
        ),
    )
