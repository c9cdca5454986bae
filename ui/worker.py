"""The one database executor (Anki's taskman habit).

All database work runs on one QThread. The GUI asks it for typed operations (Anki's
``aqt/operations`` habit: ``QueryOp[T]`` and ``CollectionOp``):

- ``query(fn, *args, on_done=, on_error=)``: the worker opens ``store.read()`` and runs
  ``fn(session, *args) -> T``; ``on_done`` gets the ``T`` (mypy checks the two agree).
- ``change(fn, *args, on_done=, on_error=, changes=, reason=)``: the worker opens
  ``store.session(reason=)``, runs ``fn(session, *args) -> T`` and commits (rolls back on
  any error).
- ``run_op(fn, *args)`` / ``run_job``: whole-store work (backups, checks, the demo, the MIS
  import), ``fn(store, *args)``; these live in ``ui/ops.py``, ``ui/safety_ops.py`` and
  ``ui/mis_ops.py`` and never open a session themselves.

The result or exception comes back to the GUI thread through a signal, and the callbacks run
there. The worker never touches a widget and never shares a Session. Only this module opens a
session (``tests/core/test_architecture.py``), and the ``Store`` never leaves the worker
thread: ``open`` hands the GUI an :class:`Opened` (what the window shows of it).

After a change op the ``changed`` signal names the kinds of row that changed
(``sencodesk.changes.Change``: what the session wrote, side effects included, as the core
reports it; plus any ``changes=`` the op declared), so pages refresh only what it touched.

Long jobs get a :class:`JobState` (``set_progress``, ``is_cancelled``): the plain-function
progress/cancel habit of Orange3's ``concurrent_example``.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple

from PySide6.QtCore import QObject, QThread, Signal, Slot

from sencodesk.errors import KnownError
from sencodesk.guarded import names_bad_data  # a page's read that meets a row no rule allows

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from sencodesk.store import Session, Store

log = logging.getLogger(__name__)

T = TypeVar("T")
Ts = TypeVarTuple("Ts")
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException, str], None]


class Cancelled(KnownError):
    """A long job stopped because the user pressed Cancel."""

    def __init__(self) -> None:
        super().__init__("Cancelled.")


class _NoStore(Exception):  # noqa: N818 - not an error: nothing to read from yet
    """A query or change op ran with no database open (none opened yet): it is dropped."""


class JobState:
    """Handed to a long job: report progress, ask whether the user cancelled.

    Safe to call from the worker thread: progress goes to the GUI as a queued signal.
    """

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def set_progress(self, done: int, total: int = 100, text: str = "") -> None:
        self._emit(int(done), int(total), text)

    def __call__(self, done: int, total: int = 100, text: str = "") -> None:
        """So a job that takes a ``progress(done, total)`` callable can be given the state."""
        self.set_progress(done, total, text)
        if self.is_cancelled():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user cancelled."""
        if self._cancel.is_set():
            raise Cancelled()


STORE, READ, WRITE = "store", "read", "write"


@dataclass
class _Job:
    id: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    on_done: OnDone | None
    on_error: OnError | None
    changes: frozenset[str]
    state: JobState | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    mode: str = STORE  # STORE: fn(store, ...); READ / WRITE: fn(session, ...)
    reason: str = ""  # of a WRITE, for the audit


@dataclass(frozen=True)
class Opened:
    """What the GUI learns of a database the worker opened (never the ``Store`` itself)."""

    path: Path | None
    read_only: bool
    encrypted: bool
    is_sqlite: bool
    url: str  # a server's, for following its changes (``ui/live.py``)
    locked_by: Any  # ``safety.lock.LockInfo`` of whoever has it open for changes, or None
    locked_since: dt.datetime | None
    unfinished: tuple[Path, ...]

    @classmethod
    def of(cls, store: Store) -> Opened:
        info = store.locked_by
        return cls(
            path=store.path,
            read_only=bool(store.read_only),
            encrypted=bool(store.encrypted),
            is_sqlite=store.is_sqlite,
            url=store.url,
            locked_by=info,
            locked_since=getattr(info, "since", None),
            unfinished=tuple(store.unfinished),
        )


@dataclass
class _Done:
    """A finished job, carried to the GUI thread as one object."""

    job: _Job
    result: Any
    exc: BaseException | None
    tb: str
    kinds: frozenset[str] = frozenset()  # what a change op's session wrote


