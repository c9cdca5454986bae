"""Help: the user guide (F1), About with the versions, the self-test, and the window title
as the window system shows it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication

from sencodesk.schema import head_revision
from ui.dialogs.help import GUIDE_INDEX, AboutDialog, UserGuide

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def shown(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_about_shows_the_versions_and_the_open_databases_revision(qtbot, window):
    box = AboutDialog(window.ctx, window)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitUntil(lambda: f"open database): {head_revision()}" in box.text(), timeout=10000)
    text = box.text()
    assert f"SENCO Desk {VERSION}" in text
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}." in text
    assert f"Qt {qVersion()}" in text and "PySide6 " in text
    assert "SQLite 3." in text
    assert "SQLCipher" in text
    assert f"Database schema (this version of the app): {head_revision()}" in text


def test_about_without_a_database_says_so(qtbot):
    box = AboutDialog(None)
    qtbot.addWidget(box)
    assert "open database): no database open" in box.text()


def test_help_about_opens_the_about_box(qtbot, window):
    window.findChild(type(window.menuBar().actions()[0]), "about").trigger()
    qtbot.waitUntil(lambda: bool(shown(AboutDialog)), timeout=5000)
    for box in shown(AboutDialog):
        box.close()


def test_f1_opens_the_user_guide_with_its_tasks(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(shown(UserGuide)), timeout=5000)
    guide = shown(UserGuide)[0]
    assert guide.has_guide()
    text = guide.browser.toPlainText()
    for task in ("Set up your school", "Back up", "Restore", "Move to a new computer"):
        assert task in text, task
    guide.close()


def test_f1_again_brings_the_same_guide_back_where_it_was(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(shown(UserGuide)), timeout=5000)
    guide = shown(UserGuide)[0]
    guide.pages.setCurrentRow(2)
    page = guide.browser.source()
    guide.hide()  # behind the window, or closed
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(shown(UserGuide)), timeout=5000)
    assert shown(UserGuide) == [guide]
    assert window.findChildren(UserGuide) == [guide]
    assert guide.browser.source() == page
    guide.close()


def test_the_guide_follows_its_links_and_goes_back(qtbot):
    guide = UserGuide()
    qtbot.addWidget(guide)
    first = guide.browser.toPlainText()
    target = GUIDE_INDEX.parent / "troubleshooting.md"
    guide.browser.setSource(target.as_uri())
    assert guide.browser.toPlainText() != first
    assert "Troubleshooting" in guide.browser.toPlainText()
    guide.browser.backward()
    assert guide.browser.toPlainText() == first


def test_every_page_of_the_guide_fits_without_scrolling_sideways(qtbot):
    """The page list shows every title whole, and no page is wider than the viewer (a
    picture inside a numbered step used to be, by its indent)."""
    guide = UserGuide()
    qtbot.addWidget(guide)
    guide.show()
    qtbot.waitExposed(guide)
    list_ = guide.pages
    assert list_.count() == len(guide.files) >= 5
    for row in range(list_.count()):
        assert list_.visualItemRect(list_.item(row)).right() <= list_.viewport().width()
    for row in range(list_.count()):
        list_.setCurrentRow(row)
        QApplication.processEvents()
        bar = guide.browser.horizontalScrollBar()
        assert bar.maximum() == 0, (list_.item(row).text(), bar.maximum())


def test_the_guide_shows_every_picture_it_names(qtbot, tmp_path):
    guide = UserGuide()
    qtbot.addWidget(guide)
    assert guide.missing_pictures() == []
    # ...and says which one when a picture is missing (as from a bundle without it)
    shutil.copytree(GUIDE_INDEX.parent, tmp_path / "guide")
    shots = tmp_path / "screenshots"
    shutil.copytree(GUIDE_INDEX.parent.parent / "screenshots", shots, dirs_exist_ok=True)
    (shots / "08-cover.png").unlink()
    broken = UserGuide(index=tmp_path / "guide" / "index.md")
    qtbot.addWidget(broken)
    assert broken.missing_pictures() == ["reviews.md: ../screenshots/08-cover.png"]


def test_a_missing_guide_is_said_in_words(qtbot, tmp_path):
    guide = UserGuide(index=tmp_path / "index.md")
    qtbot.addWidget(guide)
    assert not guide.has_guide()
    assert "missing from this installation" in guide.browser.toPlainText()


def test_self_test_opens_every_page_and_passes(qtbot, store, db_path):
    from sencodesk.demo import make_demo
    from ui.selftest import run_self_test

    make_demo(store, pupils=30, seed=2)
    lines: list[str] = []
    assert run_self_test(str(db_path), out=lines.append) == 0, "\n".join(lines)
    for step in (
        "import every module of the app",
        "page dashboard",
        "page cover",
        "pupils: tab Outcomes",
        "staff: tab Contracts",
        "Help > About",
    ):
        assert f"ok   {step}" in lines, step


def test_self_test_fails_on_an_exception_in_a_page(qtbot, store, db_path, monkeypatch):
    from sencodesk.demo import make_demo
    from ui.pages.cover import CoverPage
    from ui.selftest import run_self_test

    make_demo(store, pupils=30, seed=2)

    def broken(self):
        raise RuntimeError("the cover page is broken")

    monkeypatch.setattr(CoverPage, "refresh", broken)
    lines: list[str] = []
    assert run_self_test(str(db_path), out=lines.append) == 1
    assert any(line.startswith("FAIL page cover") for line in lines)
    failures = [line for line in lines if line.startswith("FAIL")]
    assert all("the cover page is broken" in line for line in failures), failures
    assert lines[-1] == f"self-test: {len(failures)} failure(s)"


def test_self_test_fails_on_a_module_that_is_missing(qtbot, store, db_path, monkeypatch, tmp_path):
    from sencodesk.demo import make_demo
    from ui.selftest import MODULES_ENV, run_self_test

    make_demo(store, pupils=30, seed=2)
    listed = tmp_path / "modules.txt"
    listed.write_text("sencodesk.cli\nui.pages.no_such_page\n", encoding="utf-8")
    monkeypatch.setenv(MODULES_ENV, str(listed))
    lines: list[str] = []
    assert run_self_test(str(db_path), out=lines.append) == 1
    assert any("import ui.pages.no_such_page" in line for line in lines)


XVFB = shutil.which("Xvfb")
XDOTOOL = shutil.which("xdotool")
TITLE_PROBE = """
import subprocess, sys
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
from ui.app import configure_app
from ui.main_window import MainWindow
app = QApplication([])
configure_app(app)
win = MainWindow()
win._school_loaded("Meadowcroft Primary Academy", False)
win.show()
for _ in range(50):
    app.processEvents()
