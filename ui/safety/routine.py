"""The daily backup and the weekly full check, run at open and hourly while a database is
open for changes: quiet unless something is wrong."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from ..dialogs import ask as dlg
from .state import SafetyState

if TYPE_CHECKING:
    from .. import safety_ops

log = logging.getLogger(__name__)

ROUTINE_EVERY_MS = 60 * 60 * 1000  # the daily backup and weekly check look again hourly
FIRST_ROUTINE_MS = 1500  # after opening


class Routine(SafetyState):
    _warned = False  # a failed automatic backup is told once per session
    _told_wal = False  # a deleted -wal is told once per session

    def run_routine(self) -> None:
        """The daily backup and the weekly full check, quietly unless something is wrong."""
        from .. import safety_ops

        if not self.win.worker.has_store or self.read_only:
            return
        with contextlib.suppress(RuntimeError):  # the worker has shut down (closing)
            self.win.ctx.run(
                safety_ops.routine,
                self.now(),
                on_done=self._routine_done,
                on_error=self._backup_failed,
            )

    def _routine_done(self, r: safety_ops.Routine) -> None:
        if r.backup is not None:
            self.changed = False
            self.win.ctx.status.emit(f"Backed up to {r.backup}")
        if r.wal_lost and not self._told_wal:
            self._told_wal = True
            dlg.tell(
                self.win,
                "Database files deleted",
                f"The file {self.path.name if self.path else ''}-wal beside the database was "
                "deleted while SENCO Desk had it open. The changes it held have been copied "
                "into the database. Never delete the -wal or -shm files while the app is "
                "open: make a backup instead (File > Back up now).",
                warning=True,
            )
        if r.problems:
            shown = "\n".join(f"• {p}" for p in r.problems[:6])
            more = f"\n…and {len(r.problems) - 6} more." if len(r.problems) > 6 else ""
            where = (
                f"The newest backup that checks out is {r.good_backup.name}: restore it with "
                "File > Restore… (anything entered after it is lost)."
                if r.good_backup is not None
                else "No backup that checks out was found."
            )
            dlg.tell(
                self.win,
                "Database check",
                f"The weekly check of the database found problems:\n\n{shown}{more}\n\n"
                f"{where} Until then, avoid making changes, and ask your IT support for help.",
                warning=True,
            )

    def _backup_failed(self, exc: BaseException, tb: str) -> None:
        log.error("The automatic backup failed:\n%s", tb)
        if self._warned:
            return
        self._warned = True
        dlg.tell(
            self.win,
            "Automatic backup",
            f"The automatic backup failed: {exc}\n\nYour saved work is still in the "
            "database. Free some disk space or check the backups folder, then use "
            "File > Back up now.",
            warning=True,
        )
