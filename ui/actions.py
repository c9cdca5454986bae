"""What the menu items do (kept out of main_window.py so each stays small)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLineEdit

from .context import ALL
from .dialogs import ask as dlg
from .dialogs import files

if TYPE_CHECKING:
    from sencodesk.store import Store

if TYPE_CHECKING:
    from .shell import Shell

SENSITIVE = "OFFICIAL-SENSITIVE"


# --------------------------------------------------------------------------- backup, restore


def back_up_now(win: Shell) -> None:
    def _backup(store: Store) -> Any:
        from sencodesk.safety.backup import backup_now

        return backup_now(store, kind="manual")  # kept by rotation (28 days)

    def _done(result: Any) -> None:
        dlg.tell(
            win,
            "Back up now",
            f"Backed up to {result}.\n\nKeep a copy somewhere safe "
            "and encrypted: it holds sensitive information about children.",
        )

    win.ctx.status.emit("Backing up…")
    win.ctx.run(_backup, on_done=_done)


def restore(win: Shell) -> None:
    path = files.choose_open_file(
        win, "Restore from a backup", "SENCO Desk backup (*.db *.sdbak *.bak);;All files (*)"
    )
    if not path:
        return
    if not dlg.ask(
        win,
        "Restore",
        "Replace everything in this database with the backup "
        f"{Path(path).name}? A backup of the current database is taken first.",
    ):
        return

    from .worker import restore_and_reopen

    db = win.db_path
    if db is None:
        dlg.tell(win, "Restore", "Only an SQLite database file can be restored here.")
        return

    def failed(exc: BaseException, tb: str) -> None:
        win.ctx.error(exc, tb)
        win.safety.retry_open()  # the current database again, as it was

    def _done(_opened: Any) -> None:
        win.worker.changed.emit(frozenset({ALL}))
        dlg.tell(win, "Restore", "The backup has been restored.")

    win.worker.open(
        # an encrypted database's backups have the same passphrase (the worker has it)
        lambda key: restore_and_reopen(db, Path(path), key),
        close_first=True,
        on_done=_done,
        on_error=failed,
    )


# --------------------------------------------------------------------------- import, export


def import_mis(win: Shell) -> None:
    """File > Import from MIS…: a CTF or a list from SIMS, Arbor, Bromcom or ScholarPack."""
    from .dialogs.mis_import import MisImportDialog

    MisImportDialog(win.ctx, win).exec()


# --------------------------------------------------------------------------- export, print


def _current_table(win: Shell) -> Any:
    page = win.current_page()
    return getattr(page, "export_table", lambda: None)()


def export(win: Shell) -> None:
    """The current page's list, as shown (filtered and sorted), as CSV or XLSX (marked
    OFFICIAL-SENSITIVE); dates, money and hours stay real values in the workbook."""
    from .export import list_table, write_list

    table = _current_table(win)
    if table is None:
        dlg.tell(win, "Export", "This page has no list to export.")
        return
    if _nothing_shown(win, table, "Export", "export"):
        return
    title = win.current_page().TITLE
    stamp = win.ctx.today.isoformat()
    path = files.choose_save_file(
        win,
        "Export",
        "CSV file (*.csv);;Excel workbook (*.xlsx)",
        f"{title.replace(' & ', '-').replace(' ', '-')}-{stamp}.csv",
    )
    if not path:
        return
    target = Path(path)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        target = target.with_name(target.name + ".csv")
    rows = list_table(title, table.source())
    school = win.ctx.school_name
    win.ctx.run(
        lambda _store: write_list(rows, target, school),
        on_done=lambda _p: win.ctx.status.emit(f"Exported {_rows(len(rows.rows))} to {target}"),
    )


def _rows(n: int) -> str:
    from . import format as fmt  # not at import: the menus import this module at start-up

    return fmt.count(n, "row")


def _nothing_shown(win: Shell, table: Any, title: str, verb: str) -> bool:
    """Told, rather than asked for a file name, when the list shows no rows: a file with
    headings only is no use to anyone."""
    model = table.source()
    if model.rowCount():
        return False
    if model.total_rows:
        text = (
            f"No rows match the filter, so there is nothing to {verb}. Clear the filter "
            f"(Esc in the filter box) to {verb} the whole list."
        )
    else:
        text = f"The list is empty: there is nothing to {verb}."
    dlg.tell(win, title, text)
    return True


def print_page(win: Shell) -> None:
    """The current page's list as a PDF in the preview, to print, save or open."""
    from .reports import print_list

    table = _current_table(win)
    if table is None:
        dlg.tell(win, "Print", "This page has no list to print.")
        return
    if _nothing_shown(win, table, "Print", "print"):
        return
    print_list(win, win.current_page().TITLE, table.source())


# --------------------------------------------------------------------------- editing


def new_pupil(win: Shell) -> None:
    from .dialogs.pupil_editors import PupilEditor

    ed = PupilEditor(win.ctx)
    ed.saved.connect(win.open_pupil)
    ed.open()


def new_staff(win: Shell) -> None:
    from .dialogs.staff_editors import StaffEditor

    ed = StaffEditor(win.ctx)
    ed.saved.connect(win.open_staff)
    ed.open()


def new_record(win: Shell) -> None:
    page = win.show_page("records")
    page.focus_entry()  # type: ignore[attr-defined]


def focus_filter(win: Shell) -> None:
    page = win.current_page()
    box = page.findChild(QLineEdit, "filter")
    if box is not None:
        box.setFocus()
        box.selectAll()


def school_settings(win: Shell) -> None:
    from .dialogs.school_editor import SchoolEditor

    SchoolEditor(win.ctx).open()


# --------------------------------------------------------------------------- help


def user_guide(win: Shell) -> None:
    from .dialogs.help import UserGuide

    # One guide per window: F1 again brings it to the front where the reader left it (each
    # press opened another, behind which the keys went on moving the page's rows).
    guide = win.findChild(UserGuide) or UserGuide(win)
    guide.show()
    guide.activateWindow()  # to the front, with the keyboard


def about(win: Shell) -> None:
    from .dialogs.help import AboutDialog

    AboutDialog(win.ctx, win).show()
