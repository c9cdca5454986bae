"""Closing the main window: pages with unsaved edits are asked first, then the backup at
close (and rotation) runs in the database worker, then the worker's queue is finished, and
only then does the window close (the application quits with its last window).

The waits do not block the GUI thread: each runs a local event loop (as a modal dialog
does) until the worker's answer comes back, so the window keeps painting, timers fire and
the worker's results are delivered; user input is held back until the close is decided.
``win.close()`` therefore still returns with the backup made and the worker idle, as its
callers (and the tests) expect. A second close while one is under way is ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QTimer

from .dialogs import ask as dlg

if TYPE_CHECKING:
    from .safety import DataSafety
    from .shell import Shell
    from .worker import OnError

log = logging.getLogger(__name__)

CLOSE_BACKUP_WAIT_S = 120  # then the window closes without waiting for the backup
FINISH_QUEUE_WAIT_S = 30  # queued reads and writes, before the worker stops
_CLOSING = "sencodeskClosing"  # a dynamic property of the window while a close is under way


class _Waited:
    def __init__(self) -> None:
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None


def wait_for(
    queue: Callable[[Callable[[Any], None], OnError], object], timeout_s: float
) -> _Waited:
    """Queue a worker op with ``queue(on_done, on_error)`` and run a local event loop until
    it answers or ``timeout_s`` passes (then ``finished`` is False)."""
    out = _Waited()
    loop = QEventLoop()

    def _done(result: Any) -> None:
        out.finished, out.result = True, result
        loop.quit()

    def _failed(exc: BaseException, _tb: str) -> None:
        out.finished, out.error = True, exc
        loop.quit()

    queue(_done, _failed)
    if out.finished:
        return out
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_s * 1000))
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    timer.stop()
    return out


def close_window(win: Shell, safety: DataSafety) -> bool:
    """Whether the window may close now: unsaved edits settled, the backup at close made (or
    its failure accepted by the user) and the worker's queue finished."""
    if win.property(_CLOSING):
        return False  # a close is already under way (its wait is running)
    for page in win.pages.values():
        if not page.confirm_leave():
            return False
    win.setProperty(_CLOSING, True)
    routine_was_on = safety.timer.isActive()
    safety.timer.stop()  # no hourly routine queued behind the close
    try:
        if not _back_up(win, safety):
            if routine_was_on:
                safety.timer.start()
            return False
        _finish_queue(win)
        return True
    finally:
        win.setProperty(_CLOSING, False)


def _back_up(win: Shell, safety: DataSafety) -> bool:
    """Back up (and rotate) before the window closes; False to keep it open."""
    from . import safety_ops

    worker = win.worker
    if not worker.has_store or safety.read_only or safety.path is None:
        return True
    win.statusBar().showMessage("Backing up before closing…")
    changed, now = safety.changed, safety.now()
    waited = wait_for(
        lambda done, failed: worker.run_op(
            safety_ops.backup_at_close, changed, now, on_done=done, on_error=failed
        ),
        CLOSE_BACKUP_WAIT_S,
    )
    if not waited.finished:
        log.warning("The backup at close took too long; closing without waiting")
        return True
    if waited.error is None:
        safety.changed = False
        return True
    log.error("The backup at close failed: %r", waited.error)
    win.statusBar().clearMessage()
    return dlg.ask(
        win,
        "Back up when closing",
        f"The backup when closing failed: {waited.error}\n\nYour saved work is still in the "
        "database itself. Close anyway?",
    )


def _finish_queue(win: Shell) -> None:
    """Let the reads and writes already queued finish (the queue runs in order, so a no-op
    queued last answers after them), so that stopping the worker does not wait on them."""
    worker = win.worker
    if not worker.busy:
        return

    def _nothing(_store: object) -> None:
        return None

    waited = wait_for(
        lambda done, failed: worker.run_op(_nothing, on_done=done, on_error=failed),
        FINISH_QUEUE_WAIT_S,
    )
    if not waited.finished:
        log.warning("The database worker was still busy at close")
