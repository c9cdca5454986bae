"""Data safety in the main window, one concern a module:

- ``banner``: the read-only banner (another copy has the database open for changes);
- ``opening``: when a database opens, or will not (a network share, a damaged file);
- ``routine``: the daily backup and the weekly full check, hourly while open;
- ``passphrases``: a new database's passphrase, encrypting, changing the passphrase;
- ``records``: History, the retention review, subject access;
- the backup at close is ``ui/closing.py`` (it waits without blocking the GUI thread).

``DataSafety`` hangs off the main window (``win.safety``) and holds what they share
(``state.SafetyState``); its database work goes through the one worker (``ui/safety_ops.py``).
Dialogs are reached through ``ui.dialogs.ask``, ``ui.dialogs.passphrase.ask_new_passphrase``
and ``records.choose_folder`` so tests can answer them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .banner import Banner, read_only_text
from .opening import Opening
from .passphrases import Passphrases
from .records import ROW_TABLES, Records, choose_folder
from .routine import FIRST_ROUTINE_MS, ROUTINE_EVERY_MS, Routine

if TYPE_CHECKING:
    from ..shell import Shell

__all__ = ["ROW_TABLES", "Banner", "DataSafety", "choose_folder", "read_only_text"]


class DataSafety(Opening, Routine, Passphrases, Records):
    def __init__(self, win: Shell) -> None:
        super().__init__(win)
        self.win = win
        self.now = dt.datetime.now  # tests give their own clock
        self.path = None
        self.read_only = False
        self.encrypted = False
        self.changed = False  # written to since the last backup
        self.first_routine_ms = FIRST_ROUTINE_MS
        self.banner = Banner()
        self.banner.retry.clicked.connect(self.retry_open)
        old = win.takeCentralWidget()
        assert old is not None, "the main window has its page stack"
        wrap = QWidget()
        lay = QVBoxLayout(wrap)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.banner)
        lay.addWidget(old, 1)
        win.setCentralWidget(wrap)
        self.timer = QTimer(self)
        self.timer.setInterval(ROUTINE_EVERY_MS)
        self.timer.timeout.connect(self.run_routine)
        win.worker.changed.connect(self._on_changed)

    def _on_changed(self, _kinds: frozenset[str]) -> None:
        self.changed = True
