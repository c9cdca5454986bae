"""The main window's menus: File, Edit, View, Help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

if TYPE_CHECKING:
    from .shell import Shell


def _sign_in(win: Shell) -> None:
    from .signin import sign_in  # its dialog's classes only when it is asked for

    sign_in(win)


def _team(win: Shell) -> None:
    from .dialogs.team import show_team

    show_team(win.ctx)


def build_menus(win: Shell) -> None:
    from . import actions
    from .pages import PAGES

    bar = win.menuBar()
    file = bar.addMenu("&File")
    win.add_action(file, "&New database…", win.new_database, name="new_db")
    win.add_action(
        file, "&Open database…", win.choose_database, QKeySequence.StandardKey.Open, name="open_db"
    )
    win.add_action(file, "Sign &in to a server…", lambda: _sign_in(win), name="sign_in")
    # Only for a SENCO signed in to a server (``signin.apply_role`` shows it).
    win.add_action(file, "Users of this s&chool…", lambda: _team(win), name="team").setVisible(
        False
    )
    file.addSeparator()
    win.add_action(file, "&Back up now", lambda: actions.back_up_now(win), "Ctrl+B", name="backup")
    win.add_action(file, "&Restore…", lambda: actions.restore(win), name="restore")
    win.add_action(file, "Encr&ypt database…", win.safety.encrypt_database, name="encrypt_db")
    win.add_action(
        file, "C&hange passphrase…", win.safety.change_passphrase, name="change_passphrase"
    )
    file.addSeparator()
    win.add_action(file, "&Import from MIS…", lambda: actions.import_mis(win), name="import_mis")
    win.add_action(file, "&Export…", lambda: actions.export(win), "Ctrl+E", name="export")
    win.add_action(
        file,
        "&Print…",
        lambda: actions.print_page(win),
        QKeySequence.StandardKey.Print,
        name="print",
    )
    file.addSeparator()
    win.add_action(file, "Records past re&tention…", win.safety.show_retention, name="retention")
    win.add_action(
        file, "S&ubject access request…", win.safety.subject_access, name="subject_access"
    )
    file.addSeparator()
    win.add_action(file, "&Quit", win.close, QKeySequence.StandardKey.Quit, name="quit")

    edit = bar.addMenu("&Edit")
    win.add_action(
        edit, "New &pupil…", lambda: actions.new_pupil(win), "Ctrl+Shift+P", name="new_pupil"
    )
    win.add_action(
        edit,
        "New member of &staff…",
        lambda: actions.new_staff(win),
        "Ctrl+Shift+S",
        name="new_staff",
    )
    win.add_action(
        edit, "New &record…", lambda: actions.new_record(win), "Ctrl+Shift+R", name="new_record"
    )
    edit.addSeparator()
    win.add_action(
        edit,
        "&Find…",
        lambda: actions.focus_filter(win),
        QKeySequence.StandardKey.Find,
        name="find",
    )
    win.add_action(edit, "&History…", win.safety.show_history, "Ctrl+H", name="history")
    win.add_action(edit, "School &settings…", lambda: actions.school_settings(win), name="settings")

    view = bar.addMenu("&View")
    for n, (key, title, _module, _name) in enumerate(PAGES, start=1):
        win.add_action(
            view,
            title.replace("&", "&&"),  # "Funding & contracts", not "Funding _contracts"
            lambda _=False, k=key: win.show_page(k).focus_main(),
            f"Ctrl+{n}",
            name=f"page_{key}",
        )
    view.addSeparator()
    win.add_action(
        view, "&Refresh", win.refresh_current, QKeySequence.StandardKey.Refresh, name="refresh"
    )

    # No Alt+letter: every letter of "Reports" is taken by a page's button or tab (the
    # menu bar is reached with F10 or Alt, then the arrow keys).
    from .reports import add_report_actions

    win.reports_menu = bar.addMenu("Reports")
    add_report_actions(win, win.reports_menu)

    help_ = bar.addMenu("&Help")
    win.add_action(
        help_,
        "&User guide",
        lambda: actions.user_guide(win),
        QKeySequence.StandardKey.HelpContents,
        name="guide",
    )
    win.add_action(help_, "&About SENCO Desk", lambda: actions.about(win), name="about")
