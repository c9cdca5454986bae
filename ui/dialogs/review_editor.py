"""Schedule (or edit) a review meeting: when, where, who is invited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QWidget

from sencodesk import vocab
from sencodesk.vocab import ReviewKind

from ..context import Context
from ..widgets.fields import ChoiceField, DateTimeField, NotesField, TextField
from .editor import EditorDialog, loaded_version


def parse_invitees(text: str) -> list[dict[str, str]]:
    """One invitee a line: "name, role, email" (role and email optional)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        out.append(
            {
                "name": parts[0],
                "role": parts[1] if len(parts) > 1 else "",
                "email": parts[2] if len(parts) > 2 else "",
            }
        )
    return out


class ReviewEditor(EditorDialog):
    TABLE = "review_meeting"

    def __init__(
        self,
        ctx: Context,
        *,
        pupil_id: int,
        row: Any = None,
        when: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            "Edit review meeting" if row else "Schedule a review meeting",
            "this meeting",
            parent,
        )
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.pupil_id = pupil_id
        f = self.form
        f.add(
            "kind",
            "&Kind",
            ChoiceField(list(vocab.REVIEW_KIND_LABELS.items())),
        )
        f.add("meeting_at", "&Meeting", DateTimeField("Meeting", QTime(9, 30)))
        f.add("place", "&Place", TextField())
        f.add(
            "invitees", "&Invited", NotesField(lines=4), tip="One person a line: name, role, email"
        )
        f.add("notes", "N&otes", NotesField(lines=3))
        if row is not None:
            f.set_values(
                {
                    "kind": row.kind,
                    "meeting_at": row.meeting_at,
                    "place": row.place,
                    "notes": row.notes,
                    "invitees": "\n".join(
                        ", ".join(x for x in (i.name, i.role, i.email) if x) for i in row.invitees
                    ),
                }
            )
        else:
            from sencodesk.rules.schoolyear import previous_working_day

            # A school day on or before the date the review is due (or eight weeks ahead).
            day = previous_working_day(when or ctx.today + dt.timedelta(weeks=8))
            f.set_values(
                {
                    "kind": ReviewKind.ANNUAL,
                    "meeting_at": dt.datetime.combine(day, dt.time(9, 30)),
                    "invitees": "Parents or carers, parent\nClass teacher, teacher\n"
                    "LA SEN officer, local authority",
                }
            )
            f.dirty = False
        self.resize(680, 480)

    def values(self) -> dict[str, Any]:
        v = super().values()
        v["invitees"] = parse_invitees(v["invitees"])
        if self.row_id is None:
            v["pupil_id"] = self.pupil_id
        return v

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_review(session, values, self.row_id)
