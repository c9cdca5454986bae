"""Changes made in other apps on the same server, seen live (PostgreSQL LISTEN/NOTIFY).

A thread of its own holds one listening connection (``sencodesk.server.live.Listener``; the
database worker's connections stay free for the pages' reads). What arrives is gathered for
``DEBOUNCE_MS`` (a save touches several tables; a burst of saves refreshes once) and then
announced on the worker's ``changed`` signal, exactly as the app's own writes are: the pages
watching those kinds reload. A dropped connection is retried every few seconds.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

if TYPE_CHECKING:
    from .worker import Opened

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300
POLL_S = 0.5  # how soon the thread notices it should stop
RETRY_S = 5.0


class _ListenThread(QThread):
    arrived = Signal(object)  # frozenset[str] of change kinds

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.stopping = False
        self.busy = False  # for the GUI collector (never mid-batch)

    def run(self) -> None:
        from sencodesk.server.live import Listener

        listener: Any = None
        while not self.stopping:
            try:
                if listener is None:
                    listener = Listener(self.url)
                kinds = listener.wait(POLL_S)
            except Exception as exc:  # noqa: BLE001 - a dropped server: try again later
                log.info("Live changes: %s; retrying", exc)
                if listener is not None:
                    with contextlib.suppress(Exception):
                        listener.close()
                listener = None
                self.msleep(int(RETRY_S * 1000))
                continue
            if kinds:
                self.arrived.emit(frozenset(kinds))
        if listener is not None:
            listener.close()


class LiveChanges(QObject):
    """Listens while a server database is open; ``changed`` (debounced) names the kinds."""

    changed = Signal(object)

    def __init__(self, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pending: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._flush)
        self.listener = _ListenThread(url)
        self.listener.arrived.connect(self._arrived)
        from .collector import install

        self._collector = install()  # the GUI thread collects cycles while this one runs
        if self._collector is not None:
            self._collector.acquire(self.listener)
        self.listener.start()

    def _arrived(self, kinds: frozenset[str]) -> None:
        self.pending |= kinds
        if not self.timer.isActive():
            self.timer.start()

    def _flush(self) -> None:
        kinds, self.pending = frozenset(self.pending), set()
        if kinds:
            self.changed.emit(kinds)

    def stop(self) -> None:
        self.timer.stop()
        self.listener.stopping = True
        self.listener.wait(int((POLL_S + RETRY_S) * 1000) + 1000)
        if self._collector is not None:
            self._collector.release(self.listener)
            self._collector = None


def follow(window: Any, store: Opened) -> None:
    """Start following a server database's changes in ``window`` (stop any before)."""
    unfollow(window)
    if store.is_sqlite:
        return  # one writer at a time: nothing else changes an SQLite file meanwhile
    live = LiveChanges(store.url, window)
    live.changed.connect(window.worker.changed.emit)
    window.live = live


def unfollow(window: Any) -> None:
    live = getattr(window, "live", None)
    if live is not None:
        live.stop()
        window.live = None
