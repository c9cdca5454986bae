"""GUI test fixtures: QSettings in a temporary folder, dialogs recorded instead of shown,
and a main window on a real database file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ui.app import configure_app

# The offscreen platform plugin (used for tests) says this whenever a top-level window is
# shown: it is about the plugin, not about the app, so it is the one Qt warning let through.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _settings(tmp_path: Path, qapp: QApplication) -> None:
    configure_app(qapp)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    QSettings().clear()


class Dialogs:
    """What the app would have shown the user, and the answers the test gives."""

    def __init__(self) -> None:
        self.told: list[tuple[str, str]] = []
        self.asked: list[str] = []
        self.bugs: list[BaseException] = []
        self.answer = True
        self.save_answer = "discard"

    def tell(self, _parent: Any, title: str, text: str, **_kw: Any) -> None:
        self.told.append((title, text))

    def ask(self, _parent: Any, _title: str, text: str, **_kw: Any) -> bool:
        self.asked.append(text)
        return self.answer

    def ask_save(self, _parent: Any, what: str) -> str:
        self.asked.append(f"unsaved {what}")
        return self.save_answer

    def report_bug(self, _parent: Any, exc: BaseException, tb: str) -> None:
        self.bugs.append(exc)


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    from ui.dialogs import ask

    d = Dialogs()
    monkeypatch.setattr(ask, "tell", d.tell)
    monkeypatch.setattr(ask, "ask", d.ask)
    monkeypatch.setattr(ask, "ask_save", d.ask_save)
    monkeypatch.setattr(ask, "report_bug", d.report_bug)
    return d


@pytest.fixture
def worker(qtbot: Any) -> Iterator[Any]:
    from ui.worker import DbWorker

    w = DbWorker()
    yield w
    w.shutdown()


def set_up_school(store: Any, name: str = "Oakfield Primary") -> None:
    from sencodesk import commands

    with store.session() as s:
        la = commands.save_local_authority(s, {"name": "Kent"})
        commands.save_school(s, {"name": name, "la_id": la})


@pytest.fixture
def window(qtbot: Any, store: Any, db_path: Path) -> Iterator[Any]:
    """The main window on a real database file with a school set up, its first page loaded."""
    from ui.main_window import MainWindow

    set_up_school(store)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_database(db_path)
    qtbot.waitUntil(lambda: bool(win.ctx.school_name) and not win.worker.busy, timeout=10000)
    yield win
    win.close()
