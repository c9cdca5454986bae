"""A review's deadline chain as ticks: each step with its due date and the date to act by.
Ticking a step records it as done today; unticking clears it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from .. import format as fmt
from ..context import Context


def tick_step(store: Any, meeting_id: int, field: str, when: Any) -> int:
    from sencodesk import commands

    with store.session() as s:
        return commands.save_review(s, {field: when}, meeting_id)


class StepsPanel(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Review steps")
        self.lay = QVBoxLayout(self)
        self.title = QLabel("Steps")
        self.title.setObjectName("sectionTitle")
        self.lay.addWidget(self.title)
        self.boxes: list[QCheckBox] = []
        self.empty = QLabel("Choose a meeting to see its steps.")
        self.empty.setObjectName("hint")
        self.lay.addWidget(self.empty)
        self.lay.addStretch(1)
        self.review: Any = None

    def show_review(self, review: Any) -> None:
        self.review = review
        for b in self.boxes:
            self.lay.removeWidget(b)
            b.deleteLater()
        self.boxes = []
        self.empty.setVisible(review is None)
        if review is None:
            self.title.setText("Steps")
            return
        self.title.setText(f"Steps for the meeting on {fmt.date(review.meeting_at)}")
        for n, step in enumerate(review.steps):
            if step.done_on:
                text = f"{step.label} – done {fmt.date(step.done_on)}"
            else:
                late = " – LATE" if step.act_by < self.ctx.today else ""
                text = (
                    f"{step.label} – due {fmt.date(step.due)}, act by {fmt.date(step.act_by)}{late}"
                )
            box = QCheckBox(text)
            box.setAccessibleName(step.label)
            box.setChecked(step.done_on is not None)
            box.setEnabled(bool(step.field))
            if not step.done_on and step.act_by < self.ctx.today:
                box.setStyleSheet("color: #9b0015; font-weight: bold;")
            box.toggled.connect(lambda on, s=step: self._tick(s, on))
            self.lay.insertWidget(2 + n, box)
            self.boxes.append(box)

    def _tick(self, step: Any, on: bool) -> None:
        if self.review is None or not step.field:
            return
        self.ctx.run(
            tick_step,
            self.review.id,
            step.field,
            self.ctx.today if on else None,
            changes={"review"},
        )
