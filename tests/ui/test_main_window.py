"""The main window: title, navigation, shortcuts, settings, first run."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from ui.main_window import PAGES, MainWindow


def test_title_names_the_school(window):
    assert window.windowTitle() == "SENCO Desk — Oakfield Primary"


def test_sidebar_and_shortcuts_switch_pages(qtbot, window):
    for n, (key, *_rest) in enumerate(PAGES, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.ControlModifier)
        assert window.current_key == key
        assert window.sidebar.currentRow() == n - 1


def test_last_page_is_remembered(qtbot, window, db_path):
    window.show_page("staff")
    window.save_settings()
    assert int(QSettings().value("main/page")) == 2
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.current_key == "staff"
    again.worker.shutdown()


def test_menus_have_the_file_actions(window):
    names = {a.objectName() for a in window.findChildren(type(window.menuBar().actions()[0]))}
    for name in (
        "new_db",
        "open_db",
        "backup",
        "restore",
        "export",
        "print",
        "quit",
        "guide",
        "about",
    ):
        assert name in names
