"""A one-line label that never widens its window: text longer than the room it is given ends
in "…", and the whole text is its tooltip (a name as long as the rules allow, 200 letters, on
a 1024x768 screen)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MIN_WIDTH = 120  # the least room it asks for: the layout gives it more when there is some
# QLabel draws its text a few pixels in from its edge (more with a style sheet's font): room
# kept for that, or a name exactly as wide as its label loses its last letter.
PAD = 8


class ElidedLabel(QLabel):
    def __init__(
        self, text: str = "", parent: QWidget | None = None, min_width: int = MIN_WIDTH
    ) -> None:
        """``min_width``: the least room it asks for, so a name of ordinary length stays whole
        beside what else shares its row."""
        super().__init__(parent)
        self._whole = ""
        self._min_width = min_width
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._whole = text
        self.updateGeometry()
        self._elide()

    def text(self) -> str:
        """What is shown (ending in "…" when cut); ``whole_text()`` is all of it."""
        return super().text()

    def whole_text(self) -> str:
        return self._whole

    def _elide(self) -> None:
        from PySide6.QtCore import Qt

        room = self.contentsRect().width() - PAD // 2
        shown = self.fontMetrics().elidedText(self._whole, Qt.TextElideMode.ElideRight, room)
        QLabel.setText(self, shown)
        self.setToolTip(self._whole if shown != self._whole else "")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        m = self.contentsMargins()
        natural = self.fontMetrics().horizontalAdvance(self._whole) + m.left() + m.right() + PAD
        return QSize(natural, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(min(self._min_width, self.sizeHint().width()), hint.height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        # The style sheet's font (a page title's) arrives when the label is polished: measure
        # again with it, or the text is cut mid-letter.
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()
            self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()
