"""Passphrases: asking for one for a new database, encrypting an open one (SQLCipher), and
changing it; then offering to delete the copies still readable without it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..dialogs import ask as dlg
from ..format import count
from .state import SafetyState

if TYPE_CHECKING:
    from .. import safety_ops


class Passphrases(SafetyState):
    def new_database(self, path: str) -> None:
        """Ask whether to protect a new database with a passphrase, then create it."""
        from ..dialogs import passphrase as pp

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
        from .. import safety_ops
        from ..dialogs import passphrase as pp

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
        from .. import safety_ops
        from ..dialogs import passphrase as pp

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
                        f"\n\n{_these_older_backups(len(out.old_copies))} still "
                        f"open{'s' if len(out.old_copies) == 1 else ''} with the "
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
        from ..dialogs import passphrase as pp

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
        from .. import safety_ops
        from ..dialogs import passphrase as pp

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
            f"{_these_older_backups(len(copies))} {'is' if len(copies) == 1 else 'are'} NOT "
            f"encrypted and anyone can read {'it' if len(copies) == 1 else 'them'}:\n\n"
            f"{names}{more}\n\nDelete {'it' if len(copies) == 1 else 'them'} now? (The new "
            "encrypted backup replaces "
            f"{'it' if len(copies) == 1 else 'them'}.)",
        ):
            self.win.ctx.run(
                safety_ops.delete_plain_copies,
                copies,
                on_done=lambda n: self.win.ctx.status.emit(
                    f"Deleted {count(n, 'unencrypted copy', 'unencrypted copies')}"
                ),
            )


def _these_older_backups(n: int) -> str:
    """'This older backup' for one, 'These 3 older backups' for more."""
    return "This older backup" if n == 1 else f"These {n:,} older backups"
