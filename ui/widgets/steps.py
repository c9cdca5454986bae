"""A review's deadline chain as ticks: each step with its due date and the date to act by.
Ticking a step records it as done today; unticking clears it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from .. import format as fmt
from ..context import Context

if TYPE_CHECKING:
    from sencodesk.store import Session


def tick_step(s: Session, meeting_id: int, field: str, when: Any) -> int:
    from sencodesk import commands

    return commands.save_review(s, {field: when}, meeting_id)


class StepsPanel(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Review steps")
        self.lay = QVBoxLayout(self)
        self.title = QLabel("Steps")
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.lay.addWidget(self.title)
        self.boxes: list[QCheckBox] = []
        self.notes: list[QLabel] = []
        self.empty = QLabel("Choose a meeting to see its steps.")
        self.empty.setObjectName("hint")
        self.lay.addWidget(self.empty)
        self.lay.addStretch(1)
        self.review: Any = None

    def show_review(self, review: Any) -> None:
        self.review = review
        for w in (*self.boxes, *self.notes):
            self.lay.removeWidget(w)
            w.deleteLater()
        self.boxes, self.notes = [], []
        self.empty.setVisible(review is None)
        if review is None:
            self.title.setText("Steps")
            return
        who = f"{review.pupil_name}'s meeting" if getattr(review, "pupil_name", "") else "Meeting"
        self.title.setText(f"Steps: {who} on {fmt.date(review.meeting_at)}")
        at = 2
        for step in review.steps:
            # The step in words on the tick box; its dates under it (they wrap in a narrow
            # panel, where one long tick-box line cannot).
            late = not step.done_on and step.act_by < self.ctx.today
            if step.done_on:
                when = f"Done {fmt.date(step.done_on)}"
            else:
                when = f"Due {fmt.date(step.due)}"
                if step.act_by != step.due:
                    when += f"; act by {fmt.date(step.act_by)}"
                if late:
                    when += " (late)"
            box = QCheckBox(step.label)
            box.setAccessibleName(step.label)
            box.setAccessibleDescription(when)
            box.setToolTip(when)
            box.setChecked(step.done_on is not None)
            box.setEnabled(bool(step.field))
            note = QLabel(when)
            note.setWordWrap(True)
            note.setObjectName("summaryBad" if late else "hint")
            note.setContentsMargins(24, 0, 0, 4)
            if late:
                box.setStyleSheet("color: #9b0015; font-weight: bold;")
            box.toggled.connect(lambda on, s=step: self._tick(s, on))
            self.lay.insertWidget(at, box)
            self.lay.insertWidget(at + 1, note)
            at += 2
            self.boxes.append(box)
            self.notes.append(note)

    def _tick(self, step: Any, on: bool) -> None:
        if self.review is None or not step.field:
            return
        self.ctx.change(
            tick_step,
            self.review.id,
            step.field,
            self.ctx.today if on else None,
        )
