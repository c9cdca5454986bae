"""Python's cyclic garbage collector, run by the GUI thread only.

Python collects reference cycles in whichever thread happens to allocate when a generation's
threshold is passed. With the database worker allocating heavily (SQLAlchemy), that is often
the worker. If such a collection frees a Qt widget that was left in a cycle (a closed
dialog, a lambda holding its page), the widget's C++ destructor runs in the worker thread.
Meanwhile the GUI thread is using the same widget tree, and the process crashes: a segfault
in "Garbage-collecting", seen in the GUI tests.

So, as Qt applications with Python threads do, automatic collection is switched off while a
database worker runs. The GUI thread collects, on a timer, when the generation counts pass the
same thresholds Python would use. Reference counting frees everything that is not in a cycle
at once, in any thread, as before. When the last worker has stopped, automatic collection is
back on.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

INTERVAL_MS = 100  # often: each collection then has little to look at
# The first tick comes this long after the first worker starts: everything the start makes
# (the window, the first page's data) is alive, not garbage, and the young collections that
# walked it were 24 ms of the GUI thread before the first page had its data at a trust (#17).
START_GRACE_MS = 2000
FULL_EVERY_S = 10.0


class GuiCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.workers: list[Any] = []  # the DbWorkers running (each has ``busy``)
        self.last_full = time.monotonic()
        self.frozen = False
        self.started = False  # the first worker has started (its first tick is later)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)

    def acquire(self, worker: Any) -> None:
        """A worker thread starts: from now on the GUI thread collects."""
        self.workers.append(worker)
        if len(self.workers) == 1:
            gc.disable()
            self.timer.start(INTERVAL_MS if self.started else START_GRACE_MS)
            self.started = True

    def release(self, worker: Any) -> None:
        """A worker thread has stopped: with none left, Python collects by itself again."""
        if worker in self.workers:
            self.workers.remove(worker)
        if not self.workers:
            self.timer.stop()
            gc.enable()

    def check(self) -> int:
        """Collect what Python would have collected by now; returns the objects freed.

        Every tick with new objects collects the young generations (0 and 1), so survivors
        move on to the old one about as soon as Python would move them. A full collection
        (generation 2) walks every object the app holds, tens of ms with a big school
        loaded: it waits until no worker is busy (not in the middle of a batch of review
        packs), runs at most every FULL_EVERY_S seconds, and after the first one
        everything then alive (the imported modules and classes, most of the heap) is
        frozen out of later ones (``gc.freeze``). Frozen objects are still freed by
        reference counting; only a cycle among them would stay."""
        self.timer.setInterval(INTERVAL_MS)  # after the start's grace
        count0, _count1, count2 = gc.get_count()
        if count0 <= self.threshold[0]:
            return 0
        now = time.monotonic()
        idle = not any(w.busy for w in self.workers)
        if count2 > self.threshold[2] and idle and now - self.last_full >= FULL_EVERY_S:
            self.last_full = now
            freed = gc.collect(2)
            if not self.frozen:
                gc.freeze()
                self.frozen = True
            return freed
        return gc.collect(1)


def install() -> GuiCollector | None:
    """The application's collector, made on first use, from the GUI thread (``DbWorker``
    acquires it as it starts its thread and releases it when the thread has stopped). None
    without a QCoreApplication, or off the GUI thread: then nothing changes."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None
    # Kept on the application object (findChild costs 11 ms of start-up on first use).
    collector = getattr(app, "_sencodesk_collector", None)
    if collector is None:
        collector = GuiCollector(app)
        app._sencodesk_collector = collector  # type: ignore[attr-defined]
    return collector
