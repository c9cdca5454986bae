"""A long job in the worker, with a progress bar and a Cancel button."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..context import Context
from ..worker import Cancelled, JobState


def run_with_progress(
    ctx: Context,
    parent: QWidget | None,
    title: str,
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_failed: Callable[[], None] | None = None,
    changes: Iterable[str] = (),
    query: bool = False,
) -> tuple[QProgressDialog, JobState]:
    """Run ``fn(store, state, *args)`` (a whole-store job) or, with ``query``,
    ``fn(session, state, *args)`` in a read session the worker opens."""
    box = QProgressDialog(title, "Cancel", 0, 100, parent)
    box.setWindowTitle(title)
    box.setAccessibleName(title)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setMinimumDuration(0)
    box.setAutoClose(False)
    box.setAutoReset(False)
    box.setValue(0)

    def progress(done: int, total: int, text: str) -> None:
        box.setMaximum(max(total, 1))
        box.setValue(min(done, max(total, 1)))
        if text:
            box.setLabelText(text)

    def finished(result: Any) -> None:
        ctx.worker.progress.disconnect(progress)
        box.reset()
        box.close()
        if on_done is not None:
            on_done(result)

    def failed(exc: BaseException, tb: str) -> None:
        ctx.worker.progress.disconnect(progress)
        box.reset()
        box.close()
        if not isinstance(exc, Cancelled):
            ctx.error(exc, tb)
        if on_failed is not None:
            on_failed()

    ctx.worker.progress.connect(progress)
    if query:
        state = ctx.worker.query_job(fn, *args, on_done=finished, on_error=failed)
    else:
        state = ctx.worker.run_job(fn, *args, on_done=finished, on_error=failed, changes=changes)
    box.canceled.connect(state.cancel)
    box.canceled.connect(lambda: box.setLabelText("Cancelling…"))
    box.show()
    return box, state
