"""Review packs made in worker processes (#17), handed back in the order they were given.

A batch of review packs was made on one core while the other idled. A ``PackPool`` runs each
pack's work (a plain function that writes one file) in a worker process, a few at a time,
and reports the finished files in the order they were given, so the batch's list of files
(and the merged file) is the same as when one process made them all.

    with PackPool(on_written) as pool:
        for ...:
            pool.run(make, *args, target=target, then=use)  # returns at once unless a
                                                           # few packs are waiting
        if not pool.wait(cancel):     # every pack made, or the user cancelled
            ...

``pool.draw(doc, target)`` draws a pack whose content (a ``Document``) is built already.
A batch reading an SQLite file gives the workers the whole pack to make instead (load, build,
draw: ``pack_worker``), each worker set up once by ``setup`` (``PackPool(setup=(fn, args))``,
run in each worker as it starts: the arguments go through the pipe the worker is started
with, never on a command line).

The merged file of a batch is written in a process of its own as the packs come back
(``MergedProcess``), so the window's process only hands out packs and passes their drawn
pages on: the merged file is made of the packs' pages as the workers drew them
(``pdf_pages``), not laid out again.

Workers are started with "spawn" (never "fork": the app has threads, and Qt), one per CPU;
with one CPU, packs are made in this process. Cancelling starts no other pack: those
given finish (each written whole, at most two a worker) and are reported. A pack that fails
raises its error here, as when it was made in process.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import queue
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..errors import KnownError
from .document import Document

if TYPE_CHECKING:
    from .pdf_pages import Drawn

AHEAD = 2  # packs given per worker before ``run`` waits for the oldest: one being made and
# one waiting, so a worker that finishes starts the next at once (a cancel waits for at most
# two packs a worker)
POLL = 0.05  # seconds between looks at the cancel button while waiting


def worker_count() -> int:
    """Worker processes for a batch: one per CPU (0: make the packs in this process)."""
    n = os.cpu_count() or 1
    return n if n > 1 else 0


class PackFailed(Exception):
    """A pack could not be made because of a bug (not a ``KnownError``): the message names
    the pack, and the worker's traceback follows it (``concurrent.futures`` sends it)."""


def pack_failed(name: str, exc: BaseException) -> Exception:
    """``exc`` as raised for the pack ``name`` (its file name: a UPN and a date, no pupil's
    name). A ``KnownError`` stays one, in words; anything else is a bug, and stays one. Both
    travel back from a worker whole (an error with its own arguments might not unpickle)."""
    if isinstance(exc, KnownError):
        return KnownError(f"The review pack {name} was not made: {exc}")
    return PackFailed(f"The review pack {name} was not made: {type(exc).__name__}: {exc}")


def draw_named(name: str, doc: Document, target: str, word: bool = False) -> Drawn:
    """Draw one pack's content as its PDF (and its Word copy beside it); an error names it.
    Returns the PDF's pages as drawn (what the merged file is made of)."""
    from .document_pdf import draw_pdf
    from .render import render

    pdf = Path(target)
    try:
        drawn = draw_pdf(doc, pdf)
        if word:
            try:
                render(doc, pdf.with_suffix(".docx"), "docx")
            except BaseException:  # the pack is whole or not there
                pdf.unlink(missing_ok=True)
                raise
    except Exception as exc:
        raise pack_failed(name, exc) from exc
    return drawn


BELOW_NORMAL = 5  # the workers' niceness (POSIX); on Windows their class is "below normal"


def _start(setup: Callable[..., object] | None, args: tuple[Any, ...]) -> None:
    """Run in each worker as it starts: it yields the CPU to the app's own process (its
    window, and the merged file drawn there), then ``setup(*args)``. Drawing in the
    background at the window's priority made the window up to 150 ms late on 2 cores."""
    with contextlib.suppress(OSError, AttributeError):
        if hasattr(os, "nice"):
            os.nice(BELOW_NORMAL)
        else:  # Windows
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), 0x00004000)
    if setup is not None:
        setup(*args)


def _warm() -> None:
    """Import the drawing code in a new worker while the first pack loads."""
    from . import document_pdf  # noqa: F401


Then = Callable[[Any], object]