class _Runner(QObject):
    """Lives in the worker thread; runs one job at a time, in order."""

    finished = Signal(object)  # a _Done

    def __init__(self) -> None:
        super().__init__()
        self.store: Store | None = None
        self.key: str | None = None  # the passphrase of the last database opened, for reopening

    @Slot(object)
    def run(self, job: _Job) -> None:
        kinds: frozenset[str] = frozenset()
        try:
            args = (job.state, *job.args) if job.state is not None else job.args
            if job.mode == STORE:
                result = job.fn(self.store, *args)
            elif self.store is None:
                raise _NoStore()
            elif job.mode == READ:
                with self.store.read() as s:
                    result = names_bad_data(job.fn)(s, *args)
            else:
                with self.store.session(reason=job.reason) as s:
                    result = names_bad_data(job.fn)(s, *args)
                from sencodesk.changes import changed

                kinds = frozenset(changed(s))  # after the commit: side effects included
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI to tell or report
            self.finished.emit(_Done(job, None, exc, traceback.format_exc()))
        else:
            self.finished.emit(_Done(job, result, None, "", kinds))


class DbWorker(QObject):
    """The GUI's handle on the database thread."""

    changed = Signal(object)  # frozenset[str] of kinds: "pupil", "staff", "contract", ...
    busy_changed = Signal(int)  # 1 busy, 0 idle
    progress = Signal(int, int, str)  # done, total, text of the current long job
    store_changed = Signal()  # a different database was opened
    _submit = Signal(object)
    _progress_from_worker = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: set[int] = set()
        self._thread = QThread()
        self._thread.setObjectName("sencodesk-db")
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.run)
        self._runner.finished.connect(self._on_finished)
        self._progress_from_worker.connect(self.progress)
        from .collector import install

        # Cycles are collected by the GUI thread while this thread runs (ui/collector.py).
        self._collector = install()
        if self._collector is not None:
            self._collector.acquire(self)
        self._thread.start()
        self.default_on_error: OnError | None = None
        self.store_description = ""
        self._closed = False  # shut down: results still on their way are dropped

    # ------------------------------------------------------------------ ops

    def run_op(
        self,
        fn: Callable[[Store, *Ts], T],
        *args: *Ts,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
        changes: Iterable[str] = (),
    ) -> int:
        """Queue ``fn(store, *args)``. ``changes``: what it writes, for the ``changed`` signal."""
        return self._queue(_Job(next(self._ids), fn, args, on_done, on_error, frozenset(changes)))

    def query(
        self,
        fn: Callable[[Session, *Ts], T],
        *args: *Ts,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
    ) -> int:
        """Queue a read: ``fn(session, *args)`` in ``store.read()``."""
        return self._queue(
            _Job(next(self._ids), fn, args, on_done, on_error, frozenset(), mode=READ)
        )

    def change(
        self,
        fn: Callable[[Session, *Ts], T],
        *args: *Ts,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
        changes: Iterable[str] = (),
        reason: str = "",
    ) -> int:
        """Queue a write: ``fn(session, *args)`` in ``store.session(reason=)``, committed."""
        job = _Job(next(self._ids), fn, args, on_done, on_error, frozenset(changes), mode=WRITE)
        job.reason = reason
        return self._queue(job)

    def run_job(
        self,
        fn: Callable[[Store, JobState, *Ts], T],
        *args: *Ts,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
        changes: Iterable[str] = (),
    ) -> JobState:
        """Queue a long job ``fn(store, state, *args)``; returns its state (to cancel it)."""
        state = JobState(self._progress_from_worker.emit)
        self._queue(_Job(next(self._ids), fn, args, on_done, on_error, frozenset(changes), state))
        return state

    def query_job(
        self,
        fn: Callable[[Session, JobState, *Ts], T],
        *args: *Ts,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
    ) -> JobState:
        """Queue a long read ``fn(session, state, *args)`` in ``store.read()``."""
        state = JobState(self._progress_from_worker.emit)
        job = _Job(next(self._ids), fn, args, on_done, on_error, frozenset(), state, mode=READ)
        self._queue(job)
        return state

    def _queue(self, job: _Job) -> int:
        if self._closed or not self._thread.isRunning():
            # The window is closing (a page refreshing after the last result came back):
            # nobody will see this job's result, so it is dropped rather than raised.
            log.debug("dropped job %s: the database worker has been shut down", job.fn)
            return job.id
        was_idle = not self._pending
        self._pending.add(job.id)
        if was_idle:
            self.busy_changed.emit(1)
        self._submit.emit(job)
        return job.id

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @Slot(object)
    def _on_finished(self, done: _Done) -> None:
        job, result, exc, tb = done.job, done.result, done.exc, done.tb
        self._pending.discard(job.id)
        if self._closed:  # the window has gone: nobody is waiting for this result
            return
        try:
            if exc is None:
                # What the op said it writes, and what the core saw it write (side effects).
                kinds = job.changes | done.kinds
                if kinds:
                    self.changed.emit(kinds)
                if job.on_done is not None:
                    job.on_done(result)
            elif isinstance(exc, _NoStore):
                log.debug("dropped %s: no database is open", job.fn)
            else:
                handler = job.on_error or self.default_on_error
                if handler is not None:
                    handler(exc, tb)
                else:
                    log.error("Database operation failed:\n%s", tb)
        finally:
            if not self._pending:
                self.busy_changed.emit(0)

    # ------------------------------------------------------------------ the store

    def open(
        self,
        opener: Callable[[str | None], Store | None],
        *,
        on_done: Callable[[Opened | None], None] | None = None,
        on_error: OnError | None = None,
        close_first: bool = False,
    ) -> int:
        """Open a store in the worker; closes the previous one (before opening, with
        ``close_first``: to restore over the file, or reopen it). ``opener(key)`` is given the
        passphrase of the database open until now (None if none or not encrypted), so a reopen
        needs no copy of it in the GUI. ``on_done`` gets an :class:`Opened` (None when the opener
        opened nothing), never the Store."""

        def _open(old: Store | None) -> Opened | None:
            key = self._runner.key  # kept after a failed reopen, for opening it again
            if close_first and old is not None:
                old.close()
                self._runner.store = None
            new = opener(key)
            if old is not None and not close_first:
                old.close()
            self._runner.store = new
            if new is not None:
                cipher = new.cipher_key
                self._runner.key = cipher.decode("utf-8") if cipher else None
            return Opened.of(new) if new is not None else None

        def _done(opened: Opened | None) -> None:
            self.store_description = str(opened.path or "") if opened is not None else ""
            self.store_changed.emit()
            if on_done is not None:
                on_done(opened)

        return self.run_op(_open, on_done=_done, on_error=on_error)

    @property
    def has_store(self) -> bool:
        return self._runner.store is not None

    def shutdown(self, timeout_ms: int = 30000) -> None:
        """Finish queued work, close the store and stop the thread."""
        if not self._thread.isRunning():
            return
        self._closed = True

        def _close(store: Store | None) -> None:
            if store is not None:
                store.close()
            self._runner.store = None

        self._submit.emit(_Job(0, _close, (), None, None, frozenset()))
        self._thread.quit()
        self._thread.wait(timeout_ms)
        if self._collector is not None and not self._thread.isRunning():
            self._collector.release(self)
            self._collector = None


# --------------------------------------------------------------------------- openers
# The only places in ui/ that open a database: run in the worker thread (by ``DbWorker.open``,
# or by a whole-store job while the GUI's store is closed).


def open_store_for_gui(db: str | Path | None, passphrase: str | None = None) -> Store:
    """Open for writing; if another SENCO Desk has the file, read-only (``store.read_only``)."""
    from sencodesk.store import open_for_reading

    return open_for_reading(db, passphrase=passphrase)


def restore_and_reopen(path: Path, backup: Path, passphrase: str | None = None) -> Store:
    """Runs with the old store closed: restore the backup over the file, then open it
    (``passphrase``: of an encrypted database and its backups)."""
    from sencodesk.safety.restore import restore

    restore(path, backup, passphrase=passphrase)
    return open_store_for_gui(path, passphrase)


def with_file_open(
    db: Path, fn: Callable[[Store], T], *, passphrase: str | None = None, user: str | None = None
) -> T:
    """Open the database file ``db`` just for ``fn(store)``, then close it (in the worker,
    while the GUI's own store is closed; or before the GUI has one, for the self-test)."""
    from sencodesk.store import open_store

    store = open_store(db, passphrase=passphrase, user=user)
    try:
        return fn(store)
    finally:
        store.close()
