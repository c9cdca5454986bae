"""A page of the main window: loads its rows through the worker when shown, and reloads
only when a change it watches arrives (and then only once it is visible)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..context import ALL, Context


class Page(QWidget):
    TITLE = ""
    WATCHES: frozenset[str] = frozenset()

    loaded = Signal()  # the page's data has arrived and is shown

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._loading = False
        self._again = False
        self.setAccessibleName(self.TITLE)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(16, 10, 16, 10)
        head = QHBoxLayout()
        self.title_label = QLabel(self.TITLE)
        self.title_label.setObjectName("pageTitle")
        head.addWidget(self.title_label)
        head.addStretch(1)
        self.head = head
        self.outer.addLayout(head)

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        """Called when the page is shown."""
        if self._stale:
            self.refresh()

    def on_changed(self, kinds: frozenset[str]) -> None:
        if ALL in kinds or kinds & self.WATCHES:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def refresh(self) -> None:
        """Reload from the database (one request in flight at a time)."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._stale = False
        self.load()

    def load(self) -> None:
        """Start the reads; call ``self.finish_loading()`` when the last result is shown."""
        self.finish_loading()

    def finish_loading(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()
            return
        self.loaded.emit()

    def load_failed(self, exc: BaseException, tb: str = "") -> None:
        self._loading = False
        self._again = False
        self._stale = True
        self.ctx.error(exc, tb)

    # ------------------------------------------------------------------ keyboard

    def focus_main(self) -> None:
        """Put the keyboard where work on this page starts (after Ctrl+1..7): the filter box,
        else the first list, else the first thing that takes focus."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QAbstractItemView, QLineEdit

        visible = [
            w
            for cls in (QLineEdit, QAbstractItemView)
            for w in self.findChildren(cls)
            if w.isVisible()
            and w.isEnabled()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and (cls is not QLineEdit or w.objectName() == "filter")
        ]
        target = visible[0] if visible else None
        if target is None:
            w = self.nextInFocusChain()
            while w is not self and self.isAncestorOf(w):
                if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                    target = w
                    break
                w = w.nextInFocusChain()
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ------------------------------------------------------------------ closing

    def has_unsaved_changes(self) -> bool:
        return False

    def confirm_leave(self) -> bool:
        """True when it is fine to leave the page (nothing unsaved, or the user chose)."""
        return True


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    from PySide6.QtCore import Qt  # not at import: Qt's namespace costs 50 ms at start-up

    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label