class PackPool:
    """Makes review packs in worker processes; ``on_written(target)`` for each finished pack,
    in the order the packs were given."""

    def __init__(
        self,
        on_written: Callable[[Path], object],
        *,
        cancel: Callable[[], bool] | None = None,
        workers: int | None = None,
        setup: tuple[Callable[..., object], tuple[Any, ...]] | None = None,
        warm: Callable[[], object] = _warm,
    ) -> None:
        self.on_written = on_written
        self.cancel = cancel
        self.workers = worker_count() if workers is None else workers
        self._setup = setup
        self._warm = warm
        self._pending: deque[tuple[cf.Future[Any], Path, Then | None]] = deque()
        self._executor: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> PackPool:
        if self.workers:
            fn, args = self._setup or (None, ())
            self._executor = cf.ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(fn, args),
            )
            for _ in range(self.workers):
                self._executor.submit(self._warm)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            if exc is None:
                self.close()
                return
            # The batch stopped on an error: no file beyond the last one reported. No pack
            # is left to make: a worker still starting up ends on its own.
            self._discard()
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        """Finish and report every pack given, then end the workers (their memory is the
        app's again: the batch's last step, the merged file, needs it)."""
        self.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    @property
    def pending(self) -> int:
        """Packs given and not yet reported."""
        return len(self._pending)

    def draw(
        self, doc: Document, target: Path, *, word: bool = False, then: Then | None = None
    ) -> None:
        """Draw one pack whose content is built (and its Word copy if ``word``);
        ``then(its pages as drawn)`` when it is reported."""
        self.run(draw_named, target.name, doc, str(target), word, target=target, then=then)

    def run(
        self, fn: Callable[..., Any], *args: Any, target: Path, then: Then | None = None
    ) -> None:
        """Make one pack: ``fn(*args)`` (in a worker, or here without one) writes ``target``;
        when it is reported, ``then(what fn returned)``. Returns without giving it if
        ``cancel()`` says so while it waits for a worker: the caller asks ``cancel`` next."""
        if self._executor is None:
            result = fn(*args)
            self.on_written(target)
            if then is not None:
                then(result)
            return
        while len(self._pending) >= self.workers * AHEAD:
            if not self.next(self.cancel):
                return
        self._pending.append((self._executor.submit(fn, *args), target, then))
        while self._pending and self._pending[0][0].done():
            self._finish_oldest()

    def next(self, cancel: Callable[[], bool] | None = None) -> bool:
        """Wait for the oldest pack given and report it; False if ``cancel()`` said so first
        (nothing is reported then)."""
        while self._pending:
            if cancel is not None and cancel():
                return False
            try:
                self._pending[0][0].result(timeout=POLL)
            except cf.TimeoutError:
                continue
            except BaseException:  # raised by _finish_oldest, in order
                pass
            self._finish_oldest()
            return True
        return True

    def wait(self, cancel: Callable[[], bool] | None = None) -> bool:
        """Wait for every pack given; False if ``cancel()`` said so first (then the packs
        being made are finished, and reported, and no other is started)."""
        while self._pending:
            if not self.next(cancel):
                self.stop()
                return False
        return True

    def stop(self) -> None:
        """Start no other pack; finish (and report, in order) the packs already given: at
        most ``AHEAD`` per worker, so as when one process made them, every pack given before
        a cancel is written whole."""
        while self._pending:
            self._finish_oldest()

    def _discard(self) -> None:
        """Start no other pack; let those being made end, and remove what they wrote."""
        for future, _, _ in self._pending:
            future.cancel()
        for future, target, _ in self._pending:
            if not future.cancelled() and future.exception() is None:
                target.unlink(missing_ok=True)
                target.with_suffix(".docx").unlink(missing_ok=True)
        self._pending.clear()

    def _finish_oldest(self) -> None:
        future, target, then = self._pending[0]
        try:
            result = future.result()
        except cf.process.BrokenProcessPool:
            self._pending.popleft()
            raise KnownError(
                "Cannot make the review packs: a drawing process stopped unexpectedly "
                "(out of memory?). The packs already written are complete."
            ) from None
        except BaseException:
            self._pending.popleft()
            raise
        self._pending.popleft()
        self.on_written(target)
        if then is not None:
            then(result)


# --------------------------------------------------------------------------- the merged file

DONE = b""  # the last message to the merging process: every document is sent


def _merge(docs: Any, abort: Any, results: Any, target: str, title: str) -> None:
    """The merging process: adds each pack's drawn pages as they come (pickled, in order)
    and writes ``target`` after the last; sends back the pages, or the error (named)."""
    import pickle

    from .document_pdf import render_merged_pdf

    _start(None, ())

    def received() -> Any:
        while True:
            blob = docs.get()
            if abort.is_set():
                raise KnownError("The merged file was cancelled.")
            if blob == DONE:
                return
            yield pickle.loads(blob)

    try:
        results.put(("ok", render_merged_pdf(received(), target, title=title)))
    except Exception as exc:
        results.put(("error", pack_failed(Path(target).name, exc)))


class MergedProcess:
    """The merged file of a batch, made in a process of its own while the packs are made:
    the window's process only passes each pack's drawn pages on (``add``, as the bytes a
    worker pickled them to). Drawn in the window's process, it held the window up to 150 ms at a
    time on a busy machine (bench_reports). ``finish`` waits for the file; leaving the
    ``with`` block without it (a cancel, an error) stops the process and writes nothing."""

    def __init__(self, target: Path, title: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._docs = ctx.Queue()
        self._results = ctx.Queue()
        self._abort = ctx.Event()
        self._process = ctx.Process(
            target=_merge,
            args=(self._docs, self._abort, self._results, str(target), title),
            daemon=True,
        )

    def __enter__(self) -> MergedProcess:
        self._process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process.is_alive():  # stopped early: nothing is written
            self._abort.set()
            self._docs.put(DONE)
            self._process.join(5)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join()
            self._docs.cancel_join_thread()  # what it did not read is dropped
        self._docs.close()
        self._results.close()

    def add(self, blob: bytes) -> None:
        """The next document, pickled (it is queued at once: never waits)."""
        self._docs.put(blob)

    def finish(self, cancel: Callable[[], bool] | None = None) -> int | None:
        """Wait for the file to be written; its pages, or None if ``cancel()`` said so
        first (then nothing is written). An error in drawing it is raised here."""
        self._docs.put(DONE)
        while True:
            if cancel is not None and cancel():
                return None
            try:
                kind, value = self._results.get(timeout=POLL)
            except queue.Empty:
                if not self._process.is_alive() and self._results.empty():
                    raise KnownError(
                        "Cannot write the merged file: its process stopped unexpectedly "
                        "(out of memory?). The review packs written are complete."
                    ) from None
                continue
            self._process.join()
            if kind == "error":
                raise value
            return int(value)
