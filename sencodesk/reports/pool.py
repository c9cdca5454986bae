"""Review packs drawn in worker processes, while the batch loads the next ones (#17).

A batch of review packs was drawn on one core while the other idled: loading a pack's data
needs the database (the batch's thread), drawing it (reportlab) needs only its content (the
``Document`` the batch builds once). A ``PackPool`` draws each pack's PDF in a worker process, a few at a time, and hands back the
finished files in the order they were given, so the batch's list of files (and the merged
file) is the same as when one process drew them all.

    with PackPool(on_written) as pool:
        for ...:
            pool.draw(doc, target)    # returns at once unless a few packs are waiting
        if not pool.wait(cancel):     # every pack drawn, or the user cancelled
            ...

Workers are started with "spawn" (never "fork": the app has threads, and Qt), one per CPU;
with one CPU, packs are drawn in this process as before. Cancelling lets the packs already
given finish (at most one per worker, each written whole) and starts no other. A pack that
fails to draw raises its error here, as when it was drawn in process.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ..errors import KnownError
from .document import Document

WAITING = 1  # packs given per worker before ``draw`` waits for the oldest (a cancel waits
# for at most one pack per worker)
POLL = 0.05  # seconds between looks at the cancel button while waiting


def worker_count() -> int:
    """Worker processes for a batch: one per CPU (0: draw in this process)."""
    n = os.cpu_count() or 1
    return n if n > 1 else 0


def _draw(doc: Document, target: str) -> None:
    from .render import render

    render(doc, Path(target))


def _warm() -> None:
    """Import the drawing code in a new worker while the first pack loads."""
    from . import document_pdf  # noqa: F401


class PackPool:
    """Draws review packs in worker processes; ``on_written(target)`` for each finished pack,
    in the order the packs were given."""

    def __init__(
        self,
        on_written: Callable[[Path], object],
        *,
        cancel: Callable[[], bool] | None = None,
        workers: int | None = None,
    ) -> None:
        self.on_written = on_written
        self.cancel = cancel
        self.workers = worker_count() if workers is None else workers
        self._pending: deque[tuple[cf.Future[None], Path]] = deque()
        self._executor: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> PackPool:
        if self.workers:
            self._executor = cf.ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
            for _ in range(self.workers):
                self._executor.submit(_warm)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            if exc is None:
                self.stop()
            else:  # the batch stopped on an error: no file beyond the last one reported
                self._discard()
            # No pack is left to draw: a worker still starting up ends on its own.
            self._executor.shutdown(wait=exc is None, cancel_futures=True)
            self._executor = None

    def draw(self, doc: Document, target: Path) -> None:
        """Draw one pack (in a worker, or here without one). Returns without drawing it if
        ``cancel()`` says so while it waits for a worker: the caller asks ``cancel`` next."""
        if self._executor is None:
            _draw(doc, str(target))
            self.on_written(target)
            return
        while len(self._pending) >= self.workers * WAITING:
            if self.cancel is not None and self.cancel():
                return
            try:
                self._pending[0][0].result(timeout=POLL)
            except cf.TimeoutError:
                continue
            except BaseException:  # raised by _finish_oldest, in order
                pass
            self._finish_oldest()
        self._pending.append(
            (self._executor.submit(_draw, doc, str(target)), target)
        )
        while self._pending and self._pending[0][0].done():
            self._finish_oldest()

    def wait(self, cancel: Callable[[], bool] | None = None) -> bool:
        """Wait for every pack given; False if ``cancel()`` said so first (then the packs
        being drawn are finished, and reported, and no other is started)."""
        while self._pending:
            if cancel is not None and cancel():
                self.stop()
                return False
            future, _ = self._pending[0]
            try:
                future.result(timeout=POLL)
            except cf.TimeoutError:
                continue
            self._finish_oldest()
        return True

    def stop(self) -> None:
        """Start no other pack; finish (and report, in order) the packs already given: at
        most one per worker, so as when one process drew them, every pack given before a
        cancel is written whole."""
        while self._pending:
            self._finish_oldest()

    def _discard(self) -> None:
        """Start no other pack; let those being drawn end, and remove what they wrote."""
        for future, _ in self._pending:
            future.cancel()
        for future, target in self._pending:
            if not future.cancelled() and future.exception() is None:
                target.unlink(missing_ok=True)
        self._pending.clear()

    def _finish_oldest(self) -> None:
        future, target = self._pending[0]
        try:
            future.result()
        except cf.process.BrokenProcessPool:
            self._pending.popleft()
            raise KnownError(
                "Cannot draw the review packs: a drawing process stopped unexpectedly "
                "(out of memory?). The packs already written are complete."
            ) from None
        except BaseException:
            self._pending.popleft()
            raise
        self._pending.popleft()
        self.on_written(target)
