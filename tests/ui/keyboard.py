"""Walking a window as a keyboard and screen-reader user would: which widgets take input,
what a screen reader calls them, where Tab goes, and which Alt+letter mnemonics clash."""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QTabBar,
)


def _internal(w: QWidget) -> bool:
    """Parts of a composite Qt widget (a spin box's line edit, a tab bar's scroll buttons)."""
    parent = w.parentWidget()
    return (
        isinstance(w, QHeaderView)
        or isinstance(parent, QAbstractSpinBox | QComboBox | QTabBar | QLineEdit)
        or w.objectName().startswith("qt_")
        or type(w).__name__ in ("QCalendarView", "QListView", "QCalendarWidget")
    )


def interactive_widgets(root: QWidget) -> list[QWidget]:
    """The visible, enabled widgets of ``root`` a user can type into, press or pick from."""
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        takes_focus = w.focusPolicy() & Qt.FocusPolicy.TabFocus
        if not (isinstance(w, INTERACTIVE) or takes_focus):
            continue
        if _internal(w) or not w.isVisibleTo(root.window()) or not w.isEnabled():
            continue
        if w.window() is not root.window() or w is root.window():
            continue
        if not takes_focus and not isinstance(w, QTabBar):
            continue  # e.g. a read-only label-like view that never takes focus
        out.append(w)
    return out


def spoken_name(w: QWidget) -> str:
    """What a screen reader announces for the widget (Qt takes it from setAccessibleName,
    a button's or tab's text, or a buddy label)."""
    iface = QAccessible.queryAccessibleInterface(w)
    name = iface.text(QAccessible.Text.Name) if iface is not None else ""
    return (name or "").replace("&", "").strip()


def buddies(root: QWidget) -> dict[QWidget, str]:
    """Widget -> the text of the label that is its buddy."""
    window = root.window()
    return {
        lab.buddy(): lab.text().replace("&", "")
        for lab in window.findChildren(QLabel)
        if lab.buddy() is not None and lab.text().strip()
    }


def name_of(w: QWidget, buddy_texts: dict[QWidget, str]) -> str:
    """The widget's own accessible name, else its buddy label's text, else (for buttons and
    tabs, whose words are their name) what a screen reader reads."""
    if w.accessibleName().strip():
        return w.accessibleName()
    if w in buddy_texts:
        return buddy_texts[w]
    if isinstance(w, QAbstractButton | QTabBar):
        return spoken_name(w)
    return ""


def describe(w: QWidget) -> str:
    parent = w.parentWidget()
    return (
        f"{type(w).__name__} {w.objectName()!r} "
        f"(text {getattr(w, 'text', lambda: '')()!r}) in {type(parent).__name__}"
    )


def unnamed(root: QWidget) -> list[str]:
    """Interactive widgets with neither an accessible name nor a buddy label, or that a
    screen reader would announce with no name at all."""
    texts = buddies(root)
    return [
        describe(w)
        for w in interactive_widgets(root)
        if not name_of(w, texts) or not spoken_name(w)
    ]


def unnamed_stops(seen: list[QWidget]) -> list[str]:
    """Widgets Tab stops at that a screen reader would announce with no name (whatever
    their kind: custom widgets, views, buttons)."""
    return [describe(w) for w in seen if not spoken_name(w)]


def tab_walk(root: QWidget, limit: int = 400) -> list[QWidget]:
    """Press Tab from the window's focus widget until focus comes back round; returns the
    widgets focus visited, in order."""
    win = root.window()
    win.activateWindow()
    for _ in range(100):
        QApplication.processEvents()
        if QApplication.activeWindow() is win:
            break
        QTest.qWait(10)
    assert QApplication.activeWindow() is win, f"{win.windowTitle()} is not the active window"
    start = QApplication.focusWidget()
    if start is None or start.window() is not win:
        first = next(iter(interactive_widgets(root)), None)
        assert first is not None, "nothing to focus"
        first.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        start = QApplication.focusWidget()
    seen: list[QWidget] = []
    for _ in range(limit):
        w = QApplication.focusWidget()
        if w is None or w.window() is not win:
            break
        if w in seen:
            if w is seen[0]:
                break
        else:
            seen.append(w)
        QTest.keyClick(w, Qt.Key.Key_Tab)
        QApplication.processEvents()
    return seen


def unreachable(root: QWidget, seen: list[QWidget] | None = None) -> list[str]:
    """Interactive widgets of ``root`` that Tab never reaches (``seen``: a walk already
    made)."""
    seen = tab_walk(root) if seen is None else seen
    missed = []
    for w in interactive_widgets(root):
        proxy = w.focusProxy() or w
        if isinstance(w, QTabBar):
            continue  # Ctrl+Tab and the Alt+letter on each tab reach tabs
        if proxy in seen or any(w.isAncestorOf(s) for s in seen):
            continue
        missed.append(describe(w))
    return missed


MNEMONIC = re.compile(r"&([^&\s])")


def mnemonics(root: QWidget, with_menus: bool = True) -> dict[str, list[str]]:
    """Alt+letter -> the visible things that claim it (buttons, buddy labels, tabs, group
    boxes and, for a main window, the menu bar)."""
    found: dict[str, list[str]] = defaultdict(list)

    def claim(text: str, what: str) -> None:
        m = MNEMONIC.search(text.replace("&&", ""))
        if m:
            found[m.group(1).lower()].append(f"{what} {text!r}")

    window = root.window()
    for w in [root, *root.findChildren(QWidget)]:
        if w.window() is not window or not w.isVisibleTo(window):
            continue
        if isinstance(w, QAbstractButton):
            claim(w.text(), type(w).__name__)
        elif isinstance(w, QLabel) and w.buddy() is not None and w.buddy().isVisibleTo(window):
            claim(w.text(), "label")
        elif isinstance(w, QGroupBox):
            claim(w.title(), "group")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i) and w.isTabEnabled(i):
                    claim(w.tabText(i), "tab")
        elif isinstance(w, QMenuBar) and with_menus:
            for a in w.actions():
                claim(a.text(), "menu")
    return found


def clashes(root: QWidget) -> dict[str, list[str]]:
    return {k: v for k, v in mnemonics(root).items() if len(v) > 1}
