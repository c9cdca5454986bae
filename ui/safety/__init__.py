"""Data safety in the main window: the read-only banner, the daily backup and the weekly full
check, the backup at close, what to do when a database cannot be opened (network share,
damage), encryption, History, retention review and subject access.

``DataSafety`` hangs off the main window (``win.safety``); its database work goes through the
one worker (``safety_ops``). Dialogs are reached through ``ui.dialogs.ask``,
``ui.dialogs.passphrase.ask_new_passphrase`` and ``choose_folder`` so tests can answer them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .dialogs import ask as dlg

if TYPE_CHECKING:
    from sencodesk.store import Store

    from .worker import Opened

if TYPE_CHECKING:  # the rest is imported when first needed: not at start-up
    from sencodesk.safety.errors import DatabaseDamaged

    from . import safety_ops
    from .shell import Shell

log = logging.getLogger(__name__)

ROUTINE_EVERY_MS = 60 * 60 * 1000  # the daily backup and weekly check look again hourly
FIRST_ROUTINE_MS = 1500  # after opening
CLOSE_BACKUP_WAIT_S = 120

# The row types of the lists, and the audited table each one is a row of (for History).
ROW_TABLES = {
    "PupilRow": "pupil",
    "PupilDetail": "pupil",
    "StaffRow": "staff",
    "StaffDetail": "staff",
    "FundingRow": "funding",
    "ContractRow": "contract",
    "AssignmentRow": "assignment",
    "OutcomeRow": "outcome",
    "RecordRow": "record",
    "ReviewRow": "review_meeting",
    "QualificationRow": "qualification",
    "TrainingRow": "training",
    "DbsRow": "dbs_check",
}


def choose_folder(parent: QWidget | None, title: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title)


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
    from . import format as fmt

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


class DataSafety(QObject):
    def __init__(self, win: Shell) -> None:
        super().__init__(win)
        self.win = win
        self.now = dt.datetime.now  # tests give their own clock
        self.path: Path | None = None
        self.read_only = False
        self.encrypted = False
        self.changed = False  # written to since the last backup
        self.first_routine_ms = FIRST_ROUTINE_MS
        self._warned = False  # a failed automatic backup is told once per session
        self._told_wal = False  # a deleted -wal is told once per session
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

    # ------------------------------------------------------------------ opening

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
        from . import format as fmt
        from . import safety_ops

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

    # ------------------------------------------------------------------ routine

    def run_routine(self) -> None:
        """The daily backup and the weekly full check, quietly unless something is wrong."""
        from . import safety_ops

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

    # ------------------------------------------------------------------ closing

    def before_close(self) -> bool:
        """Back up (and rotate) before the window closes; False to keep it open."""
        from . import safety_ops

        worker = self.win.worker
        if not worker.has_store or self.read_only or self.path is None:
            return True
        done = threading.Event()
        outcome: dict[str, Any] = {}

        def _backup(store: Store, changed: bool, now: dt.datetime) -> None:
            try:
                outcome["made"] = safety_ops.backup_at_close(store, changed, now)
            except BaseException as exc:  # noqa: BLE001 - told below, on the GUI thread
                outcome["error"] = exc
            finally:
                done.set()

        self.win.statusBar().showMessage("Backing up before closing…")
        self.win.statusBar().repaint()
        try:
            worker.run_op(_backup, self.changed, self.now(), on_error=lambda *_a: None)
        except RuntimeError:
            return True
        if not done.wait(CLOSE_BACKUP_WAIT_S):
            log.warning("The backup at close took too long; closing without waiting")
            return True
        error = outcome.get("error")
        if error is None:
            self.changed = False
            return True
        log.error("The backup at close failed: %r", error)
        self.win.statusBar().clearMessage()
        return dlg.ask(
            self.win,
            "Back up when closing",
            f"The backup when closing failed: {error}\n\nYour saved work is still in the "
            "database itself. Close anyway?",
        )

    # ------------------------------------------------------------------ new, encrypt

    def new_database(self, path: str) -> None:
        """Ask whether to protect a new database with a passphrase, then create it."""
        from .dialogs import passphrase as pp

        phrase = pp.ask_new_passphrase(
            self.win,
            "New database",
            f"The new database will be {path}.\n\nIt will hold special-category information "
            "about children: protect the file with a passphrase, so that a copy of it (or "
            "a lost laptop) shows nothing without it. You will type it each time you open "
            "the database.",
            optional=True,
            ok_text="&Create",
        )
        if phrase is None:
            return
        self.win.open_database(path, passphrase=phrase or None)

    def encrypt_database(self) -> None:
        from . import safety_ops
        from .dialogs import passphrase as pp

        why = self._cannot_encrypt()
        if why:
            dlg.tell(self.win, "Encrypt database", why)
            return
        assert self.path is not None
        path = self.path
        phrase = pp.ask_new_passphrase(
            self.win,
            "Encrypt database",
            f"Encrypt {path} with a passphrase (SQLCipher). From now on the passphrase is "
            "asked each time the database is opened, and new backups are encrypted with it.",
        )
        if not phrase:
            return
        out = safety_ops.Encrypted()

        def _encrypt(_key: str | None) -> None:
            safety_ops.encrypt_file(path, phrase, out)

        def _done(_r: Any) -> None:
            self.win.open_database(path, first_run_check=False, passphrase=phrase)
            self._tell_encrypted(out)

        def _failed(exc: BaseException, tb: str) -> None:
            self.win.ctx.error(exc, tb)
            self.win.open_database(path, first_run_check=False)  # as it was, unencrypted

        self.win.statusBar().showMessage("Encrypting the database…")
        self.win.worker.open(_encrypt, close_first=True, on_done=_done, on_error=_failed)

    def change_passphrase(self) -> None:
        """The current passphrase (checked while the database stays open), then a new one;
        the file is re-encrypted, checked, reopened and backed up under the new one."""
        from . import safety_ops
        from .dialogs import passphrase as pp

        why = self._cannot_change_passphrase()
        if why:
            dlg.tell(self.win, "Change passphrase", why)
            return
        assert self.path is not None
        path = self.path
        old = dlg.ask_text(
            self.win, "Change passphrase", "The database's current passphrase:", password=True
        )
        if not old:
            return

        def _checked(ok: bool) -> None:
            if not ok:
                dlg.tell(
                    self.win,
                    "Change passphrase",
                    "That is not the database's current passphrase. Nothing was changed.",
                    warning=True,
                )
                return
            new = pp.ask_new_passphrase(
                self.win,
                "Change passphrase",
                "The new passphrase. From now on it is asked when the database is opened, and "
                "new backups are encrypted with it; backups made before keep the old one.",
                ok_text="&Change",
            )
            if not new:
                return
            out = safety_ops.Encrypted()

            def _rekey(_key: str | None) -> None:
                safety_ops.rekey_file(path, old, new, out)

            def _done(_r: Any) -> None:
                self.win.open_database(path, first_run_check=False, passphrase=new)
                made = f" A first backup under it is in {out.backup}." if out.backup else ""
                olds = "\n".join(f"• {p}" for p in out.old_copies[:10])
                dlg.tell(
                    self.win,
                    "Change passphrase",
                    f"The passphrase is changed.{made}\n\n{pp.LOST_WARNING}"
                    + (
                        f"\n\nThese {len(out.old_copies)} older backups still open with the "
                        f"OLD passphrase:\n\n{olds}"
                        if out.old_copies
                        else ""
                    ),
                )

            def _failed(exc: BaseException, tb: str) -> None:
                self.win.ctx.error(exc, tb)
                self.win.open_database(path, first_run_check=False, passphrase=old)  # as it was

            self.win.statusBar().showMessage("Changing the passphrase…")
            self.win.worker.open(_rekey, close_first=True, on_done=_done, on_error=_failed)

        self.win.ctx.run(safety_ops.passphrase_opens, path, old, on_done=_checked)

    def _cannot_change_passphrase(self) -> str:
        if not self.win.worker.has_store:
            return "Open a database first."
        if self.path is None or not self.encrypted:
            return "This database has no passphrase. To give it one, use File > Encrypt database…"
        if self.read_only:
            return (
                "The database is open read-only; its passphrase can only be changed by the "
                "copy of SENCO Desk that has it open for changes."
            )
        return ""

    def _cannot_encrypt(self) -> str:
        from .dialogs import passphrase as pp

        if not self.win.worker.has_store:
            return "Open a database first."
        if self.path is None:
            return (
                "A PostgreSQL database is protected on its server (disk encryption and "
                "encrypted connections, set up by IT), not by SENCO Desk."
            )
        if self.read_only:
            return (
                "The database is open read-only; it can only be encrypted by the copy of "
                "SENCO Desk that has it open for changes."
            )
        if self.encrypted:
            return (
                "This database is already encrypted. To change its passphrase, use "
                "File > Change passphrase…"
            )
        if not pp.encryption_available():
            return "Encryption needs the sqlcipher3 package, which is not installed here."
        return ""

    def _tell_encrypted(self, out: safety_ops.Encrypted) -> None:
        from . import safety_ops
        from .dialogs import passphrase as pp

        made = f" A first encrypted backup is in {out.backup}." if out.backup else ""
        dlg.tell(
            self.win,
            "Encrypt database",
            f"The database is now encrypted.{made}\n\n{pp.LOST_WARNING}\n\nParts of the "
            "old, unencrypted file may remain in the disk's free space: keep full-disk "
            "encryption (BitLocker) switched on for this computer.",
        )
        copies = list(out.old_copies)
        if not copies:
            return
        names = "\n".join(f"• {p}" for p in copies[:10])
        more = f"\n…and {len(copies) - 10} more" if len(copies) > 10 else ""
        if dlg.ask(
            self.win,
            "Unencrypted copies",
            f"These {len(copies)} older backups are NOT encrypted and anyone can read "
            f"them:\n\n{names}{more}\n\nDelete them now? (The new encrypted backup "
            "replaces them.)",
        ):
            self.win.ctx.run(
                safety_ops.delete_plain_copies,
                copies,
                on_done=lambda n: self.win.ctx.status.emit(f"Deleted {n} unencrypted copies"),
            )

    # ------------------------------------------------------------------ history

    def history_target(self) -> tuple[str, int, str] | None:
        """What History is about: the row selected in the table that has the focus, else
        the pupil or member of staff whose page is open."""
        from .widgets.table import Table

        focus = QApplication.focusWidget()
        if isinstance(focus, Table) and self.win.isAncestorOf(focus):
            found = _row_target(focus.current_row())
            if found is not None:
                return found
        page = self.win.current_page()
        view = getattr(page, "view", None)
        inner = getattr(page, "inner", None)
        if view is None or inner is None or inner.currentWidget() is not view:
            return None
        tab = view.tabs.currentWidget() if hasattr(view, "tabs") else None
        table = getattr(tab, "table", None)
        if isinstance(table, Table):
            found = _row_target(table.current_row())
            if found is not None:
                return found
        return _row_target(getattr(view, "detail", None))

    def show_history(self) -> Any:
        if not self.win.worker.has_store:
            dlg.tell(self.win, "History", "Open a database first.")
            return None
        target = self.history_target()
        if target is None:
            dlg.tell(
                self.win,
                "History",
                "Open a pupil or a member of staff (or select a row in a list) to see its history.",
            )
            return None
        from .dialogs.history import show_history

        table, row_id, what = target
        return show_history(self.win.ctx, table, row_id, what, self.win)

    # ------------------------------------------------------------------ retention, SAR

    def show_retention(self) -> Any:
        if not self.win.worker.has_store:
            dlg.tell(self.win, "Records past retention", "Open a database first.")
            return None
        from .dialogs.retention import show_retention

        return show_retention(self.win.ctx, self.win)

    def open_pupil_id(self) -> int | None:
        """The pupil whose page is open, if any."""
        if "pupils" not in self.win.pages or self.win.current_key != "pupils":
            return None
        page = self.win.pages["pupils"]
        view = getattr(page, "view", None)
        if view is None or page.inner.currentWidget() is not view:  # type: ignore[attr-defined]
            return None
        return getattr(view, "pupil_id", None)

    def subject_access(self) -> None:
        from . import safety_ops

        pupil_id = self.open_pupil_id()
        if pupil_id is None:
            dlg.tell(
                self.win,
                "Subject access request",
                "Open the pupil's page first (Pupils, then the pupil), then choose "
                "File > Subject access request….",
            )
            return
        folder = choose_folder(self.win, "Folder for the subject access files")
        if not folder:
            return

        def _done(files: Any) -> None:
            dlg.tell(
                self.win,
                "Subject access request",
                f"Wrote everything held about the pupil into {folder}:\n\n"
                f"• {Path(files.json).name}\n• {Path(files.pdf).name} ({files.pages} pages)\n\n"
                "These files are OFFICIAL-SENSITIVE (special-category data about a child): "
                "check them for other people's information, send them securely, and delete "
                "your copies once the request is answered (within one month).",
            )

        self.win.ctx.status.emit("Writing the subject access files…")
        self.win.ctx.run(
            safety_ops.subject_access, pupil_id, Path(folder), self.win.ctx.today, on_done=_done
        )


def _row_target(row: Any) -> tuple[str, int, str] | None:
    if row is None:
        return None
    inner = getattr(row, "row", None)  # a detail (PupilDetail, StaffDetail) wraps its row
    if inner is not None and type(inner).__name__ in ROW_TABLES:
        row = inner
    table = ROW_TABLES.get(type(row).__name__)
    row_id = getattr(row, "id", None)
    if table is None or not isinstance(row_id, int):
        return None
    what = getattr(row, "name", "") or getattr(row, "pupil_name", "") or ""
    if table not in ("pupil", "staff"):
        who = getattr(row, "pupil_name", "") or getattr(row, "staff_name", "")
        what = who or what
    return table, row_id, str(what)
