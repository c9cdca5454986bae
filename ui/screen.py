"""Sizes that fit the screen: a school laptop is often 1366x768 (1024x768 on a projector),
and a window or dialog taller than the screen hides its status bar or its Save button."""

from __future__ import annotations

from typing import Any

# What the window manager adds around a window (title bar, borders): the size asked for is
# the inside of the window.
FRAME_W = 16
FRAME_H = 40


def available(_widget: Any = None) -> tuple[int, int, int, int]:
    """The screen's area free of task bars (x, y, width, height), for ``widget``'s screen."""
    from PySide6.QtGui import QGuiApplication

    # The primary screen, where a window first opens. (Asking the dialog for its screen() in
    # its showEvent crashed the GUI tests: a segfault in the next window's constructor.)
    g = QGuiApplication.primaryScreen().availableGeometry()
    return g.x(), g.y(), g.width(), g.height()


def fitted(want_w: int, want_h: int, avail_w: int, avail_h: int) -> tuple[int, int]:
    """The size ``want_w`` x ``want_h``, made smaller where the screen is (frame included)."""
    return min(want_w, avail_w - FRAME_W), min(want_h, avail_h - FRAME_H)


def fit_to_screen(widget: Any, want_w: int, want_h: int, centre: bool = False) -> None:
    """Resize ``widget`` to the size it wants, or the screen's free area when that is less."""
    x, y, aw, ah = available(widget)
    w, h = fitted(want_w, want_h, aw, ah)
    widget.resize(w, h)
    if centre:
        widget.move(x + max(0, (aw - w - FRAME_W) // 2), y + max(0, (ah - h - FRAME_H) // 2))