name = subprocess.run(["xdotool", "getwindowname", str(int(win.winId()))],
                      capture_output=True, text=True).stdout.strip()
print(name)
win.worker.shutdown()
"""


@pytest.mark.skipif(
    not (sys.platform.startswith("linux") and XVFB and XDOTOOL), reason="needs Xvfb and xdotool"
)
def test_the_x11_title_names_the_app_once(tmp_path):
    """On X11 (and Windows) Qt appends the application display name to each window title:
    the title the window system shows must not say "SENCO Desk" twice."""
    from main import display_problem

    # -displayfd: the server picks a free display and writes its number once it is ready.
    server = subprocess.Popen(
        [XVFB, "-displayfd", "1", "-screen", "0", "1024x768x24"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        display = ":" + server.stdout.readline().strip()
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update(
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            HOME=str(tmp_path),
            XDG_CONFIG_HOME=str(tmp_path),
            XDG_DATA_HOME=str(tmp_path),
        )
        problem = display_problem(env)
        if problem:
            pytest.skip(problem)
        probe = TITLE_PROBE.format(root=str(ROOT))
        done = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "SENCO Desk — Meadowcroft Primary Academy"
    finally:
        server.terminate()
        server.wait(10)


def test_the_guides_screenshots_fit_the_page(qtbot):
    """The screenshots are 1280 px wide: scaled to fit, the guide never scrolls sideways."""
    guide = UserGuide()
    qtbot.addWidget(guide)
    guide.show()
    guide.browser.setSource((GUIDE_INDEX.parent / "reviews.md").as_uri())
    qtbot.waitUntil(lambda: "dashboard" in guide.browser.toPlainText())
    assert guide.browser.document().size().width() <= guide.browser.viewport().width() + 1
    assert guide.browser.horizontalScrollBar().maximum() == 0


def test_the_guides_pages_are_listed_for_the_keyboard(qtbot):
    """Arrows in the list of pages open each page; a link followed selects its page there."""
    guide = UserGuide()
    qtbot.addWidget(guide)
    guide.show()
    titles = [guide.pages.item(i).text() for i in range(guide.pages.count())]
    assert titles[0] == "SENCO Desk user guide" and "Troubleshooting" in titles
    guide.pages.setFocus()
    qtbot.keyClick(guide.pages, Qt.Key.Key_Down)
    assert "Set up your school" in guide.browser.toPlainText()
    guide.browser.setSource((GUIDE_INDEX.parent / "data.md").as_uri())
    assert guide.pages.currentItem().text() == "Keeping the data safe"
    qtbot.keyClick(guide.pages, Qt.Key.Key_Down)
    assert guide.browser.source().fileName() == "troubleshooting.md"
