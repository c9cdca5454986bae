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

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

INTERVAL_MS = 500


class GuiCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.workers = 0
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)

    def acquire(self) -> None:
        """A worker thread starts: from now on the GUI thread collects."""
        self.workers += 1
        if self.workers == 1:
            gc.disable()
            self.timer.start()

    def release(self) -> None:
        """A worker thread has stopped: with none left, Python collects by itself again."""
        self.workers = max(0, self.workers - 1)
        if self.workers == 0:
            self.timer.stop()
            gc.enable()

    def check(self) -> int:
        """Collect what Python would have collected by now; returns the objects freed."""
        count0, count1, count2 = gc.get_count()
        freed = 0
        if count0 > self.threshold[0]:
            generation = 0
            if count1 > self.threshold[1]:
                generation = 2 if count2 > self.threshold[2] else 1
            freed = gc.collect(generation)
        return freed


def install() -> GuiCollector | None:
    """The application's collector, made on first use, from the GUI thread (``DbWorker``
    acquires it as it starts its thread and releases it when the thread has stopped). None
    without a QCoreApplication, or off the GUI thread: then nothing changes."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None
    existing = app.findChild(GuiCollector)
    return existing if existing is not None else GuiCollector(app)
