"""What the data-safety concerns share: the window, the open database (its path, whether it
is read-only or encrypted), whether it was written to since the last backup, and the clock.
``DataSafety`` (``ui/safety/__init__.py``) sets these; each concern's mixin reads them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from ..shell import Shell
    from .banner import Banner


class SafetyState(QObject):
    win: Shell
    now: Callable[[], dt.datetime]  # tests give their own clock
    path: Path | None
    read_only: bool
    encrypted: bool
    changed: bool  # written to since the last backup
    first_routine_ms: int
    banner: Banner
    timer: QTimer  # the hourly routine

    def run_routine(self) -> None:
        """The daily backup and weekly check (``routine.Routine``): opening starts it."""
        raise NotImplementedError
