"""Buttons that change data, fitted to who is signed in: a role that may not write a table
is not offered the buttons that would (hidden, not failing). The database is what refuses
(``sencodesk.server.ddl``); ``SignedIn.may_write`` reads the same rules, so a button is
offered exactly when the database would take the save.

A page marks each such button with the table it writes (``mark``); the window fits every
page when it is built and again whenever someone signs in (``fit``); a tab showing one
table is marked with it (``reads``) and hidden from a role that may not read it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtWidgets import QAbstractButton, QTabWidget, QWidget

WRITES = "writes"  # the dynamic property naming the table a button writes
READS = "reads"  # the dynamic property naming the table a tab shows (hidden if unreadable)
_HIDDEN = "hidden_by_role"
W = TypeVar("W", bound=QWidget)


def mark(button: QAbstractButton, table: str) -> QAbstractButton:
    button.setProperty(WRITES, table)
    return button


def fit(root: QWidget, me: Any) -> None:
    """Fit a page to who is signed in: its write buttons and its tabs."""
    fit_writes(root, me)
    fit_reads(root, me)


def reads(tab: W, table: str) -> W:
    tab.setProperty(READS, table)
    return tab


def fit_reads(root: QWidget, me: Any) -> None:
    """Hide the tabs showing a table the signed-in role may not read (a file: all shown)."""
    for tabs in root.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tab = tabs.widget(i)
            table = tab.property(READS) if tab is not None else None
            if table:
                tabs.setTabVisible(i, me is None or bool(me.may_read(table)))


def may_write(win: Any, table: str) -> bool:
    """Whether the signed-in login may add to or change ``table`` (a file: always)."""
    me = getattr(win, "signed_in", None)
    return me is None or bool(me.may_write(table))


def fit_writes(root: QWidget, me: Any) -> None:
    for b in root.findChildren(QAbstractButton):
        table = b.property(WRITES)
        if not table:
            continue
        if me is not None and not me.may_write(table):
            b.setProperty(_HIDDEN, True)
            b.hide()
        elif b.property(_HIDDEN):
            b.setProperty(_HIDDEN, False)
            b.show()
