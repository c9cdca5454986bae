"""The read-only banner: a strip across the top of the window saying why nothing can be
changed (another copy has the database open for changes), with Try again."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

if TYPE_CHECKING:
    from ..worker import Opened


class Banner(QFrame):
    """A strip across the top of the window: "Read only", why, and Try again."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("readOnlyBanner")
        self.setAccessibleName("Read only")
        self.setStyleSheet(
            "QFrame#readOnlyBanner { background: #fdecc8; border-bottom: 2px solid #b26b00; }"
            "QFrame#readOnlyBanner QLabel { color: #1b1f24; }"
        )
        lay = QHBoxLayout(self)
        lay.setContentsMargins(14, 8, 14, 8)
        title = QLabel("<b>Read only</b>")
        title.setStyleSheet("font-size: 11pt;")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Read-only reason")
        self.retry = QPushButton("&Try again")
        self.retry.setAccessibleName("Try again to open for changes")
        lay.addWidget(title)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.retry)
        self.hide()


def read_only_text(store: Opened) -> str:
    from .. import format as fmt

    info = store.locked_by
    if info is None:
        who = "Another copy of SENCO Desk has this database open for changes"
    else:
        since = info.since.strftime("%H:%M")
        if info.since.date() != dt.date.today():
            since += " on " + fmt.date(info.since.date())
        who = f"{info.user} on {info.host} has had this database open for changes since {since}"
    return (
        f"{who}, so here you can look but not change anything. Close SENCO Desk there, "
        "then press Try again."
    )
