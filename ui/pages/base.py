"""A page of the main window: loads its rows through the worker when shown, and reloads
only when a change it watches arrives (and then only once it is visible)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from sencodesk.changes import Change

from ..context import ALL, Context


class Page(QWidget):
    TITLE = ""
    WATCHES: frozenset[Change] = frozenset()  # the kinds that make this page reload

    loaded = Signal()  # the page's data has arrived and is shown

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._loading = False
        self._again = False
        self._ever_loaded = False
        self._not_loaded = False  # the last load failed: the lists say so (set_failed)
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

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if not self._ever_loaded:  # its lists say "Loading…", not "Nothing here yet"
            self.set_waiting(True)
        super().showEvent(event)

    def set_waiting(self, waiting: bool) -> None:
        """Until the page's first rows arrive its lists and timeline say "Loading…" rather
        than their empty text (which would tell a SENCO there is nothing, for a second)."""
        self._tell_lists("waiting", waiting)

    def set_failed(self, failed: bool) -> None:
        """After a load that failed, its lists and timeline say they could not be loaded
        rather than their empty text ("No pupils yet" would tell a SENCO there are none)."""
        self._not_loaded = failed
        self._tell_lists("failed", failed)

    def _tell_lists(self, state: str, value: bool) -> None:
        """Set ``state`` on each of the page's lists and timelines that has it, and repaint
        those it changed (their empty text depends on it)."""
        for w in self.findChildren(QWidget):
            if getattr(w, state, None) not in (None, value):
                setattr(w, state, value)
                w.update()
                viewport = getattr(w, "viewport", None)
                if viewport is not None:
                    viewport().update()

    def finish_loading(self) -> None:
        if not self._ever_loaded:
            self._ever_loaded = True
            self.set_waiting(False)
        if self._not_loaded:
            self.set_failed(False)
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()
            return
        self.loaded.emit()

    def load_failed(self, exc: BaseException, tb: str = "") -> None:
        self.set_waiting(False)
        self._loading = False
        self._again = False
        self._stale = True
        self.set_failed(True)
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
            while w is not None and w is not self and self.isAncestorOf(w):
                if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                    target = w
                    break
                w = w.nextInFocusChain()
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ------------------------------------------------------------------ closing

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


class ListDetailPage(Page):
    """A list (filter box, table and a hint under it) and the page of one of its rows, in a
    stack. Enter or a double-click opens a row; the view's Back button, Alt+Left, or Escape
    inside the view return to the list with that row selected and the filter focused.

    Subclasses build their table, filter box and view, call ``set_up_list_and_view`` and
    give ``open_in_view`` (show one row's page) and ``view_id`` (the row shown, or None).
    """

    def set_up_list_and_view(
        self, table: Any, filter_box: QWidget, hint_text: str, view: QWidget
    ) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut
        from PySide6.QtWidgets import QStackedWidget

        self.table, self.filter, self.view = table, filter_box, view
        self.inner = QStackedWidget()
        self.outer.addWidget(self.inner, 1)
        listing = QWidget()
        lay = QVBoxLayout(listing)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(filter_box)
        lay.addWidget(table, 1)
        lay.addWidget(hint(hint_text))
        self.inner.addWidget(listing)
        self.inner.addWidget(view)
        view.back.connect(self.show_list)  # type: ignore[attr-defined]
        table.row_activated.connect(lambda row: self.open_row(row.id))
        QShortcut(QKeySequence("Alt+Left"), self).activated.connect(self.show_list)
        esc = QShortcut(QKeySequence("Escape"), view)  # only while in the row's page
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.show_list)
        self.setTabOrder(filter_box, table)

    def open_in_view(self, row_id: int) -> None:
        raise NotImplementedError

    def view_id(self) -> int | None:
        raise NotImplementedError

    def in_view(self) -> bool:
        return self.inner.currentWidget() is self.view

    def confirm_leave(self) -> bool:
        """False keeps the row's page open (the user chose to go on editing)."""
        confirm = getattr(self.view, "confirm_leave", None)
        return confirm() if confirm is not None else True

    def open_row(self, row_id: int) -> None:
        if not self.confirm_leave():
            return
        self.inner.setCurrentWidget(self.view)
        self.open_in_view(row_id)

    def show_list(self) -> None:
        if not self.confirm_leave():
            return
        self.inner.setCurrentIndex(0)
        shown = self.view_id()
        if shown is not None:
            self.table.select_id(shown)
        self.filter.setFocus()

    def focus_main(self) -> None:
        if self.in_view():
            self.view.tabs.tabBar().setFocus()  # type: ignore[attr-defined]
        else:
            self.filter.setFocus()

    def show_rows(self, rows: list[Any]) -> None:
        """New rows for the list, keeping the selected row selected; the page has loaded."""
        current = self.table.current_row()
        self.table.source().set_rows(rows)
        if current is not None:
            self.table.select_id(current.id)
        self.finish_loading()

    def export_table(self) -> Any:
        return self.table if self.inner.currentIndex() == 0 else None


class RowView(QWidget):
    """One row's page (a pupil, a member of staff): Back, the row's name and a summary line,
    then tabs that each show part of the row's detail (loaded in the worker by ``load``).

    Subclasses set ``KIND`` and ``load`` (``load(store, row_id, today) -> detail`` with a
    ``row`` having ``id`` and ``name``), add their tabs with ``add_tab`` and give
    ``summary(detail)``.
    """

    back = Signal()
    loaded = Signal()
    KIND = ""  # "pupil", "staff"
    load: Any = None

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QPushButton, QTabWidget

        super().__init__(parent)
        self.ctx = ctx
        self.row_id: int | None = None
        self.detail: Any = None
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.top = QHBoxLayout()
        self.back_button = QPushButton("← &Back to the list")
        self.back_button.setAccessibleName(f"Back to the {self.KIND} list")
        self.back_button.clicked.connect(self.back.emit)
        from ..widgets.elided import ElidedLabel

        # A name as long as the rules allow ends in "…" (whole in its tooltip), never
        # widening the window past a 1024-pixel screen.
        self.name = ElidedLabel(min_width=360)
        self.name.setObjectName("sectionTitle")
        self.name.setAccessibleName(self.KIND.capitalize())
        self.summary_label = ElidedLabel()
        self.summary_label.setObjectName("hint")
        self.top.addWidget(self.back_button)
        self.top.addWidget(self.name)
        self.top.addWidget(self.summary_label, 1)
        self.lay.addLayout(self.top)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(f"{self.KIND.capitalize()} tabs")
        self.tabs.currentChanged.connect(lambda _i: self._keyboard_here())
        self.lay.addWidget(self.tabs, 1)
        self._tabs: list[Any] = []

    def _keyboard_here(self) -> None:
        """A tab chosen by its Alt key (Alt+T) while the keyboard was in the sidebar: the
        keyboard comes to the tabs, so Escape then goes back to the list as it does
        anywhere else on this page."""
        from PySide6.QtWidgets import QApplication

        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or not self.isAncestorOf(focus)):
            self.tabs.tabBar().setFocus()

    def add_tab(self, tab: Any, title: str) -> Any:
        self.tabs.addTab(tab, title)
        self._tabs.append(tab)
        return tab

    def show_row(self, row_id: int) -> None:
        if row_id != self.row_id:
            self.tabs.setCurrentIndex(0)
            self.name.setText("Loading…")
            self.summary_label.clear()
            # Until the row's detail arrives its tabs would show the previous row's (another
            # pupil's outcomes under this one's name) or none: hidden, as the name says.
            self.tabs.setVisible(False)
        self.row_id = row_id
        self.reload()

    def reload(self) -> None:
        if self.row_id is not None:
            self.ctx.query(type(self).load, self.row_id, self.ctx.today, on_done=self._loaded)

    def summary(self, detail: Any) -> list[str]:
        return []

    def _loaded(self, d: Any) -> None:
        if d.row.id != self.row_id:
            return  # an older request, for a row no longer shown
        self.detail = d
        self.name.setText(d.row.name)
        self.summary_label.setText(" · ".join(self.summary(d)))
        for tab in self._tabs:
            tab.show_detail(d)
        self.tabs.setVisible(True)
        self.loaded.emit()

    def confirm_leave(self) -> bool:
        """False keeps the page open (unsaved edits the user wants to keep)."""
        return True
