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


def test_window_size_and_position_are_remembered(qtbot, window):
    window.resize(760, 540)  # inside the offscreen screen (800x600)
    window.save_settings()
    again = MainWindow()
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 540)
    again.worker.shutdown()


def test_a_first_start_fits_the_screen_up_to_1280_by_800(qtbot):
    from ui.screen import FRAME_H, FRAME_W, available, fitted

    win = MainWindow()
    qtbot.addWidget(win)
    _x, _y, aw, ah = available(win)  # the offscreen screen: 800x600
    assert (win.width(), win.height()) == (min(1280, aw - FRAME_W), min(800, ah - FRAME_H))
    win.worker.shutdown()
    # A laptop's 1366x768 less a 40-pixel task bar, a projector's 1024x768, a desktop.
    assert fitted(1280, 800, 1366, 728) == (1280, 688)
    assert fitted(1280, 800, 1024, 728) == (1008, 688)
    assert fitted(1280, 800, 1920, 1040) == (1280, 800)


def test_new_pupil_and_new_staff_from_the_keyboard(qtbot, window):
    from tests.ui.helpers import find_dialog
    from ui.dialogs.pupil_editors import PupilEditor
    from ui.dialogs.staff_editors import StaffEditor

    for key, cls in ((Qt.Key.Key_P, PupilEditor), (Qt.Key.Key_S, StaffEditor)):
        qtbot.keyClick(
            window, key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        ed = find_dialog(cls)
        qtbot.keyClick(ed, Qt.Key.Key_Escape)
        assert not ed.isVisible()
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.current_key == "records"


def test_the_app_has_its_own_icon(qapp):
    """The taskbar and title bar show SENCO Desk's icon (the same picture PyInstaller puts
    in the Windows executable), not Qt's default."""
    from PySide6.QtGui import QImage

    from ui.app import ICON, configure_app

    configure_app(qapp)
    icon = qapp.windowIcon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage()
    assert image.width() == 64
    centre = image.pixelColor(20, 50)  # the yellow folder, not the dark frame or the tick
    assert centre.red() > 200 and centre.blue() < 150
    assert QImage(str(ICON.with_suffix(".ico"))).width() > 0


def test_the_view_menu_shows_funding_and_contracts_with_its_ampersand(qtbot, window):
    from PySide6.QtGui import QAction

    action = next(a for a in window.findChildren(QAction) if "Funding" in a.text())
    assert action.text() == "Funding && contracts"  # Qt shows "&&" as one "&"
    assert action.iconText() == "Funding & contracts"
