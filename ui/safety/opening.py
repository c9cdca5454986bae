"""Data safety when a database opens: the read-only banner, unfinished copies told, and
what to do when a file cannot be opened (a network share refused, a damaged file: offer
the newest good backup)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from ..dialogs import ask as dlg
from .banner import read_only_text
from .state import SafetyState

if TYPE_CHECKING:
    from sencodesk.safety.errors import DatabaseDamaged

    from ..worker import Opened


class Opening(SafetyState):
    def store_opened(self, store: Opened) -> None:
        """Called by the main window once a database is open (before its pages load)."""
        self.path = store.path
        self.read_only = store.read_only
        self.encrypted = store.encrypted
        self.changed = False
        if self.read_only:
            self.banner.text.setText(read_only_text(store))
            self.banner.show()
            self.timer.stop()
        else:
            self.banner.hide()
            self.timer.start()
            # Soon, but after the first page has loaded: the routine queues behind its reads.
            QTimer.singleShot(self.first_routine_ms, self, self.run_routine)
        if self.encrypted:
            self.win.db_label.setText(self.win.db_label.text() + " (encrypted)")
        left = store.unfinished
        if left:
            shown = "\n".join(f"• {p}" for p in left[:8])
            dlg.tell(
                self.win,
                "Unfinished copies",
                "These files were left by a backup or restore that was interrupted (the "
                "computer stopped or the app was closed by force). They hold a copy of the "
                f"data but are not backups, and SENCO Desk could not delete them:\n\n{shown}"
                "\n\nDelete them yourself (they are not needed).",
                warning=True,
            )

    def retry_open(self) -> None:
        self.win.open_database(self.win.db, first_run_check=False, same_passphrase=True)

    def open_failed(
        self, exc: BaseException, db: Any, passphrase: str | None, first_run_check: bool
    ) -> bool:
        """Handle what data safety knows about; False leaves the error to the window."""
        from sencodesk.safety.errors import DatabaseDamaged, NetworkShareRefused

        if isinstance(exc, NetworkShareRefused):
            self._not_open()
            dlg.tell(
                self.win,
                "Database on a network share",
                f"{exc}\n\nSENCO Desk has not opened it. Copy the file to this computer's own "
                "disk and open the copy (File > Open database…), or ask IT to set up a "
                "PostgreSQL server for a database several people share.",
                warning=True,
            )
            return True
        if isinstance(exc, DatabaseDamaged):
            self._not_open()
            self._offer_restore(exc, db, passphrase, first_run_check)
            return True
        return False

    def _not_open(self) -> None:
        self.win.statusBar().clearMessage()
        self.win.db_label.setText("No database open")
        self.banner.hide()
        self.timer.stop()

    def _offer_restore(
        self, exc: DatabaseDamaged, db: Any, passphrase: str | None, first_run_check: bool
    ) -> None:
        from .. import format as fmt
        from .. import safety_ops

        first = exc.problems[0] if exc.problems else "it fails SQLite's check"
        head = (
            f"The database {exc.path} is damaged ({first}).\n\nSENCO Desk has not opened it "
            "and has not changed it."
        )
        if exc.backup is None:
            dlg.tell(
                self.win,
                "Database damaged",
                f"{head}\n\nNo backup that checks out was found in {exc.path.parent / 'backups'}"
                ". Do not copy anything over the file: ask your IT support for help, and "
                "keep the file as it is.",
                warning=True,
            )
            return
        from sencodesk.safety.backup import parse_backup_name

        info = parse_backup_name(exc.backup)
        when = f" taken on {fmt.date_time(info.taken_at)}" if info is not None else ""
        if not dlg.ask(
            self.win,
            "Database damaged",
            f"{head}\n\nThe newest backup that checks out is {exc.backup.name}{when}. "
            "Restore it now? Anything entered after that backup is lost; the damaged file "
            "is kept in the backups folder.",
            default_yes=True,
        ):
            return
        backup = exc.backup

        def _restored(_r: Any) -> None:
            self.win.open_database(db, first_run_check=first_run_check, passphrase=passphrase)
            self.win.ctx.status.emit(f"Restored from {backup.name}")

        self.win.statusBar().showMessage("Restoring the backup…")
        self.win.worker.run_op(
            safety_ops.restore_file,
            Path(exc.path),
            backup,
            passphrase,
            on_done=_restored,
            on_error=self.win.ctx.error,
        )
