"""The database is opened only once the dashboard has been painted from the glance (#17): the
open's imports, run beside the paint, held the GUI thread back several times over."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject

from sencodesk.demo import make_demo

TODAY = dt.date(2026, 3, 1)


class PaintWatch(QObject):
    """Notes the first paint of the timeline once it has its lanes."""

    def __init__(self, timeline: Any, events: list[str]) -> None:
        super().__init__()
        self.timeline, self.events = timeline, events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.Paint
            and self.timeline.lanes
            and "painted" not in self.events
        ):
            self.events.append("painted")
        return False


def test_the_database_opens_once_the_glance_is_painted(
    qtbot: Any, store: Any, db_path: Any, monkeypatch: Any
) -> None:
    import ui.app
    import ui.main_window
    from ui.app import start_glance
    from ui.main_window import MainWindow

    make_demo(store, pupils=420, seed=1, today=TODAY)
    store.close()
    events: list[str] = []
    opener = ui.main_window.open_store_for_gui

    def open_store(*args: Any) -> Any:
        events.append("open")
        return opener(*args)

    monkeypatch.setattr(ui.main_window, "open_store_for_gui", open_store)
    monkeypatch.setattr(ui.app, "GLANCE_PAINT_WAIT", 60.0, raising=False)  # however slow
    win = MainWindow()
    qtbot.addWidget(win)
    win.ctx.today = TODAY
    win.show()
    page = win.current_page()
    watch = PaintWatch(page.timeline, events)
    page.timeline.installEventFilter(watch)
    # A slow GUI thread between the glance's data and its paint (a busy school PC): the
    # worker, idle meanwhile, must still wait for the paint before it opens the database.
    page.loaded.connect(lambda: time.sleep(0.3))
    start_glance(win, str(db_path))
    win.open_database(db_path)  # queued behind the glance, as the app does at start
    qtbot.waitUntil(lambda: win.worker.has_store, timeout=20000)
    assert page.painted_from_glance
    assert events[:2] == ["painted", "open"]  # before: the open began as the glance returned
    qtbot.waitUntil(lambda: not win.worker.busy, timeout=20000)
    win.close()
